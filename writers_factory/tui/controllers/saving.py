"""The save coordinator: the writer's text reaches the disk without them ever thinking of it.

Three layers, each bounding what a failure can cost:

* the recovery journal gets a dirty document's text within ``journal_delay`` (1 s) of its
  first unjournaled edit, and at once after ``journal_every`` (200) edits — a crash loses
  about a second of typing (``journaling.py``);
* the auto-save writes dirty documents to their files and the session state every
  ``interval`` seconds and after every significant action (stage change, file switch,
  model change, AI operation);
* quitting saves what is left through the one shutdown path (``shutdown.py``).

The journal never holds text that is safe elsewhere: a save of revision r discards every
entry of that document at or below r, and a document whose text is the file's again (undo,
backspace) has its entry removed at once. Both rules are by revision (``store/manuscript/
documents.py``), never by comparing texts.

Only snapshots of the text are taken on the event loop; journal writes, saves, versions and
discards run in threads (``asyncio.to_thread``), one document at a time (a lock per
document, so a discard never races a write of the same document). A file changed outside
the app is never overwritten without a choice (``conflicts.py``); a failed save leaves the
text on screen and in the journal, the status bar says so, and ctrl+s retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.store.audit.log import record_audit
from writers_factory.store.manuscript.buffers import (
    FileBuffer,
    ReadOnlyFileError,
    Remember,
    SaveConflict,
    Written,
)
from writers_factory.store.manuscript.documents import Document, Snapshot, line_count
from writers_factory.store.manuscript.journal import Journal
from writers_factory.store.session.session import SessionTakenOverError
from writers_factory.tui.controllers.conflicts import asking_about, resolve_conflict
from writers_factory.tui.controllers.journaling import JournalKeeper
from writers_factory.tui.controllers.read_only_files import offer_copy
from writers_factory.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.timer import Timer

    from writers_factory.tui.controllers.ports import UI, Snapshots, Views
    from writers_factory.tui.workspace import Workspace

Clock = Callable[[], datetime]
TAKEN_OVER = "the project was taken over by another writer"


@dataclass
class SaveReport:
    """What one save pass achieved; ``failures`` name the file and the reason."""

    saved: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    deferred: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _now() -> datetime:
    return datetime.now(UTC)


def _keep_disk_version(project: Path, doc_path: Path, absolute: Path) -> None:
    """In a thread: copy the file as it is now to ``.session/versions/`` (if it exists)."""
    from writers_factory.store.manuscript.versions import save_version  # recovered texts only

    try:
        text = absolute.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return
    save_version(project, doc_path, text)


def _lines_of(doc: Document) -> int | None:
    """On the loop, with the snapshot just taken: the editor's own line count of its text
    (it keeps one; splitting a whole novel again cost every save a whole-text pass)."""
    return None if doc.source is None else doc.source.line_total()


def _save_file(
    disk: FileBuffer, snap: Snapshot, remember: Remember | None, lines: int | None = None
) -> tuple[Written, int]:
    """In a thread: the save, and the line count the document keeps of what the file holds
    (``lines`` when the editor told it; otherwise counted here, never on the loop). The text
    is joined here from the snapshot's lines, never on the loop; where it differs from the
    text saved before, when the editor knows it, spares comparing the rest."""
    text = snap.parts.text
    written = disk.save(text, remember=remember, unchanged=snap.unchanged)
    return written, line_count(text) if lines is None else lines


class SaveCoordinator:
    """Owns every write of documents, journal and session state for one running app."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        views: Views,
        journal: Journal,
        *,
        interval: float = 30.0,
        journal_delay: float = 1.0,
        journal_every: int = 200,
        remember: Remember | None = None,
        clock: Clock = _now,
        snapshots: Snapshots | None = None,
    ) -> None:
        self.workspace = workspace
        self.documents = workspace.documents
        self.ui = ui
        self.views = views
        self.journal = journal
        self.interval = interval
        self.remember = remember
        self.clock = clock
        self.snapshots = snapshots
        """Asked for a snapshot after each save pass that wrote a file (never waited for)."""
        self.enabled = not workspace.read_only
        self.auto_save_on = True
        """The writer's switch: off, the timer writes no documents (the journal still
        keeps every edit, significant actions, ctrl+s and quitting still save)."""
        self.failed = False
        self.displaced = False
        """Another writer took the project over while this app ran: nothing more is written."""
        self.last_report: SaveReport | None = None
        self.keeper = JournalKeeper(
            self.documents,
            ui,
            journal,
            failed=self._failed,
            clock=clock,
            delay=journal_delay,
            every=journal_every,
        )
        """The journal as the writer types (``journaling.py``)."""
        self.metrics = workspace.metrics
        self.keeper.metrics = workspace.metrics
        self._deferred: set[Path] = set()
        self._busy = False
        self._closing = False
        self._again = False
        self._asked = False
        """The writer asked for a save (ctrl+s) that has not finished yet."""
        self._again_interactive = False
        self._autosave: Timer | None = None

    # -- life cycle --------------------------------------------------------------------------

    def start(self) -> None:
        """Begin auto-saving; call once the workspace is restored."""
        if self.enabled and self._autosave is None:
            self._autosave = self.ui.every(self.interval, self._tick, name="auto-save")

    def set_auto_save(self, enabled: bool | None = None, interval: float | None = None) -> None:
        """Switch auto-save on or off and/or change its interval, taking effect at once.

        The timer is restarted with the new interval (the next auto-save comes one full
        interval from now); ``None`` leaves that setting as it was.
        """
        if interval is not None:
            if not interval >= 1:  # also refuses NaN
                raise ValueError(f"the auto-save interval must be at least 1 second ({interval})")
            self.interval = float(interval)
        if enabled is not None:
            self.auto_save_on = enabled
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
            self.start()

    def stop(self) -> None:
        """No more timers: nothing new is started (writes in flight still land)."""
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        self.keeper.stop()

    def disable(self) -> None:
        """Read-only: write nothing at all from now on."""
        self.enabled = False
        self.stop()

    @property
    def busy(self) -> bool:
        """A save pass or a journal write is running (tests wait on this, never sleep)."""
        return self._busy or self.keeper.busy

    async def settle(self, timeout: float = 5.0) -> None:
        """Before the last save: start no more writes, let those in flight land first.

        A save waiting on a conflict question cannot finish while quitting; after
        ``timeout`` the shutdown goes on (that document's text is in the journal, and the
        journal refuses any older text once a newer revision is saved).
        """
        self._closing = self.keeper.closing = True
        self.stop()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.busy and loop.time() < deadline:
            await asyncio.sleep(0.01)

    def resume(self) -> None:
        """Quitting was called off: carry on saving as before."""
        self._closing = self.keeper.closing = False
        self.start()

    # -- helpers -----------------------------------------------------------------------------

    @property
    def journal_delay(self) -> float:
        return self.keeper.delay

    @journal_delay.setter
    def journal_delay(self, seconds: float) -> None:
        self.keeper.delay = seconds

    def _show(self, action: Callable[[StatusBar], None]) -> None:
        bar = self.views.status
        if bar is not None:
            action(bar)

    def _refresh_title(self, doc: Document) -> None:
        editor = self.views.editor
        if editor is not None:
            editor.refresh_title(doc.path)

    def dirty_documents(self) -> list[Document]:
        return self.documents.dirty()

    def refresh_indicator(self) -> None:
        if self.failed:
            return
        if self.dirty_documents():
            self._show(StatusBar.mark_dirty)
        else:
            self._show(StatusBar.mark_clean)

    # -- typing: the journal (``journaling.py``) ----------------------------------------------

    def buffer_edited(self, path: Path, revision: int | None = None) -> None:
        """After edits (coalesced): the journal follows, the status bar says unsaved."""
        doc = self.documents.get(path)
        if doc is None or not self.enabled or self._closing:
            return
        self.keeper.edited(doc)
        if doc.dirty:
            self._show(StatusBar.mark_dirty)
        else:
            self.refresh_indicator()

    async def write_journal(self, path: Path) -> bool:
        """Journal the document now (a file deleted outside keeps its text here)."""
        return self.enabled and await self.keeper.write(path)

    async def buffer_renamed(self, old: Path, new: Path) -> None:
        if self.enabled:
            await self.keeper.renamed(old, new)

    # -- saving ------------------------------------------------------------------------------

    def _tick(self) -> None:
        # every tick, even when nothing changed: it refreshes the lock's heartbeat and lets
        # "Auto-saved Ns ago" mean "everything was safe N seconds ago"
        if self.auto_save_on:
            self.request_save("auto")
        elif self.enabled and not self._closing:
            # auto-save off: the documents wait for the writer, but where they are and the
            # lock's heartbeat (other processes judge this one alive by it) are still kept
            self.ui.start(self._save_session_state, group="save-session")

    async def _save_session_state(self) -> None:
        with contextlib.suppress(OSError):  # said at the next full save, which retries it
            await self.workspace.session.save()

    def request_save(self, reason: str = "auto", *, interactive: bool = False) -> None:
        """Start a save pass in a worker; coalesces with one already running."""
        if not self.enabled or self._closing:
            return
        if interactive:
            self._deferred.clear()
        if reason == "manual":
            self._asked = True  # the status bar says "Saved" for the pass that does it
        if self._busy:
            self._again = True
            self._again_interactive = self._again_interactive or interactive
            return
        self._busy = True
        self.ui.start(self._save_loop, group="save")

    async def _save_loop(self) -> SaveReport:
        try:
            report = await self.save_all()
            while self._again and not self._closing:
                self._again = False
                if self._again_interactive:
                    self._deferred.clear()
                    self._again_interactive = False
                report = await self.save_all()
            await asyncio.to_thread(self.workspace.flush_metrics)  # a natural moment
            return report
        finally:
            self._busy = False

    async def save_all(self) -> SaveReport:
        """Save every dirty document (asking about conflicts), then the session state."""
        report = SaveReport()
        for doc in self.dirty_documents():
            await self._save_document(doc, report)
            if self.displaced:
                break  # taken over: nothing more is written
        if not self.displaced:
            try:
                await self.workspace.session.save()
            except SessionTakenOverError as exc:
                self.taken_over(exc)
            except OSError as exc:
                report.failures.append(f"session state: {exc.strerror or exc}")
        self.last_report = report
        if self.displaced:
            report.failures.append(TAKEN_OVER)  # already told, in its own words
            return report
        if report.saved and self.snapshots is not None:
            self.snapshots.request("autosave")
        tree = self.views.tree if report.saved else None
        if tree is not None:
            tree.recount(report.saved)  # the words beside each chapter in the tree
        if report.failures:
            self._failed(report.failures)
        else:
            self.failed = False
            if report.deferred:
                self._show(StatusBar.mark_dirty)
            else:
                stamp, asked, self._asked = self.clock(), self._asked, False
                self._show(lambda bar: bar.mark_saved(stamp, asked=asked))
                self.refresh_indicator()
        return report

    async def _still_owner(self) -> bool:
        """Before writing anything: is the project still ours (``lock.json`` names us)?"""
        try:
            await asyncio.to_thread(self.workspace.session.check_owner)
        except SessionTakenOverError as exc:
            self.taken_over(exc)
            return False
        return True

    def taken_over(self, exc: SessionTakenOverError) -> None:
        """Another writer took the project over: from now on this window only shows.

        Nothing more is written — files, journal, session state — since all of it is the
        new owner's now; the text on screen stays, so the writer can copy what they need.
        """
        if self.displaced:
            return
        self.displaced = True
        self.disable()
        editor = self.views.editor
        if editor is not None:
            editor.read_only = True
            for area in editor.buffers():
                area.read_only = True
        self._show(lambda bar: bar.set_read_only(True))
        if self.workspace.history is not None:
            self.workspace.history.stop_writing()  # its timer finds it read-only from now on
        if self.workspace.has_preferences:
            self.workspace.preferences.stop_writing()
        owner = exc.owner
        who = owner.describe_owner()
        self.ui.notify(
            f"{who} (process {owner.pid}) took this project over; this window is read-only "
            "now and saves nothing more. Your text stays on screen: copy what you need.",
            title="Project taken over",
            severity="error",
            timeout=30,
        )

    def _failed(self, failures: list[str]) -> None:
        first_time = not self.failed
        self.failed = True
        reason = "; ".join(failures)
        self._show(lambda bar: bar.mark_failed(reason))
        if first_time:
            self.ui.notify(
                f"Could not save — {reason}. Nothing was discarded; ctrl+s retries.",
                title="Save failed",
                severity="error",
                timeout=10,
            )

    async def _keep_version(self, doc: Document) -> None:
        """Before the first save over a recovered text: keep the file as it is now."""
        if doc.recovered:
            project = self.workspace.project
            await asyncio.to_thread(_keep_disk_version, project, doc.path, doc.disk.path)
            doc.recovered = False

    async def _save_document(self, doc: Document, report: SaveReport) -> None:
        path = doc.path
        if path in self._deferred or asking_about(self.ui, path.as_posix()):
            report.deferred.append(path)
            return
        async with self.keeper.lock(doc):
            snap = doc.snapshot()
            if snap is None or not doc.dirty:
                return
            counted = _lines_of(doc)
            if not await self._still_owner():  # under the lock: whoever took it saves first
                return
            started = time.perf_counter()
            try:
                await self._keep_version(doc)
                written, lines = await asyncio.to_thread(
                    _save_file, doc.disk, snap, self.remember, counted
                )
            except SaveConflict as conflict:
                await self._resolve(doc, snap, conflict, report)
                return
            except ReadOnlyFileError:
                await self._offer_copy(doc, snap, report)
                return
            except OSError as exc:
                report.failures.append(f"{path}: {exc.strerror or exc}")
                await self._save_failed(path, exc, "auto-save")
                return
            self.metrics.count("saves")
            self.metrics.observe("save", (time.perf_counter() - started) * 1000)
            report.saved.append(written.path)
            await self._saved(doc, snap, lines)

    async def _save_failed(self, path: Path, exc: OSError, trigger: str) -> None:
        """Counted, and recorded in the audit trail with the error (in a thread)."""
        self.metrics.count("save_failures")
        await asyncio.to_thread(
            record_audit,
            self.workspace.project,
            "save-failed",
            to=path.as_posix(),
            trigger=trigger,
            error=str(exc.strerror or exc),
        )

    async def _offer_copy(self, doc: Document, snap: Snapshot, report: SaveReport) -> None:
        """The writer made the file read-only: never overwritten; a copy is offered."""
        try:
            outcome = await offer_copy(
                self.ui,
                self.views,
                doc,
                snap,
                journal=self.journal,
                remember=self.remember,
                now=self.clock(),
            )
        except OSError as exc:
            report.failures.append(f"{doc.path}: {exc.strerror or exc}")
            return
        report.saved.extend(outcome.written)
        if not outcome.written:
            self._deferred.add(doc.path)
            report.deferred.append(doc.path)

    async def _saved(self, doc: Document, snap: Snapshot, lines: int | None = None) -> None:
        """``snap`` is in the file: the document and the journal learn it (lock held)."""
        doc.saved_as(snap.revision, snap.text, lines)
        self._refresh_title(doc)
        with contextlib.suppress(OSError):
            await asyncio.to_thread(self.journal.discard_through, doc.path, doc.id, snap.revision)
            doc.journal_cleared(snap.revision)

    async def _resolve(
        self, doc: Document, snap: Snapshot, conflict: SaveConflict, report: SaveReport
    ) -> None:
        if self.snapshots is not None:  # the file as changed outside, before a choice is made
            self.snapshots.request(
                "before-external-change", message=f"{doc.path.as_posix()} changed outside"
            )
        try:
            outcome = await resolve_conflict(
                self.ui,
                self.views,
                doc,
                snap,
                conflict,
                journal=self.journal,
                remember=self.remember,
                now=self.clock(),
            )
        except OSError as exc:
            report.failures.append(f"{doc.path}: {exc.strerror or exc}")
            return
        report.saved.extend(outcome.written)
        from writers_factory.tui.screens.conflict import ConflictChoice  # asked: imported

        if outcome.choice is ConflictChoice.KEEP_MINE:
            self._refresh_title(doc)
        if outcome.choice is None:
            self._deferred.add(doc.path)
            report.deferred.append(doc.path)

    # -- the last save (the shutdown path) ---------------------------------------------------

    async def save_for_exit(self) -> list[str]:
        """Save every dirty document in threads, asking nothing; returns what failed.

        A document that cannot be written (conflict, disk error) is journaled instead, so the
        next start offers it; nothing is overwritten without a choice. The session state is
        not written here: closing the session writes it, once.
        """
        problems: list[str] = []
        if not self.enabled:
            return problems
        if not await self._still_owner():
            return [f"{TAKEN_OVER}: unsaved text was not written"]
        for doc in self.dirty_documents():
            async with self.keeper.lock(doc):
                snap = doc.snapshot()
                if snap is None or not doc.dirty:
                    continue
                counted = _lines_of(doc)
                try:
                    await self._keep_version(doc)
                    _, lines = await asyncio.to_thread(
                        _save_file, doc.disk, snap, self.remember, counted
                    )
                except (SaveConflict, OSError) as exc:
                    problems.append(f"{doc.path}: {exc}")
                    if not isinstance(exc, SaveConflict):
                        await self._save_failed(doc.path, exc, "quit")
                    if doc.needs_journal and not await self.keeper.write_locked(doc, snap):
                        problems.append(f"recovery journal for {doc.path}: not written")
                    continue
                await self._saved(doc, snap, lines)
        return problems

    def save_for_exit_sync(self) -> list[str]:
        """The same, synchronously: only for an app closing without the shutdown path (an
        error, a harness closing it), when no thread may be waited for any more."""
        problems: list[str] = []
        if not self.enabled:
            return problems
        try:
            self.workspace.session.check_owner()
        except SessionTakenOverError as exc:
            self.displaced = True
            self.disable()
            return [str(exc)]
        for doc in self.dirty_documents():
            snap = doc.snapshot()
            if snap is None:
                continue
            try:
                if doc.recovered:
                    _keep_disk_version(self.workspace.project, doc.path, doc.disk.path)
                    doc.recovered = False
                doc.disk.save(snap.text, remember=self.remember, unchanged=snap.unchanged)
            except (SaveConflict, OSError) as exc:
                problems.append(f"{doc.path}: {exc}")
                try:
                    self.keeper.write_now(doc, snap)
                except OSError as journal_exc:
                    problems.append(f"recovery journal for {doc.path}: {journal_exc}")
                continue
            doc.saved_as(snap.revision, snap.text)
            with contextlib.suppress(OSError):
                self.journal.discard_through(doc.path, doc.id, snap.revision)
        return problems

    def report_exit_problems(self, problems: list[str]) -> None:
        self._failed(problems)
        self.ui.notify(
            "Some text could not be saved to its file (it is kept in the recovery journal "
            "and offered next time). Press ctrl+q again to quit anyway.",
            title="Not everything was saved",
            severity="error",
            timeout=15,
        )

    def show_disk_state(self) -> None:
        """At start, when nothing is unsaved, say so: the time is the newest open file's
        modification time as read when it was opened (no disk access here)."""
        if self.failed or self.dirty_documents():
            return
        stamps = [doc.disk.base_mtime for doc in self.documents if doc.disk.base_mtime]
        at = datetime.fromtimestamp(max(stamps), UTC) if stamps else None
        self._show(lambda bar: bar.mark_on_disk(at))

    async def recovered(self, docs: list[Document]) -> None:
        """Recovered documents: journal them anew, on top of the file as read at recovery."""
        for doc in docs:
            await self.write_journal(doc.path)
        if docs:
            self._show(StatusBar.mark_dirty)
