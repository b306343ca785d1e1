"""Who owns a project right now, and did the last owner close cleanly?

Two layers:

* **The OS lock** (``.session/lock.flock``, :mod:`~writers_factory.store.base.oslock`:
  ``flock`` on POSIX, ``msvcrt.locking`` on Windows) decides who is the writer. It
  is taken atomically and held for the life of the process; the kernel drops it when the
  process dies, even by ``kill -9``. Two starts at the same instant, or two starts over a
  stale lock, therefore yield exactly one owner: whoever gets the OS lock. The file stays in
  place (removing it would let a third process lock a new file while a second waits on the
  old one).
* **``lock.json``** says who the owner is: pid, host, user, boot time, the process's
  creation time, start time and a heartbeat. Left behind, it means the previous session did
  not close cleanly; whether its owner is still running decides between "interrupted" (offer
  recovery) and "second instance" (offer read-only). A lock from another host (a synced
  folder) cannot be checked from here, so it is reported with its host and age and the
  caller decides.

Whoever holds the OS lock still reads ``lock.json`` with the liveness checks below, for an
owner that takes no OS lock (an older Writers Factory) and for filesystems without locks
(some network filesystems: then the checks are all there is, and taking the lock is not
atomic).
"""

from __future__ import annotations

import contextlib
import enum
import getpass
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import Field, ValidationError

from writers_factory.store.base import oslock
from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.jsonfile import describe_validation, read_file
from writers_factory.store.base.model_base import StoreDatetime, StoreModel
from writers_factory.store.base.processes import (
    boot_time,
    pid_alive,
    process_created,
    same_process,
)
from writers_factory.store.base.serialisers import DecodeError, dumps, loads


class TakenOver(StoreModel):
    """Whose lock a take-over replaced: the writer it displaced learns of it from here."""

    KIND = "lock take-over"

    pid: int = Field(gt=0, lt=2**31)
    host: str
    user: str = ""
    session_id: str = ""
    author: str = ""
    at: StoreDatetime


class LockInfo(StoreModel):
    KIND = "lock"

    pid: int = Field(gt=0, lt=2**31)
    host: str
    user: str = ""
    boot_time: StoreDatetime | None = None
    process_start: int | None = Field(
        default=None, description="Linux start ticks of pid (written by older versions only)"
    )
    process_created: float | None = Field(
        default=None, description="when pid was created, seconds since the epoch (any system)"
    )
    started_at: StoreDatetime
    heartbeat_at: StoreDatetime
    session_id: str = ""
    author: str = ""
    """The co-author writing (``--author``); empty for the single-writer layout."""
    taken_over_from: TakenOver | None = None
    """Set when this owner took the project over from a lock it could not prove dead."""

    def describe_owner(self) -> str:
        """Who and where, for the "someone else has this project" question:
        ``Ann (ann@desk)`` with an author, ``ann@desk`` without."""
        who = f"{self.user}@{self.host}" if self.user else self.host
        return f"{self.author} ({who})" if self.author else who

    def age_seconds(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.heartbeat_at).total_seconds()

    def same_owner(self, other: LockInfo) -> bool:
        """The same run of the same process: host, pid and session id all agree."""
        return (self.host, self.pid, self.session_id) == (other.host, other.pid, other.session_id)

    def displaced(self, moment: datetime) -> TakenOver:
        """The record a take-over of this lock leaves in the new one."""
        return TakenOver(
            pid=self.pid,
            host=self.host,
            user=self.user,
            session_id=self.session_id,
            author=self.author,
            at=moment,
        )


class LockState(enum.StrEnum):
    FREE = "free"  # no lock: the last session closed cleanly (or there was none)
    STALE = "stale"  # our host, owner dead: the last session was interrupted
    LIVE = "live"  # our host, owner running: this would be a second instance
    FOREIGN = "foreign"  # another host: cannot tell; caller decides
    UNREADABLE = "unreadable"  # damaged lock file: treated as an interrupted session


@dataclass(frozen=True)
class LockCheck:
    state: LockState
    info: LockInfo | None
    reason: str = ""


def hostname() -> str:
    return socket.gethostname()


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else ""


def read_lock(path: Path) -> tuple[LockInfo | None, str]:
    try:
        data = read_file(path)
    except FileNotFoundError:
        return None, ""
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    try:
        raw, _ = loads(data)
        return LockInfo.model_validate(raw), ""
    except DecodeError as exc:
        return None, f"damaged lock file ({exc})"
    except ValidationError as exc:
        reasons = "; ".join(f"{f}: {r}" for f, r in describe_validation(exc)[:3])
        return None, f"damaged lock file ({reasons})"


STALE_AFTER = timedelta(minutes=10)
"""A same-machine owner whose process cannot be identified beyond its pid (no start ticks
recorded, or none readable here) and whose heartbeat is older than this is taken as gone.

A running Writers Factory refreshes its heartbeat at every auto-save tick (at most every 15
seconds), so ten minutes without one means the pid now belongs to another program (pids are
reused) or to a process that stopped working; either way the project must not stay
read-only for ever. Where start ticks are known (Linux) they decide instead, and a current
Writers Factory is recognised by the OS lock it holds, whatever its heartbeat."""


