"""Who owns a project right now, and did the last owner close cleanly?

The lock records pid, host, user, boot time and start time, refreshed as a heartbeat. A
lock left behind means the previous session did not close cleanly; whether its owner is
still running decides between "interrupted" (offer recovery) and "second instance" (offer
read-only). A lock from another host (a synced folder) cannot be checked from here, so it
is reported with its host and age and the caller decides.
"""

from __future__ import annotations

import contextlib
import enum
import getpass
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import Field, ValidationError

from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.jsonfile import describe_validation
from writers_factory.store.base.model_base import StoreDatetime, StoreModel
from writers_factory.store.base.processes import pid_alive, process_start
from writers_factory.store.base.serialisers import DecodeError, dumps, loads


class LockInfo(StoreModel):
    KIND = "lock"

    pid: int = Field(gt=0, lt=2**31)
    host: str
    user: str = ""
    boot_time: StoreDatetime | None = None
    process_start: int | None = Field(default=None, description="Linux start ticks of pid")
    started_at: StoreDatetime
    heartbeat_at: StoreDatetime
    session_id: str = ""

    def age_seconds(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.heartbeat_at).total_seconds()


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


def boot_time() -> datetime | None:
    """When this machine booted (Linux ``/proc/stat``); None where unknown."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            for line in stat:
                if line.startswith("btime "):
                    return datetime.fromtimestamp(int(line.split()[1]), UTC)
    except (OSError, ValueError):
        return None
    return None


def hostname() -> str:
    return socket.gethostname()


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else ""


def read_lock(path: Path) -> tuple[LockInfo | None, str]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, ""
    except OSError as exc:
        return None, f"cannot read: {exc.strerror}"
    try:
        raw, _ = loads(data)
        return LockInfo.model_validate(raw), ""
    except DecodeError as exc:
        return None, f"damaged lock file ({exc})"
    except ValidationError as exc:
        reasons = "; ".join(f"{f}: {r}" for f, r in describe_validation(exc)[:3])
        return None, f"damaged lock file ({reasons})"


def check(path: Path) -> LockCheck:
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
    if info.process_start is not None:
        started = process_start(info.pid)
        if started is not None and started != info.process_start:
            return LockCheck(LockState.STALE, info, f"process {info.pid} is another program now")
    if info.pid == os.getpid():
        return LockCheck(LockState.STALE, info, "left by this very process")
    return LockCheck(LockState.LIVE, info, f"process {info.pid} is still running")


def new_lock(session_id: str, now: datetime | None = None) -> LockInfo:
    moment = now or datetime.now(UTC)
    return LockInfo(
        pid=os.getpid(),
        host=hostname(),
        user=current_user(),
        boot_time=boot_time(),
        process_start=process_start(os.getpid()),
        started_at=moment,
        heartbeat_at=moment,
        session_id=session_id,
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
