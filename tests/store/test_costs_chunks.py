"""Operations live append-only in chunk files: rollover, reload, torn or lost chunks,
a crash between the chunk and the summary, and files from a newer version."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store import CostTracker
from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.events import ProblemKind
from writers_factory.store.base.serialisers import dumps
from writers_factory.store.costs import chunks as chunks_module
from writers_factory.store.costs.errors import CostsReadOnlyError
from writers_factory.store.costs.models import OperationChunk, OperationRecord

LOCAL = "ollama:llama3.2"


def chunk(root: Path, number: int) -> Path:
    return root / "costs" / f"ops-{number:06d}.json"


def write_chunk(root: Path, number: int, records: list[OperationRecord]) -> None:
    """A chunk file written directly with the models, as an earlier run would have left it."""
    plain = OperationChunk(operations=records).model_dump(mode="json")
    write_atomic(chunk(root, number), dumps(plain))


async def test_600_operations_span_three_chunks_and_reload(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    start = datetime(2026, 11, 2, tzinfo=UTC)
    earlier = [
        OperationRecord(
            timestamp=start + timedelta(minutes=i),
            operation=f"op{i % 3}",
            model="test:m",
            input_tokens=1_000 + i,
            output_tokens=10,
            cost=(Decimal(1_000 + i) * Decimal("0.5") + 10 * Decimal("1.5")) / 1_000_000,
        )
        for i in range(510)
    ]
    write_chunk(root, 1, earlier[:256])
    write_chunk(root, 2, earlier[256:])  # two short of full
    tracker = CostTracker(root)  # builds costs.json from the chunks it finds
    assert tracker.operations_count == 510 and tracker.problems == []
    tracker.prefs.set_price_override("test:m", Decimal("0.5"), Decimal("1.5"))
    for i in range(510, 600):  # the real path fills chunk 2, then rolls over to chunk 3
        await tracker.log_operation(f"op{i % 3}", "test:m", 1_000 + i, 10)
    counts = [len(json.loads(chunk(root, n).read_text())["operations"]) for n in (1, 2, 3)]
    assert counts == [256, 256, 88] and not chunk(root, 4).exists()

    again = CostTracker(root, prefs=tracker.prefs)
    assert again.problems == []
    assert again.operations_count == 600 and again.total == tracker.total
    assert again.recent(600) == tracker.recent(600)
    assert again.recent(600)[:510] == earlier
    assert [r.input_tokens for r in again.recent(3)] == [1_597, 1_598, 1_599]
    assert again.operations_by_type() == {"op0": 200, "op1": 200, "op2": 200}
    expected = sum(
        (Decimal(1_000 + i) * Decimal("0.5") + 10 * Decimal("1.5") for i in range(600)), Decimal(0)
    ) / Decimal(1_000_000)
    assert again.total == expected
    assert again.session_total == sum((r.cost for r in again.recent(90)), Decimal(0))
    listed = json.loads((root / "costs.json").read_text())["chunks"]
    assert [c["count"] for c in listed] == [256, 256, 88]
    assert listed[1]["file"] == "costs/ops-000002.json"
    assert sum(Decimal(c["cost"]) for c in listed) == expected


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    """Chunks of 4 operations, so rollover and loss are quick to set up."""
    monkeypatch.setattr(chunks_module, "CHUNK_SIZE", 4)
    return 4


async def logged(root: Path, count: int) -> CostTracker:
    tracker = CostTracker(root)
    tracker.prefs.set_price_override("test:cent", Decimal(10_000), Decimal(0))
    tracker.prefs.save_sync()
    for i in range(count):
        await tracker.log_operation(f"op{i}", "test:cent", 1, 0)  # one cent each
    return tracker


async def test_appending_rewrites_only_the_last_chunk(tmp_path: Path, small_chunks: int) -> None:
    root = tmp_path / ".session"
    tracker = await logged(root, 9)
    full = [chunk(root, n).stat() for n in (1, 2)]
    await tracker.log_operation("more", "test:cent", 1, 0)
    assert [chunk(root, n).stat().st_ino for n in (1, 2)] == [s.st_ino for s in full]
    assert [chunk(root, n).stat().st_mtime_ns for n in (1, 2)] == [s.st_mtime_ns for s in full]
    assert len(json.loads(chunk(root, 3).read_text())["operations"]) == 2


async def test_corrupt_chunk_is_set_aside_and_its_last_good_copy_restored(
    tmp_path: Path, small_chunks: int
) -> None:
    root = tmp_path / ".session"
    await logged(root, 10)  # chunks of 4, 4, 2
    good = chunk(root, 2).read_bytes()
    torn = good[: len(good) // 2]
    chunk(root, 2).write_bytes(torn)

    tracker = CostTracker(root)
    corrupt = [p for p in tracker.problems if p.kind is ProblemKind.CORRUPT]
    assert corrupt and corrupt[0].path == chunk(root, 2)
    assert corrupt[0].set_aside is not None and corrupt[0].set_aside.read_bytes() == torn
    assert corrupt[0].restored_from == root / "prev" / "costs" / "ops-000002.json"
    # the previous good copy held 3 of its 4 operations: exactly one is named as lost
    assert any(p.lost and p.lost.startswith("1 operation(s) costing $0.01 ") for p in corrupt)
    assert tracker.operations_count == 9 and tracker.total == Decimal("0.09")
    assert [r.operation for r in tracker.recent(3)] == ["op6", "op8", "op9"]  # op7 lost

    # the repair is on disk: the next start finds nothing wrong
    assert json.loads(chunk(root, 2).read_text())["operations"][-1]["operation"] == "op6"
    assert CostTracker(root).problems == []


async def test_chunk_without_a_good_copy_is_reported_and_the_rest_loads(
    tmp_path: Path, small_chunks: int
) -> None:
    root = tmp_path / ".session"
    await logged(root, 10)
    (root / "prev" / "costs" / "ops-000001.json").unlink()
    chunk(root, 1).write_bytes(b"\x00\x00garbage")

    tracker = CostTracker(root)
    lost = [p.lost for p in tracker.problems if p.lost]
    assert any("4 operation(s) costing $0.04" in text for text in lost)
    assert tracker.operations_count == 6 and tracker.total == Decimal("0.06")
    [aside] = (root / "corrupt").iterdir()
    assert aside.read_bytes() == b"\x00\x00garbage"
    await tracker.log_operation("after", "test:cent", 1, 0)
    assert CostTracker(root).operations_count == 7


async def test_missing_chunk_listed_in_summary_is_reported(
    tmp_path: Path, small_chunks: int
) -> None:
    root = tmp_path / ".session"
    await logged(root, 6)
    chunk(root, 1).unlink()
    (root / "prev" / "costs" / "ops-000001.json").unlink()
    tracker = CostTracker(root)
    [problem] = [p for p in tracker.problems if p.path == chunk(root, 1)]
    assert "lists 4 operations" in problem.message and problem.lost is not None
    assert tracker.operations_count == 2


async def test_crash_between_chunk_and_summary_is_healed_from_the_chunk(
    tmp_path: Path, small_chunks: int
) -> None:
    root = tmp_path / ".session"
    tracker = await logged(root, 2)
    stale_summary = (root / "costs.json").read_bytes()
    await tracker.log_operation("late", "test:cent", 1, 0)
    (root / "costs.json").write_bytes(stale_summary)  # as if killed before the summary write

    again = CostTracker(root)
    assert again.operations_count == 3 and again.session_total == Decimal("0.03")
    assert json.loads((root / "costs.json").read_text())["operations_count"] == 3


async def test_newer_costs_file_is_read_only_and_never_rewritten(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    await logged(root, 1)
    summary = json.loads((root / "costs.json").read_text())
    summary["schema_version"] = 99
    summary["a_future_field"] = {"kept": True}
    (root / "costs.json").write_text(json.dumps(summary))
    before = (root / "costs.json").read_bytes(), chunk(root, 1).read_bytes()

    tracker = CostTracker(root)
    assert tracker.read_only
    assert any(p.kind is ProblemKind.NEWER_VERSION for p in tracker.problems)
    # a write fails loudly, naming the file: never a record of an operation not written
    with pytest.raises(CostsReadOnlyError, match=r"costs\.json was written by a newer") as caught:
        await tracker.log_operation("x", "test:cent", 1, 0)
    assert isinstance(caught.value, OSError) and isinstance(caught.value, WritersFactoryError)
    assert caught.value.path == root / "costs.json"
    assert tracker.operations_count == 1
    assert ((root / "costs.json").read_bytes(), chunk(root, 1).read_bytes()) == before


async def test_newer_chunk_makes_logging_fail_naming_the_chunk(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    await logged(root, 2)
    plain = json.loads(chunk(root, 1).read_text())
    plain["schema_version"] = 7
    chunk(root, 1).write_text(json.dumps(plain))
    tracker = CostTracker(root)
    assert tracker.read_only and tracker.operations_count == 2
    with pytest.raises(CostsReadOnlyError, match=r"ops-000001\.json was written by a newer"):
        await tracker.log_operation("x", "test:cent", 1, 0)
    assert CostTracker(root).operations_count == 2


async def test_tracker_opened_read_only_refuses_to_log(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    await logged(root, 1)
    viewer = CostTracker(root, read_only=True)
    await viewer.reset_session()  # a viewer may count its own session from zero in memory
    with pytest.raises(CostsReadOnlyError, match="opened read-only"):
        await viewer.log_operation("x", "test:cent", 1, 0)
    assert CostTracker(root).operations_count == 1


def test_hand_written_chunk_is_read_and_rewritten_one_operation_per_line(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    (root / "costs").mkdir(parents=True)
    chunk(root, 1).write_text(
        json.dumps(
            {
                "operations": [
                    {
                        "timestamp": "2026-11-18T10:00:00+01:00",
                        "operation": "x",
                        "model": "m",
                        "input_tokens": 1,
                        "output_tokens": 2,
                        "cost": 0.1,
                    },
                ]
            }
        )
    )
    tracker = CostTracker(root)
    assert tracker.total == Decimal("0.1")
    assert tracker.recent(1)[0].timestamp == datetime(2026, 11, 18, 9, tzinfo=UTC)
    [line] = [ln for ln in chunk(root, 1).read_text().splitlines() if '"operation"' in ln]
    assert '"timestamp": "2026-11-18T09:00:00Z"' in line and '"cost": "0.1"' in line
    assert CostTracker(root).problems == []


async def test_corrupt_summary_is_restored_and_rebuilt_from_the_chunks(
    tmp_path: Path, small_chunks: int
) -> None:
    root = tmp_path / ".session"
    tracker = await logged(root, 6)
    (root / "costs.json").write_bytes(b'{"schema_version": 1, "session": ')
    again = CostTracker(root)
    [problem] = again.problems
    assert problem.set_aside is not None and problem.restored_from is not None
    assert again.session_id == tracker.session_id  # the session survives
    assert again.operations_count == 6 and again.session_total == Decimal("0.06")
    assert json.loads((root / "costs.json").read_text())["operations_count"] == 6

    (root / "costs.json").write_bytes(b"\xff")
    (root / "prev" / "costs.json").unlink()
    third = CostTracker(root)  # no good copy: a new session, the operations still count
    assert third.operations_count == 6 and third.total == Decimal("0.06")
    assert third.session_id != tracker.session_id and third.session_total == 0


async def test_unknown_keys_from_a_newer_version_survive_appends(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    tracker = await logged(root, 1)
    summary = json.loads((root / "costs.json").read_text())
    summary["forecast"] = {"month": "12.00"}
    (root / "costs.json").write_text(json.dumps(summary))
    ops = json.loads(chunk(root, 1).read_text())
    ops["operations"][0]["cached_tokens"] = 900
    chunk(root, 1).write_text(json.dumps(ops))

    tracker = CostTracker(root)
    await tracker.log_operation("next", "test:cent", 1, 0)
    assert json.loads((root / "costs.json").read_text())["forecast"] == {"month": "12.00"}
    first, second = json.loads(chunk(root, 1).read_text())["operations"]
    assert first["cached_tokens"] == 900 and "cached_tokens" not in second
