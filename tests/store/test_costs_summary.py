"""costs.json is a derived summary: opening reads it and the chunks' stamps, not every
operation; it is rebuilt from the chunks when missing, stale or invalid, and never believed
over them. Periods are [start, end) windows, in any zone, whatever the clock did."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from writers_factory.store import CostTracker, Preferences
from writers_factory.store.costs import chunks as chunks_module
from writers_factory.store.costs import encoding

CENT = "test:cent"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(chunks_module, "CHUNK_SIZE", 4)
    return 4


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every chunk file read and validated, in order."""
    seen: list[Path] = []
    original = encoding.ChunkFile.load_sync

    def counting(self: encoding.ChunkFile) -> object:
        seen.append(self.path)
        return original(self)

    monkeypatch.setattr(encoding.ChunkFile, "load_sync", counting)
    yield seen


def priced(root: Path) -> Preferences:
    prefs = Preferences(root)
    prefs.set_price_override(CENT, Decimal(10_000), Decimal(0))  # one input token = one cent
    prefs.save_sync()
    return prefs


async def logged(root: Path, count: int, clock: Clock | None = None) -> CostTracker:
    tracker = CostTracker(root, prefs=priced(root), clock=clock, tz=UTC)
    for i in range(count):
        await tracker.log_operation(f"op{i}", CENT, 1, 0, key=f"k{i}" if i % 5 == 0 else None)
    return tracker


def figures(tracker: CostTracker) -> tuple[object, ...]:
    return (
        tracker.operations_count,
        tracker.total,
        tracker.session_total,
        tracker.by_model_all_time,
        tracker.operations_by_type(),
        tracker.period_totals(),
    )


async def test_opening_reads_no_operation_when_the_summary_is_current(
    tmp_path: Path, small_chunks: int, reads: list[Path]
) -> None:
    root = tmp_path / ".session"
    tracker = await logged(root, 41)  # 11 chunks
    reads.clear()
    again = CostTracker(root, prefs=tracker.prefs, tz=UTC)
    assert reads == [] and again.problems == []
    assert figures(again) == figures(tracker)
    assert again.operations_count == 41 and again.total == Decimal("0.41")
    # the last operations come from the last chunks only
    assert [r.operation for r in again.recent(6)] == [f"op{i}" for i in range(35, 41)]
    assert len(reads) == 3  # chunks of 1, 4 and 4 operations
    # an idempotency key of an early operation reads its one chunk, and charges nothing
    reads.clear()
    replay = await again.log_operation("op0 again", CENT, 99, 0, key="k0")
    assert replay.operation == "op0" and again.operations_count == 41
    assert [p.name for p in reads] == ["ops-000001.json"]


async def test_missing_summary_is_rebuilt_from_the_chunks(
    tmp_path: Path, small_chunks: int, reads: list[Path]
) -> None:
    root = tmp_path / ".session"
    tracker = await logged(root, 10)
    before = figures(tracker)
    (root / "costs.json").unlink()
    shutil.rmtree(root / "prev")
    reads.clear()
    rebuilt = CostTracker(root, prefs=tracker.prefs, tz=UTC)
    assert len(reads) == 3 and rebuilt.operations_count == 10
    assert figures(rebuilt)[:2] == before[:2] and figures(rebuilt)[3:] == before[3:]
    assert json.loads((root / "costs.json").read_text())["operations_count"] == 10
    reads.clear()
    CostTracker(root, prefs=tracker.prefs, tz=UTC)
    assert reads == []  # the rebuilt summary is current


async def test_summary_of_an_older_version_is_rebuilt(
    tmp_path: Path, small_chunks: int, reads: list[Path]
) -> None:
    """Entries without stamps (written before summaries were derived) are not believed."""
    root = tmp_path / ".session"
    tracker = await logged(root, 6)
    summary = json.loads((root / "costs.json").read_text())
    for entry in summary["chunks"]:
        for name in ("stamp", "sessions", "hours", "keys"):
            entry.pop(name, None)
    (root / "costs.json").write_text(json.dumps(summary))
    reads.clear()
    again = CostTracker(root, prefs=tracker.prefs, tz=UTC)
    assert len(reads) == 2 and again.problems == []
    assert figures(again) == figures(tracker)


