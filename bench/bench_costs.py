"""Cost tracking at 100,000 operations: logging, opening a tracker, and ``session costs``.

Builds a project with 100,000 operations already recorded (chunk files written directly with
the models, spread over two years), lets a tracker build its summary once, then measures,
each against a baseline measured in the same run, alternating baseline and candidate:

- ``log_operation`` (price + durable writes) with 100,000 recorded vs. none (target ~1x);
- opening a ``CostTracker`` with 100,000 recorded vs. with one chunk of 256 (start-up cost
  must not grow with the history; the one-off rebuild from the chunks is printed too);
- ``writers-factory session costs`` on that project vs. ``python -c pass`` (target <= 5x),
  in wall time and in CPU time (steadier on a busy machine), bytecode cached as installed.

Absolute times depend on the machine and its disk; ratios of medians are what to compare.
``run()`` returns the results as a dict; ``main`` prints one line per measure.

Run: ``.venv/bin/python bench/bench_costs.py``
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

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
SMALL = CHUNK_SIZE
LOGS = 60
RUNS = 9
"""Alternated runs of each baseline/candidate pair (at least 5)."""
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


def spread(times: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def paired(
    baseline: Callable[[], float], candidate: Callable[[], float], runs: int | None = None
) -> dict[str, Any]:
    """Alternate the two ``runs`` times each; medians with min-max and their ratio."""
    runs = RUNS if runs is None else runs
    base: list[float] = []
    cand: list[float] = []
    for i in range(runs):
        first, second = (baseline, candidate) if i % 2 == 0 else (candidate, baseline)
        a, b = first(), second()
        base.append(a if first is baseline else b)
        cand.append(b if first is baseline else a)
    result: dict[str, Any] = {"baseline": spread(base), "candidate": spread(cand), "runs": runs}
    result["ratio"] = result["candidate"]["median"] / result["baseline"]["median"]
    return result


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def cpu_timed(action: Callable[[], object]) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def median_log(tracker: CostTracker, count: int = LOGS) -> float:
    async def logs() -> float:
        times = []
        for i in range(count):
            start = time.perf_counter()
            await tracker.log_operation("scene_generation", MODEL, 4_000 + i, 500)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return asyncio.run(logs())


def median_totals(tracker: CostTracker, repeat: int = 200) -> float:
    """What the status bar pays per refresh (computed once per change, then cached)."""
    times = [timed(tracker.period_totals) for _ in range(repeat)]
    return statistics.median(times)


def command(executable: str, *args: str, cpu: bool = False) -> Callable[[], float]:
    """Run a command; returns its wall time, or (``cpu``) the CPU time it used.

    Bytecode is cached as an installed copy has it (``PYTHONDONTWRITEBYTECODE`` is dropped,
    and each command runs once before it is measured), so neither side pays for compiling.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)  # this checkout's package
    subprocess.run([executable, *args], check=True, stdout=subprocess.DEVNULL, env=env)

    def run_once() -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([executable, *args], check=True, stdout=subprocess.DEVNULL, env=env)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        return used if cpu else wall

    return run_once


def writers_factory_command() -> list[str]:
    script = Path(sys.executable).with_name("writers-factory")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "writers_factory.cli"]


