"""Analysing a whole manuscript folder: totals plus per-chapter pacing.

Chapters are the ``*.md`` / ``*.txt`` files under the folder in the writer's order
(``manuscript/order.toml``), else in natural order, so "chapter-2" comes before "chapter-10"
as a writer expects. Each file is scanned once; the
totals come from merging the chapter scans, so a 500,000-word novel is tokenised once.

Pacing is judged against the book itself, not an outside norm: a chapter is "fast" when its
dialogue share is high and its sentences short *for this manuscript*, because every writer's
baseline differs.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

from writers_factory.core.analysis.metrics import readability_of, report_of
from writers_factory.core.analysis.models import ChapterReport, ManuscriptReport, Pace
from writers_factory.core.analysis.text import Scan, detect_quote_style, scan
from writers_factory.core.order import NaturalKey
from writers_factory.core.order import natural_key as text_key
from writers_factory.store.manuscript.order import chapter_files as chapter_files
from writers_factory.store.manuscript.order import read_manuscript

SUFFIXES = (".md", ".txt")
PACE_THRESHOLD = 1.0
"""A pace index beyond ±1 (about one standard deviation) marks a chapter fast or slow."""


def natural_key(path: Path) -> NaturalKey:
    """Sort key treating digit runs as numbers: chapter-2 < chapter-10, case-insensitive."""
    return text_key(path.as_posix())


def chapter_title(text: str, fallback: str) -> str:
    """The first markdown heading, or a short first line such as "Chapter 7", or the name."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            return stripped.lstrip("#").strip() or fallback
        if len(stripped) <= 60 and not stripped.endswith((".", ",", ";", ":", '"', "”", "’")):
            return stripped
        return fallback
    return fallback


def _zscores(values: list[float]) -> list[float]:
    if len(values) < 2:
        return [0.0] * len(values)
    mean, sd = statistics.fmean(values), statistics.pstdev(values)
    return [0.0 if sd == 0 else (v - mean) / sd for v in values]


def _pace(index: float) -> Pace:
    if index >= PACE_THRESHOLD:
        return "fast"
    if index <= -PACE_THRESHOLD:
        return "slow"
    return "steady"


def _read(path: Path, problems: list[str]) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(f"{path}: not UTF-8 text (byte {exc.start}); left out of the analysis")
    except OSError as exc:
        problems.append(f"{path}: could not be read ({exc.strerror or exc}); left out")
    return None


def analyze_manuscript(
    folder: Path,
    limit: int = 20,
    *,
    progress: Callable[[int, int], object] | None = None,
    texts_out: list[tuple[str, str]] | None = None,
) -> ManuscriptReport:
    """Analyse every chapter under ``folder``; synchronous disk reads (call via to_thread).

    ``progress(done, total)`` is called after each chapter is read (a long book takes a
    while: the screen shows how far it got); ``texts_out`` receives each chapter's
    (path relative to ``folder``, text), so callers measuring more read the book once."""
    folder = Path(folder)
    book = read_manuscript(folder)
    problems: list[str] = list(book.problems)
    texts: list[tuple[Path, str]] = []
    files = list(book.chapters) if folder.is_dir() else []
    for done, path in enumerate(files, start=1):
        text = _read(path, problems)
        if text is not None:
            texts.append((path, text))
            if texts_out is not None:
                texts_out.append((path.relative_to(folder).as_posix(), text))
        if progress is not None:
            progress(done, len(files))
    if not folder.is_dir():
        problems.append(f"{folder}: manuscript folder does not exist")
    style = detect_quote_style("\n\n".join(t for _, t in texts))

    total = Scan()
    partial: list[tuple[Path, str, Scan]] = []
    for path, text in texts:
        s = scan(text, style)
        partial.append((path, text, s))
        total.merge(s)

    measured = [p for p in partial if p[2].words]
    dialogue_z = _zscores([len(s.words) and s.dialogue_words / len(s.words) for *_, s in measured])
    length_z = _zscores([statistics.fmean(s.sentence_lengths) for *_, s in measured])
    pace_z = _zscores([d - ln for d, ln in zip(dialogue_z, length_z, strict=True)])
    pace_by_path = {p[0]: z for p, z in zip(measured, pace_z, strict=True)}

    chapters: list[ChapterReport] = []
    for index, (path, text, s) in enumerate(partial, start=1):
        n = len(s.words)
        pace_index = round(pace_by_path.get(path, 0.0), 3)
        chapters.append(
            ChapterReport(
                index=index,
                path=path.relative_to(folder).as_posix(),
                title=chapter_title(text, path.stem),
                words=s.counted,
                dialogue_ratio=s.dialogue_words / n if n else 0.0,
                mean_sentence_length=(
                    statistics.fmean(s.sentence_lengths) if s.sentence_lengths else 0.0
                ),
                reading_ease=readability_of(s).flesch_reading_ease,
                pace_index=pace_index,
                pace=_pace(pace_index),
            )
        )
    return ManuscriptReport(
        folder=str(folder),
        chapters=chapters,
        totals=report_of(total, style, limit),
        problems=problems,
    )
