"""Keeping the recovery journal in step with the open documents, as the writer types.

A dirty document's text reaches the journal within ``delay`` (1 s) of its first unjournaled
edit, and at once after ``every`` (200) edits — a crash loses about a second of typing. A
document whose text is the file's again (undo, backspace) has its entry removed at once, not
at a timer: an entry holding text the writer took back would be offered as newer work.

One lock per document orders everything written about it — journal entries here, saves in
``saving.py`` — so a removal never races a write of the same document. Snapshots of the text
are taken on the event loop; the journal itself is written in threads.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.store.manuscript.documents import Document, Documents, Snapshot
from writers_factory.store.manuscript.journal import Journal, JournalEntry

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.worker import Worker

    from writers_factory.store.metrics.recorder import MetricsRecorder
    from writers_factory.tui.controllers.ports import UI


@dataclass
class _Pending:
    """Journal bookkeeping for one open document."""

    timer: Timer | None = None
    requested: int = 0
    """The revision at which the last journal write was asked for."""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class JournalKeeper:
    """Writes and removes journal entries for the open documents of one app."""

    def __init__(
        self,
        documents: Documents,
        ui: UI,
        journal: Journal,
        *,
        failed: Callable[[list[str]], None],
        clock: Callable[[], datetime],
        delay: float = 1.0,
        every: int = 200,
    ) -> None:
        self.documents = documents
        self.ui = ui
        self.journal = journal
        self.failed = failed
        """Told what could not be written (the save coordinator shows it)."""
        self.clock = clock
        self.delay = delay
        self.every = every
        self.closing = False
        """Set while shutting down: no new journal write is started."""
        self._pending: dict[str, _Pending] = {}
        self._writes: set[Worker[object]] = set()
        self.metrics: MetricsRecorder | None = None
        """Counts journal writes and their latency (set by the save coordinator)."""

    def _pending_for(self, doc: Document) -> _Pending:
        return self._pending.setdefault(doc.id, _Pending())

    def lock(self, doc: Document) -> asyncio.Lock:
        """Held while anything about ``doc`` is written (journal entry or file)."""
        return self._pending_for(doc).lock

    @property
    def busy(self) -> bool:
        """A journal write or removal has been started and has not finished."""
        return any(not w.is_finished for w in self._writes)

    def stop(self) -> None:
        """No more timers (writes in flight still land)."""
        for pending in self._pending.values():
            if pending.timer is not None:
                pending.timer.stop()
                pending.timer = None

    def _run(self, job: Callable[[], object]) -> None:
        worker: Worker[object] = self.ui.start(job, group="journal")  # type: ignore[arg-type]
        self._writes = {w for w in self._writes if not w.is_finished} | {worker}

    # -- as the writer types -----------------------------------------------------------------

    def edited(self, doc: Document) -> None:
        """After edits (coalesced): journal soon, or remove the entry if back to the file."""
        pending = self._pending_for(doc)
        if not doc.dirty:
            if pending.timer is not None:
                pending.timer.stop()
                pending.timer = None
            if doc.journaled >= 0 or pending.lock.locked():  # an entry, or one being written
                self._run(partial(self.forget, doc, doc.revision))
            return
        unjournaled = doc.revision - max(doc.journaled, doc.saved, pending.requested)
        if unjournaled >= self.every:
            self._soon(doc, 0.0)
        elif pending.timer is None:
            self._soon(doc, self.delay)

    def _soon(self, doc: Document, delay: float) -> None:
        """Write now (``delay`` 0) or arm the one timer for this document if none is armed.

        A timer armed by the first unjournaled edit is never pushed back by later edits: it
        is a throttle, not a debounce, so even slow continuous typing is journaled every
        second.
        """
        pending = self._pending_for(doc)

        def fire() -> None:
            pending.timer = None
            pending.requested = doc.revision
            if not self.closing:
                self._run(partial(self.write, doc.path))

        if delay <= 0:
            if pending.timer is not None:
                pending.timer.stop()
            fire()
        elif pending.timer is None:
            pending.timer = self.ui.after(delay, fire, name=f"journal {doc.path}")

    # -- writing and removing ----------------------------------------------------------------

    async def write(self, path: Path) -> bool:
        """Snapshot the document on the loop, write its entry in a thread."""
        doc = self.documents.get(path)
        if doc is None:
            return False
        async with self.lock(doc):
            snap = doc.snapshot()
            if snap is None or not doc.needs_journal:
                return False  # saved meanwhile, or back to the file's text
            return await self.write_locked(doc, snap)

    def write_now(self, doc: Document, snap: Snapshot) -> JournalEntry | None:
        """Blocking: record ``snap`` as the document's entry (a thread, or the final save)."""
        started = time.perf_counter()
        try:
            entry = self.journal.write(
                doc.path,
                snap.text,
                doc.disk.base_sha256,
                document=doc.id,
                revision=snap.revision,
                cursor=snap.cursor,
                now=self.clock(),
            )
        except OSError:
            if self.metrics is not None:
                self.metrics.count("journal_failures")
            raise
        if self.metrics is not None and entry is not None:
            self.metrics.count("journal_writes")
            self.metrics.observe("journal_write", (time.perf_counter() - started) * 1000)
        return entry

    async def write_locked(self, doc: Document, snap: Snapshot) -> bool:
        """Write ``snap`` as the document's entry (the caller holds its lock)."""
        try:
            entry = await asyncio.to_thread(self.write_now, doc, snap)
        except OSError as exc:
            self.failed([f"recovery journal for {doc.path}: {exc.strerror or exc}"])
            return False
        if entry is not None:
            doc.journaled_as(snap.revision)
        return entry is not None

    async def forget(self, doc: Document, revision: int) -> None:
        """Revision ``revision`` is the file's text: remove the entries at or below it,
        durably (in a thread). Typing since does not matter: those entries hold text older
        than a state that was the file's; the newer typing gets its own entry."""
        async with self.lock(doc):
            await self.discard_locked(doc, revision)

    async def discard_locked(self, doc: Document, revision: int) -> bool:
        """Every entry of ``doc`` at or below ``revision`` goes (the caller holds its lock)."""
        try:
            await asyncio.to_thread(self.journal.discard_through, doc.path, doc.id, revision)
        except OSError as exc:
            self.failed([f"recovery journal for {doc.path}: {exc.strerror or exc}"])
            return False
        doc.journal_cleared(revision)
        return True

    async def renamed(self, old: Path, new: Path) -> None:
        """A renamed file's unsaved text must not be offered later under its old name."""
        doc = self.documents.get(new)
        if doc is None:
            return
        async with self.lock(doc):
            try:
                await asyncio.to_thread(self.journal.move_entry, old, new)
            except OSError as exc:
                self.failed([f"recovery journal for {new}: {exc.strerror or exc}"])