def run(runs: int | None = None) -> dict[str, Any]:
    """Every measure of this bench, as plain data (times in seconds)."""
    global RUNS
    if runs is not None:
        RUNS = max(5, runs)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        small_project, full_project = Path(tmp, "small"), Path(tmp, "full")
        small_root, full_root = small_project / ".session", full_project / ".session"
        started = time.perf_counter()
        build_history(small_root, SMALL)
        build_history(full_root, EXISTING)
        results["build_seconds"] = time.perf_counter() - started
        # the first open finds chunks and no summary: it rebuilds it once, from the chunks
        results["first_open_rebuild_seconds"] = timed(lambda: CostTracker(full_root))
        CostTracker(small_root)
        results["summary_bytes"] = (full_root / "costs.json").stat().st_size
        results["chunk_files"] = len(list((full_root / "costs").glob("ops-*.json")))

        opened = paired(
            lambda: timed(lambda: CostTracker(small_root)),
            lambda: timed(lambda: CostTracker(full_root)),
        )
        results["tracker_open"] = {**opened, "baseline_is": f"{SMALL} operations (one chunk)"}
        opened_cpu = paired(
            lambda: cpu_timed(lambda: CostTracker(small_root)),
            lambda: cpu_timed(lambda: CostTracker(full_root)),
        )
        results["tracker_open_cpu"] = {
            **opened_cpu,
            "baseline_is": results["tracker_open"]["baseline_is"],
        }
        full = CostTracker(full_root)
        assert full.operations_count == EXISTING, full.problems

        wf = writers_factory_command()
        costs_view = (*wf, "session", "costs", "--project", str(full_project))
        cli = paired(command(sys.executable, "-c", "pass"), command(*costs_view))
        results["session_costs_cli"] = {**cli, "baseline_is": "python -c pass"}
        cpu = paired(
            command(sys.executable, "-c", "pass", cpu=True), command(*costs_view, cpu=True)
        )
        results["session_costs_cli_cpu"] = {**cpu, "baseline_is": "python -c pass"}

        empty_root = Path(tmp, "empty", ".session")
        empty_root.mkdir(parents=True)
        empty = CostTracker(empty_root)
        empty.get_estimated_cost(MODEL, 1, 1)  # warm the price lookup for both
        logs = paired(lambda: median_log(empty, LOGS // 6), lambda: median_log(full, LOGS // 6))
        results["log_operation"] = {**logs, "baseline_is": "no operation recorded"}
        results["period_totals"] = {"empty": median_totals(empty), "full": median_totals(full)}
    return results


def rows(workload: object, runs: int) -> list[Any]:
    """This bench's rows for ``make bench`` (its own 100,000 operations, not the workload's:
    it compares with a one-chunk history too)."""
    from bench.results import Row, Spread

    results = run(runs)

    def spread(side: dict[str, float]) -> Spread:
        return Spread(median=side["median"], min=side["min"], max=side["max"], runs=RUNS)

    def row(key: str, measure: str, **extra: Any) -> Row:
        r = results[key]
        return Row(
            bench="costs",
            measure=measure,
            baseline_is=r["baseline_is"],
            baseline=spread(r["baseline"]),
            candidate=spread(r["candidate"]),
            **extra,
        )

    cli = results["session_costs_cli"]
    return [
        row(
            "session_costs_cli",
            f"writers-factory session costs, {EXISTING:,} operations",
            target="≤ 5×",
            passed=cli["ratio"] <= 5,
        ),
        row("session_costs_cli_cpu", "  the same, CPU time"),
        row(
            "tracker_open",
            f"open a cost tracker, {EXISTING:,} operations",
            note=f"rebuilt once from the chunks in {results['first_open_rebuild_seconds']:.2f} s",
        ),
        row("log_operation", f"log_operation with {EXISTING:,} recorded"),
    ]


def _line(label: str, result: dict[str, Any], unit: float = 1000, suffix: str = "ms") -> str:
    b, c = result["baseline"], result["candidate"]
    return (
        f"{label}: {c['median'] * unit:.1f} {suffix} "
        f"({c['min'] * unit:.1f}-{c['max'] * unit:.1f}) vs {result['baseline_is']} "
        f"{b['median'] * unit:.1f} {suffix} ({b['min'] * unit:.1f}-{b['max'] * unit:.1f}): "
        f"{result['ratio']:.2f}x (medians of {result['runs']} alternated runs)"
    )


def main() -> None:
    results = run()
    print(
        f"built {EXISTING:,} operations in {results['chunk_files']} chunk files in "
        f"{results['build_seconds']:.1f} s; the first open rebuilt the summary in "
        f"{results['first_open_rebuild_seconds']:.2f} s; costs.json is "
        f"{results['summary_bytes']:,} bytes"
    )
    print(_line(f"open a tracker, {EXISTING:,} operations", results["tracker_open"]))
    print(_line("  the same, CPU time", results["tracker_open_cpu"]))
    print(_line(f"writers-factory session costs, {EXISTING:,}", results["session_costs_cli"]))
    print(_line("  the same, CPU time", results["session_costs_cli_cpu"]))
    print(_line(f"log_operation, {EXISTING:,} recorded", results["log_operation"]))
    totals = results["period_totals"]
    print(
        f"daily/weekly/monthly totals: {totals['empty'] * 1e6:.1f} µs empty, "
        f"{totals['full'] * 1e6:.1f} µs with {EXISTING:,}"
    )


if __name__ == "__main__":
    main()
