"""The project watcher: watchdog's threads on one side, the app's event loop on the other.

Events are folded per path by the :class:`Coalescer` on watchdog's own thread, as they come;
the loop is woken with ``call_soon_threadsafe`` once per burst, not per event, and only to
time the delivery: a batch goes out once the tree has been quiet for ``debounce`` seconds (or
at the latest ``4 x debounce`` after the first event of a batch, so a long burst still shows
progress). A worker thread takes the batch and drops created/modified files whose bytes are
exactly what the app itself wrote (reading and hashing them there). So a burst of a thousand
files costs the loop a few timer calls and one call of ``on_changes`` with the whole batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.watch.changes import ChangeKind, FileChange, RawEvent
from writers_factory.watch.coalesce import Coalescer
from writers_factory.watch.known import KnownContent

if TYPE_CHECKING:
    from writers_factory.watch.bridge import Bridge

logger = logging.getLogger(__name__)

DEFAULT_FOLDERS: tuple[str, ...] = ("manuscript", "reference", "planning")
STOP_TIMEOUT = 2.0
"""How long stop() waits for watchdog's threads and the last delivery; they are daemon
threads, so even a stuck one cannot keep the app from exiting."""


def _folder_names(folders: Iterable[str]) -> tuple[str, ...]:
    names = tuple(folders)
    for name in names:
        if not name or name in (".", "..") or "/" in name or os.sep in name:
            raise ValueError(f"watched folder {name!r} must be a plain folder name in the project")
    return names


class ProjectWatcher:
    """Reports changes made outside the app to the project's writing folders.

    ``on_changes`` is always called on the loop that ran :meth:`start`, with a non-empty
    list of :class:`FileChange`; an exception it raises is logged and the watcher goes on.
    """

    def __init__(
        self,
        project_root: Path,
        known: KnownContent,
        on_changes: Callable[[list[FileChange]], None],
        *,
        folders: Iterable[str] = DEFAULT_FOLDERS,
        debounce: float = 0.25,
    ) -> None:
        self._root = Path(os.path.abspath(project_root))
        self._known = known
        self._on_changes = on_changes
        self._folders = _folder_names(folders)
        self._debounce = max(0.0, float(debounce))
        self._max_wait = max(4 * self._debounce, 0.05)
        self._running = False
        self._closing = False
        self._lifecycle = asyncio.Lock()  # start and stop never interleave
        self._bridge: Bridge | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: asyncio.Task[None] | None = None
        self._due = asyncio.Event()
        self._timer: asyncio.TimerHandle | None = None
        self._first_at: float | None = None
        # Shared with watchdog's threads and the delivery's worker thread: guarded by _lock.
        self._lock = threading.Lock()
        self._coalescer = Coalescer()
        self._wake_pending = False
        self._generation = 0

    @property
    def project_root(self) -> Path:
        """The project folder, absolute: the paths of every change are under it."""
        return self._root

    @property
    def running(self) -> bool:
        """True between a finished :meth:`start` and :meth:`stop`."""
        return self._running

    @property
    def pending(self) -> int:
        """Paths with changes seen but not yet delivered (waiting out the debounce)."""
        with self._lock:
            return len(self._coalescer)

    async def start(self) -> None:
        """Start watching; changes from now on are reported. Does nothing if running.

        Raises ``FileNotFoundError`` naming the project folder if it does not exist, and
        ``OSError`` if the system refuses more watches (inotify limits).
        """
        async with self._lifecycle:
            if not self._running:
                await self._start()

    async def _start(self) -> None:
        from writers_factory.watch.bridge import scan_tree, start_bridge

        loop = asyncio.get_running_loop()
        existing = await asyncio.to_thread(scan_tree, self._root, self._folders)
        self._loop = loop
        self._due = asyncio.Event()
        self._closing = False
        self._first_at = None
        with self._lock:
            self._coalescer = Coalescer(existing)
            self._generation += 1
            generation = self._generation
            self._wake_pending = False

        def post(events: list[RawEvent]) -> None:
            self._post(generation, events)

        self._runner = loop.create_task(self._run(), name=f"watch {self._root}")
        try:
            self._bridge = await asyncio.to_thread(start_bridge, self._root, self._folders, post)
        except BaseException:
            self._closing = True
            self._due.set()
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
            self._runner = None
            raise
        self._running = True

    async def stop(self) -> None:
        """Stop watching: deliver what was already seen, join watchdog's threads.

        Idempotent; returns within a few seconds even if a thread is stuck.
        """
        async with self._lifecycle:
            if self._running:
                await self._stop()

    async def _stop(self) -> None:
        self._running = False
        bridge, self._bridge = self._bridge, None
        if bridge is not None and not await self._stop_bridge(bridge):
            logger.warning("file observer for %s did not stop in time", self._root)
        with self._lock:  # what was folded stays: the last delivery takes it
            self._generation += 1
            self._wake_pending = False
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._closing = True
        self._due.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            try:
                await asyncio.wait_for(runner, STOP_TIMEOUT)
            except TimeoutError:
                logger.warning("last file changes for %s were not delivered in time", self._root)

    # -- watchdog threads -> loop ---------------------------------------------------------

    def _post(self, generation: int, events: list[RawEvent]) -> None:
        """Called on watchdog's threads: fold the events in here, wake the loop once per
        burst (the loop never looks at a single event)."""
        with self._lock:
            if generation != self._generation:
                return  # from an observer that has been stopped
            for event in events:
                self._coalescer.apply(event)
            if self._wake_pending or not len(self._coalescer):
                return
            self._wake_pending = True
            loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # loop closed: the app is exiting
            loop.call_soon_threadsafe(self._drain, generation)

    def _drain(self, generation: int) -> None:
        """On the loop, once per burst: (re)time the delivery."""
        with self._lock:
            if generation != self._generation:
                return
            self._wake_pending = False
            waiting = len(self._coalescer) > 0
        if waiting:
            self._arm()

    def _arm(self) -> None:
        """Flush after a quiet spell, but never later than max_wait after the first event."""
        assert self._loop is not None
        now = self._loop.time()
        if self._first_at is None:
            self._first_at = now
        deadline = min(now + self._debounce, self._first_at + self._max_wait)
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_at(deadline, self._due.set)

    # -- delivery on the loop -------------------------------------------------------------

    async def _run(self) -> None:
        while not (self._closing and not self.pending):
            if not self._closing:
                await self._due.wait()
            self._due.clear()
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._first_at = None
            changes = await asyncio.to_thread(self._take)
            if changes:
                try:
                    self._on_changes(changes)
                except Exception:
                    logger.exception("handling file changes in %s failed", self._root)

    def _take(self) -> list[FileChange]:
        """Worker thread: take the folded batch; keep the changes the app did not write."""
        with self._lock:
            batch = self._coalescer.take()
        if not batch:
            return []
        try:
            return self._drop_own_writes(batch)
        except Exception:
            # Telling the app about its own write is harmless; losing a change is not.
            logger.exception("could not compare changed files in %s", self._root)
            return batch

    def _drop_own_writes(self, batch: list[FileChange]) -> list[FileChange]:
        """Worker thread: keep only the changes whose content the app did not write."""
        return [change for change in batch if not self._is_own_write(change)]

    def _is_own_write(self, change: FileChange) -> bool:
        if change.is_directory or change.kind not in (ChangeKind.CREATED, ChangeKind.MODIFIED):
            return False  # deletions and moves are always news; the app records its own
        size = self._known.size_of(change.path)
        if size is None:
            return False
        try:
            if change.path.stat().st_size != size:
                return False
            data = change.path.read_bytes()
        except OSError:
            return False  # gone again already: its deletion is on the way
        return self._known.matches(change.path, data)

    async def _stop_bridge(self, bridge: Bridge) -> bool:
        """Stop the observer on a daemon thread, so a stuck join can never block exit."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[bool] = loop.create_future()

        def finish(stopped: bool) -> None:
            if not done.done():
                done.set_result(stopped)

        def work() -> None:
            stopped = False
            try:
                stopped = bridge.stop(STOP_TIMEOUT)
            finally:
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(finish, stopped)

        thread = threading.Thread(target=work, name="watch-stop", daemon=True)
        thread.start()
        try:
            stopped = await asyncio.wait_for(done, STOP_TIMEOUT + 1.0)
        except TimeoutError:
            return False
        # It has handed over its result and is returning: let it finish, off the loop.
        await asyncio.to_thread(thread.join, 1.0)
        return stopped