def check(path: Path, *, now: datetime | None = None) -> LockCheck:
    """Judge ``lock.json`` by the liveness checks alone (the OS lock is judged by the caller).

    An owner is dead when its process is gone or a zombie, when its creation time differs
    (pid reused), when its heartbeat predates the last boot, or, when its start cannot
    be compared, when its heartbeat is older than :data:`STALE_AFTER`.
    """
    info, problem = read_lock(path)
    if info is None:
        if problem:
            return LockCheck(LockState.UNREADABLE, None, problem)
        return LockCheck(LockState.FREE, None)
    if info.host != hostname():
        return LockCheck(LockState.FOREIGN, info, f"held by {info.host}")
    booted = boot_time()
    if booted is not None and info.heartbeat_at < booted:
        return LockCheck(LockState.STALE, info, "its owner ran before this machine last booted")
    if not pid_alive(info.pid):
        return LockCheck(LockState.STALE, info, f"process {info.pid} is no longer running")
    started = process_created(info.pid)
    if info.process_created is not None and started is not None:
        if not same_process(info.process_created, started):
            return LockCheck(LockState.STALE, info, f"process {info.pid} is another program now")
    elif info.pid != os.getpid():
        age = info.age_seconds(now)
        if age > STALE_AFTER.total_seconds():
            return LockCheck(
                LockState.STALE,
                info,
                f"process {info.pid} is running but has not refreshed the lock for "
                f"{int(age // 60)} minutes, and its start time is unknown: taken as another "
                "program that reuses the number",
            )
    if info.pid == os.getpid():
        return LockCheck(LockState.STALE, info, "left by this very process")
    return LockCheck(LockState.LIVE, info, f"process {info.pid} is still running")


# --------------------------------------------------------------------------- the OS lock
class Claim(enum.StrEnum):
    ACQUIRED = "acquired"  # this process holds the OS lock (again, for a second Session)
    BUSY = "busy"  # another process holds it: a live owner on this machine
    UNSUPPORTED = "unsupported"  # no OS locks on this filesystem (some network filesystems)


OS_LOCK_NAME = "lock.flock"


@dataclass
class _Held:
    fd: int
    count: int


_held: dict[str, _Held] = {}
_held_guard = threading.Lock()


def os_lock_path(lock_json: Path) -> Path:
    return Path(lock_json).with_name(OS_LOCK_NAME)


def acquire_os_lock(lock_json: Path) -> Claim:
    """Take the project's OS lock without waiting; see :class:`Claim`.

    A second ``Session`` of the same project in this process shares the lock (counted);
    raises ``OSError`` when the lock file cannot be created (``.session/`` not writable).
    """
    path = os_lock_path(lock_json)
    key = os.path.realpath(path)
    with _held_guard:
        held = _held.get(key)
        if held is not None:
            held.count += 1
            return Claim.ACQUIRED
        fd = oslock.open_lock_file(path)
        try:
            taken = oslock.try_lock(fd)
        except OSError as exc:
            os.close(fd)
            if exc.errno in oslock.UNSUPPORTED_ERRNOS:
                return Claim.UNSUPPORTED
            raise
        if not taken:
            os.close(fd)
            return Claim.BUSY
        _held[key] = _Held(fd, 1)
        return Claim.ACQUIRED


def release_os_lock(lock_json: Path) -> None:
    """Let go of one claim; the OS lock is dropped with the last one of this process."""
    key = os.path.realpath(os_lock_path(lock_json))
    with _held_guard:
        held = _held.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count > 0:
            return
        del _held[key]
        with contextlib.suppress(OSError):
            oslock.unlock(held.fd)
        os.close(held.fd)


def holds_os_lock(lock_json: Path) -> bool:
    return os.path.realpath(os_lock_path(lock_json)) in _held


def wait_for_owner(lock_json: Path, timeout: float = 2.0) -> LockInfo | None:
    """The owner that holds the OS lock, once its ``lock.json`` names it.

    It writes ``lock.json`` just after taking the OS lock, so a racer that lost may read the
    stale one (or none) for a moment; wait briefly for a live owner on this machine.
    """
    deadline = time.monotonic() + timeout
    while True:
        info, _ = read_lock(lock_json)
        if info is not None and (
            info.host != hostname() or (info.pid != os.getpid() and pid_alive(info.pid))
        ):
            return info  # the owner (over a network filesystem, another host's)
        if time.monotonic() >= deadline:
            return None  # only a dead owner's record: the live one has not written yet
        time.sleep(0.02)


def new_lock(session_id: str, now: datetime | None = None, *, author: str = "") -> LockInfo:
    moment = now or datetime.now(UTC)
    return LockInfo(
        pid=os.getpid(),
        host=hostname(),
        user=current_user(),
        boot_time=boot_time(),
        process_created=process_created(os.getpid()),
        started_at=moment,
        heartbeat_at=moment,
        session_id=session_id,
        author=author,
    )


def write_lock(path: Path, info: LockInfo) -> None:
    write_atomic(path, dumps(info.model_dump(mode="json")))


def release(path: Path) -> None:
    """Remove the lock only when it is ours: a clean close."""
    info, _ = read_lock(path)
    if info is not None and (info.pid != os.getpid() or info.host != hostname()):
        return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
