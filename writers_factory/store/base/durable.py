"""The one durable write path every file on disk goes through.

A crash at any instant must leave either the old bytes or the new bytes, never a torn
file: write a temp file in the same folder, flush and fsync it, ``os.replace`` it over the
target, then fsync the folder so the rename itself survives power loss.

Files inside a ``.session/`` folder hold spending, queries and unsaved text, so they are
*private*: written 0600 in folders made 0700, whatever the umask, and never through a
symbolic link. Everything else (a chapter is the writer's file) keeps its existing mode.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base.paths import session_root_of
from writers_factory.store.base.processes import pid_alive

log = logging.getLogger(__name__)

T = TypeVar("T")

TEMP_MARK = ".wf-tmp"
"""Every temp file we create carries this mark, so leftovers are recognisable as ours."""

RETRY_DELAYS: tuple[float, ...] = (0.05, 0.2)
"""Back-off before the second and third attempts; three attempts in all."""

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


class DurableWriteError(WritersFactoryError, OSError):
    """Raised after every attempt failed; the previous file is intact.

    ``path`` is always the file the caller asked for (``current.json``), never a helper
    file of ours (a temp file, its ``prev/`` copy), so the message names what the writer knows.
    """

    def __init__(self, path: Path, cause: OSError, attempts: int, *, step: str = "save") -> None:
        reason = cause.strerror or str(cause)
        message = f"could not {step} {path} after {attempts} attempts: {reason}"
        super().__init__(cause.errno, message)
        self.path = path
        self.cause = cause
        self.attempts = attempts


class SymlinkedStateError(WritersFactoryError, OSError):
    """Session state is never written through a symbolic link: the link is named."""

    def __init__(self, link: Path, path: Path | None = None) -> None:
        target = os.readlink(link) if link.is_symlink() else "?"
        what = f" (writing {path})" if path is not None and path != link else ""
        super().__init__(
            errno.ELOOP,
            f"{link} is a symbolic link to {target}; Writers Factory does not write session "
            f"state through links{what}: replace the link with a real folder or file",
        )
        self.link = link
        self.path = path or link


@dataclass(frozen=True)
class DurabilityWarning:
    """The new bytes are in place, but syncing their folder failed: a power cut right now
    might bring back the previous version. The write itself is done: callers treat it as
    saved (no retry, no "changed outside" suspicion), and show this as a warning."""

    path: Path
    folder: Path
    cause: OSError

    def describe(self) -> str:
        reason = self.cause.strerror or str(self.cause)
        return (
            f"{self.path} was saved, but its folder could not be synced to disk ({reason}); "
            "it may not survive a power cut"
        )


WarningCallback = Callable[[DurabilityWarning], None]


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


def is_private(path: Path) -> bool:
    """True for anything inside a ``.session/`` folder (the default of ``private=``)."""
    return session_root_of(Path(path).parent) is not None


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def refuse_symlinks(path: Path) -> None:
    """Raise :class:`SymlinkedStateError` when ``path`` or a folder between it and its
    ``.session`` root (that root included) is a symbolic link."""
    path = Path(path)
    root = session_root_of(path)
    chain = [path]
    if root is not None:
        chain += [p for p in path.parents if p == root or root in p.parents]
    for link in sorted(chain, key=lambda p: len(p.parts)):
        if _is_link(link):
            raise SymlinkedStateError(link, path)


def make_private_dir(folder: Path) -> Path:
    """Make ``folder`` (and missing parents) private and durable; return it.

    Folders created at or below the ``.session`` root are 0700 whatever the umask (parents
    above it get the usual mode), and the parent of each new folder is fsynced so the new
    entry survives power loss. Existing folders inside ``.session`` are tightened to 0700. A
    symbolic link among them raises :class:`SymlinkedStateError`; other failures ``OSError``.
    Use it for every folder of ``.session/``: journal/, prev/, trash/…, versions/…,
    backups/…, corrupt/.
    """
    folder = Path(folder)
    root = session_root_of(folder)

    def private(p: Path) -> bool:
        if root is None:
            return p == folder
        return p == root or root in p.parents

    missing: list[Path] = []
    probe = folder
    while not os.path.lexists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    if root is not None:
        refuse_symlinks(probe)
    for new in reversed(missing):
        try:
            os.mkdir(new, PRIVATE_DIR if private(new) else 0o777)
        except FileExistsError:
            if not new.is_dir():
                raise
            continue
        if private(new):
            os.chmod(new, PRIVATE_DIR)  # the umask may have taken bits away; never added any
        try:
            fsync_dir(new.parent)
        except OSError as exc:
            log.warning("created %s but could not sync %s: %s", new, new.parent, exc)
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{folder} is not a folder")
    for existing in (root, folder) if root is not None else (folder,):
        with contextlib.suppress(OSError):
            if existing is not None and stat.S_IMODE(existing.stat().st_mode) != PRIVATE_DIR:
                os.chmod(existing, PRIVATE_DIR)
    return folder


def with_retries(
    path: Path,
    action: Callable[[], T],
    *,
    step: str = "save",
    sleep: Callable[[float], None] = time.sleep,
    on_missing_folder: Callable[[], None] | None = None,
) -> T:
    """Run ``action`` up to three times with back-off; then :class:`DurableWriteError` naming
    ``path`` (the file the writer knows) and ``step``. A symbolic-link refusal is final."""
    attempts = len(RETRY_DELAYS) + 1
    last: OSError | None = None
    for attempt in range(attempts):
        try:
            return action()
        except (SymlinkedStateError, AlreadyThereError):
            raise
        except FileNotFoundError as exc:
            last = exc
            if on_missing_folder is not None:
                with contextlib.suppress(OSError):
                    on_missing_folder()
        except OSError as exc:
            last = exc
        if attempt < len(RETRY_DELAYS):
            sleep(RETRY_DELAYS[attempt])
    assert last is not None
    raise DurableWriteError(path, last, attempts, step=step) from last


class AlreadyThereError(FileExistsError):
    """``create_only``: something is at the path already; it was left as it is and nothing
    was written there."""


_NO_HARD_LINKS = frozenset(
    getattr(errno, name)
    for name in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "EMLINK", "ENOSYS")
    if hasattr(errno, name)
)
"""What ``os.link`` raises where the filesystem has no hard links (FAT, some network
shares)."""


def _publish_new(tmp: Path, path: Path) -> None:
    """Give the finished temp file the name ``path`` only if nothing has it, atomically:
    a hard link fails when the name is taken, and the file appears whole. Where there are
    no hard links, the name is claimed (an empty file, made only if absent) and replaced,
    so a reader may see it empty for a moment, never another file overwritten.

    Once the file has its name the write is done: a temp file left beside it (unlinking it
    failed) is a leftover for :func:`clean_leftovers`, not a failure to retry, which would
    find the name taken by the file itself."""
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError as exc:
        raise AlreadyThereError(exc.errno, exc.strerror, str(path)) from exc
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError as taken:
            raise AlreadyThereError(taken.errno, taken.strerror, str(path)) from taken
        try:
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                if os.stat(path).st_size == 0:
                    os.unlink(path)  # the claim, nothing written: the name is free again
            raise
    else:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


Data = bytes | Sequence[bytes | memoryview]
"""What a write puts in a file: bytes, or parts written one after the other (``writev``)."""


def _write_all(fd: int, data: Data) -> None:
    """All of ``data`` to ``fd``; parts in as few calls as the system takes (a short write
    goes on from where it stopped)."""
    if isinstance(data, bytes):
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        return
    parts = [memoryview(part) for part in data if len(part)]
    writev = getattr(os, "writev", None)  # Windows has none: one part at a time
    while parts:
        written = os.write(fd, parts[0]) if writev is None else writev(fd, parts[:_MAX_PARTS])
        while parts and written >= len(parts[0]):
            written -= len(parts.pop(0))
        if written:
            parts[0] = parts[0][written:]


_MAX_PARTS = 512
"""Parts handed to one ``writev`` (the system takes at most ``IOV_MAX``, 1024 on Linux)."""


def _write_once(
    path: Path,
    data: Data,
    mode: int | None,
    *,
    sync_folder: bool = True,
    before_replace: Callable[[], None] | None = None,
    writing: Callable[[], None] | None = None,
    create_only: bool = False,
) -> OSError | None:
    """One attempt; returns the error of the final folder fsync (the write landed) or None.

    ``mode`` None keeps the existing file's permissions; otherwise exactly ``mode``.
    ``sync_folder`` False leaves the folder fsync to the caller (:func:`write_many_atomic`).
    ``before_replace`` runs once the temp file is on disk, just before it replaces ``path``;
    whatever it raises removes the temp file and leaves ``path`` untouched. ``writing`` runs
    once the temp file is open, just before the bytes are written. ``create_only``: the file
    is published only if nothing is at ``path`` (:func:`_publish_new`).
    """
    tmp = temp_path_for(path)
    final = mode
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o666 if final is None else final)
        try:
            if final is not None and hasattr(os, "fchmod"):  # Windows before 3.13 has none
                os.fchmod(fd, final)  # exactly this mode, whatever the umask
            if writing is not None:
                writing()
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if final is None:
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o7777)
        if before_replace is not None:
            before_replace()
        if create_only:
            _publish_new(tmp, path)
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if not sync_folder:
        return None
    try:
        fsync_dir(path.parent)
    except OSError as exc:
        return exc
    return None


def write_atomic(
    path: Path,
    data: Data,
    *,
    mode: int | None = None,
    private: bool | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_warning: WarningCallback | None = None,
    before_replace: Callable[[], None] | None = None,
    writing: Callable[[], None] | None = None,
    create_only: bool = False,
) -> DurabilityWarning | None:
    """Replace ``path`` with ``data`` (bytes, or parts written in order) durably, retrying
    transient ``OSError`` twice.

    ``create_only``: make ``path``, never replace it — :class:`AlreadyThereError` (not
    retried) when something is there, which is left untouched. The file appears whole, its
    bytes on disk before it has its name (where the filesystem has hard links).

    Runs synchronously: callers on an event loop hand it to a thread.

    ``before_replace`` runs once the new bytes are on disk beside ``path``, right before
    they replace it (at each attempt): a last check that may still refuse (raising leaves
    ``path`` as it was), or a record that must precede the change (the watcher's).
    ``writing`` runs when the bytes start going to disk (at each attempt): work that needs
    the interpreter may start then, while this thread waits on the system.

    ``private`` (default: whether ``path`` lies inside a ``.session/`` folder): the file is
    written 0600 and missing folders are made with :func:`make_private_dir`, whatever the
    umask; a symbolic link on the way (the file, or a folder up to ``.session``) raises
    :class:`SymlinkedStateError` instead of being written through. Not private: the file
    keeps the permissions it had (a writer's chmod survives our saves), ``mode`` for a new one.

    When everything landed but the final folder fsync failed, the write is done: the
    :class:`DurabilityWarning` is returned and passed to ``on_warning`` (logged otherwise).
    """
    path = Path(path)
    is_priv = is_private(path) if private is None else private

    def make_folder() -> None:
        if is_priv:
            make_private_dir(path.parent)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)

    final = mode if mode is not None else (PRIVATE_FILE if is_priv else None)

    def attempt() -> OSError | None:
        if is_priv:
            refuse_symlinks(path)
        return _write_once(
            path,
            data,
            final,
            before_replace=before_replace,
            writing=writing,
            create_only=create_only,
        )

    failure = with_retries(path, attempt, sleep=sleep, on_missing_folder=make_folder)
    if failure is None:
        return None
    warning = DurabilityWarning(path, path.parent, failure)
    if on_warning is not None:
        on_warning(warning)
    else:
        log.warning("%s", warning.describe())
    return warning


def write_many_atomic(
    files: Iterable[tuple[Path, bytes]],
    *,
    private: bool | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_warning: WarningCallback | None = None,
) -> list[DurabilityWarning]:
    """:func:`write_atomic` for many files at once, each folder fsynced once at the end.

    Each file is written exactly as :func:`write_atomic` writes it (temp file, fsync,
    replace, three attempts), but the folders' fsyncs wait until every file has landed: a
    snapshot of 365 chapters writes hundreds of objects into a few dozen folders, and one
    fsync per folder makes all the renames durable together. When this returns, every file
    and every rename is on disk; a folder whose fsync failed is returned as a warning.
    """
    folders: dict[Path, Path] = {}
    for target, data in files:
        path = Path(target)
        is_priv = is_private(path) if private is None else private
        final = PRIVATE_FILE if is_priv else None

        def make_folder(path: Path = path, is_priv: bool = is_priv) -> None:
            if is_priv:
                make_private_dir(path.parent)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)

        def attempt(
            path: Path = path,
            data: bytes = data,
            final: int | None = final,
            is_priv: bool = is_priv,
        ) -> None:
            if is_priv:
                refuse_symlinks(path)
            _write_once(path, data, final, sync_folder=False)

        if path.parent not in folders and not path.parent.is_dir():
            make_folder()  # up front: a missing folder is expected here, not a failure to retry
        with_retries(path, attempt, sleep=sleep, on_missing_folder=make_folder)
        folders.setdefault(path.parent, path)
    warnings: list[DurabilityWarning] = []
    for folder, path in folders.items():
        try:
            fsync_dir(folder)
        except OSError as exc:
            warning = DurabilityWarning(path, folder, exc)
            warnings.append(warning)
            if on_warning is not None:
                on_warning(warning)
            else:
                log.warning("%s", warning.describe())
    return warnings


def write_text_atomic(
    path: Path,
    text: str,
    *,
    encoding: str = "utf-8",
    private: bool | None = None,
    on_warning: WarningCallback | None = None,
) -> DurabilityWarning | None:
    """Text flavour of :func:`write_atomic`; newlines are written exactly as given."""
    return write_atomic(path, text.encode(encoding), private=private, on_warning=on_warning)


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
        for temp in _marked(folder):
            pid = _pid_of(temp)
            if pid is not None and pid_alive(pid):
                continue  # a live writer's, this process's own included
            found.append(temp)
    return found


def _marked(folder: Path) -> Iterator[Path]:
    """Every entry under ``folder`` whose name carries :data:`TEMP_MARK`, at any depth;
    links to folders are not followed, unreadable folders are skipped.

    Each folder is listed once. Every session open walks the whole ``.session/`` (the
    costs' chunk files, the snapshots' repository), and a recursive glob listed each
    folder twice and built a path object for every entry on the way to the first keystroke.
    """
    for top, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            if name.endswith(TEMP_MARK):
                yield Path(top, name)
