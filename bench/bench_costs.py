"""Logging one AI operation must cost the same after 100,000 operations as after none.

Operations are kept append-only in chunk files of 256, so a log rewrites only the last chunk
and the summary. This builds a project with 100,000 operations already recorded (chunk files
written directly with the models, spread over two years), then measures the median time of
``log_operation`` (price + durable writes) there and in an empty project, and prints the
ratio (expected near 1), plus the one-off load time and the cost of the calendar totals.
Absolute times depend on the machine and its disk; nothing about time is asserted.

Run: ``.venv/bin/python bench/bench_costs.py``
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.serialisers import dumps
from writers_factory.store.costs.models import (
    CHUNK_SIZE,
    OperationChunk,
    OperationRecord,
    chunk_name,
)
from writers_factory.store.costs.tracker import CostTracker

EXISTING = 100_000
LOGS = 60
MODEL = "openai:gpt-4o"


def build_history(root: Path, count: int) -> None:
    """``count`` operations over the last two years, written as full chunk files."""
    now = datetime.now(UTC) - timedelta(hours=1)
    step = timedelta(days=730) / count
    start = now - step * count
    cost = Decimal("0.0132")
    chunk: list[OperationRecord] = []
    number = 1
    for i in range(count):
        chunk.append(
            OperationRecord(
                timestamp=start + step * i,
                operation="scene_generation",
                model=MODEL,
                input_tokens=4_000,
                output_tokens=500,
                cost=cost,
                session_id="earlier",
            )
        )
        if len(chunk) == CHUNK_SIZE or i == count - 1:
            plain = OperationChunk(operations=chunk).model_dump(mode="json")
            write_atomic(root / chunk_name(number), dumps(plain))
            chunk, number = [], number + 1


async def median_log(tracker: CostTracker) -> float:
    times = []
    for i in range(LOGS):
        start = time.perf_counter()
        await tracker.log_operation("scene_generation", MODEL, 4_000 + i, 500)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_totals(tracker: CostTracker, repeat: int = 200) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        tracker.period_totals()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty_root, full_root = Path(tmp, "empty", ".session"), Path(tmp, "full", ".session")
        empty_root.mkdir(parents=True)
        started = time.perf_counter()
        build_history(full_root, EXISTING)
        built = time.perf_counter() - started

        empty = CostTracker(empty_root)
        started = time.perf_counter()
        full = CostTracker(full_root)
        loaded = time.perf_counter() - started
        assert full.operations_count == EXISTING, full.problems

        empty.get_estimated_cost(MODEL, 1, 1)  # warm the price lookup for both
        t_empty, t_full = await median_log(empty), await median_log(full)
        q_empty, q_full = median_totals(empty), median_totals(full)
        chunks = len(list((full_root / "costs").iterdir()))
        summary = (full_root / "costs.json").stat().st_size

    print(
        f"built {EXISTING:,} operations in {chunks} chunk files in {built:.1f} s; "
        f"loading them once took {loaded:.2f} s; costs.json is {summary:,} bytes"
    )
    print(f"log_operation, none recorded:     {t_empty * 1000:8.2f} ms (median of {LOGS})")
    print(f"log_operation, {EXISTING:,} recorded: {t_full * 1000:8.2f} ms (median of {LOGS})")
    print(f"ratio: {t_full / t_empty:.2f}x")
    print(
        f"daily/weekly/monthly totals: {q_empty * 1e6:.1f} µs empty, "
        f"{q_full * 1e6:.1f} µs with {EXISTING:,}"
    )


if __name__ == "__main__":
    asyncio.run(main())
