"""Everything the Analyzing and Scoring screens show, measured in one pass over the book.

Synchronous and disk-bound: the screens run it in a thread worker and pass a ``progress``
callback, so a 365-chapter book shows how far it got. Each chapter is read once; the
pacing report, the local score and the story-bible character mentions all come from that
one read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from writers_factory.ai.analysis.manuscript import SUFFIXES, analyze_manuscript, natural_key
from writers_factory.core.analysis.characters import character_names, mentions
from writers_factory.core.analysis.models import LocalScore, ManuscriptReport
from writers_factory.core.analysis.scoring import score_locally

MANUSCRIPT = "manuscript"
REFERENCE = "reference"


@dataclass(frozen=True)
class BookMeasures:
    """One measuring run: the pacing report, the characters and, if asked, the scores."""

    report: ManuscriptReport
    characters: list[str] = field(default_factory=list)
    """Story-bible characters, in the order the bible lists them."""
    mentions: dict[str, dict[str, int]] = field(default_factory=dict)
    """Chapter path (project-relative) → character → mentions."""
    scores: dict[str, LocalScore] = field(default_factory=dict)
    """Chapter path (project-relative) → local rubric score (scoring runs only)."""
    ai_scores: dict[str, float] = field(default_factory=dict)
    """Chapter path → the latest AI score (0–100) of a finished scoring workflow."""

    def chapter_path(self, manuscript_relative: str) -> str:
        """The project-relative path of a chapter the report names."""
        return f"{MANUSCRIPT}/{manuscript_relative}"

    def chapter_title(self, path: str | None) -> str | None:
        """The title of the chapter at ``path`` (project-relative), if the report has it."""
        for chapter in self.report.chapters:
            if path is not None and self.chapter_path(chapter.path) == path:
                return chapter.title
        return None


def bible_characters(project: Path) -> list[str]:
    """The ``## `` headings of the story-bible files about characters (``reference/*``
    whose name says "character"); unreadable files are passed over."""
    folder = Path(project) / REFERENCE
    if not folder.is_dir():
        return []
    names: list[str] = []
    files = [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in SUFFIXES and "character" in p.name.lower() and p.is_file()
    ]
    for path in sorted(files, key=lambda p: natural_key(p.relative_to(folder))):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        names += [n for n in character_names(text) if n not in names]
    return names


def ai_scores(project: Path, chapters: set[str]) -> dict[str, float]:
    """The latest AI score of each chapter: of the finished workflows that scored it and the
    one-off scores kept (``given_scores``). A record naming a path that is not one of
    ``chapters`` is passed over (paths from disk are only compared, never opened)."""
    from writers_factory.ai.analysis.given_scores import given_scores

    found: dict[str, tuple[str, float]] = {}
    for given in given_scores(project):
        stamp = given.at.isoformat()
        if given.chapter in chapters and (
            given.chapter not in found or found[given.chapter][0] < stamp
        ):
            found[given.chapter] = (stamp, given.score)
    return {name: value for name, (_, value) in found.items()}


def measure_book(
    project: Path,
    *,
    scores: bool = False,
    progress: Callable[[int, int], object] | None = None,
) -> BookMeasures:
    """Blocking: read and measure the whole manuscript (run it in a thread)."""
    project = Path(project)
    texts: list[tuple[str, str]] = []

    def every_step(done: int, total: int) -> None:
        # about fifty reports for any book: each crosses to the interface's thread
        if progress is not None and (done == total or done % max(1, total // 50) == 0):
            progress(done, total)

    report = analyze_manuscript(project / MANUSCRIPT, progress=every_step, texts_out=texts)
    names = bible_characters(project)
    found: dict[str, dict[str, int]] = {}
    scored: dict[str, LocalScore] = {}
    for relative, text in texts:
        path = f"{MANUSCRIPT}/{relative}"
        found[path] = mentions(text, names)
        if scores:
            scored[path] = score_locally(text)
    ai = ai_scores(project, set(found)) if scores else {}
    return BookMeasures(report, names, found, scored, ai)
