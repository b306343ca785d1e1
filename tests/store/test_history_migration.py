"""history.json v0 (the first layout: a bare list or ``{"sessions": [...]}`` without
``schema_version``, durations only) is upgraded in place, backed up first, nothing lost."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from writers_factory.store import SessionHistory
from writers_factory.store.base.events import ProblemKind

FIXTURE = Path(__file__).parent / "fixtures" / "history_v0.json"


def install(tmp_path: Path, content: str | None = None) -> Path:
    root = tmp_path / "novel" / ".session"
    root.mkdir(parents=True)
    if content is None:
        shutil.copy(FIXTURE, root / "history.json")
    else:
        (root / "history.json").write_text(content)
    return root


def test_v0_bare_list_fixture_upgrades(tmp_path: Path) -> None:
    root = install(tmp_path)
    history = SessionHistory(root)
    first, second, third = history.sessions
    assert second.session_id == "2024-11-13-143022"
    assert second.total_cost == Decimal("2.47")  # the float becomes the exact decimal
    assert second.duration_minutes == 165 and second.active_minutes == 165
    assert second.idle_minutes == 0 and second.words_added == 0
    assert second.end_time == datetime(2024, 11, 13, 17, 15, 30, tzinfo=UTC)
    assert second.last_activity == second.end_time and not second.interrupted
    assert second.operations_count == {
        "scene_generation": 3,
        "scene_enhancement": 2,
        "voice_test": 1,
    }
    assert second.files_created == ["project/output/reports/voice-test-2024-11-13.md"]
    assert first.total_cost == Decimal("0.35") and third.total_cost == Decimal("0.1")
    assert third.interrupted and third.end_time is None  # v0 entry that never ended

    migrated = [p for p in history.problems if p.kind is ProblemKind.MIGRATED]
    assert len(migrated) == 1 and "schema 0 to 1" in migrated[0].message
    backups = list((root / "backups").iterdir())
    assert backups and (backups[0] / "history.json").read_bytes() == FIXTURE.read_bytes()

    history.save_sync()  # written back in the current layout
    raw = json.loads((root / "history.json").read_text())
    assert raw["schema_version"] == 1 and raw["sessions"][1]["total_cost"] == "2.47"
    assert SessionHistory(root).problems == []  # second load: nothing left to migrate


def test_v0_object_with_more_than_20_sessions_rolls_over_on_load(tmp_path: Path) -> None:
    entries = [
        {
            "session_id": f"s{i}",
            "start_time": f"2023-0{1 + i // 10}-{1 + i % 10:02d}T10:00:00Z",
            "end_time": f"2023-0{1 + i // 10}-{1 + i % 10:02d}T11:00:00Z",
            "duration_minutes": 60,
            "total_cost": 0.25,
            "files_modified": [],
            "files_created": [],
            "operations_count": {"scene_generation": 1},
        }
        for i in range(23)
    ]
    root = install(tmp_path, json.dumps({"sessions": entries}))
    history = SessionHistory(root, read_only=True)  # upgraded in memory only
    assert [e.session_id for e in history.sessions] == [f"s{i}" for i in range(3, 23)]
    summary = history.yearly[2023]
    assert summary.sessions == 3 and summary.total_minutes == 180.0
    assert summary.total_cost == Decimal("0.75")
    assert summary.operations_count == {"scene_generation": 3}
    assert json.loads((root / "history.json").read_text()) == {"sessions": entries}
    assert not (root / "backups").exists()


def test_v0_with_a_bad_entry_names_the_field(tmp_path: Path) -> None:
    root = install(tmp_path, json.dumps([{"session_id": "x", "start_time": "yesterday"}]))
    history = SessionHistory(root)
    assert history.sessions == []
    corrupt = [p for p in history.problems if p.kind is ProblemKind.CORRUPT]
    assert corrupt and "sessions.0.start_time" in corrupt[0].message
    assert corrupt[0].set_aside is not None and corrupt[0].set_aside.exists()
