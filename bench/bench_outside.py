"""Work the writer does not see must not stall typing: outside changes, the token encoding.

In the running app (``bench/probe.py``, mode ``app-outside``), a task sleeping 1 ms records
the longest event-loop gap:
- while idle for a second (the baseline of both rows);
- while another process writes 1,000 files into ``manuscript/burst/`` and the app records
  them, until it has been quiet for 1.5 s;
- while the first token count is made as the app makes it (its helper process starts and
  builds the encoding).

Run: ``.venv/bin/python -m bench.bench_outside`` (or ``make bench``).
"""

from __future__ import annotations

from typing import Any

from bench.probe import BURST, run_probe
from bench.results import Row, Spread
from bench.workload import ROOT, Workload

TARGET = 0.050


def rows(workload: Workload, runs: int) -> list[Row]:
    results: list[dict[str, Any]] = []
    for _ in range(runs):
        workload.reset()
        line = str(workload.cursor[0])
        args = (str(workload.project), workload.active, line)
        results.append(run_probe("app-outside", *args, cwd=ROOT)[1])
    workload.reset()
    idle = Spread.of([r["idle_gap"] for r in results])
    burst = Spread.of([r["burst_gap"] for r in results])
    encoding = Spread.of([r["encoding_gap"] for r in results])
    recorded = min(r["burst_recorded"] for r in results)
    loaded = Spread.of([r["encoding_seconds"] for r in results]).median
    return [
        Row(
            bench="outside",
            measure=f"longest event-loop gap during a {BURST:,}-file burst outside the app",
            baseline_is="the app idle",
            baseline=idle,
            candidate=burst,
            target="< 50 ms",
            passed=burst.median < TARGET,
            note=f"at least {recorded:,} changes recorded per run",
        ),
        Row(
            bench="outside",
            measure="longest event-loop gap during the first token count (the encoding loads)",
            baseline_is="the app idle",
            baseline=idle,
            candidate=encoding,
            target="< 50 ms",
            passed=encoding.median < TARGET,
            note=f"loading took {loaded * 1000:.0f} ms (median)",
        ),
    ]


if __name__ == "__main__":
    from bench.run import standalone

    standalone(rows)
