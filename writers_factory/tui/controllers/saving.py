"""The save coordinator: the writer's text reaches the disk without them ever thinking of it.

Three layers, each bounding what a failure can cost:

* the recovery journal gets a dirty buffer's text within ``journal_delay`` (1 s) of its
  first unjournaled edit, and at once after ``journal_every`` (200) edits — a crash loses
  about a second of typing;
* the auto-save writes dirty buffers to their files and the session state every
  ``interval`` seconds and after every significant action (stage change, file switch,
  model change, AI operation, quit);
* quit and SIGTERM/SIGHUP save everything synchronously, then close the session cleanly —
  Textual cancels workers on exit, so nothing asynchronous may be left to finish.

Disk I/O runs in threads (``asyncio.to_thread`` inside workers); widgets are only touched on
the event loop. A file changed outside the app is never overwritten without a choice
(:class:`ConflictScreen`); a failed save leaves the text on screen and in the journal, the
status bar says so, and ctrl+s retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from textual.app import App, ScreenStackError
from textual.css.query import NoMatches
from textual.timer import Timer

from writers_factory.store.manuscript.buffers import FileBuffer, SaveConflict, Written, text_sha256
from writers_factory.store.manuscript.journal import Journal
from writers_factory.store.session.session import Session
from writers_factory.tui.screens.conflict import ConflictChoice, asking_about, resolve_conflict
from writers_factory.tui.screens.recovery import EditorOpener, StartDecision, StartupChecks
from writers_factory.tui.widgets.status_bar import StatusBar

Clock = Callable[[], datetime]


class BufferLike(Protocol):
    """What the coordinator needs of an open editor buffer (the editor's ``BufferArea``)."""

    path: Path  # project-relative
    disk: FileBuffer
    dirty: bool

    @property
    def text(self) -> str: ...

    @property
    def cursor_location(self) -> tuple[int, int]: ...

    def load_text(self, text: str) -> None: ...


class EditorLike(EditorOpener, Protocol):
    """What the coordinator needs of the tabbed editor; opening comes from `EditorOpener`."""

    def buffers(self) -> list[Any]: ...

    def find(self, path: Path) -> Any: ...

    def mark_saved(self, path: Path, text: str) -> bool: ...

    async def close(self, path: Path) -> None: ...


@dataclass
class _Pending:
    """Journal bookkeeping for one buffer."""

    edits: int = 0
    timer: Timer | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


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


class SaveCoordinator:
    """Owns every write of buffers, journal and session state for one running app."""

    def __init__(
        self,
        app: App[Any],
        session: Session,
        editor: Callable[[], EditorLike | None],
        status: Callable[[], StatusBar | None],
        *,
        interval: float = 30.0,
        journal_delay: float = 1.0,
        journal_every: int = 200,
        remember: Callable[[Path, bytes], None] | None = None,
        clock: Clock = _now,
        final: Callable[[], object] | None = None,
        before_exit: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.app = app
        self.session = session
        self.journal = Journal(session.project_path)
        self._editor = editor
        self._status = status
        self.interval = interval
        self.journal_delay = journal_delay
        self.journal_every = journal_every
        self.remember = remember
        self.clock = clock
        self._final = final
        self._before_exit = before_exit
        """The app's synchronous final save and clean close, run on SIGTERM/SIGHUP."""
        self.enabled = not session.read_only
        self.failed = False
        self.last_report: SaveReport | None = None
        self._pending: dict[Path, _Pending] = {}
        self._last_seen: list[BufferLike] = []
        self._deferred: set[Path] = set()
        self._busy = False
        self._journaling = 0
        self._closing = False
        self._again = False
        self._again_interactive = False
        self._autosave: Timer | None = None
        self._signals: list[int] = []
        self._quit_warned = False
        self.checks = StartupChecks(app, session, self.journal, clock)
        self.leave_untouched = False
        """Set when the writer quit from a start-up question: do not mark a clean close."""

    # -- start-up -----------------------------------------------------------------------------

    async def check_at_start(self) -> StartDecision:
        """Ask the start-up questions; READ_ONLY disables all writing, QUIT touches nothing."""
        decision = await self.checks.run()
        if decision is StartDecision.READ_ONLY:
            self.disable()
            self._show(lambda bar: bar.set_read_only(True))
        elif decision is StartDecision.QUIT:
            self.leave_untouched = True
        return decision

    async def after_restore(self) -> list[Path]:
        """Apply a chosen recovery (as unsaved edits), then start auto-saving."""
        editor = self._get_editor()
        restored = [] if editor is None else await self.checks.apply(editor)
        if restored:
            self._show(StatusBar.mark_dirty)
        self.start()
        return restored

    # -- life cycle --------------------------------------------------------------------------

    def start(self, *, install_signals: bool = True) -> None:
        """Begin auto-saving; call once the editor is mounted."""
        if not self.enabled:
            return
        self._autosave = self.app.set_interval(self.interval, self._tick, name="auto-save")
        if install_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGHUP):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, self._on_signal, sig)
                    self._signals.append(sig)

    def stop(self) -> None:
        if self._autosave is not None:
            self._autosave.stop()
        for pending in self._pending.values():
            if pending.timer is not None:
                pending.timer.stop()
        loop = asyncio.get_running_loop()
        for sig in self._signals:
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(sig)
        self._signals.clear()

    def disable(self) -> None:
        """Read-only: write nothing at all from now on."""
        self.enabled = False
        self.stop()

    # -- helpers -----------------------------------------------------------------------------

    def _get_editor(self) -> EditorLike | None:
        # during shutdown the screens may already be gone (NoMatches, ScreenStackError)
        try:
            return self._editor()
        except (NoMatches, ScreenStackError):
            return None

    def _buffers(self) -> list[BufferLike]:
        """The open buffers; once the screens are torn down, the last ones seen.

        An app can exit without ctrl+q (an error, a test harness closing it) and the final
        save then runs after the widgets are unmounted; the buffer objects still hold the
        text, so it is saved all the same.
        """
        editor = self._get_editor()
        if editor is None:
            return list(self._last_seen)
        with contextlib.suppress(NoMatches, ScreenStackError):
            self._last_seen = list(editor.buffers())
        return list(self._last_seen)

    def dirty_buffers(self) -> list[BufferLike]:
        return [b for b in self._buffers() if b.dirty]

    def _pending_for(self, path: Path) -> _Pending:
        return self._pending.setdefault(path, _Pending())

    def _show(self, action: Callable[[StatusBar], None]) -> None:
        try:
            bar = self._status()
        except (NoMatches, ScreenStackError):
            return
        if bar is not None:
            action(bar)

    # -- typing: the journal -----------------------------------------------------------------

    def buffer_edited(self, path: Path, text: str | None = None) -> None:
        """Called for every edit; schedules the journal write that bounds crash loss."""
        if not self.enabled:
            return
        editor = self._get_editor()
        area: BufferLike | None = None if editor is None else editor.find(path)
        if area is None:
            return
        current = area.text if text is None else text
        if area.disk.base_sha256 is not None and text_sha256(current) == area.disk.base_sha256:
            # back to exactly what is on disk (undo, or a reload): nothing is unsaved
            if editor is not None:
                editor.mark_saved(path, current)
            self._refresh_dirty_indicator()
            return
        self._show(StatusBar.mark_dirty)
        if area not in self._last_seen:
            self._last_seen.append(area)
        pending = self._pending_for(path)
        pending.edits += 1
        if pending.edits >= self.journal_every:
            self._journal_soon(path, 0.0)
        elif pending.timer is None:
            self._journal_soon(path, self.journal_delay)

    def _journal_soon(self, path: Path, delay: float) -> None:
        """Write now (``delay`` 0) or arm the one timer for this buffer if none is armed.

        A timer armed by the first unjournaled edit is never pushed back by later edits: it
        is a throttle, not a debounce, so even slow continuous typing is journaled every
        second.
        """
        pending = self._pending_for(path)

        def fire() -> None:
            pending.timer = None
            pending.edits = 0
            # a callable, not a coroutine: if the app is already closing, none is created
            job: Callable[[], Coroutine[None, None, bool]] = partial(self.write_journal, path)
            # (Textual's overloads cannot infer a result type from a plain callable)
            self.app.run_worker(job, group="journal", exit_on_error=False)  # type: ignore[arg-type]

        if delay <= 0:
            if pending.timer is not None:
                pending.timer.stop()
            fire()
        elif pending.timer is None:
            pending.timer = self.app.set_timer(delay, fire, name=f"journal {path}")

    async def buffer_renamed(self, old: Path, new: Path) -> None:
        """A renamed file's unsaved text must not be offered later under its old name."""
        pending = self._pending.pop(old, None)
        if pending is not None:
            self._pending[new] = pending
        if not self.enabled:
            return
        async with self._pending_for(new).lock:
            try:
                await asyncio.to_thread(self.journal.move_entry, old, new)
            except OSError as exc:
                self._failed([f"recovery journal for {new}: {exc.strerror or exc}"])

    async def write_journal(self, path: Path) -> bool:
        """Snapshot the buffer on the loop, write the entry in a thread."""
        editor = self._get_editor()
        area: BufferLike | None = None if editor is None else editor.find(path)
        if area is None or not area.dirty or not self.enabled:
            return False
        pending = self._pending_for(path)
        self._journaling += 1
        try:
            async with pending.lock:
                text, cursor, base = area.text, area.cursor_location, area.disk.base_sha256
                if not area.dirty or (base is not None and text_sha256(text) == base):
                    return False  # saved meanwhile (or back to the saved text): nothing to keep
                try:
                    await asyncio.to_thread(
                        self.journal.write, path, text, base, cursor=cursor, now=self.clock()
                    )
                except OSError as exc:
                    self._failed([f"recovery journal for {path}: {exc.strerror or exc}"])
                    return False
            return True
        finally:
            self._journaling -= 1

    def _refresh_dirty_indicator(self) -> None:
        if self.failed:
            return
        if self.dirty_buffers():
            self._show(StatusBar.mark_dirty)
        else:
            self._show(lambda bar: bar.mark_saved(bar.last_saved) if bar.last_saved else None)

    # -- saving ------------------------------------------------------------------------------

    def _tick(self) -> None:
        # every tick, even when nothing changed: it refreshes the lock's heartbeat and lets
        # "Auto-saved Ns ago" mean "everything was safe N seconds ago"
        self.request_save("auto")

    def request_save(self, reason: str = "auto", *, interactive: bool = False) -> None:
        """Start a save pass in a worker; coalesces with one already running."""
        if not self.enabled or self._closing:
            return
        if interactive:
            self._deferred.clear()
        if self._busy:
            self._again = True
            self._again_interactive = self._again_interactive or interactive
            return
        self._busy = True
        job: Callable[[], Coroutine[None, None, SaveReport]] = self._save_loop
        self.app.run_worker(job, group="save", exit_on_error=False)  # type: ignore[arg-type]

    @property
    def busy(self) -> bool:
        """A save pass is running (tests wait on this instead of sleeping)."""
        return self._busy

    async def _save_loop(self) -> SaveReport:
        try:
            report = await self.save_all()
            while self._again:
                self._again = False
                if self._again_interactive:
                    self._deferred.clear()
                    self._again_interactive = False
                report = await self.save_all()
            return report
        finally:
            self._busy = False

    async def save_all(self) -> SaveReport:
        """Save every dirty buffer (asking about conflicts), then the session state."""
        report = SaveReport()
        for area in self.dirty_buffers():
            await self._save_buffer(area, report)
        try:
            await self.session.save()
        except OSError as exc:
            report.failures.append(f"session state: {exc.strerror or exc}")
        self.last_report = report
        if report.failures:
            self._failed(report.failures)
        else:
            self.failed = False
            self._quit_warned = False
            if report.deferred:
                self._show(StatusBar.mark_dirty)
            else:
                stamp = self.clock()
                self._show(lambda bar: bar.mark_saved(stamp))
                self._refresh_dirty_indicator()
        return report

    def _failed(self, failures: list[str]) -> None:
        first_time = not self.failed
        self.failed = True
        reason = "; ".join(failures)
        self._show(lambda bar: bar.mark_failed(reason))
        if first_time:
            self.app.notify(
                f"Could not save — {reason}. Nothing was discarded; ctrl+s retries.",
                title="Save failed",
                severity="error",
                timeout=10,
            )

    async def _save_buffer(self, area: BufferLike, report: SaveReport) -> None:
        path = area.path
        if path in self._deferred or asking_about(self.app, path.as_posix()):
            report.deferred.append(path)
            return
        pending = self._pending_for(path)
        async with pending.lock:
            text = area.text
            try:
                written = await asyncio.to_thread(area.disk.save, text, remember=self.remember)
            except SaveConflict as conflict:
                await self._resolve(area, text, conflict, report)
                return
            except OSError as exc:
                report.failures.append(f"{path}: {exc.strerror or exc}")
                return
            await self._after_write(area, text, written, report)

    async def _after_write(
        self, area: BufferLike, text: str, written: Written, report: SaveReport
    ) -> None:
        report.saved.append(written.path)
        editor = self._get_editor()
        if editor is not None:
            editor.mark_saved(area.path, text)
        # the journal entry goes only once the very same text is safely in a file
        with contextlib.suppress(OSError):
            await asyncio.to_thread(self.journal.discard_if_saved, area.path, text)

    async def _resolve(
        self, area: BufferLike, text: str, conflict: SaveConflict, report: SaveReport
    ) -> None:
        editor = self._get_editor()
        try:
            outcome = await resolve_conflict(
                self.app,
                area,
                text,
                conflict,
                editor=editor,
                journal=self.journal,
                remember=self.remember,
                now=self.clock(),
            )
        except OSError as exc:
            report.failures.append(f"{area.path}: {exc.strerror or exc}")
            return
        report.saved.extend(outcome.written)
        if outcome.choice is ConflictChoice.KEEP_MINE and editor is not None:
            editor.mark_saved(area.path, text)
        if outcome.choice is None:
            self._deferred.add(area.path)
            report.deferred.append(area.path)

    # -- quitting ----------------------------------------------------------------------------

    def save_everything_sync(self) -> list[str]:
        """The final save, on the loop, with no workers: buffers, journal, session.

        A buffer that cannot be written (conflict, disk error) is written to the journal so
        the next start offers it for recovery; nothing is overwritten without a choice.
        """
        problems: list[str] = []
        if not self.enabled:
            return problems
        editor = self._get_editor()
        for area in self.dirty_buffers():
            text = area.text
            try:
                area.disk.save(text, remember=self.remember)
            except (SaveConflict, OSError) as exc:
                problems.append(f"{area.path}: {exc}")
                try:
                    self.journal.write(
                        area.path,
                        text,
                        area.disk.base_sha256,
                        cursor=area.cursor_location,
                        now=self.clock(),
                    )
                except OSError as journal_exc:
                    problems.append(f"recovery journal for {area.path}: {journal_exc}")
                continue
            if editor is not None:
                editor.mark_saved(area.path, text)
            with contextlib.suppress(OSError):
                self.journal.discard_if_saved(area.path, text)
        try:
            self.session.save_sync()
        except OSError as exc:
            problems.append(f"session state: {exc}")
        return problems

    async def settle(self, timeout: float = 5.0) -> None:
        """Before the final save: start no more writes, let those in flight land first.

        A thread still writing an older snapshot must not land after the final save. A
        save waiting on a conflict question cannot finish while quitting; after
        ``timeout`` the final save goes ahead (that buffer's text is in the journal).
        """
        self._closing = True
        if self._autosave is not None:
            self._autosave.stop()
        for pending in self._pending.values():
            if pending.timer is not None:
                pending.timer.stop()
                pending.timer = None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (self._busy or self._journaling) and loop.time() < deadline:
            await asyncio.sleep(0.01)

    def _resume(self) -> None:
        """Quitting was called off: carry on saving as before."""
        self._closing = False
        if self.enabled:
            self._autosave = self.app.set_interval(self.interval, self._tick, name="auto-save")

    def confirm_quit(self) -> bool:
        """ctrl+q: save synchronously; if something could not be saved, ask for a second press.

        The unsaved text is already in the journal, so quitting anyway loses nothing — but the
        writer should know their file does not hold it.
        """
        if not self.enabled or self.leave_untouched:
            return True
        problems = self.save_everything_sync()
        if problems and not self._quit_warned:
            self._quit_warned = True
            self._failed(problems)
            self.app.notify(
                "Some text could not be saved to its file (it is kept in the recovery journal "
                "and offered next time). Press ctrl+q again to quit anyway.",
                title="Not everything was saved",
                severity="error",
                timeout=15,
            )
            self._resume()
            return False
        return True

    def _on_signal(self, sig: int) -> None:
        """SIGTERM/SIGHUP: no one can answer a question now — save what can be, then go.

        Everything runs in the app's own context: writes in flight land first (briefly), then
        the writer's text is saved, then the watcher stops and the session closes cleanly.
        """
        self.app.call_later(self._exit_after_signal, sig)

    async def _exit_after_signal(self, sig: int) -> None:
        # brief: the sender may follow with SIGKILL; the journal is at most ~1 s old anyway
        await self.settle(timeout=2.0)
        self.save_everything_sync()  # the writer's text first, before anything else
        if self._before_exit is not None:
            await self._before_exit()
        if self._final is not None:
            self._final()
        elif self.enabled and not self.leave_untouched:
            self.session.close_sync()
        self.stop()
        self.app.exit(return_code=128 + sig)