async def test_a_chunk_changed_behind_the_summary_is_read_again(
    tmp_path: Path, small_chunks: int, reads: list[Path]
) -> None:
    root = tmp_path / ".session"
    tracker = await logged(root, 10)
    chunk = root / "costs" / "ops-000002.json"
    plain = json.loads(chunk.read_text())
    plain["operations"][0]["cost"] = "5"  # edited by hand: $5 instead of a cent
    chunk.write_text(json.dumps(plain))
    reads.clear()
    again = CostTracker(root, prefs=tracker.prefs, tz=UTC)
    assert reads == [chunk]  # only the changed one
    assert again.total == Decimal("5.09") and again.daily_total == Decimal("5.09")
    reads.clear()
    assert CostTracker(root, prefs=tracker.prefs, tz=UTC).total == Decimal("5.09")
    assert reads == []  # the summary was brought up to date


@pytest.mark.parametrize(
    "edit",
    [
        lambda e: e.update(count=e["count"] + 1),
        lambda e: e.update(cost="99"),
        lambda e: e["sessions"].clear(),
        lambda e: e.update(hours={"2026-11-18T10": "42"}),
        lambda e: e.update(stamp=None),
        lambda e: e.update(first="yesterday"),
        lambda e: e.update(file="costs/ops-².json"),
    ],
)
async def test_a_summary_edited_by_hand_is_never_believed(
    tmp_path: Path, small_chunks: int, edit: object
) -> None:
    root = tmp_path / ".session"
    clock = Clock(datetime(2026, 11, 18, 10, tzinfo=UTC))
    tracker = await logged(root, 6, clock)
    summary = json.loads((root / "costs.json").read_text())
    assert callable(edit)
    edit(summary["chunks"][0])
    (root / "costs.json").write_text(json.dumps(summary))
    again = CostTracker(root, prefs=tracker.prefs, clock=clock, tz=UTC)
    assert figures(again) == figures(tracker)


async def test_an_operation_from_a_clock_far_ahead_is_not_today_for_ever(tmp_path: Path) -> None:
    """One operation logged at +400 days made every later day "over budget"."""
    root = tmp_path / ".session"
    prefs = priced(root)
    prefs.set_budget_limit("daily", Decimal(5))
    clock = Clock(datetime(2026, 11, 18, 10, tzinfo=UTC))
    tracker = CostTracker(root, prefs=prefs, clock=clock, tz=UTC)
    await tracker.log_operation("normal", CENT, 100, 0)  # $1 today
    real = clock.now
    clock.now = real + timedelta(days=400)  # the clock jumps ahead
    await tracker.log_operation("from the future", CENT, 1_000, 0)  # $10 "then"
    clock.now = real + timedelta(hours=1)  # and is put right
    await tracker.log_operation("normal again", CENT, 100, 0)
    for view in (tracker, CostTracker(root, prefs=prefs, clock=clock, tz=UTC)):
        assert view.daily_total == Decimal(2) and view.weekly_total == Decimal(2)
        assert view.monthly_total == Decimal(2) and view.total == Decimal(12)
        assert view.should_warn_budget() is None
        clock.now = real + timedelta(days=1)
        assert view.daily_total == 0  # tomorrow: nothing spent yet
        clock.now = real + timedelta(days=400)
        assert view.daily_total == Decimal(10)  # it counts on its own day
        clock.now = real + timedelta(hours=1)


