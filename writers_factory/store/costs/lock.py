"""One writer of the cost files at a time, across processes: an OS lock on ``costs/.lock``.

Two Writers Factory processes on one project (two windows, a script and the app) may both log
operations. Each takes this lock around "read what is on disk, append, write the chunk and
``costs.json``", so an append by one is read by the other before it writes: nothing
acknowledged is overwritten, and no file is mistaken for one edited outside the app.

``fcntl.flock`` is released by the OS when the process dies, so a crash never leaves the lock
held. Where ``fcntl`` does not exist (Windows) the lock does nothing and the cost files must
have one writer, as before.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from writers_factory.store.costs.errors import CostsBusyError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

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

    def _acquire(self) -> int | None:
        if fcntl is None:  # pragma: no cover - Windows
            return None
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        started = time.monotonic()
        pause = 0.001
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    waited = time.monotonic() - started
                    if waited >= self.wait:
                        raise CostsBusyError(self.path, waited) from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.005)
        except BaseException:
            os.close(fd)
            raise

    def _release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
