"""Carrying out the answer to "the file changed outside Writers Factory" (``ConflictScreen``).

The writer's text is journaled before the question (it may wait a long time); then:

* keep mine — written over the file; the journal forgets that revision;
* take theirs — the file's text is shown, cursor kept; mine is set aside in
  ``.session/recovered/`` (not chosen, but still the writer's, so never deleted);
* keep both — mine goes to a "my copy" file in ``planning/copies/`` (never counted as a
  chapter), theirs is shown, and the writer is told where mine is;
* decide later — nothing is written; mine stays in the journal and ctrl+s asks again.

File I/O runs in threads; the editor is touched on the loop only.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.store.manuscript.buffers import FileBuffer, Remember, SaveConflict
from writers_factory.store.manuscript.documents import Document, Snapshot
from writers_factory.store.manuscript.journal import Journal

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI, Views
    from writers_factory.tui.screens.conflict import ConflictChoice

__all__ = [
    "Resolution",
    "asking_about",
    "resolve_conflict",
    "show_disk_version",
]


@dataclass
class Resolution:
    choice: ConflictChoice | None
    written: list[Path] = field(default_factory=list)


async def resolve_conflict(
    ui: UI,
    views: Views,
    doc: Document,
    snap: Snapshot,
    conflict: SaveConflict,
    *,
    journal: Journal,
    remember: Remember | None,
    now: datetime,
) -> Resolution:
    """Ask, then carry out the writer's choice for ``snap`` (a revision of ``doc``).

    The caller holds the document's lock, so no journal write or save of it runs meanwhile.
    Raises ``OSError`` when a chosen write fails.
    """
    path, disk = doc.path, doc.disk
    with contextlib.suppress(OSError):
        entry = await asyncio.to_thread(
            journal.write,
            path,
            snap.text,
            disk.base_sha256,
            document=doc.id,
            revision=snap.revision,
            cursor=snap.cursor,
            now=now,
        )
        if entry is not None:
            doc.journaled_as(snap.revision)
    # the question is imported when first asked, not with the app
    from writers_factory.tui.screens.conflict import ConflictChoice, ConflictScreen

    disk_text = conflict.disk_text
    screen = ConflictScreen(
        path.as_posix(),
        conflict.state,
        len(snap.text),
        None if disk_text is None else len(disk_text),
    )
    choice: ConflictChoice | None = await ui.ask(screen)
    outcome = Resolution(choice)
    if choice is ConflictChoice.KEEP_MINE:
        written = await asyncio.to_thread(disk.keep_mine, snap.text, remember=remember)
        outcome.written.append(written.path)
        doc.saved_as(snap.revision, snap.text)
        await _forget(journal, doc, snap.revision)
    elif choice is ConflictChoice.TAKE_THEIRS:
        theirs = await asyncio.to_thread(disk.take_theirs)
        await asyncio.to_thread(journal.set_aside_entry, path, now)
        doc.journal_cleared(doc.revision)
        await show_disk_version(views, doc, theirs)
    elif choice is ConflictChoice.KEEP_BOTH:
        copy, theirs = await asyncio.to_thread(
            disk.keep_both, snap.text, now.astimezone(), remember=remember
        )
        outcome.written.append(copy.path)
        await _forget(journal, doc, snap.revision)  # mine is safe in the copy
        await show_disk_version(views, doc, theirs)
        editor = views.editor
        if editor is not None:
            copy_disk, copy_text = await asyncio.to_thread(
                FileBuffer.load, copy.path, project=journal.project
            )
            rel = copy.path.relative_to(journal.project.absolute())
            await editor.open(rel, copy_text, copy_disk, activate=False)
        shown = copy.path.relative_to(journal.project.absolute()).as_posix()
        ui.notify(
            f"Your text was kept as {shown} (the chapter now has the version from disk).",
            title="Kept both",
        )
    else:
        ui.notify(
            f"{path} was not saved: it changed on disk. Your text is kept in the recovery "
            "journal; ctrl+s asks again.",
            title="Decide later",
            severity="warning",
        )
    return outcome


async def _forget(journal: Journal, doc: Document, revision: int) -> None:
    await asyncio.to_thread(journal.discard_through, doc.path, doc.id, revision)
    doc.journal_cleared(revision)


async def show_disk_version(views: Views, doc: Document, theirs: str | None) -> None:
    """The editor shows the file's text, cursor kept; or the tab closes if it was deleted."""
    editor = views.editor
    area = None if editor is None else await editor.built(doc.path)
    if theirs is None:
        if editor is not None:
            await editor.close(doc.path)
        return
    if area is not None and area.doc is doc:
        area.show_disk_text(theirs)
    else:
        doc.adopt_disk(theirs)
    if editor is not None:
        editor.refresh_title(doc.path)


def asking_about(ui: UI, name: str) -> bool:
    """True while a question about saving ``name`` (a conflict, a read-only file) is on
    screen (never ask twice)."""
    from writers_factory.tui.screens.conflict import ConflictScreen
    from writers_factory.tui.screens.read_only_file import ReadOnlyFileScreen

    return any(
        isinstance(screen, ConflictScreen | ReadOnlyFileScreen) and screen.file_name == name
        for screen in [*ui.showing(ConflictScreen), *ui.showing(ReadOnlyFileScreen)]
    )
