"""Snapshots of a long novel: War and Peace split into 365 chapters.

Measures, on a real disk with every object and folder fsynced:

- the first snapshot (every chapter becomes a blob, the trees, the commit, the branch),
  in a fresh repository each run, alternated with its baseline: copying every chapter
  durably (for a first snapshot every file is a changed file);
- an incremental snapshot after one chapter changed (a paragraph added), median of runs,
  against its baseline: copying the changed file durably (what ``versions/`` did);
- storage growth over 100 incremental snapshots (one chapter changed each time) against
  the bytes of copying each changed file; and the repository against the text itself.

Absolute times depend on the machine and its disk; the ratios are what to compare.
``run()`` returns the results as a dict; ``rows`` turns them into ``make bench`` rows
(information: the issue that asked for snapshots gave measured reference numbers, first
0.22 s and incremental 0.08 s, not targets); ``main`` prints one line per measure.

Run: ``.venv/bin/python bench/bench_snapshots.py``
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from writers_factory.store.base.durable import write_atomic
from writers_factory.store.snapshots.taker import Snapshotter
from writers_factory.store.snapshots.triggers import Trigger

NOVEL = "war_and_peace.txt"
CHAPTERS = 365
INCREMENTS = 100
RUNS = 5
"""Alternated runs of the first snapshot and of copying every chapter (at least 5)."""
REFERENCE = {"first": "0.22 s", "incremental": "0.08 s"}
"""Measured when snapshots were asked for (366 chapters, this kind of machine)."""


def _text() -> str:
    """The novel, or a loud failure: a bench of made-up text measures nothing (the places
    every bench looks in, ``WF_CORPUS`` first: ``bench/workload.py``)."""
    from bench.workload import corpus_file

    return corpus_file(NOVEL).read_text(encoding="utf-8", errors="replace")


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


def _spread(times: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def run(runs: int = RUNS) -> dict[str, Any]:
    """Every measure of this bench, as plain data (times in seconds, sizes in bytes)."""
    results: dict[str, Any] = {}
    rng = random.Random(365)
    with tempfile.TemporaryDirectory() as tmp:
        project, chapters = build_project(Path(tmp))
        text_bytes = sum(p.stat().st_size for p in chapters)
        results["chapters"] = CHAPTERS
        results["text_bytes"] = text_bytes
        repo = project / ".session" / "snapshots.git"
        copied_all = Path(tmp, "copied-all")

        def copy_all() -> float:
            shutil.rmtree(copied_all, ignore_errors=True)
            copied_all.mkdir()
            started = time.perf_counter()
            for chapter in chapters:
                write_atomic(copied_all / chapter.name, chapter.read_bytes(), private=False)
            return time.perf_counter() - started

        def first_snapshot() -> float:
            shutil.rmtree(repo, ignore_errors=True)
            started = time.perf_counter()
            first = Snapshotter(project).take(Trigger.SESSION_START)
            elapsed = time.perf_counter() - started
            assert first is not None
            results["first_total_words"] = first.meta.total_words
            return elapsed

        copies_all: list[float] = []
        firsts: list[float] = []
        for i in range(runs):
            if i % 2 == 0:
                copies_all.append(copy_all())
                firsts.append(first_snapshot())
            else:
                firsts.append(first_snapshot())
                copies_all.append(copy_all())
        results["first_snapshot_seconds"] = _spread(firsts)
        results["copy_all_seconds"] = _spread(copies_all)
        results["first_runs"] = runs
        taker = Snapshotter(project)  # the last first snapshot's repository, kept
        results["first_repository_bytes"] = _size(repo)

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
        results["incremental_snapshot_seconds"] = _spread(snap_times)
        results["copy_changed_file_seconds"] = _spread(copy_times)
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


def rows(workload: object, runs: int) -> list[Any]:
    """This bench's rows for ``make bench`` (its own 365-chapter project, cut by line count
    rather than at chapter headings, so that every chapter is of about the same size)."""
    from bench.results import Row, Spread

    r = run(runs)

    def spread(side: dict[str, float], count: int) -> Spread:
        return Spread(median=side["median"], min=side["min"], max=side["max"], runs=count)

    def one(value: float) -> Spread:
        return Spread(median=value, min=value, max=value, runs=1)

    megabytes = r["text_bytes"] / 2**20
    return [
        Row(
            bench="snapshots",
            measure=f"first snapshot, {r['chapters']} chapters ({megabytes:.1f} MB)",
            baseline_is="copying every chapter durably",
            baseline=spread(r["copy_all_seconds"], r["first_runs"]),
            candidate=spread(r["first_snapshot_seconds"], r["first_runs"]),
            note=f"reference, not a target: {REFERENCE['first']}; repository "
            f"{r['first_repository_bytes'] / 2**20:.1f} MB",
        ),
        Row(
            bench="snapshots",
            measure="incremental snapshot, one chapter changed",
            baseline_is="copying the changed file durably",
            baseline=spread(r["copy_changed_file_seconds"], INCREMENTS),
            candidate=spread(r["incremental_snapshot_seconds"], INCREMENTS),
            note=f"reference, not a target: {REFERENCE['incremental']}; first after a "
            f"restart {r['incremental_cold_seconds'] * 1000:.0f} ms",
        ),
        Row(
            bench="snapshots",
            measure=f"storage growth over {INCREMENTS} incremental snapshots",
            unit="bytes",
            baseline_is="copies of the changed files",
            baseline=one(r["copies_bytes_100"]),
            candidate=one(r["growth_bytes_100"]),
            note=f"repository {r['repository_bytes'] / 2**20:.1f} MB for "
            f"{megabytes:.1f} MB of text",
        ),
    ]


def main() -> None:
    r = run()
    f, a = r["first_snapshot_seconds"], r["copy_all_seconds"]
    print(
        f"first snapshot of {r['chapters']} chapters ({r['text_bytes'] / 1e6:.1f} MB, "
        f"{r['first_total_words']} words): {f['median'] * 1000:.0f} ms "
        f"({f['min'] * 1000:.0f}-{f['max'] * 1000:.0f}) vs copying every chapter "
        f"{a['median'] * 1000:.0f} ms; repository {r['first_repository_bytes'] / 1e6:.2f} MB"
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
