"""The benches' shared workload: a real novel's project, built once per ``make bench``.

War and Peace split into its 365 chapters (``manuscript/chapter-NNN.md``), 5 of them open
with the cursor inside the active one, 20 finished history sessions and 100,000 recorded
cost operations (with their summary already built, as a project that has been opened before
has it). The corpus is looked for where the end-to-end tests look (``tests/e2e/novel.py``):
``shared/corpus/`` beside this checkout, beside the main checkout when this is a git
worktree, beside the repository this one was cloned from, and ``/work/shared/corpus``.
Missing, :class:`CorpusMissing` says where it looked: a bench never measures a stub.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from writers_factory.demo.corpus import default_folders

ROOT = Path(__file__).resolve().parent.parent
NOVEL = "war_and_peace.txt"
CHAPTERS = 365
OPEN = 5
ACTIVE = 3
"""Which chapter (1-based) is the active tab: the one ready-to-type waits for."""
CURSOR_LINE = 40
"""The saved cursor line in the active chapter: restoring it must scroll there."""
AUTO_SAVE = 2.0
"""Seconds between auto-saves (the shortest a writer may choose is 1): typing benches see
several within their eight seconds."""
SESSIONS = 20
OPERATIONS = 100_000
CHAPTER_LINE = re.compile(r"(?m)^(?=CHAPTER [IVXLCDM]+\s*$)")


class CorpusMissing(SystemExit):
    """The corpus is not where the benches look: stop, naming every place looked in."""


def corpus_candidates(name: str = NOVEL) -> list[Path]:
    """``WF_CORPUS`` first, then the package's own lookup, then ``/work/shared/corpus``."""
    folders = default_folders()
    override = os.environ.get("WF_CORPUS")
    if override:
        folders.insert(0, Path(override))
    folders.append(Path("/work/shared/corpus"))
    return [folder / name for folder in dict.fromkeys(folders)]


def corpus_file(name: str = NOVEL) -> Path:
    """The corpus file, or :class:`CorpusMissing` naming where it was looked for."""
    candidates = corpus_candidates(name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    looked = "\n  ".join(str(c) for c in candidates)
    raise CorpusMissing(f"bench: the corpus file {name} is missing; looked in:\n  {looked}")


def split_chapters(text: str) -> list[str]:
    """The novel's chapters; the front matter belongs to the first."""
    front, *parts = CHAPTER_LINE.split(text)
    if not parts:
        return [text]
    parts[0] = front + parts[0]
    return parts


@dataclass(frozen=True)
class Workload:
    """A built project and what a run needs to know about it."""

    project: Path
    chapters: int
    active: str
    """Project-relative path of the active chapter."""
    active_text: str
    cursor: tuple[int, int]
    marker: str
    """A line of the active chapter on screen once the cursor is restored (for tmux)."""

    @property
    def snapshot(self) -> Path:
        return self.project.parent / "snapshot"

    def take_snapshot(self) -> None:
        """Keep what a run changes (the session, history, the open chapters) to put it back."""
        self.snapshot.mkdir()
        for relative in [*KEPT, *(chapter_path(n) for n in range(1, OPEN + 1))]:
            source = self.project / relative
            if source.exists():
                target = self.snapshot / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)

    def reset(self) -> None:
        """Put the project back as built, in place, before each run.

        In place, not a copy: the cost summary is stamped with the chunk files' inodes and
        change times, and a copy would make every start rebuild it from 100,000 operations
        — a cost a writer pays once, not at each start.
        """
        for name in LEFT_BEHIND:
            target = self.project / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        for source in self.snapshot.rglob("*"):
            if source.is_file():
                shutil.copy2(source, self.project / source.relative_to(self.snapshot))


KEPT = (".session/current.json", ".session/history.json", ".session/preferences.json")
"""What a run rewrites in ``.session/`` and :meth:`Workload.reset` puts back."""
LEFT_BEHIND = (
    ".session/journal",
    ".session/versions",
    ".session/lock.json",
    ".session/conversations",
    "manuscript/burst",
)
"""What a run may leave that a fresh start would not find."""


def chapter_path(number: int) -> str:
    return f"manuscript/chapter-{number:03d}.md"


def build(where: Path) -> Workload:
    """Build the project in ``where/novel`` (the corpus is only read)."""
    from writers_factory.project import create_project
    from writers_factory.store import Preferences, Session

    chapters = split_chapters(corpus_file().read_text(encoding="utf-8"))
    if len(chapters) != CHAPTERS:
        raise SystemExit(f"bench: expected {CHAPTERS} chapters in {NOVEL}, found {len(chapters)}")
    project = create_project(where / "novel", "War and Peace")
    manuscript = project / "manuscript"
    for old in manuscript.iterdir():
        old.unlink()
    for number, body in enumerate(chapters, start=1):
        (manuscript / f"chapter-{number:03d}.md").write_text(body, encoding="utf-8")
    build_history(project / ".session")
    build_costs(project / ".session")
    session = Session(project)
    session.set_stage("writing")
    active = chapter_path(ACTIVE)
    for number in range(1, OPEN + 1):
        if number != ACTIVE:
            session.open_file(chapter_path(number), 5, 0)
    session.open_file(active, CURSOR_LINE, 0)  # the last opened is the active file
    session.set_screen("editor")
    session.close_sync()
    preferences = Preferences(project / ".session")
    preferences.set_auto_save_interval(AUTO_SAVE)
    preferences.save_sync()
    text = (project / active).read_text(encoding="utf-8")
    lines = text.splitlines()
    marker = next(line.strip() for line in lines[CURSOR_LINE:] if len(line.strip()) > 30)
    workload = Workload(project, len(chapters), active, text, (CURSOR_LINE, 0), marker[:24])
    workload.take_snapshot()
    return workload


def build_history(root: Path) -> None:
    """``SESSIONS`` finished writing sessions over the last weeks."""
    from writers_factory.store.history.history import SessionHistory

    rng = random.Random(7)
    first = datetime.now(UTC) - timedelta(days=SESSIONS + 2)
    clock = [first]
    history = SessionHistory(root, clock=lambda: clock[0])
    for i in range(SESSIONS):
        clock[0] = first + timedelta(days=i, hours=9)
        history.begin(clock[0].strftime("%Y-%m-%d-%H%M%S"), clock[0])
        for _ in range(6):
            clock[0] += timedelta(minutes=rng.randint(1, 30))
            history.record_words(rng.randint(0, 400), rng.randint(0, 40))
            history.record_file_modified(chapter_path(1 + i % CHAPTERS))
        history.record_operation("scene_generation", Decimal("0.0132"))
        history.end(clock[0])
    history.save_sync()


def build_costs(root: Path) -> None:
    """``OPERATIONS`` recorded operations over two years, and their summary built once."""
    from bench.bench_costs import build_history as build_operations
    from writers_factory.store.costs.tracker import CostTracker

    build_operations(root, OPERATIONS)
    tracker = CostTracker(root)
    if tracker.operations_count != OPERATIONS:
        raise SystemExit(
            f"bench: {tracker.operations_count} operations recorded: {tracker.problems}"
        )
