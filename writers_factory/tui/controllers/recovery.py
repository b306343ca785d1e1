"""Start-up checks: unsaved text in the journal from a session that ended?

Someone else's lock on the project is asked about before this (``ownership.py``); a
session left read-only by that answer (or by its files) asks nothing here.

A session that ended without closing is only worth a question when it left something to
decide — text in the journal that differs from its file, or journal files that cannot be
read; otherwise the writer is told, and nothing is asked.

The question is a screen (``screens/recovery.py``); what the answers do is here:

* Recover — each file the writer kept the unsaved text of is opened with that text as
  unsaved edits; nothing is written to any file. Its document's disk state is the file as
  read now (so the first save is no false "changed outside" question), it keeps the entry's
  document id and continues its revision numbering, and it is marked ``recovered`` so the
  file is kept in ``.session/versions/`` before the first save over it. Files the writer
  kept as they are have their entries set aside in ``.session/recovered/``.
* Start fresh — the whole journal is set aside in ``.session/recovered/``.
* Quit — nothing is touched.

Reading the journal, the files and diffing run in threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from writers_factory.store.audit.log import record_audit
from writers_factory.store.manuscript.buffers import FileBuffer, UnreadableFileError, sha256_of
from writers_factory.store.manuscript.documents import NONE, Document
from writers_factory.store.manuscript.journal import Journal, JournalEntry
from writers_factory.store.manuscript.recovery import Newer, Side, assess_all

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI
    from writers_factory.tui.screens.recovery import RecoveryAnswer
    from writers_factory.tui.workspace import Workspace


class StartDecision(enum.StrEnum):
    """What the start-up checks decided; the app restores the workspace unless QUIT."""

    NORMAL = "normal"
    RECOVER = "recover"  # restore the workspace, then the journal's text as unsaved edits
    FRESH = "fresh"  # restore the workspace from the files; the journal was set aside
    READ_ONLY = "read-only"  # another live instance owns the project: write nothing
    QUIT = "quit"  # leave everything exactly as it is


class EditorOpener(Protocol):
    """What recovery needs of the tabbed editor (``Editor.open_document``)."""

    async def open_document(
        self, doc: Document, text: str, cursor: tuple[int, int] = (0, 0), *, activate: bool = True
    ) -> Any: ...


def read_disk(path: Path, project: Path) -> tuple[FileBuffer, str | None]:
    """In a thread: the file as it is now (``None`` text when missing or not UTF-8)."""
    try:
        disk, text = FileBuffer.load(path, project=project)
    except UnreadableFileError:
        data = path.read_bytes()
        return FileBuffer(path, sha256_of(data), path.stat().st_mtime, project=project), None
    return disk, (text if disk.base_sha256 is not None else None)


class StartupChecks:
    """Before the workspace is restored: ask what must be asked; after it, apply the answer."""

    def __init__(
        self, workspace: Workspace, ui: UI, journal: Journal, clock: Callable[[], datetime]
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.journal = journal
        self.clock = clock
        self.to_recover: list[JournalEntry] = []

    async def run(self) -> StartDecision:
        session = self.workspace.session
        if session.read_only:  # someone else's lock was answered first (``ownership.py``)
            return StartDecision.READ_ONLY
        items, problems = await asyncio.to_thread(assess_all, self.journal)
        for same in [a for a in items if a.newer is Newer.SAME]:
            # provably useless: the file already holds exactly this text
            entry = same.entry
            with contextlib.suppress(OSError):
                await asyncio.to_thread(
                    self.journal.discard_through, Path(entry.path), entry.document, entry.revision
                )
        items = [a for a in items if a.newer is not Newer.SAME]
        if not items and not problems:
            if session.was_interrupted():
                # nothing unsaved was left: no question to answer, only a word
                self.ui.notify(
                    "The previous session ended without closing; nothing unsaved was lost.",
                    title="Previous session",
                )
            return StartDecision.NORMAL
        # the question's screen: imported when there is something to ask (rarely), not
        # with the app
        from writers_factory.tui.screens.recovery import RecoveryChoice, RecoveryScreen

        previous = session.previous
        self.workspace.metrics.count("recoveries_offered")
        answer: RecoveryAnswer = await self.ui.ask(
            RecoveryScreen(
                last_saved=previous.last_activity.astimezone() if previous else None,
                ran_for=timedelta(minutes=session.duration_minutes) if previous else None,
                items=items,
                problems=problems,
            )
        )
        await self._record(answer, items)
        if answer.choice is RecoveryChoice.RECOVER:
            kept = [a.entry for a in items if answer.sides.get(a.entry.path) is Side.UNSAVED]
            for item in items:
                if answer.sides.get(item.entry.path) is Side.DISK:
                    # not chosen, but still the writer's: kept aside, never deleted
                    await asyncio.to_thread(
                        self.journal.set_aside_entry, Path(item.entry.path), self.clock()
                    )
            self.to_recover = kept
            return StartDecision.RECOVER
        if answer.choice is RecoveryChoice.START_FRESH:
            await asyncio.to_thread(self.journal.set_aside, self.clock())
            return StartDecision.FRESH
        return StartDecision.QUIT

    async def _record(self, answer: RecoveryAnswer, items: list[Any]) -> None:
        """The choice, counted and in the audit trail (from: what was offered; to: the
        choice and the files whose unsaved text was kept)."""
        from writers_factory.tui.screens.recovery import RecoveryChoice

        kept = sorted(p for p, side in answer.sides.items() if side is Side.UNSAVED)
        if answer.choice is RecoveryChoice.RECOVER:
            self.workspace.metrics.count("recoveries_accepted")
        offered = ", ".join(sorted(a.entry.path for a in items)) or "unreadable journal files"
        choice = str(answer.choice.value) + (f": {', '.join(kept)}" if kept else "")
        await asyncio.to_thread(
            record_audit,
            self.workspace.project,
            "recovery",
            from_=f"unsaved text of {offered}",
            to=choice,
            trigger="start after an interrupted session",
        )

    async def apply(self, editor: EditorOpener) -> list[Document]:
        """After the normal restore: show each kept text as unsaved edits of its file."""
        project = self.workspace.project
        session = self.workspace.session
        restored: list[Document] = []
        for entry in self.to_recover:
            rel = Path(entry.path)
            disk, disk_text = await asyncio.to_thread(read_disk, project / rel, project)
            doc = Document(
                rel,
                disk,
                disk_text,
                id=entry.document or None,
                revision=entry.revision,
                saved=NONE,
                journaled=NONE,  # journaled anew, on top of the file as read now
                recovered=disk.base_sha256 is not None,
            )
            cursor = (entry.cursor_line, entry.cursor_col)
            await editor.open_document(doc, entry.text, cursor, activate=False)
            session.open_file(rel, *cursor)
            restored.append(doc)
        self.to_recover = []
        return restored