@pytest.mark.parametrize(
    ("zone", "midnight_utc"),
    [
        ("Asia/Kolkata", datetime(2026, 11, 17, 18, 30, tzinfo=UTC)),  # UTC+5:30
        ("Asia/Kathmandu", datetime(2026, 11, 17, 18, 15, tzinfo=UTC)),  # UTC+5:45
        ("America/St_Johns", datetime(2026, 11, 18, 3, 30, tzinfo=UTC)),  # UTC-3:30
        ("Europe/Paris", datetime(2026, 11, 17, 23, 0, tzinfo=UTC)),
    ],
)
async def test_local_midnight_off_the_hour(
    tmp_path: Path, zone: str, midnight_utc: datetime
) -> None:
    root = tmp_path / ".session"
    clock = Clock(midnight_utc - timedelta(seconds=1))
    tz = ZoneInfo(zone)
    tracker = CostTracker(root, prefs=priced(root), clock=clock, tz=tz)
    await tracker.log_operation("last second of yesterday", CENT, 100, 0)  # $1
    clock.now = midnight_utc
    await tracker.log_operation("first second of today", CENT, 200, 0)  # $2
    clock.now = midnight_utc + timedelta(minutes=10)
    await tracker.log_operation("ten past", CENT, 400, 0)  # $4
    clock.now = midnight_utc + timedelta(hours=5)
    for view in (tracker, CostTracker(root, prefs=tracker.prefs, clock=clock, tz=tz)):
        assert view.daily_total == Decimal(6)
        assert view.total == Decimal(7)


