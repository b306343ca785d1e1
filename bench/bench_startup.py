"""Start-up: time until ready to type, and peak memory, against a bare Textual app.

The workload (``bench/workload.py``): War and Peace in 365 chapters, 5 open, the cursor
saved on line 40 of the active one, 20 history sessions, 100,000 cost operations. The
baseline (``bench/probe.py``): a bare Textual app with a DirectoryTree on the project and a
markdown TextArea showing the same chapter with the cursor on the same line.

- ready to type, headless: from spawning the process to the chapter shown with the cursor
  restored, the editor focused and start-up over (``run_test``); peak RSS at that moment;
- ready to type in a real terminal (tmux): from launching the command to a line of the
  chapter near the saved cursor appearing on the terminal's screen;
- ``writers-factory session show`` against ``python -c pass``, and which heavy libraries
  importing the command-line modules or the app module pulls in (none should be).

Baseline and candidate alternate, ``BENCH_RUNS`` (default 5) runs each — at least
``READY_RUNS`` for the two ready-to-type rows — medians with min–max; each run starts from the
project as built (``Workload.reset``). Nothing about time is asserted anywhere; the targets
are the issue's.

Run: ``.venv/bin/python -m bench.bench_startup`` (or ``make bench`` for every bench).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid

from bench.probe import _env, run_probe
from bench.results import Row, Spread, alternate
from bench.workload import ROOT, Workload

HEAVY_CLI = ("textual", "pydantic_ai", "tiktoken", "genai_prices", "watchdog", "openai")
HEAVY_APP = ("pydantic_ai", "tiktoken", "genai_prices", "openai", "anthropic", "google.genai")
"""What the app module must not import before the writer asks for AI (loaded lazily)."""
TMUX_SIZE = ("-x", "120", "-y", "40")
READY_RUNS = 11
"""Runs a side, at least, of the ready-to-type rows. A start is about a second, CPU-bound,
on machines whose speed drifts: the same bare app took 307 ms in one pass of five and 387 ms
in another within the hour, and a ratio of two medians of five moved by ±0.1 between passes.
More runs cost seconds and narrow that; they favour neither side (both alternate)."""


def headless(workload: Workload, runs: int) -> list[Row]:
    project, active, line = str(workload.project), workload.active, str(workload.cursor[0])
    chapter = str(workload.project / workload.active)

    def bare() -> tuple[float, float]:
        workload.reset()
        started, out = run_probe("bare-ready", chapter, line, cwd=ROOT)
        return out["ready"] - started, float(out["peak_rss"])

    over: list[float] = []

    def app() -> tuple[float, float]:
        workload.reset()
        started, out = run_probe("app-ready", project, active, line, cwd=ROOT)
        over.append(out.get("startup_over", out["ready"]) - started)
        return out["ready"] - started, float(out["peak_rss_ready"])

    app()  # once unmeasured: bytecode compiled and cached, as an installed copy has it
    over.clear()
    base, cand = alternate(bare, app, max(runs, READY_RUNS))
    label = "bare app: DirectoryTree + markdown TextArea, same chapter"
    return [
        Row(
            bench="startup",
            measure="ready to type, headless (chapter and cursor restored)",
            baseline_is=label,
            baseline=Spread.of([b[0] for b in base]),
            candidate=Spread.of([c[0] for c in cand]),
            target="≤ 1.6× bare",
            passed=_ratio(cand, base, 0) <= 1.6,
        ),
        Row(
            bench="startup",
            measure="start-up over (costs, history, watcher loaded too)",
            baseline_is="bare app, ready to type",
            baseline=Spread.of([b[0] for b in base]),
            candidate=Spread.of(over),
            note="the writer types meanwhile; information",
        ),
        Row(
            bench="startup",
            measure="peak memory at start (RSS when start-up is over)",
            unit="bytes",
            baseline_is="bare Textual app",
            baseline=Spread.of([b[1] for b in base]),
            candidate=Spread.of([c[1] for c in cand]),
            target="≤ 1.5× bare",
            passed=_ratio(cand, base, 1) <= 1.5,
        ),
    ]


def _ratio(cand: list[tuple[float, float]], base: list[tuple[float, float]], i: int) -> float:
    c = Spread.of([x[i] for x in cand]).median
    b = Spread.of([x[i] for x in base]).median
    return c / b


def in_terminal(workload: Workload, runs: int) -> list[Row]:
    measure = "ready to type in a real terminal (tmux)"
    if shutil.which("tmux") is None:
        return [Row(bench="startup", measure=measure, target="≤ 1.6× bare", passed=False,
                    note="not measured: tmux is not installed")]  # fmt: skip
    from tests.e2e.terminal import Terminal

    python = sys.executable
    line = str(workload.cursor[0])
    chapter = str(workload.project / workload.active)
    bare_cmd = [python, "-m", "bench.probe", "bare-tty", chapter, line]
    app_cmd = [python, "-m", "writers_factory.cli", str(workload.project)]

    def once(command: list[str]) -> float:
        workload.reset()
        terminal = Terminal()
        name = f"b{uuid.uuid4().hex[:6]}"
        env = ["env", "-u", "COLUMNS", "-u", "LINES", "-u", "PYTHONDONTWRITEBYTECODE"]
        shell = subprocess.list2cmdline([*env, *command])
        try:
            started = time.perf_counter()
            terminal.tmux("new-session", "-d", "-s", name, "-c", str(ROOT), *TMUX_SIZE, shell)
            terminal.pids.append(terminal.pane_pid(name))
            deadline = started + 120
            while workload.marker not in terminal.screen(name):
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{measure}: never showed {workload.marker!r}")
                time.sleep(0.01)
            return time.perf_counter() - started
        finally:
            terminal.close()

    once(app_cmd)  # bytecode cached, as installed
    base, cand = alternate(lambda: once(bare_cmd), lambda: once(app_cmd), max(runs, READY_RUNS))
    b, c = Spread.of(base), Spread.of(cand)
    return [
        Row(
            bench="startup",
            measure=measure,
            baseline_is="bare Textual app, same terminal",
            baseline=b,
            candidate=c,
            target="≤ 1.6× bare",
            passed=c.median / b.median <= 1.6,
            note="polled every 10 ms from outside; includes tmux's own start",
        )
    ]


def command_line(workload: Workload, runs: int) -> list[Row]:
    env = _env()

    def timed(*command: str) -> float:
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
        return time.perf_counter() - started

    show = (
        sys.executable,
        "-m",
        "writers_factory.cli",
        "session",
        "show",
        "--project",
        str(workload.project),
    )
    timed(*show)
    base, cand = alternate(lambda: timed(sys.executable, "-c", "pass"), lambda: timed(*show), runs)
    rows = [
        Row(
            bench="startup",
            measure="writers-factory session show",
            baseline_is="python -c pass",
            baseline=Spread.of(base),
            candidate=Spread.of(cand),
        )
    ]
    for module, heavy in (
        ("writers_factory.cli, writers_factory.cli_session", HEAVY_CLI),
        ("writers_factory.tui.app", HEAVY_APP),
    ):
        probe = f"import sys, {module}; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
        loaded = subprocess.run(
            [sys.executable, "-c", probe],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        ).stdout.split()
        rows.append(
            Row(
                bench="startup",
                measure=f"heavy libraries imported by {module}",
                unit="count",
                candidate=Spread.of([len(loaded)]),
                target="0",
                passed=not loaded,
                note=", ".join(loaded),
            )
        )
    return rows


def rows(workload: Workload, runs: int) -> list[Row]:
    return [
        *headless(workload, runs),
        *in_terminal(workload, runs),
        *command_line(workload, runs),
    ]


if __name__ == "__main__":
    from bench.run import standalone

    standalone(rows)
