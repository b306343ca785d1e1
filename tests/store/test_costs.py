"""CostTracker on real files: exact genai-prices costs, overrides, local models, unknown
models refused before any write, local-calendar totals, budget warnings and hard stops."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from genai_prices import Usage, calc_price

from writers_factory.core.prices import UnknownModelError
from writers_factory.store import CostTracker, Preferences
from writers_factory.store.base.events import StoreProblem
from writers_factory.store.costs.models import OperationRecord

PARIS = ZoneInfo("Europe/Paris")


class Clock:
    """A settable clock: the tracker asks it for "now" instead of the system."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, to prove nothing was written."""
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def gpt4o_rates() -> tuple[Decimal, Decimal]:
    calc = calc_price(
        Usage(input_tokens=0, output_tokens=0), model_ref="gpt-4o", provider_id="openai"
    )
    rate_in, rate_out = calc.model_price.input_mtok, calc.model_price.output_mtok
    assert isinstance(rate_in, Decimal) and isinstance(rate_out, Decimal)
    return rate_in, rate_out


async def test_cost_is_hand_computed_from_genai_prices_rates(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    tracker = CostTracker(root)
    rate_in, rate_out = gpt4o_rates()
    expected = (Decimal(12_450) * rate_in + Decimal(3_200) * rate_out) / Decimal(1_000_000)
    assert tracker.get_estimated_cost("openai:gpt-4o", 12_450, 3_200) == expected
    record = await tracker.log_operation("scene_generation", "openai:gpt-4o", 12_450, 3_200)
    assert record.cost == expected and isinstance(record.cost, Decimal)
    assert tracker.session_total == expected == tracker.daily_total
    chunk = json.loads((root / "costs" / "ops-000001.json").read_text())
    assert chunk["operations"][0]["cost"] == str(expected)  # exact decimal string, not a float


async def test_round_trip_and_readable_summary(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    tracker = CostTracker(root)
    await tracker.log_operation("scene_generation", "openai:gpt-4o", 1_000, 500)
    await tracker.log_operation("voice_test", "anthropic:claude-sonnet-4-5", 2_000, 100)
    await tracker.log_operation("scene_generation", "openai:gpt-4o", 10, 10)

    again = CostTracker(root)
    assert again.problems == []
    assert again.session_id == tracker.session_id
    assert again.session_total == tracker.session_total > 0
    assert again.by_model == tracker.by_model and len(again.by_model) == 2
    assert again.operations_count == 3
    assert again.operations_by_type() == {"scene_generation": 2, "voice_test": 1}
    assert again.operations_by_type(tracker.session_id) == again.operations_by_type()
    assert [r.operation for r in again.recent(2)] == ["voice_test", "scene_generation"]
    assert again.recent(10) == tracker.recent(10)

    summary = json.loads((root / "costs.json").read_text())
    assert (root / "costs.json").read_text().startswith("{\n  ")  # indented for people
    assert summary["schema_version"] == 1
    assert summary["session"]["id"] == tracker.session_id
    assert summary["session"]["total"] == str(tracker.session_total)
    assert summary["operations_count"] == 3
    assert summary["by_model"]["openai:gpt-4o"] == str(tracker.by_model["openai:gpt-4o"])
    [chunk] = summary["chunks"]
    assert chunk["file"] == "costs/ops-000001.json" and chunk["count"] == 3
    assert chunk["first"].endswith("Z") and chunk["last"] >= chunk["first"]


async def test_price_override_from_preferences_wins_and_prices_custom_models(
    tmp_path: Path,
) -> None:
    root = tmp_path / ".session"
    prefs = Preferences(root)
    prefs.set_price_override("openai:gpt-4o", Decimal("1.00"), Decimal("2.00"))
    prefs.set_price_override("my-lab:tuned-7b", Decimal("0.40"), Decimal("0.40"))
    tracker = CostTracker(root, prefs=prefs)
    first = await tracker.log_operation("edit", "openai:gpt-4o", 1_000_000, 500_000)
    assert first.cost == Decimal("2.00")
    custom = await tracker.log_operation("edit", "my-lab:tuned-7b", 250_000, 0)
    assert custom.cost == Decimal("0.1")
    # overrides saved in preferences.json are picked up by a tracker that loads its own
    prefs.save_sync()
    assert CostTracker(root).get_estimated_cost("my-lab:tuned-7b", 1_000_000, 0) == Decimal("0.4")


async def test_local_model_is_free_but_recorded(tmp_path: Path) -> None:
    tracker = CostTracker(tmp_path / ".session")
    record = await tracker.log_operation("brainstorm", "ollama:llama3.2", 50_000, 9_000)
    assert record.cost == 0 and tracker.session_total == 0
    assert tracker.operations_count == 1 and tracker.by_model == {"ollama:llama3.2": 0}


async def test_unknown_model_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    tracker = CostTracker(root)
    with pytest.raises(UnknownModelError, match="nobody:imaginary-9000"):
        await tracker.log_operation("scene_generation", "nobody:imaginary-9000", 10, 10)
    assert not (root / "costs.json").exists() and not (root / "costs").exists()

    await tracker.log_operation("scene_generation", "ollama:llama3.2", 10, 10)
    before = snapshot(root)
    with pytest.raises(UnknownModelError, match="imaginary"):
        tracker.get_estimated_cost("nobody:imaginary-9000", 1, 1)
    with pytest.raises(UnknownModelError):
        await tracker.log_operation("scene_generation", "nobody:imaginary-9000", 10, 10)
    with pytest.raises(ValueError, match="negative"):
        await tracker.log_operation("scene_generation", "ollama:llama3.2", -1, 10)
    assert snapshot(root) == before
    assert tracker.operations_count == 1


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=PARIS)


async def test_totals_follow_the_local_calendar(tmp_path: Path) -> None:
    """Paris is UTC+1 in November: local days, weeks and months start an hour before UTC's."""
    root = tmp_path / ".session"
    prefs = Preferences(root)
    prefs.set_price_override("test:dollar", Decimal(1), Decimal(0))  # $1 per million inputs
    clock = Clock(datetime(2026, 10, 1, tzinfo=UTC))
    tracker = CostTracker(root, prefs=prefs, clock=clock, tz=PARIS)
    moments = [
        (paris(2026, 10, 31, 23, 59, 59), 1),  # last month, one second before local midnight
        (paris(2026, 11, 1, 0, 0, 0), 2),  # first second of the month
        (paris(2026, 11, 15, 23, 59, 59), 4),  # Sunday night: this month, not this week
        (paris(2026, 11, 16, 0, 0, 0), 8),  # Monday: this week
        (paris(2026, 11, 17, 23, 59, 59), 16),  # yesterday, just before local midnight
        (paris(2026, 11, 18, 0, 30), 32),  # today locally, still the 17th in UTC
        (paris(2026, 11, 18, 9, 0), 64),
    ]
    for moment, dollars in moments:
        clock.now = moment.astimezone(UTC)
        await tracker.log_operation("scene_generation", "test:dollar", dollars * 1_000_000, 0)
    assert clock.now.date().isoformat() == "2026-11-18"
    assert tracker.daily_total == Decimal(32 + 64)
    assert tracker.weekly_total == Decimal(8 + 16 + 32 + 64)
    assert tracker.monthly_total == Decimal(2 + 4 + 8 + 16 + 32 + 64)
    assert tracker.total == Decimal(127)

    reloaded = CostTracker(root, prefs=prefs, clock=clock, tz=PARIS)
    assert reloaded.period_totals() == tracker.period_totals()

    # the figures move with the clock: never stale counters
    clock.now = paris(2026, 11, 19, 0, 0, 1).astimezone(UTC)
    assert tracker.daily_total == 0 and tracker.weekly_total == Decimal(120)
    clock.now = paris(2026, 11, 23, 0, 0, 1).astimezone(UTC)
    assert tracker.weekly_total == 0 and tracker.monthly_total == Decimal(126)
    clock.now = paris(2026, 12, 1, 0, 0, 1).astimezone(UTC)
    assert tracker.monthly_total == 0


@contextlib.contextmanager
def system_zone(name: str) -> Iterator[None]:
    """Run with the process's local zone set to ``name`` (as the writer's machine would be)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.fixture
def tokyo_time() -> Iterator[None]:
    """Asia/Tokyo: UTC+9, no daylight saving."""
    with system_zone("Asia/Tokyo"):
        yield


@pytest.mark.parametrize("explicit_zone", [True, False])
async def test_month_start_uses_its_own_offset_across_daylight_saving(
    tmp_path: Path, explicit_zone: bool
) -> None:
    """October 1st in Paris is UTC+2; by October 30th Paris is UTC+1. The month starts at
    22:00 UTC on September 30th, not at 23:00."""
    with system_zone("Europe/Paris"):
        prefs = Preferences(tmp_path / ".session")
        prefs.set_price_override("test:dollar", Decimal(1), Decimal(0))
        clock = Clock(datetime(2026, 9, 30, 21, 59, tzinfo=UTC))  # 23:59 on Sep 30 in Paris
        tracker = CostTracker(
            tmp_path / ".session", prefs=prefs, clock=clock, tz=PARIS if explicit_zone else None
        )
        await tracker.log_operation("late september", "test:dollar", 1_000_000, 0)
        clock.now = datetime(2026, 9, 30, 22, 30, tzinfo=UTC)  # 00:30 on Oct 1 in Paris
        await tracker.log_operation("early october", "test:dollar", 2_000_000, 0)
        clock.now = datetime(2026, 10, 30, 12, tzinfo=UTC)
        assert tracker.monthly_total == Decimal(2)


async def test_default_zone_is_the_system_local_zone(tmp_path: Path, tokyo_time: None) -> None:
    prefs = Preferences(tmp_path / ".session")
    prefs.set_price_override("test:dollar", Decimal(1), Decimal(0))
    clock = Clock(datetime(2026, 11, 17, 14, 59, 59, tzinfo=UTC))  # 23:59:59 in Tokyo
    tracker = CostTracker(tmp_path / ".session", prefs=prefs, clock=clock)
    await tracker.log_operation("a", "test:dollar", 1_000_000, 0)
    clock.now = datetime(2026, 11, 17, 15, 0, 0, tzinfo=UTC)  # local midnight
    await tracker.log_operation("b", "test:dollar", 2_000_000, 0)
    assert tracker.daily_total == Decimal(2)  # UTC would still call both "the 17th"


async def spend(tracker: CostTracker, dollars: str) -> None:
    await tracker.log_operation("scene_generation", "test:cent", int(Decimal(dollars) * 100), 0)


@pytest.fixture
def priced(tmp_path: Path) -> tuple[CostTracker, Preferences]:
    prefs = Preferences(tmp_path / ".session")
    prefs.set_price_override("test:cent", Decimal(10_000), Decimal(0))  # one token = one cent
    clock = Clock(datetime(2026, 11, 18, 12, tzinfo=UTC))
    return CostTracker(tmp_path / ".session", prefs=prefs, clock=clock, tz=PARIS), prefs


@pytest.mark.parametrize("period", ["daily", "weekly", "monthly"])
async def test_warns_at_80_percent_of_each_limit_and_not_below(
    priced: tuple[CostTracker, Preferences], period: str
) -> None:
    tracker, prefs = priced
    prefs.set(f"budget.{period}_limit", Decimal(10))
    await spend(tracker, "7.99")
    assert tracker.should_warn_budget() is None
    ahead = tracker.should_warn_budget(extra=Decimal("0.01"))  # the coming operation counts
    assert ahead is not None and "$8.00 of $10.00" in ahead and "$0.01" in ahead
    await spend(tracker, "0.01")
    warning = tracker.should_warn_budget()
    assert warning is not None
    assert f"{period.capitalize()} budget: $8.00 of $10.00 (80%)" in warning
    others = {"daily", "weekly", "monthly"} - {period}
    assert not any(other.capitalize() in warning for other in others)
    assert tracker.budget_exceeded(extra=Decimal(5)) is None  # hard stop is off


async def test_warning_share_and_switch_come_from_preferences(
    priced: tuple[CostTracker, Preferences],
) -> None:
    tracker, prefs = priced
    prefs.set_budget_limit("daily", Decimal(10))
    prefs.set_budget_limit("monthly", Decimal(11))
    await spend(tracker, "9.50")
    warning = tracker.should_warn_budget()
    assert warning is not None and "Daily budget" in warning and "Monthly budget" in warning
    prefs.set("budget.warn_at", 0.99)
    assert tracker.should_warn_budget() is None
    prefs.set("budget.warn_at", 0.5)
    prefs.set("budget.warnings_enabled", False)
    assert tracker.should_warn_budget() is None


async def test_hard_stop_blocks_at_the_limit(priced: tuple[CostTracker, Preferences]) -> None:
    tracker, prefs = priced
    prefs.set_budget_limit("weekly", Decimal(5))
    prefs.set("budget.hard_stop", True)
    await spend(tracker, "4.50")
    assert tracker.budget_exceeded() is None
    stop = tracker.budget_exceeded(extra=Decimal("0.50"))
    assert stop is not None and "you would have spent $5.00 of your $5.00 weekly limit" in stop
    await spend(tracker, "0.60")
    assert tracker.budget_exceeded() is not None and "$5.10" in (tracker.budget_exceeded() or "")


async def test_reset_session_starts_from_zero_and_keeps_history(
    priced: tuple[CostTracker, Preferences], tmp_path: Path
) -> None:
    tracker, prefs = priced
    seen: list[OperationRecord | None] = []
    tracker.listeners.append(seen.append)
    await spend(tracker, "1.00")
    first_session = tracker.session_id
    await tracker.reset_session()
    assert tracker.session_id != first_session
    assert tracker.session_total == 0 and tracker.by_model == {}
    assert tracker.daily_total == Decimal("1.00") and tracker.operations_count == 1
    await spend(tracker, "0.25")
    assert tracker.session_total == Decimal("0.25")
    assert len(seen) == 3 and seen[1] is None

    reloaded = CostTracker(tmp_path / ".session", prefs=prefs)
    assert reloaded.session_id == tracker.session_id
    assert reloaded.session_total == Decimal("0.25") and reloaded.total == Decimal("1.25")
    assert reloaded.operations_by_type(first_session) == {"scene_generation": 1}

    # an operation for another session id starts tracking that session
    await reloaded.log_operation("x", "test:cent", 3, 0, session_id="morning-2")
    assert reloaded.session_id == "morning-2" and reloaded.session_total == Decimal("0.03")
    await reloaded.reset_session("evening-1")
    assert reloaded.session_id == "evening-1" and reloaded.session_total == 0


async def test_failed_write_keeps_the_operation_counted_and_writes_it_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from writers_factory.store.base import jsonfile
    from writers_factory.store.base.durable import DurableWriteError

    root = tmp_path / ".session"
    tracker = CostTracker(root)
    problems: list[StoreProblem] = []
    tracker.callbacks.on_error.append(problems.append)
    await tracker.log_operation("a", "ollama:llama3.2", 1, 1)

    def disk_full(path: Path, data: bytes) -> None:
        raise DurableWriteError(path, OSError(errno.ENOSPC, "No space left on device"), 3)

    monkeypatch.setattr(jsonfile, "write_atomic", disk_full)
    with pytest.raises(OSError, match="No space left"):
        await tracker.log_operation("b", "ollama:llama3.2", 1, 1)
    assert tracker.operations_count == 2
    assert any("No space left" in p.message for p in problems)
    assert CostTracker(root).operations_count == 1  # the disk still holds the last good state

    monkeypatch.undo()
    await tracker.save()
    assert [r.operation for r in CostTracker(root).recent(5)] == ["a", "b"]


def test_tracker_with_no_preferences_file_uses_defaults(tmp_path: Path) -> None:
    tracker = CostTracker(tmp_path / ".session")
    assert tracker.should_warn_budget() is None and tracker.budget_exceeded() is None
    assert tracker.session_started <= datetime.now(UTC) + timedelta(seconds=1)
    assert tracker.recent(0) == [] and tracker.operations_count == 0
