"""The one durable write path every file on disk goes through.

A crash at any instant must leave either the old bytes or the new bytes, never a torn
file: write a temp file in the same folder, flush and fsync it, ``os.replace`` it over the
target, then fsync the folder so the rename itself survives power loss.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base.processes import pid_alive

TEMP_MARK = ".wf-tmp"
"""Every temp file we create carries this mark, so leftovers are recognisable as ours."""

RETRY_DELAYS: tuple[float, ...] = (0.05, 0.2)
"""Back-off before the second and third attempts; three attempts in all."""


class DurableWriteError(WritersFactoryError, OSError):
    """Raised after every attempt failed; the previous file is intact."""

    def __init__(self, path: Path, cause: OSError, attempts: int) -> None:
        reason = cause.strerror or str(cause)
        super().__init__(cause.errno, f"could not save {path} after {attempts} attempts: {reason}")
        self.path = path
        self.cause = cause
        self.attempts = attempts


def temp_path_for(path: Path) -> Path:
    """A unique sibling name, hidden, carrying the pid so a live writer's file is knowable."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_MARK}")


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some filesystems refuse fsync on folders
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _write_once(path: Path, data: bytes, mode: int | None) -> None:
    tmp = temp_path_for(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if mode is None:
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def write_atomic(
    path: Path,
    data: bytes,
    *,
    mode: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Replace ``path`` with ``data`` durably, retrying transient ``OSError`` twice.

    Runs synchronously: callers on an event loop hand it to a thread. Permissions of an
    existing file are kept, so a writer's chmod survives our saves.
    """
    path = Path(path)
    attempts = len(RETRY_DELAYS) + 1
    last: OSError | None = None
    for attempt in range(attempts):
        try:
            _write_once(path, data, mode)
            return
        except FileNotFoundError as exc:
            if not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            last = exc
        except OSError as exc:
            last = exc
        if attempt < len(RETRY_DELAYS):
            sleep(RETRY_DELAYS[attempt])
    assert last is not None
    raise DurableWriteError(path, last, attempts) from last


def write_text_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Text flavour of :func:`write_atomic`; newlines are written exactly as given."""
    write_atomic(path, text.encode(encoding))


def is_temp_file(path: Path) -> bool:
    """True for our own in-flight temp files (used by the watcher and the cleaner)."""
    return path.name.endswith(TEMP_MARK)


def _pid_of(temp: Path) -> int | None:
    parts = temp.name.split(".")
    # ".name.ext.PID.HEX.wf-tmp" -> PID is the third part from the end
    try:
        return int(parts[-3])
    except (IndexError, ValueError):
        return None


def clean_leftovers(folders: Iterable[Path]) -> list[Path]:
    """Remove temp files that a crashed writer left; never touch a live writer's temp file.

    A leftover temp file holds a write that never became visible, so the real file beside
    it is the last acknowledged state; the temp is safe to drop.
    """
    removed: list[Path] = []
    for temp in find_leftovers(folders):
        with contextlib.suppress(OSError):
            temp.unlink()
            removed.append(temp)
    return removed


def find_leftovers(folders: Iterable[Path]) -> list[Path]:
    """Leftover temp files of dead writers, for ``verify`` (which reports, never deletes)."""
    found: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for temp in folder.rglob(f"*{TEMP_MARK}"):
            pid = _pid_of(temp)
            if pid is not None and pid_alive(pid):
                continue  # a live writer's, this process's own included
            found.append(temp)
    return found
