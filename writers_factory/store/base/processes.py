"""Is a process still running, and is it the one that wrote a record? Shared by the project
lock and the temp-file cleaner.

Both must agree: a writer that is gone (no such pid, or killed and not yet reaped by its
parent) leaves files that may be reclaimed; a live one's must never be touched.

The answers about *other* processes come from psutil, the same on Linux, macOS and Windows:
no ``kill(pid, 0)``, which on Windows is not a probe at all (it ends the process), and no
guessing at zombies and permissions. psutil is imported on first use.

A start after a clean close asks only about its own process (``lock.json`` records this
process's creation time and the boot time), and importing psutil for that was about a
quarter of opening the session (some 10 ms, and a megabyte), on the way to the writer's
first keystroke. On Linux those two answers are read from
``/proc`` here with the very formula psutil uses (``/proc/stat``'s ``btime``;
``/proc/<pid>/stat``'s start ticks over the clock-tick rate, plus the boot time), so a lock
written either way is judged the same (``tests/store/test_processes.py`` compares them);
anywhere else, or when ``/proc`` does not answer, psutil does.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

SAME_START = 1.0
"""Seconds within which two creation times are the same process (the system may report
its boot time, from which creation times are derived, a fraction of a second apart)."""

PROC = "/proc"


def process_created(pid: int) -> float | None:
    """When ``pid`` was created (seconds since the epoch), to tell a reused pid from ours;
    ``None`` when it cannot be known (no such process, not allowed to ask)."""
    if pid == os.getpid():
        own = own_created_from_proc()
        if own is not None:
            return own
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
    seconds = boot_seconds_from_proc()
    if seconds is None:
        import psutil

        try:
            seconds = psutil.boot_time()
        except (psutil.Error, OSError, OverflowError, ValueError):
            return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OSError, OverflowError, ValueError):
        return None


def boot_seconds_from_proc() -> float | None:
    """Linux's boot time as psutil reads it: the ``btime`` line of ``/proc/stat``."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        with open(f"{PROC}/stat", "rb") as f:
            for line in f:
                if line.startswith(b"btime"):
                    return float(line.strip().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return None


def own_created_from_proc() -> float | None:
    """This process's creation time as psutil computes it on Linux: the start ticks (the
    22nd field of ``/proc/<pid>/stat``, counted after the parenthesised name, which may hold
    spaces) over the clock-tick rate, plus the boot time."""
    if not sys.platform.startswith("linux"):  # spelled out so the type checker sees it
        return None
    booted = boot_seconds_from_proc()
    if booted is None:
        return None
    try:
        with open(f"{PROC}/{os.getpid()}/stat", "rb") as f:
            data = f.read()
        fields = data[data.rfind(b")") + 2 :].split()
        return float(fields[19]) / os.sysconf("SC_CLK_TCK") + booted
    except (OSError, IndexError, ValueError):
        return None
