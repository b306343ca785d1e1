"""Is a process still running, and is it the one that wrote a record? Shared by the project
lock and the temp-file cleaner.

Both must agree: a writer that is gone (no such pid, or killed and not yet reaped by its
parent) leaves files that may be reclaimed; a live one's must never be touched.

The answers come from psutil, the same on Linux, macOS and Windows: no ``/proc`` reads, and
no ``kill(pid, 0)``, which on Windows is not a probe at all (it ends the process). psutil is
imported on first use: opening a project asks once, the editor never.
"""

from __future__ import annotations

from datetime import UTC, datetime

SAME_START = 1.0
"""Seconds within which two creation times are the same process (the system may report
its boot time, from which creation times are derived, a fraction of a second apart)."""


def process_created(pid: int) -> float | None:
    """When ``pid`` was created (seconds since the epoch), to tell a reused pid from ours;
    ``None`` when it cannot be known (no such process, not allowed to ask)."""
    import psutil

    try:
        return float(psutil.Process(pid).create_time())
    except (psutil.Error, OverflowError, ValueError):
        return None


def same_process(recorded: float, created: float) -> bool:
    return abs(recorded - created) < SAME_START


def pid_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (killed, not yet reaped) counts as gone."""
    if pid <= 0:
        return False
    import psutil

    try:
        status = psutil.Process(pid).status()
    except psutil.NoSuchProcess:  # also a zombie on some systems
        return False
    except psutil.AccessDenied:
        return True  # exists, owned by someone else
    except (psutil.Error, OverflowError, ValueError):
        return False  # no such process can exist
    return status not in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD)


def boot_time() -> datetime | None:
    """When this machine booted; ``None`` where the system does not say."""
    import psutil

    try:
        return datetime.fromtimestamp(psutil.boot_time(), UTC)
    except (psutil.Error, OSError, OverflowError, ValueError):
        return None
