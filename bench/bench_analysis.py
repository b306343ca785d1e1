"""How long local analysis of a long novel takes, relative to the cheapest possible pass.

Absolute seconds depend on the machine, so each measurement is reported as a ratio to a
baseline measured in the same run over the same files: reading every chapter and counting
words with ``str.split``. Prints results; asserts nothing about time.

Run: ``.venv/bin/python bench/bench_analysis.py [path/to/novel.txt]``
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from writers_factory.ai.analysis import analyze_manuscript, analyze_text, score_locally

DEFAULT_NOVEL = Path("/work/shared/corpus/war_and_peace.txt")
CHAPTER_LINE = re.compile(r"(?m)^(?=CHAPTER [IVXLCDM]+\s*$|Chapter \d+\s*$)")


def split_into_chapters(novel: Path, folder: Path) -> int:
    """Write the novel's chapters as chapter-NNN.md files; the source is only read."""
    front, *parts = CHAPTER_LINE.split(novel.read_text(encoding="utf-8"))
    if parts:
        parts[0] = front + parts[0]  # a title page or BOOK heading belongs to chapter one
    else:
        parts = [front]
    for number, part in enumerate(parts, start=1):
        (folder / f"chapter-{number:03d}.md").write_text(part, encoding="utf-8")
    return len(parts)


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """Fastest of ``runs`` timings: the least disturbed by other work on the machine."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def rows(workload: Any, runs: int) -> list[Any]:
    """For ``make bench``: analysing the workload's 365 chapters against reading them and
    counting words with ``str.split`` (information: no target yet)."""
    from bench.results import Row, Spread, alternate

    folder = workload.project / "manuscript"
    files = sorted(folder.glob("*.md"))

    def baseline() -> float:
        started = time.perf_counter()
        sum(len(f.read_text(encoding="utf-8").split()) for f in files)
        return time.perf_counter() - started

    def candidate() -> float:
        started = time.perf_counter()
        analyze_manuscript(folder)
        return time.perf_counter() - started

    base, cand = alternate(baseline, candidate, runs)
    return [
        Row(
            bench="analysis",
            measure=f"analyze_manuscript, {len(files)} chapters",
            baseline_is="read + str.split",
            baseline=Spread.of(base),
            candidate=Spread.of(cand),
        )
    ]


def main() -> None:
    novel = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_NOVEL
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chapters = split_into_chapters(novel, folder)
        files = sorted(folder.glob("*.md"))
        text = novel.read_text(encoding="utf-8")

        def baseline() -> int:
            return sum(len(f.read_text(encoding="utf-8").split()) for f in files)

        words = baseline()
        base = best_of(3, baseline)
        manuscript = best_of(1, lambda: analyze_manuscript(folder))
        whole = best_of(1, lambda: analyze_text(text))
        first = files[0].read_text(encoding="utf-8")
        score = best_of(5, lambda: score_locally(first))

    print(f"{novel.name}: {chapters} chapters, {words:,} words (str.split)")
    print(f"baseline  read + str.split        {base:8.3f} s   1.0x")
    print(f"analyze_manuscript (all chapters) {manuscript:8.3f} s {manuscript / base:6.1f}x")
    print(f"analyze_text (one string)         {whole:8.3f} s {whole / base:6.1f}x")
    print(f"score_locally (first chapter)     {score:8.3f} s {score / base:6.1f}x")
    print(f"analysis throughput: {words / manuscript:,.0f} words/s")


if __name__ == "__main__":
    main()
