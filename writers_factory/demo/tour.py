"""The demo's steps, each reported as a :class:`Step` as soon as it is done.

Everything goes through the store's public API, exactly as the workspace uses it: the
project is made from the template, chapters are written by the durable path, the session,
history and costs are the real files, the crash is a real process killed by SIGKILL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from writers_factory.core.wordcount import count_words
from writers_factory.demo.corpus import chapters, find_novel
from writers_factory.demo.crash import UNSAVED, kill_mid_session

CHAPTERS = 12
MODEL = "anthropic:claude-sonnet-4-5"
LOCAL_MODEL = "ollama:llama3.2"
OPERATIONS = (
    ("scene_generation", MODEL, 12_450, 3_200),
    ("continuity_check", MODEL, 48_000, 900),
    ("voice_test", LOCAL_MODEL, 6_000, 700),
)
"""Operations logged with real prices (the local model costs nothing): no model is called."""
ADDED = "\nThe demo added this line through the durable path, as a save would.\n"


class DemoError(Exception):
    """The demo cannot run here; the message says why."""


@dataclass
class Step:
    """One thing the demo did, and what it found."""

    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, value: object) -> None:
        self.facts.append((name, str(value)))


def _chapter_name(number: int) -> str:
    return f"manuscript/chapter-{number:03d}.md"


def build(project: Path, folders: list[Path]) -> Step:
    """A project from the template with the novel's first chapters, written durably."""
    from writers_factory.project import create_project
    from writers_factory.store.base.durable import write_text_atomic

    novel = find_novel(folders)
    parts = chapters(novel.text, CHAPTERS)
    create_project(project, novel.title)
    template_chapter = project / "manuscript" / "chapter-01.md"
    template_chapter.unlink(missing_ok=True)  # the template's empty first chapter
    for number, text in enumerate(parts, start=1):
        write_text_atomic(project / _chapter_name(number), text)
    step = Step("Built a project from the corpus")
    step.add("project", project)
    step.add("novel", novel.title)
    step.add("source", novel.source or "built-in excerpt (the corpus was not found)")
    step.add("chapters", len(parts))
    step.add("words", f"{sum(count_words(text) for text in parts):,}")
    return step


async def write_session(project: Path) -> Step:
    """A session as the workspace leaves one: stage, open file, model, a query, a changed
    chapter in the history, and a clean close (so the next start is not "interrupted")."""
    from writers_factory.store import Session, SessionHistory
    from writers_factory.store.base.durable import write_text_atomic

    session = Session(project)
    saves: list[str] = []
    session.on_save(lambda meta: saves.append(meta.path.name))
    history = SessionHistory(session.paths.root)
    history.begin(session.session_id, session.data.started_at)
    session.set_stage("writing")
    session.set_screen("editor")
    chapter = _chapter_name(2)
    session.open_file(chapter, 3, 0)
    session.set_model_preference("writing", MODEL)
    session.add_recent_query("Who has taken Netherfield Park?", "bible")
    text = (project / chapter).read_text(encoding="utf-8") + ADDED
    await asyncio.to_thread(write_text_atomic, project / chapter, text)
    session.record_file_change("modified", chapter)
    history.record_file_modified(chapter)
    history.record_words(count_words(ADDED), 0)
    await session.save()
    await history.save()
    await session.close()
    history.end(session.data.last_activity)
    await history.save()
    step = Step("Wrote through a session, and closed it cleanly")
    step.add("stage", session.current_stage)
    step.add("open file", chapter)
    step.add("files saved", ", ".join(dict.fromkeys(saves)))
    step.add("history entries", len(SessionHistory(session.paths.root).sessions))
    return step


async def log_costs(project: Path) -> Step:
    """The operations of :data:`OPERATIONS`, priced as real calls would be."""
    from writers_factory.ai.runner import dollars
    from writers_factory.store import CostTracker

    tracker = CostTracker(project / ".session")
    step = Step("Logged AI operations at real prices (no model was called)")
    for operation, model, tokens_in, tokens_out in OPERATIONS:
        record = await tracker.log_operation(operation, model, tokens_in, tokens_out)
        step.add(
            operation, f"{model}, {tokens_in:,} in / {tokens_out:,} out: {dollars(record.cost)}"
        )
    step.add("session total", dollars(tracker.session_total))
    step.add("today", dollars(tracker.daily_total))
    return step


def recover(project: Path) -> Step:
    """What start-up does after a crash, choosing the proposed side for every entry: the
    file's text is kept as a version before the unsaved text replaces it."""
    from writers_factory.store import Session
    from writers_factory.store.base.durable import write_text_atomic
    from writers_factory.store.manuscript.journal import Journal
    from writers_factory.store.manuscript.recovery import Side, assess_all
    from writers_factory.store.manuscript.versions import list_versions, save_version
    from writers_factory.store.verify import verify

    session = Session(project)
    step = Step("Opened the project again and recovered")
    step.add("interrupted", "yes" if session.was_interrupted() else "no")
    step.add("stage restored", session.current_stage)
    step.add("file restored", session.data.active_file)
    journal = Journal(project)
    assessments, problems = assess_all(journal)
    for problem in problems:
        step.add("journal problem", problem.describe())
    for assessment in assessments:
        entry = assessment.entry
        step.add("unsaved text found", f"{entry.path} ({assessment.diff.describe()})")
        if assessment.default is not Side.UNSAVED:
            continue
        target = project / entry.path
        save_version(project, entry.path, target.read_text(encoding="utf-8"))
        write_text_atomic(target, entry.text)
        journal.discard_through(target, entry.document, entry.revision)
        kept = list_versions(project, entry.path)
        step.add("recovered into", entry.path)
        step.add("earlier text kept", kept[0].stored_at.relative_to(project) if kept else "-")
    session.close_sync()
    findings = [f for f in verify(project) if f.level != "note"]
    step.add("session verify", "no problems" if not findings else f"{len(findings)} problem(s)")
    return step


def run(project: Path, folders: list[Path]) -> Iterator[Step]:
    """Every step in order; refuses a ``project`` folder that already holds anything."""
    if project.exists() and (not project.is_dir() or any(project.iterdir())):
        raise DemoError(f"{project} already exists and is not empty; name a new folder")
    yield build(project, folders)
    yield asyncio.run(write_session(project))
    yield asyncio.run(log_costs(project))
    chapter = _chapter_name(3)
    crash = kill_mid_session(project, chapter)
    killed = Step("Killed a writer mid-session (SIGKILL)")
    killed.add("process", crash.pid)
    killed.add("exit status", crash.returncode)
    killed.add("unsaved text in the journal", f"{count_words(UNSAVED)} words in {chapter}")
    yield killed
    yield recover(project)
