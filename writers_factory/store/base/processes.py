"""Is a process still running? Shared by the project lock and the temp-file cleaner.

Both must agree: a writer that is gone (no such pid, or killed and not yet reaped by its
parent) leaves files that may be reclaimed; a live one's must never be touched.
"""

from __future__ import annotations

import os


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of ``/proc/<pid>/stat`` after the command name (Linux); None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            text = stat.read()
    except OSError:
        return None
    _, sep, rest = text.rpartition(")")
    return rest.split() if sep else None


def process_start(pid: int) -> int | None:
    """Start time of ``pid`` in clock ticks since boot, to tell a reused pid from ours."""
    fields = _stat_fields(pid)
    try:
        return int(fields[19]) if fields is not None else None
    except (IndexError, ValueError):
        return None


def is_zombie(pid: int) -> bool:
    """A killed process its parent has not reaped yet still answers ``kill(pid, 0)``."""
    fields = _stat_fields(pid)
    return bool(fields) and fields is not None and fields[0] in {"Z", "X"}


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except (OverflowError, ValueError):
        return False  # no such process can exist
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    except OSError:
        return False
    return not is_zombie(pid)
