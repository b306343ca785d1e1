"""The running session's entry in ``history.json``: words, files, activity, written as it goes.

A crash must not cost the writer the statistics of the session it interrupted, so the entry
is opened at start (``begin``), updated in memory as the writer works, and written whenever
a buffer was saved (that is, at each auto-save), after significant actions and on a timer;
quitting ends it and writes it synchronously.

Words are counted per manuscript file by :func:`word_delta` between the text at the last
count and the bytes being saved. The count runs in the save's own worker thread (the
``remember`` hook every buffer save calls just before writing), so a long chapter never
stalls typing; the numbers are handed to the loop, where the history lives. A file the app
writes whole for the first time (the "my copy" of a conflict) adds no words: they were the
writer's words of another file. Whenever a buffer's text equals its file again (opened,
reloaded, taken from disk) the count restarts from that text, so words someone else wrote
are never credited to the writer.

Pasted text is counted apart (``pasted``): the editor tells each paste, and each paste
undone or redone, as it happens; the save's thread counts those texts and records how many
of the words it found added came by pasting (or, for a paste undone, how many of those
removed went with it). "Today" is then the net change of typed words: typing 46 words and
undoing them leaves 0, and pasting a chapter does not meet the day's target.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from writers_factory.core.statistics import day_totals, local_zone
from writers_factory.core.targets import progress
from writers_factory.core.wordcount import count_words, word_delta
from writers_factory.store.history.history import SessionHistory
from writers_factory.store.manuscript.buffers import ENCODING

if TYPE_CHECKING:
    from textual.timer import Timer

    from writers_factory.core.common_ends import CommonEnds
    from writers_factory.tui.controllers.ports import UI, Views
    from writers_factory.tui.workspace import Workspace

Clock = Callable[[], datetime]

ACTIVITY_EVERY = 20.0
"""Seconds between two activity records while typing: idle time is measured in minutes."""
SAVE_EVERY = 30.0
"""The history is written at least this often while something changed: the auto-save
interval (preferences' ``auto_save_interval`` when they are loaded; :meth:`set_interval`
follows a change made while the app runs)."""
WORD_FOLDERS = ("manuscript",)
"""Where words count towards the daily target; notes in reference/ and planning/ do not."""
TRACKED_FOLDERS = ("manuscript", "reference", "planning", "output")
"""Where files created and modified are listed in the session's history entry (a report in
``output/reports/`` as much as a chapter); the project watcher watches the same folders."""


def _now() -> datetime:
    return datetime.now(UTC)


def _key(path: Path) -> str:
    return os.path.normpath(os.path.abspath(os.fspath(path)))


class WritingActivity:
    """Feeds the workspace's :class:`SessionHistory`; one per running app."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        views: Views,
        *,
        save_every: float = SAVE_EVERY,
        clock: Clock = _now,
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.save_every = save_every
        self.clock = clock
        self._lock = threading.Lock()  # guards _baselines (save threads read them)
        self._baselines: dict[str, str] = {}
        self._pastes: dict[str, list[tuple[str, int]]] = {}
        """Per file, pastes since its last count: (text, +1 pasted / -1 undone)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._last_activity: float | None = None
        self._saving = False
        self._again = False
        self._warned = False
        self._closed = False
        self._timer: Timer | None = None

    # ------------------------------------------------------------------ life cycle
    @property
    def history(self) -> SessionHistory | None:
        """This session's history (``workspace.history``), once :meth:`start` loaded it."""
        return self.workspace.history

    @property
    def active(self) -> bool:
        """A session entry is open and written (not read-only, not yet ended)."""
        history = self.history
        return history is not None and history.current is not None and not history.read_only

    async def start(self) -> None:
        """Load the history (in a thread) and open this session's entry in it."""
        session = self.workspace.session
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        root, read_only = session.paths.root, session.read_only
        try:
            history = await asyncio.to_thread(
                lambda: SessionHistory(root, read_only=read_only, clock=self.clock)
            )
        except OSError as exc:
            self.ui.notify(
                f"Writing statistics are off: {root / 'history.json'} could not be read ({exc}).",
                severity="warning",
                timeout=12,
            )
            return
        for problem in history.problems:
            self.ui.notify(problem.describe(), severity="warning", timeout=12)
        self.workspace.history = history
        if not read_only:
            history.begin(session.session_id, session.data.started_at)
            await self.save()
        if self.workspace.has_preferences:
            self.save_every = self.workspace.preferences.data.auto_save_interval
        self._timer = self.ui.every(self.save_every, self._tick, name="history")
        self.refresh_progress()

    def set_interval(self, seconds: float) -> None:
        """Write the history every ``seconds`` from now on (the auto-save interval changed)."""
        self.save_every = seconds
        if self._timer is not None:
            self._timer.stop()
            self._timer = self.ui.every(seconds, self._tick, name="history")

    def close_sync(self) -> None:
        """Quit: end the entry and write it now (workers are gone). Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        history = self.history
        if history is None or not self.active:
            return
        history.end(self.clock())
        try:
            history.save_sync()
        except OSError as exc:
            self.ui.notify(f"history.json could not be written: {exc}", severity="error")

    # ------------------------------------------------------------------ what happened
    def edited(self, path: Path, disk_text: str | None = None) -> None:
        """The writer changed an open buffer (``path`` project-relative); ``disk_text`` when
        its text is the file's again (undone): the count restarts from that text."""
        if disk_text is not None:
            with self._lock:
                self._baselines[_key(self.workspace.project / path)] = disk_text
            return
        if not self.active or self._loop is None:
            return
        now = self._loop.time()
        if self._last_activity is None or now - self._last_activity >= ACTIVITY_EVERY:
            self._last_activity = now
            assert self.history is not None
            self.history.record_activity(self.clock())

    def pasted(self, path: Path, text: str, *, undone: bool = False) -> None:
        """Text was pasted into the buffer of ``path`` (project-relative), or a paste undone."""
        key = _key(self.workspace.project / path)
        with self._lock:
            self._pastes.setdefault(key, []).append((text, -1 if undone else 1))

    def _take_pasted(self, key: str) -> int:
        """Net words pasted into ``key`` since its last count (in the save's thread)."""
        with self._lock:
            pastes = self._pastes.pop(key, [])
        return sum(sign * count_words(text) for text, sign in pastes)

    def rebase(self, path: Path, text: str) -> None:
        """The buffer of ``path`` (absolute) now shows ``text`` taken from disk."""
        with self._lock:
            self._baselines[_key(path)] = text

    def saved(
        self,
        path: Path,
        data: bytes,
        previous: bytes | None = None,
        text: str | None = None,
        ends: CommonEnds | None = None,
    ) -> None:
        """Called with the exact bytes just before the app writes them, what the file held
        when the save read it (``previous``), the text the save encoded (``text``: a whole
        novel is not decoded back) and what it shares with the text written before
        (``ends``, used when that text is the one last counted); in the save's thread,
        never the loop's (but for the synchronous last resort, when no thread may be
        waited for)."""
        key = _key(path)
        if not self._counts_words(key):
            if self._tracked(key):  # a note or a report: listed, its words not counted
                self._on_loop(self._record_save, Path(key), 0, 0)
            return
        if text is None:
            text = data.decode(ENCODING, errors="replace")
        with self._lock:
            baseline = self._baselines.get(key)
        if baseline is None and previous is not None:
            baseline = previous.decode(ENCODING, errors="replace")
        if baseline is None:
            # first save of the file this session: the disk still holds what was opened
            try:
                baseline = Path(key).read_bytes().decode(ENCODING, errors="replace")
            except FileNotFoundError:
                with self._lock:  # a new file written whole: a copy, not new writing
                    self._baselines[key] = text
                return
            except OSError:
                baseline = ""
        added, removed = word_delta(baseline, text, ends)
        pasted = self._take_pasted(key)
        # only words that did arrive (or go) count as pasted: a paste over a selection of
        # the same words adds nothing
        pasted = min(pasted, added) if pasted > 0 else -min(-pasted, removed)
        with self._lock:
            self._baselines[key] = text
        self._on_loop(self._record_save, Path(key), added, removed, pasted)

    def outside_change(self, kind: str, path: Path, dest: Path | None = None) -> None:
        """A file changed outside the app (from the project watcher)."""
        if not self.active:
            return
        assert self.history is not None
        target = dest if kind == "moved" and dest is not None else path
        if not self._tracked(_key(target)):
            return
        if kind in ("created", "moved"):
            self.history.record_file_created(target)
        elif kind == "modified":
            self.history.record_file_modified(target)

    def outside_changes(self, changes: list[tuple[str, str, str | None]]) -> None:
        """A batch of outside changes as ``(kind, path, dest)``, project-relative POSIX
        paths (from the project watcher): one history update for the whole batch."""
        if not self.active:
            return
        assert self.history is not None
        created: list[str] = []
        modified: list[str] = []
        for kind, path, dest in changes:
            target = dest if kind == "moved" and dest is not None else path
            if target.split("/", 1)[0] not in TRACKED_FOLDERS:
                continue
            if kind in ("created", "moved"):
                created.append(target)
            elif kind == "modified":
                modified.append(target)
        if created or modified:
            self.history.record_files(created=created, modified=modified)

    def significant(self, kind: str, path: Path | None) -> None:
        """After a significant action: note created files, then write the history."""
        if not self.active:
            return
        assert self.history is not None
        if kind in ("file_created", "file_restored") and path is not None:
            absolute = self.workspace.project / path
            if self._tracked(_key(absolute)):
                self.history.record_file_created(absolute)
        self.save_soon()

    def record_operation(self, op_type: str, cost: Decimal) -> None:
        """For the AI layer: one operation of ``op_type`` that cost ``cost`` dollars."""
        if self.active:
            assert self.history is not None
            self.history.record_operation(op_type, cost)
            self.save_soon()

    # ------------------------------------------------------------------ saving
    def save_soon(self) -> None:
        """Write the history in a worker; coalesces with a write already running."""
        if not self.active:
            return
        if self._saving:
            self._again = True
            return
        self._saving = True
        # A callable, not a coroutine: nothing is left un-awaited if the app is shutting down.
        self.ui.start(self._save_loop, group="history")

    @property
    def busy(self) -> bool:
        """A history write is running or asked for (tests and the kill harness wait on this).

        Not "the history has changes": typing only notes the writer's activity, which the
        next timed write takes along; counting it as busy held a caller for a whole
        auto-save interval whenever a keystroke landed after a write.
        """
        return self._saving

    async def _save_loop(self) -> None:
        try:
            await self.save()
            while self._again:
                self._again = False
                await self.save()
        finally:
            self._saving = False

    async def save(self) -> bool:
        history = self.history
        if history is None or history.read_only:
            return False
        try:
            return await history.save()
        except OSError as exc:
            if not self._warned:
                self._warned = True
                self.ui.notify(
                    f"history.json could not be written ({exc}); statistics are kept in "
                    "memory and written again at the next auto-save.",
                    severity="warning",
                    timeout=10,
                )
            return False

    def _tick(self) -> None:
        self.refresh_progress()  # also rolls over at midnight
        self.save_soon()

    # ------------------------------------------------------------------ showing
    def daily_target(self) -> int | None:
        workspace = self.workspace
        return workspace.preferences.data.daily_word_target if workspace.has_preferences else None

    def progress(self) -> tuple[str, str]:
        """The status bar's "Today …" line and its tooltip."""
        if self.history is None:
            return "", ""
        # imported once there is a history to show (after start-up), not with the app
        from writers_factory.tui.progress_line import session_progress

        text, tooltip = session_progress(self.history, self.daily_target())
        target = (
            self.workspace.preferences.data.targets.session_words
            if self.workspace.has_preferences
            else None
        )
        session = progress("session", self.typed_words()[1], target, label="This session")
        if session is not None:
            tooltip += "\n" + session.text()
        return text, tooltip

    def progress_text(self) -> str:
        return self.progress()[0]

    def typed_words(self) -> tuple[int, int]:
        """(today, this session): net typed words so far (as the statistics count them)."""
        history = self.history
        if history is None:
            return 0, 0
        zone = local_zone()
        day = datetime.now(zone).date()
        today = day_totals(history.sessions, history.yearly, day, zone)[0]
        entry = history.current
        session = 0
        if entry is not None:
            session = entry.words_added - entry.words_removed - entry.words_pasted
        return today, session

    def refresh_progress(self) -> None:
        bar = self.views.status
        if bar is not None:
            bar.set_progress(*self.progress())

    def show_statistics(self) -> None:
        from writers_factory.tui.screens.statistics import StatisticsScreen

        if self.history is None:
            self.ui.notify("Writing statistics are not available yet.")
            return
        if self.ui.showing(StatisticsScreen):
            return
        self.ui.show(StatisticsScreen(self.history, self.daily_target()))

    # ------------------------------------------------------------------ internals
    def _counts_words(self, key: str) -> bool:
        return self._folder_of(key) in WORD_FOLDERS

    def _tracked(self, key: str) -> bool:
        return self._folder_of(key) in TRACKED_FOLDERS

    def _folder_of(self, key: str) -> str | None:
        """The project folder ``key`` (an absolute, normalised path) lies in, if any."""
        try:
            relative = Path(key).relative_to(_key(self.workspace.project))
        except ValueError:
            return None
        return relative.parts[0] if len(relative.parts) > 1 else None

    def _record_save(self, path: Path, added: int, removed: int, pasted: int = 0) -> None:
        if not self.active:
            return
        assert self.history is not None
        if added or removed:
            self.history.record_words(added, removed, pasted)
        self.history.record_file_modified(path)
        self.refresh_progress()
        self.save_soon()

    def _on_loop(self, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func`` on the event loop: at once when already there (the final save)."""
        loop = self._loop
        if loop is None:
            return
        if threading.get_ident() == self._loop_thread:
            func(*args)
            return
        with contextlib.suppress(RuntimeError):  # loop closed: the app has gone
            loop.call_soon_threadsafe(func, *args)
