"""Typing without stalls: the longest event-loop gap and full layouts while a writer types.

After start-up (``bench/probe.py``), one second idle, then 10 characters a second for 8
seconds into the active chapter, keys delivered as the terminal driver delivers them
(without waiting for the app between keys); auto-saves every 2 seconds
(``bench/workload.py``). A task sleeping 1 ms records the longest interval between its
wake-ups (the event-loop gap a key would wait); full layouts are counted as calls of the
compositor's ``reflow``. Baseline: the bare Textual app typed into the same way.

Run: ``.venv/bin/python -m bench.bench_typing`` (or ``make bench``).
"""

from __future__ import annotations

from typing import Any

from bench.probe import run_probe
from bench.results import Row, Spread, alternate
from bench.workload import ROOT, Workload

GAP_TARGET = 0.016
LAYOUT_SLACK = 2


def rows(workload: Workload, runs: int) -> list[Row]:
    line = str(workload.cursor[0])

    def bare() -> dict[str, Any]:
        workload.reset()
        chapter = str(workload.project / workload.active)
        return run_probe("bare-typing", chapter, line, cwd=ROOT)[1]

    def app() -> dict[str, Any]:
        workload.reset()
        return run_probe("app-typing", str(workload.project), workload.active, line, cwd=ROOT)[1]

    base, cand = alternate(bare, app, runs)
    gap_b = Spread.of([b["gap"] for b in base])
    gap_c = Spread.of([c["gap"] for c in cand])
    idle = Spread.of([c["idle_gap"] for c in cand])
    lay_b = Spread.of([b["layouts"] for b in base])
    lay_c = Spread.of([c["layouts"] for c in cand])
    return [
        Row(
            bench="typing",
            measure="longest event-loop gap typing 10 chars/s for 8 s, auto-saves every 2 s",
            baseline_is="bare TextArea, same typing",
            baseline=gap_b,
            candidate=gap_c,
            target="< 16 ms and below bare",
            passed=gap_c.median < GAP_TARGET and gap_c.median < gap_b.median,
            note=f"app idle: {idle.median * 1000:.1f} ms (median)",
        ),
        Row(
            bench="typing",
            measure="full-screen layouts during 8 s of typing",
            unit="count",
            baseline_is="bare TextArea",
            baseline=lay_b,
            candidate=lay_c,
            target="≤ bare + 2",
            passed=lay_c.median <= lay_b.median + LAYOUT_SLACK,
        ),
    ]


if __name__ == "__main__":
    from bench.run import standalone

    standalone(rows)