async def test_clock_set_back_months_counts_from_the_operations(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    clock = Clock(datetime(2026, 11, 18, 10, tzinfo=UTC))
    tracker = await logged(root, 3, clock)  # $0.03 on November 18th
    clock.now = datetime(2026, 7, 2, 10, tzinfo=UTC)  # a dead battery: back to July
    assert tracker.daily_total == 0 and tracker.monthly_total == 0
    await tracker.log_operation("in july", CENT, 100, 0)
    assert tracker.daily_total == Decimal(1) and tracker.monthly_total == Decimal(1)
    again = CostTracker(root, prefs=tracker.prefs, clock=clock, tz=UTC)
    assert again.daily_total == Decimal(1) and again.total == Decimal("1.03")
    clock.now = datetime(2026, 11, 18, 12, tzinfo=UTC)  # put right
    assert again.daily_total == Decimal("0.03") and tracker.daily_total == Decimal("0.03")


async def test_hourly_costs_are_kept_for_recent_weeks_only(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    clock = Clock(datetime(2026, 1, 5, 10, tzinfo=UTC))
    tracker = CostTracker(root, prefs=priced(root), clock=clock, tz=UTC)
    for day in range(0, 200, 5):
        clock.now = datetime(2026, 1, 5, 10, tzinfo=UTC) + timedelta(days=day)
        await tracker.log_operation(f"day {day}", CENT, 100, 0)
    summary = json.loads((root / "costs.json").read_text())
    hours = {h for entry in summary["chunks"] for h in entry.get("hours", {})}
    assert hours and min(hours) >= summary["hours_from"][:13]
    assert clock.now - datetime.fromisoformat(summary["hours_from"]) <= timedelta(days=64)
    assert tracker.monthly_total == Decimal(4)  # July 4th, 9th, 14th and 19th (today)
    again = CostTracker(root, prefs=tracker.prefs, clock=clock, tz=UTC)
    assert again.period_totals() == tracker.period_totals() and again.total == Decimal(40)


async def test_an_unreadable_chunk_is_named_and_never_written_over(
    tmp_path: Path, small_chunks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / ".session"
    tracker = await logged(root, 6)  # chunks 1 (4 operations) and 2 (2)
    stuck = root / "costs" / "ops-000002.json"
    before = stuck.read_bytes()
    stuck.write_bytes(before + b" ")  # changed since the summary: it must be read
    original = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == stuck:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    again = CostTracker(root, prefs=tracker.prefs, tz=UTC)
    [problem] = [p for p in again.problems if p.path == stuck]
    assert "cannot be read (Permission denied)" in problem.message
    assert problem.lost is not None and "2 operation(s)" in problem.lost
    assert again.operations_count == 4
    await again.log_operation("after", CENT, 1, 0)
    monkeypatch.undo()
    assert stuck.read_bytes() == before + b" "  # never written over
    assert (root / "costs" / "ops-000003.json").exists()
    assert CostTracker(root, prefs=tracker.prefs, tz=UTC).operations_count == 7


async def spread_over_days(root: Path, days: int, clock: Clock) -> CostTracker:
    """One operation a day (a key on every fifth), in chunks of 4: most chunks get folded."""
    start = clock.now
    tracker = CostTracker(root, prefs=priced(root), clock=clock, tz=UTC)
    for day in range(days):
        clock.now = start + timedelta(days=day)
        key = f"day-{day}" if day % 5 == 0 else None
        await tracker.log_operation(f"day {day}", CENT, 100, 0, key=key)  # $1 each
    return tracker


async def test_old_chunks_are_folded_into_one_entry(
    tmp_path: Path, small_chunks: int, reads: list[Path]
) -> None:
    root = tmp_path / ".session"
    clock = Clock(datetime(2026, 1, 1, 12, tzinfo=UTC))
    tracker = await spread_over_days(root, 120, clock)  # 30 chunks
    summary = json.loads((root / "costs.json").read_text())
    folded = summary["sealed"]["chunks"]
    assert len(folded) >= 15 and len(summary["chunks"]) <= 15
    assert summary["sealed"]["keys"]["day-0"] == 1
    assert all(not entry.get("hours") for entry in [summary["sealed"]])
    reads.clear()
    again = CostTracker(root, prefs=tracker.prefs, clock=clock, tz=UTC)
    assert reads == [] and again.problems == []
    assert figures(again) == figures(tracker) and again.total == Decimal(120)
    assert again.operations_by_type()["day 3"] == 1
    # a key in a folded chunk still answers with its operation, reading that chunk only
    replay = await again.log_operation("again", CENT, 999, 0, key="day-5")
    assert replay.operation == "day 5" and again.operations_count == 120
    assert [p.name for p in reads] == ["ops-000002.json"]
    # the oldest operations are still there for recent()
    assert [r.operation for r in again.recent(120)][:2] == ["day 0", "day 1"]


async def test_a_folded_chunk_changed_or_lost_is_never_believed(
    tmp_path: Path, small_chunks: int, reads: list[Path]
) -> None:
    root = tmp_path / ".session"
    clock = Clock(datetime(2026, 1, 1, 12, tzinfo=UTC))
    tracker = await spread_over_days(root, 100, clock)
    folded = json.loads((root / "costs.json").read_text())["sealed"]["chunks"]
    chunk = root / "costs" / "ops-000003.json"
    plain = json.loads(chunk.read_text())
    plain["operations"][0]["cost"] = "7"  # $7 instead of $1, by hand
    chunk.write_text(json.dumps(plain))
    reads.clear()
    again = CostTracker(root, prefs=tracker.prefs, clock=clock, tz=UTC)
    assert again.total == Decimal(106) and len(reads) >= len(folded)
    # and a lost one is named with what it held
    (root / "costs" / "ops-000002.json").unlink()
    (root / "prev" / "costs" / "ops-000002.json").unlink(missing_ok=True)
    third = CostTracker(root, prefs=tracker.prefs, clock=clock, tz=UTC)
    [lost] = [p for p in third.problems if p.path.name == "ops-000002.json"]
    assert lost.lost is not None and lost.lost.startswith("4 operation(s) costing $4.00")
    assert third.total == Decimal(102) and third.operations_count == 96


async def test_clock_set_back_before_folded_chunks_unfolds_them(
    tmp_path: Path, small_chunks: int
) -> None:
    root = tmp_path / ".session"
    clock = Clock(datetime(2026, 1, 1, 12, tzinfo=UTC))
    tracker = await spread_over_days(root, 100, clock)
    assert "sealed" in json.loads((root / "costs.json").read_text())
    clock.now = datetime(2026, 1, 20, 15, tzinfo=UTC)  # back into the folded weeks
    assert tracker.daily_total == Decimal(1) and tracker.monthly_total == Decimal(31)
    await tracker.log_operation("back then", CENT, 100, 0)
    assert tracker.daily_total == Decimal(2) and tracker.monthly_total == Decimal(32)
    again = CostTracker(root, prefs=tracker.prefs, clock=clock, tz=UTC)
    assert again.period_totals() == tracker.period_totals() and again.total == Decimal(101)
