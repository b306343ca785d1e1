"""Snapshots of a long novel: War and Peace split into 365 chapters.

Measures, on a real disk with every object and folder fsynced:

- the first snapshot (every chapter becomes a blob, the trees, the commit, the branch);
- an incremental snapshot after one chapter changed (a paragraph added), median of runs,
  against its baseline: copying the changed file durably (what ``versions/`` did);
- storage growth over 100 incremental snapshots (one chapter changed each time) against
  the bytes of copying each changed file; and the repository against the text itself.

Absolute times depend on the machine and its disk; the ratios are what to compare.
``run()`` returns the results as a dict; ``main`` prints one line per measure.

Run: ``.venv/bin/python bench/bench_snapshots.py``
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from writers_factory.store.base.durable import write_atomic
from writers_factory.store.snapshots.taker import Snapshotter
from writers_factory.store.snapshots.triggers import Trigger

CORPUS = Path(os.environ.get("WF_CORPUS", "/work/shared/corpus")) / "war_and_peace.txt"
CHAPTERS = 365
INCREMENTS = 100
TIMED = 15


def _text() -> str:
    if CORPUS.is_file():
        return CORPUS.read_text(encoding="utf-8", errors="replace")
    rng = random.Random(1869)  # no corpus here: text of the same size, made up
    words = ["the", "prince", "said", "and", "war", "peace", "Natasha", "Moscow", "was"]
    return " ".join(rng.choice(words) for _ in range(562_000))


def build_project(root: Path) -> tuple[Path, list[Path]]:
    """The novel in 365 chapter files of about equal length, cut at line ends."""
    project = root / "novel"
    manuscript = project / "manuscript"
    manuscript.mkdir(parents=True)
    (project / ".session").mkdir()
    lines = _text().splitlines(keepends=True)
    per = len(lines) // CHAPTERS + 1
    chapters = []
    for n in range(CHAPTERS):
        path = manuscript / f"chapter-{n + 1:03d}.md"
        path.write_text("".join(lines[n * per : (n + 1) * per]), encoding="utf-8")
        chapters.append(path)
    return project, chapters


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _edit(path: Path, i: int) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nA new paragraph, the {i}th, written today by the writer at work.\n")


def run() -> dict[str, Any]:
    results: dict[str, Any] = {}
    rng = random.Random(365)
    with tempfile.TemporaryDirectory() as tmp:
        project, chapters = build_project(Path(tmp))
        text_bytes = sum(p.stat().st_size for p in chapters)
        results["chapters"] = CHAPTERS
        results["text_bytes"] = text_bytes
        taker = Snapshotter(project)
        started = time.perf_counter()
        first = taker.take(Trigger.SESSION_START)
        results["first_snapshot_seconds"] = time.perf_counter() - started
        assert first is not None
        repo = project / ".session" / "snapshots.git"
        results["first_repository_bytes"] = _size(repo)
        results["first_total_words"] = first.meta.total_words

        copies = Path(tmp, "copies")
        copies.mkdir()
        snap_times: list[float] = []
        copy_times: list[float] = []
        copied_bytes = 0
        before = _size(repo)
        for i in range(INCREMENTS):
            chapter = rng.choice(chapters)
            _edit(chapter, i)
            started = time.perf_counter()
            data = chapter.read_bytes()
            write_atomic(copies / f"{chapter.name}.{i}", data, private=False)
            copy_times.append(time.perf_counter() - started)
            copied_bytes += len(data)
            started = time.perf_counter()
            info = taker.take(Trigger.AUTOSAVE)
            snap_times.append(time.perf_counter() - started)
            assert info is not None
        growth = _size(repo) - before
        results["incremental_snapshot_seconds"] = {
            "median": statistics.median(snap_times),
            "min": min(snap_times),
            "max": max(snap_times),
        }
        results["copy_changed_file_seconds"] = {
            "median": statistics.median(copy_times),
            "min": min(copy_times),
            "max": max(copy_times),
        }
        results["growth_bytes_100"] = growth
        results["copies_bytes_100"] = copied_bytes
        results["growth_ratio"] = growth / copied_bytes
        results["repository_bytes"] = _size(repo)

        fresh = Snapshotter(project)  # a new process: nothing cached, every file re-read
        _edit(chapters[0], INCREMENTS)
        started = time.perf_counter()
        fresh.take(Trigger.AUTOSAVE)
        results["incremental_cold_seconds"] = time.perf_counter() - started
    return results


def main() -> None:
    r = run()
    print(
        f"first snapshot of {r['chapters']} chapters ({r['text_bytes'] / 1e6:.1f} MB, "
        f"{r['first_total_words']} words): {r['first_snapshot_seconds'] * 1000:.0f} ms, "
        f"repository {r['first_repository_bytes'] / 1e6:.2f} MB"
    )
    s, c = r["incremental_snapshot_seconds"], r["copy_changed_file_seconds"]
    print(
        f"incremental snapshot (one chapter changed): {s['median'] * 1000:.1f} ms "
        f"({s['min'] * 1000:.1f}-{s['max'] * 1000:.1f}) vs copying the changed file "
        f"{c['median'] * 1000:.1f} ms: {s['median'] / c['median']:.1f}x "
        f"(medians of {INCREMENTS}); first after a restart "
        f"{r['incremental_cold_seconds'] * 1000:.0f} ms"
    )
    print(
        f"storage growth over {INCREMENTS} incremental snapshots: "
        f"{r['growth_bytes_100'] / 1e3:.0f} kB vs {r['copies_bytes_100'] / 1e3:.0f} kB of copies "
        f"({r['growth_ratio']:.2f}x); repository {r['repository_bytes'] / 1e6:.2f} MB "
        f"for {r['text_bytes'] / 1e6:.1f} MB of text"
    )


if __name__ == "__main__":
    main()
