"""An exclusive OS lock on a file, the same on Linux, macOS and Windows.

Three parts of the store decide "one writer at a time, across processes" with it: the
project's owner (``.session/lock.flock``), the cost files (``costs/.lock``) and the snapshot
repository (``snapshots.git/writer.lock``). Each needs the one property a lock file with a pid
inside cannot give: the system drops the lock when the process dies, even by ``kill -9``, so
a crash never leaves it held.

POSIX uses ``fcntl.flock`` on the whole file; Windows uses ``msvcrt.locking`` on the file's
first byte (a lock may lie past the end of an empty file), which Windows also releases when
the process ends. Both are exclusive between two opens of the file, in one process or two.
Windows' lock is mandatory for that byte, which matters to nobody: the lock files are empty
and never read.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from pathlib import Path

UNSUPPORTED_ERRNOS = frozenset(
    {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL, errno.ENOSYS}
)
"""Errors of a filesystem that has no locks (some network filesystems): not "busy"."""


class LockWaitTimeout(TimeoutError):
    """Another process held the lock for longer than the caller would wait."""

    def __init__(self, path: Path | None, waited: float) -> None:
        super().__init__(f"{path or 'lock'}: still held by another process after {waited:.1f} s")
        self.path = path
        self.waited = waited


def open_lock_file(path: Path) -> int:
    """Open (creating, 0600) the lock file; never through a symbolic link where the system
    can refuse one, and never inherited by a child process."""
    flags = (
        os.O_RDWR
        | os.O_CREAT
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_BINARY", 0)
        | getattr(os, "O_NOINHERIT", 0)
    )
    return os.open(path, flags, 0o600)


if sys.platform == "win32":
    import msvcrt

    def try_lock(fd: int) -> bool:
        """Take the lock without waiting: True when taken, False when another holds it."""
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True

    def unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _block(fd: int) -> None:
        pause = 0.001
        while not try_lock(fd):
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

else:
    import fcntl

    def try_lock(fd: int) -> bool:
        """Take the lock without waiting: True when taken, False when another holds it."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _block(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)


def lock(fd: int, *, timeout: float | None = None, path: Path | None = None) -> None:
    """Take the lock, waiting for another holder; ``timeout`` None waits as long as it takes,
    otherwise :class:`LockWaitTimeout` after that many seconds (``path`` names it)."""
    if timeout is None:
        _block(fd)
        return
    started = time.monotonic()
    pause = 0.001
    while not try_lock(fd):
        waited = time.monotonic() - started
        if waited >= timeout:
            raise LockWaitTimeout(path, waited)
        time.sleep(pause)
        pause = min(pause * 2, 0.005)
