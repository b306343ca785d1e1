"""``make bench``: every bench on one workload, one table, ``bench/results.json``.

Each ``bench/bench_*.py`` module offers ``rows(workload, runs) -> list[Row]``
(``bench/results.py``); this runs them all on one project built from the corpus
(``bench/workload.py``) and prints one table: measure, baseline, candidate, ratio, target,
PASS/FAIL (``info`` where a row has no target yet).

Exit status: 0 when every bench ran, whatever the marks — a target not met yet is
information, not breakage; 2 when the corpus is missing; 1 when a bench crashed.
``BENCH_RUNS`` (default 5, at least 5) is the number of alternated runs of each side;
``BENCH_ONLY`` (comma-separated bench names, e.g. ``startup,typing``) runs only those.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.results import BenchResults, Row, table
from bench.workload import NOVEL, OPEN, OPERATIONS, SESSIONS, CorpusMissing, Workload, build

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
BENCHES = (
    "startup",
    "typing",
    "bigfile",
    "saving",
    "costs",
    "outside",
    "analysis",
    "history",
    "snapshots",
)
RowsFn = Callable[[Workload, int], list[Row]]


def bench_runs() -> int:
    raw = os.environ.get("BENCH_RUNS", "5")
    try:
        return max(5, int(raw))
    except ValueError:
        raise SystemExit(f"BENCH_RUNS must be a whole number (at least 5), not {raw!r}") from None


def load(name: str) -> RowsFn:
    module = importlib.import_module(f"bench.bench_{name}")
    rows: RowsFn = module.rows
    return rows


def describe_workload(workload: Workload) -> str:
    return (
        f"{NOVEL} in {workload.chapters} chapters, {OPEN} open (cursor on line "
        f"{workload.cursor[0] + 1} of {workload.active}), {SESSIONS} history sessions, "
        f"{OPERATIONS:,} cost operations"
    )


def run_all(names: tuple[str, ...], runs: int, *, results_path: Path | None) -> int:
    console = wide_console()
    rows: list[Row] = []
    crashed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wf-bench-") as tmp:
        started = time.perf_counter()
        try:
            workload = build(Path(tmp))
        except CorpusMissing as missing:
            console.print(f"[bold red]{missing}[/]", highlight=False)
            return 2
        console.print(
            f"workload: {describe_workload(workload)} (built in "
            f"{time.perf_counter() - started:.1f} s); {runs} alternated runs a side",
            highlight=False,
        )
        for name in names:
            started = time.perf_counter()
            console.print(f"[dim]… {name}[/]", highlight=False)
            try:
                found = load(name)(workload, runs)
            except Exception:
                crashed.append(name)
                console.print(f"[bold red]bench {name} crashed:[/]\n{traceback.format_exc()}")
                found = [Row(bench=name, measure="(crashed: see above)", passed=False)]
            rows.extend(found)
            console.print(f"[dim]  {name}: {time.perf_counter() - started:.0f} s[/]")
        description = describe_workload(workload)
    title = f"Writers Factory benches — medians (min–max) of {runs} alternated runs"
    console.print(table(rows, title))
    failed = sum(row.passed is False for row in rows)
    console.print(
        f"{sum(row.passed is True for row in rows)} pass, {failed} fail, "
        f"{sum(row.passed is None for row in rows)} information only"
        + (f"; crashed: {', '.join(crashed)}" if crashed else ""),
        highlight=False,
    )
    if results_path is not None:
        machine = (
            f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        )
        BenchResults(runs=runs, workload=description, machine=machine, rows=rows).write(
            results_path
        )
        console.print(f"written: {results_path}", highlight=False)
    return 1 if crashed else 0


def wide_console() -> Any:
    """A console at least 150 columns wide: the table stays readable in a log or a pipe."""
    from rich.console import Console

    console = Console()
    return console if console.width >= 150 else Console(width=150)


def standalone(rows: RowsFn) -> None:
    """Run one bench module on its own: same workload, same table, no results.json."""
    runs = bench_runs()
    with tempfile.TemporaryDirectory(prefix="wf-bench-") as tmp:
        workload = build(Path(tmp))
        found = rows(workload, runs)
    wide_console().print(table(found, f"medians (min–max) of {runs} alternated runs"))


def main() -> int:
    only = os.environ.get("BENCH_ONLY", "")
    names = tuple(n.strip() for n in only.split(",") if n.strip()) or BENCHES
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        raise SystemExit(f"BENCH_ONLY: no bench called {', '.join(unknown)} ({', '.join(BENCHES)})")
    return run_all(names, bench_runs(), results_path=RESULTS if not only else None)


if __name__ == "__main__":
    sys.exit(main())
