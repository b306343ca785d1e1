"""``future_operations`` for ``verify``: operations dated after now, found without writing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from writers_factory.store import CostTracker, Preferences
from writers_factory.store.costs.view import future_operations


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file()}


async def test_operations_dated_in_the_future_are_named(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    prefs = Preferences(root)
    prefs.set_price_override("test:cent", Decimal(10_000), Decimal(0))
    clock = Clock(datetime(2026, 11, 18, 10, tzinfo=UTC))
    tracker = CostTracker(root, prefs=prefs, clock=clock)
    await tracker.log_operation("today", "test:cent", 1, 0)
    clock.now += timedelta(days=400)
    await tracker.log_operation("ahead", "test:cent", 250, 0)
    clock.now -= timedelta(days=400)
    await tracker.log_operation("today again", "test:cent", 1, 0)

    before = snapshot(root)
    [future] = future_operations(root, clock.now)
    assert future.path == root / "costs" / "ops-000001.json" and future.position == 1
    assert future.operation == "ahead" and future.cost == Decimal("2.5")
    assert future.timestamp == datetime(2027, 12, 23, 10, tzinfo=UTC)
    assert "ops-000001.json" not in future.describe()  # verify names the file itself
    assert "2027-12-23 10:00 UTC, in the future" in future.describe()
    assert future_operations(root, clock.now + timedelta(days=401)) == []
    assert snapshot(root) == before  # read-only

    # a summary that is stale or missing: every chunk is read instead
    (root / "costs.json").unlink()
    assert [f.operation for f in future_operations(root, clock.now)] == ["ahead"]
    assert snapshot(root) == {k: v for k, v in before.items() if k != str(root / "costs.json")}


def test_no_costs_folder_no_future(tmp_path: Path) -> None:
    assert future_operations(tmp_path / ".session", datetime.now(UTC)) == []


async def test_summary_mismatches_name_each_disagreement(tmp_path: Path) -> None:
    import json

    from writers_factory.store.costs.view import summary_mismatches

    root = tmp_path / ".session"
    tracker = CostTracker(root)
    for i in range(3):
        await tracker.log_operation(f"op{i}", "ollama:llama3.2", 1, 1)
    assert summary_mismatches(root) == []
    chunk = root / "costs" / "ops-000001.json"
    plain = json.loads(chunk.read_text())
    plain["operations"].pop()
    chunk.write_text(json.dumps(plain))
    (root / "costs" / "ops-².json").write_text("{}")
    before = snapshot(root)
    found = {path.name: message for path, message in summary_mismatches(root)}
    assert found["ops-000001.json"] == (
        "costs.json says 3 operations costing 0, the chunk holds 2 costing 0"
    )
    assert "not an operation chunk name" in found["ops-².json"]
    assert snapshot(root) == before  # read-only
