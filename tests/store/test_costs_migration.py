"""costs.json v0 (float dollars, inline operations, stale counters, budget inside) is
upgraded to chunked decimal operations, with the whole .session/ backed up first."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from writers_factory.store import CostTracker, Preferences
from writers_factory.store.base.events import ProblemKind

FIXTURE = Path(__file__).parent / "fixtures" / "costs_v0.json"
EVENING = datetime(2024, 11, 13, 18, 0, tzinfo=UTC)


def install(tmp_path: Path, data: dict[str, object] | None = None) -> Path:
    root = tmp_path / "novel" / ".session"
    root.mkdir(parents=True)
    if data is None:
        shutil.copy(FIXTURE, root / "costs.json")
    else:
        (root / "costs.json").write_text(json.dumps(data))
    return root


def test_v0_fixture_upgrades_with_backup_and_matching_totals(tmp_path: Path) -> None:
    root = install(tmp_path)
    v0 = json.loads(FIXTURE.read_text())
    tracker = CostTracker(root, clock=lambda: EVENING, tz=UTC)

    migrated = [p for p in tracker.problems if p.kind is ProblemKind.MIGRATED]
    assert any("schema 0 to 1" in p.message for p in migrated)
    assert any("budget moved" in p.message for p in migrated)
    [backup] = (root / "backups").iterdir()
    assert (backup / "costs.json").read_bytes() == FIXTURE.read_bytes()

    # totals match the old file, exactly (its by_model held float noise: 0.15000000000000002)
    assert tracker.session_total == Decimal(str(v0["session_total"])) == Decimal("0.74")
    assert tracker.total == Decimal("0.74") and tracker.operations_count == 5
    assert tracker.by_model == {
        "claude-sonnet-3.5": Decimal("0.35"),
        "gemini-flash": Decimal("0.15"),
        "gpt-4": Decimal("0.24"),
    }
    # the stale counters are recomputed from the operations, in the local calendar
    assert tracker.daily_total == Decimal("0.49")
    assert tracker.weekly_total == tracker.monthly_total == Decimal("0.74")
    assert tracker.operations_by_type() == {
        "scene_generation": 2,
        "voice_test": 1,
        "scene_enhancement": 2,
    }

    chunk = json.loads((root / "costs" / "ops-000001.json").read_text())
    assert [op["cost"] for op in chunk["operations"]] == ["0.15", "0.1", "0.2", "0.24", "0.05"]
    summary = json.loads((root / "costs.json").read_text())
    assert summary["schema_version"] == 1 and summary["operations_count"] == 5
    for gone in ("operations", "migrated_operations", "budget", "legacy_budget", "daily_total"):
        assert gone not in summary

    budget = Preferences(root).data.budget
    assert (budget.daily_limit, budget.weekly_limit, budget.monthly_limit) == (
        Decimal(50),
        Decimal(200),
        Decimal(500),
    )
    assert budget.warnings_enabled

    again = CostTracker(root, clock=lambda: EVENING, tz=UTC)
    assert again.problems == [] and again.total == Decimal("0.74")
    assert len(list((root / "backups").iterdir())) == 1


async def test_logging_after_migration_appends_to_the_migrated_chunk(tmp_path: Path) -> None:
    root = install(tmp_path)
    tracker = CostTracker(root)
    await tracker.log_operation("brainstorm", "ollama:llama3.2", 10, 10)
    chunk = json.loads((root / "costs" / "ops-000001.json").read_text())
    assert len(chunk["operations"]) == 6
    assert CostTracker(root).operations_count == 6


def test_budget_stays_in_costs_when_preferences_already_have_limits(tmp_path: Path) -> None:
    root = install(tmp_path)
    prefs = Preferences(root)
    prefs.set_budget_limit("daily", Decimal(10))
    prefs.save_sync()
    tracker = CostTracker(root)
    [kept] = [p for p in tracker.problems if p.field == "legacy_budget"]
    assert "already has limits" in kept.message
    assert Preferences(root).data.budget.daily_limit == Decimal(10)
    legacy = json.loads((root / "costs.json").read_text())["legacy_budget"]
    assert legacy["monthly_limit"] == "500.0"


def test_unreadable_v0_operation_is_reported_and_kept(tmp_path: Path) -> None:
    v0 = json.loads(FIXTURE.read_text())
    v0["operations"][1]["cost"] = "a lot"
    root = install(tmp_path, v0)
    tracker = CostTracker(root)
    [bad] = [p for p in tracker.problems if p.kind is ProblemKind.INVALID_FIELD]
    assert bad.field == "operations.1" and "cost" in bad.message
    assert tracker.operations_count == 4 and tracker.total == Decimal("0.64")
    kept = json.loads((root / "costs.json").read_text())["legacy_invalid_operations"]
    assert kept[0]["cost"] == "a lot" and kept[0]["operation"] == "voice_test"


def test_read_only_tracker_reads_v0_without_writing(tmp_path: Path) -> None:
    root = install(tmp_path)
    tracker = CostTracker(root, read_only=True)
    assert tracker.total == Decimal("0.74") and tracker.operations_count == 5
    assert sorted(p.name for p in root.iterdir()) == ["costs.json"]
    assert (root / "costs.json").read_bytes() == FIXTURE.read_bytes()
