"""One writer of the cost files at a time, across processes: an OS lock on ``costs/.lock``.

Two Writers Factory processes on one project (two windows, a script and the app) may both log
operations. Each takes this lock around "read what is on disk, append, write the chunk and
``costs.json``", so an append by one is read by the other before it writes: nothing
acknowledged is overwritten, and no file is mistaken for one edited outside the app.

The lock is the store's one OS lock (:mod:`writers_factory.store.base.oslock`: ``flock`` on
POSIX, ``msvcrt.locking`` on Windows), released by the system when the process dies, so a
crash never leaves it held.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from writers_factory.store.base import oslock
from writers_factory.store.costs.errors import CostsBusyError

WAIT = 30.0
"""How long to wait for another process's write (a rebuild at 100,000 operations takes a
few seconds; a normal write a few milliseconds)."""


class CostsLock:
    """Re-entrant within one tracker, exclusive between trackers and processes."""

    def __init__(self, path: Path, *, wait: float = WAIT) -> None:
        self.path = path
        self.wait = wait
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                self._fd = self._acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    def _acquire(self) -> int:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = oslock.open_lock_file(self.path)
        try:
            oslock.lock(fd, timeout=self.wait, path=self.path)
        except oslock.LockWaitTimeout as exc:
            os.close(fd)
            raise CostsBusyError(self.path, exc.waited) from None
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            oslock.unlock(fd)
        finally:
            os.close(fd)
