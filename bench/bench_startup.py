"""Start-up time and memory, as ratios against baselines measured in the same run.

- CLI: ``writers-factory session show`` against a bare ``python -c pass`` — the inspection
  commands must not pay for Textual, pydantic-ai, tiktoken or watchdog.
- Heavy imports: which heavy libraries importing the CLI module pulls in (should be none).
- Workspace: time until the app is ready on a realistic project (Pride and Prejudice split
  into 61 chapters, 5 of them open) against a bare Textual app showing one TextArea.
- Memory: peak RSS of that workspace start against the bare Textual app.

Nothing about time is asserted; numbers depend on the machine.
Run: ``.venv/bin/python bench/bench_startup.py``
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "pride_and_prejudice.txt"
HEAVY = ("textual", "pydantic_ai", "tiktoken", "genai_prices", "watchdog", "openai", "anthropic")


def median_seconds(cmd: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_project(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from writers_factory.project import create_project
    from writers_factory.store import Session

    project = create_project(folder / "novel", "Pride and Prejudice")
    manuscript = project / "manuscript"
    for old in manuscript.iterdir():
        old.unlink()
    text = CORPUS.read_text(encoding="utf-8") if CORPUS.exists() else "Chapter 1\n\nIt is a truth."
    parts = re.split(r"(?m)^Chapter \d+\s*$", text)[1:] or [text]
    for number, body in enumerate(parts, start=1):
        (manuscript / f"chapter-{number:03d}.md").write_text(f"# Chapter {number}\n{body}")
    session = Session(project)
    session.set_stage("writing")
    for number in range(1, 6):
        session.open_file(f"manuscript/chapter-{number:03d}.md", 10, 0)
    session.close_sync()
    return project


WORKSPACE = """
import asyncio, json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from writers_factory.tui.app import WritersFactoryApp
app = WritersFactoryApp(Path(sys.argv[1]))
async def main():
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.ready.is_set():
            await pilot.pause(0.01)
        ready = time.perf_counter() - start
    print(json.dumps({"ready": ready,
                      "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
asyncio.run(main())
"""

BARE = """
import asyncio, json, resource, time
start = time.perf_counter()
from textual.app import App
from textual.widgets import TextArea
class Bare(App[None]):
    def compose(self):
        yield TextArea("It is a truth universally acknowledged.")
app = Bare()
async def main():
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0)
        ready = time.perf_counter() - start
    print(json.dumps({"ready": ready,
                      "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
asyncio.run(main())
"""


def run_json(code: str, *args: str, runs: int = 3) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code, *args],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        project = make_project(folder)
        bare_python = median_seconds([sys.executable, "-c", "pass"])
        cli = median_seconds(
            [
                sys.executable,
                "-m",
                "writers_factory.cli",
                "session",
                "show",
                "--project",
                str(project),
            ]
        )
        print(f"python -c pass (baseline)            {bare_python * 1000:8.1f} ms   1.0x")
        print(
            f"writers-factory session show         {cli * 1000:8.1f} ms {cli / bare_python:6.1f}x"
        )
        probe = (
            "import sys, writers_factory.cli, writers_factory.cli_session; "
            f"print([m for m in {HEAVY!r} if m in sys.modules])"
        )
        loaded = subprocess.run(
            [sys.executable, "-c", probe], check=True, capture_output=True, text=True
        ).stdout.strip()
        print(f"heavy libraries imported by the CLI: {loaded}")

        bare = run_json(BARE)
        app = run_json(WORKSPACE, str(project))
        print(f"bare Textual app ready (baseline)    {bare['ready'] * 1000:8.1f} ms   1.0x")
        print(
            f"workspace ready, 61 chapters, 5 open {app['ready'] * 1000:8.1f} ms "
            f"{app['ready'] / bare['ready']:6.1f}x"
        )
        print(f"peak RSS, bare Textual app           {bare['rss_kb'] / 1024:8.1f} MB   1.0x")
        print(
            f"peak RSS, workspace                  {app['rss_kb'] / 1024:8.1f} MB "
            f"{app['rss_kb'] / bare['rss_kb']:6.1f}x"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
