"""The snapshot worker: one at a time, in a thread, never in the way of a save or a key.

Requests arrive on the event loop (after an auto-save that wrote something, at start and
close, before an AI rewrite, a recovery, an outside change taken or a restore, and by hand)
and only queue: a single worker takes them in order in a thread. Auto-save requests that
pile up while one runs merge into one (only the newest state matters); every other request
is kept, since each marks a moment the writer may want back. A request that must be on disk
before something happens (a restore) is awaited with :meth:`SnapshotKeeper.take`.

The first run also moves the earlier ``.session/versions/`` copies into the history
(``store/snapshots/migrate.py``). A failure is told once and never stops the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.store.snapshots.triggers import COALESCING, Trigger

if TYPE_CHECKING:
    from writers_factory.store.snapshots.taker import Snapshotter
    from writers_factory.tui.controllers.ports import UI
    from writers_factory.tui.workspace import Workspace


@dataclass
class Request:
    trigger: str
    message: str = ""
    overrides: dict[str, str] | None = None
    done: list[asyncio.Future[str | None]] = field(default_factory=list)


class SnapshotKeeper:
    """Implements the :class:`~writers_factory.tui.controllers.ports.Snapshots` port."""

    def __init__(self, workspace: Workspace, ui: UI) -> None:
        self.workspace = workspace
        self.ui = ui
        self.enabled = True
        self.taken: list[str] = []
        """Ids taken by this app, oldest first (tests and the history screen read it)."""
        self._queue: list[Request] = []
        self._running = False
        self._snapshotter: Snapshotter | None = None
        self._warned = False
        self.started = datetime.now(UTC)
        """Copies in ``versions/`` older than this are migrated at the first snapshot."""

    @property
    def busy(self) -> bool:
        """A snapshot is queued or being taken (tests wait on this, never sleep)."""
        return self._running or bool(self._queue)

    def disable(self) -> None:
        self.enabled = False

    def request(
        self, trigger: str, *, message: str = "", overrides: dict[str, str] | None = None
    ) -> None:
        self._enqueue(Request(str(trigger), message, overrides))

    async def take(
        self, trigger: str, *, message: str = "", overrides: dict[str, str] | None = None
    ) -> str | None:
        future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._enqueue(Request(str(trigger), message, overrides, [future]))
        return await future

    def _enqueue(self, request: Request) -> None:
        if not self.enabled or self.workspace.read_only:
            for future in request.done:
                future.set_result(None)
            return
        last = self._queue[-1] if self._queue else None
        if (
            last is not None
            and request.trigger in COALESCING
            and last.trigger == request.trigger
            and not request.overrides
            and not last.overrides
        ):
            last.done += request.done  # the waiting auto-save will record the newest state
        else:
            self._queue.append(request)
        if not self._running:
            self._running = True
            self.ui.start(self._drain, group="snapshots")

    async def _drain(self) -> None:
        request: Request | None = None
        try:
            while self._queue:
                request = self._queue.pop(0)
                try:
                    ident = await asyncio.to_thread(self._take, request)
                except Exception as exc:  # a snapshot never takes the app down
                    for future in request.done:
                        if not future.done():
                            future.set_exception(exc)
                    self._failed(exc)
                    continue
                for future in request.done:
                    if not future.done():
                        future.set_result(ident)
        finally:
            self._running = False
            # cancelled (the app is closing): nobody waits forever, the one in flight included
            for waiting in [*([request] if request is not None else []), *self._queue]:
                for future in waiting.done:
                    if not future.done():
                        future.set_result(None)

    def _take(self, request: Request) -> str | None:
        """In the worker's thread."""
        if self._snapshotter is None:
            from writers_factory.store.snapshots.migrate import migrate_versions
            from writers_factory.store.snapshots.taker import Snapshotter

            snapshotter = Snapshotter(self.workspace.project)
            with contextlib.suppress(OSError, ValueError):
                migrate_versions(snapshotter, before=self.started)
            self._snapshotter = snapshotter
        started = time.perf_counter()
        try:
            info = self._snapshotter.take(
                request.trigger, message=request.message, overrides=request.overrides
            )
        except Exception:
            self.workspace.metrics.count("snapshot_failures")
            raise
        if info is None:
            return None
        self.workspace.metrics.count("snapshots")
        self.workspace.metrics.observe("snapshot", (time.perf_counter() - started) * 1000)
        self.taken.append(info.id)
        return info.id

    def _failed(self, exc: BaseException) -> None:
        if self._warned:
            return
        self._warned = True
        self.ui.notify(
            f"A snapshot could not be taken ({exc}); your files are saved as usual.",
            title="Snapshots",
            severity="warning",
            timeout=10,
        )

    async def settle(self, timeout: float = 10.0) -> None:
        """Let the queued snapshots land (before the close snapshot and the exit)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.busy and loop.time() < deadline:
            await asyncio.sleep(0.01)

    async def close(self, timeout: float = 10.0) -> None:
        """The shutdown path: the queued snapshots, then the book as it is left. Bounded:
        a disk that hangs must not keep the writer from quitting (the files are saved)."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.take(Trigger.SESSION_CLOSE), timeout)
        self.enabled = False
        self.release()

    def release(self) -> None:
        """Close the pack files the worker's repository holds open (the app is closing);
        left to the interpreter's exit, their finalisers fail noisily. Not while a snapshot
        is being taken: that one closes nothing it still reads."""
        if self._snapshotter is not None and not self._running:
            self._snapshotter.repository.close()


def relative_key(path: Path) -> str:
    """The tree path of a project-relative file."""
    return Path(path).as_posix()
