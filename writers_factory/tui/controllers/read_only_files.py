"""Carrying out the answer to "the file is read-only" (``ReadOnlyFileScreen``).

A chapter the writer made read-only is never overwritten. The text is journaled before the
question (it may wait a long time); then:

* save a copy — the text goes to a "my copy" file in ``planning/copies/`` through the
  durable path (the naming and place keep-both uses, so it is not counted as a chapter); the
  copy opens and has the focus, the read-only file's tab shows the file again, and the
  journal forgets that revision (the text is safe in the copy);
* not now — nothing is written; the text stays unsaved and journaled, and ctrl+s asks again.

File I/O runs in threads; the editor is touched on the loop only.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from typing import TYPE_CHECKING

from writers_factory.store.manuscript.buffers import FileBuffer, Remember
from writers_factory.store.manuscript.documents import Document, Snapshot
from writers_factory.store.manuscript.journal import Journal
from writers_factory.tui.controllers.conflicts import Resolution, show_disk_version

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI, Views

__all__ = ["offer_copy"]


async def offer_copy(
    ui: UI,
    views: Views,
    doc: Document,
    snap: Snapshot,
    *,
    journal: Journal,
    remember: Remember | None,
    now: datetime,
) -> Resolution:
    """Ask, then save ``snap`` as a copy or leave it unsaved; ``choice`` is True for a copy.

    The caller holds the document's lock. Raises ``OSError`` when the copy cannot be written
    (the text then stays unsaved and journaled).
    """
    with contextlib.suppress(OSError):
        entry = await asyncio.to_thread(
            journal.write,
            doc.path,
            snap.text,
            doc.disk.base_sha256,
            document=doc.id,
            revision=snap.revision,
            cursor=snap.cursor,
            now=now,
        )
        if entry is not None:
            doc.journaled_as(snap.revision)
    from writers_factory.tui.screens.read_only_file import ReadOnlyFileScreen  # on demand

    wanted = await ui.ask(ReadOnlyFileScreen(doc.path.as_posix(), len(snap.text)))
    if not wanted:
        ui.notify(
            f"{doc.path} is read-only and was not saved. Your text is kept in the recovery "
            "journal; ctrl+s asks again.",
            title="Not saved",
            severity="warning",
        )
        return Resolution(None)
    disk = doc.disk
    copy = await asyncio.to_thread(disk.write_copy, snap.text, now.astimezone(), remember=remember)
    await asyncio.to_thread(journal.discard_through, doc.path, doc.id, snap.revision)
    doc.journal_cleared(snap.revision)
    theirs = await asyncio.to_thread(disk.take_theirs)
    await show_disk_version(views, doc, theirs)
    editor = views.editor
    if editor is not None:
        project = journal.project
        copy_disk, copy_text = await asyncio.to_thread(FileBuffer.load, copy.path, project=project)
        rel = copy.path.relative_to(project.absolute())
        area = await editor.open(rel, copy_text, copy_disk, activate=True)
        area.focus()
    shown = copy.path.relative_to(journal.project.absolute()).as_posix()
    ui.notify(f"{doc.path} is read-only; your text was saved as {shown}.")
    return Resolution(None, [copy.path])
