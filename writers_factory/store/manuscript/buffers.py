"""The disk side of an editor buffer: what the file held when we last read or wrote it.

A writer's chapter may be changed behind our back — by a sync tool, another editor, a
second machine. Saving blindly would silently destroy that other version, so every save
re-reads the file and compares it with what we recorded at load or at our last save: the
bytes themselves when we still hold them (the bytes read or written, kept with the hash
they were recorded with: read in chunks and compared as they come, where hashing the file
again cost as much as hashing the new text), else the hash. The check runs on a helper
thread while the new bytes are written beside the file, and is waited for just before they
replace it (closer to the replace than a check made first). Only an unchanged file is
overwritten, and the hooks are told only then; anything else is a :class:`SaveConflict`
that the caller resolves with an explicit choice (keep mine / take theirs / keep both).

Size, times and inode are never trusted instead of the bytes: a same-size change made within
the file system's timestamp granularity of our own write (one clock tick, or 2 s on some
file systems; a server's clock on a network share) leaves all of them as they were, so a
stat could spare the read only for a record taken well after the file last changed — never
for the save that follows a save, the common case. The compare costs a fraction of the write.

A chapter may be a symbolic link. One leading to a file inside the project is saved
*through* the link: the target is replaced atomically and the link stays a link. One leading
outside the project (or a file reached through a linked folder outside it) is opened
read-only (:attr:`FileBuffer.read_only_reason` says why) and never written. A chapter the
writer made read-only (no write permission) is never overwritten either:
:class:`ReadOnlyFileError`, and the caller may offer :meth:`FileBuffer.write_copy`.

Everything here is synchronous file I/O: the TUI calls it from thread workers.
"""

from __future__ import annotations

import enum
import io
import os
import re
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from writers_factory.core.common_ends import CommonEnds, Unchanged
from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base.digests import Sha256, helpers, sha256_hex
from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.paths import OutsideProjectError, inside_project
from writers_factory.store.manuscript.encoded import ENCODING as ENCODING
from writers_factory.store.manuscript.encoded import Encoded, encode_after


@dataclass(frozen=True)
class Outgoing:
    """Bytes about to be written to ``path``, told to the app before the write.

    A save reads the file once (its conflict check) and hashes the new bytes once; what it
    read and computed travels here, with the text it encoded, so the app's hooks (the
    watcher's known content, the words count) neither read the file again, nor hash the
    bytes again, nor decode them back to text.
    """

    path: Path
    data: bytes
    digest: Sha256
    """The hash of ``data``; a save computes it while the bytes are written (see
    :class:`Sha256`): keep it, and ask its value only when it is needed."""
    previous: bytes | None = None
    """What the file held just before, when the save read it (``None``: not read, or no file)."""
    text: str | None = None
    """The text ``data`` encodes (``None``: not told)."""
    ends: CommonEnds | None = None
    """What ``text`` shares with the text this buffer wrote before, when the save compared
    them (to encode only the rest): the words count need not compare them again."""

    @property
    def sha256(self) -> str:
        """The hash of ``data`` as hex (waits until it is computed)."""
        return self.digest.hexdigest()


Remember = Callable[[Outgoing], None]
"""Told what is about to be written, just before (the watcher's known content, the words)."""


def sha256_of(data: bytes) -> str:
    return sha256_hex(data)


def text_sha256(text: str) -> str:
    """Hash of ``text`` as we would write it, so journal and file hashes are comparable."""
    return sha256_of(text.encode(ENCODING))


class DiskState(enum.StrEnum):
    UNCHANGED = "unchanged"
    CHANGED_OUTSIDE = "changed-outside"
    DELETED = "deleted"


class UnreadableFileError(WritersFactoryError, OSError):
    """A file could not be read as text; names the file and the reason."""


class ReadOnlyFileError(WritersFactoryError, PermissionError):
    """The writer made the file read-only: it is not overwritten (a copy may be saved)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is read-only (its permissions allow no writing), so it was not "
            "overwritten; save a copy instead"
        )
        self.path = path


class SaveConflict(WritersFactoryError):
    """The file changed (or vanished) outside the app since we last read or wrote it."""

    def __init__(self, path: Path, state: DiskState, disk_text: str | None) -> None:
        deleted = state is DiskState.DELETED
        what = "was deleted" if deleted else "was changed outside Writers Factory"
        super().__init__(f"{path} {what}; choose keep mine, take theirs or keep both")
        self.path = path
        self.state = state
        self.disk_text = disk_text


@dataclass(frozen=True)
class Written:
    """What a save put on disk; ``data`` is for the watcher's known-content registry."""

    path: Path
    data: bytes
    sha256: str


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _whole(file: io.FileIO) -> bytes:
    """The rest of ``file``: the conflict check reads a file whole only when it differs."""
    return file.read()


CHECK_CHUNK = 1 << 18
"""Bytes read at a time when the conflict check compares the file with the bytes held."""


def _holds(file: io.FileIO, data: bytes) -> bool:
    """Whether ``file`` (read from its start) holds exactly ``data``.

    Read in chunks into one small buffer and compared as it goes: no copy of a whole novel
    is made (reading it whole into new memory cost three times as much), and the first
    difference ends the reading.
    """
    chunk = bytearray(min(CHECK_CHUNK, len(data) + 1))
    view = memoryview(chunk)
    at = 0
    while n := file.readinto(chunk):
        if not data.startswith(view[:n], at):
            return False
        at += n
    return at == len(data)


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode(ENCODING)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"{path} is not UTF-8 text (byte {exc.start}); not opened"
        ) from exc


class FileBuffer:
    """One manuscript file as last seen on disk by this app.

    With ``project`` given (the TUI always gives it), a save goes to the file the path
    leads to, only while that lies inside the project: see :meth:`write_target`.
    """

    def __init__(
        self,
        path: Path,
        base_sha256: str | None,
        base_mtime: float | None,
        *,
        project: Path | None = None,
    ) -> None:
        self.path = Path(path)
        self.base_sha256 = base_sha256
        """Hash at load or last save; ``None`` when the file did not exist yet."""
        self.base_mtime = base_mtime
        self.project = None if project is None else Path(project)
        self.read_only_reason: str | None = None
        """Why this file may be read but never written (a link leading outside the project)."""
        self._base_data: tuple[str, bytes] | None = None
        """The bytes the file held at load or last save, with the hash recorded then: the
        conflict check compares bytes while that hash is still :attr:`base_sha256` (a
        caller that sets another hash, e.g. after reloading the file itself, falls back to
        comparing hashes)."""
        self._encoded: Encoded | None = None
        """The text last written with its bytes: the next save encodes only what changed
        (see ``encoded.py``). A cache of the encoding, true whatever the disk holds."""
        self._hashed: Sha256 | None = None
        """The hash of :attr:`_encoded`'s bytes, with its states at the marks: the next
        save hashes again only from the last mark before its first changed byte."""

    def _set_base(self, data: bytes, sha256: str, mtime: float | None) -> None:
        self.base_sha256, self.base_mtime = sha256, mtime
        self._base_data = (sha256, data)

    def _held(self) -> bytes | None:
        """The bytes last read or written, while they are what :attr:`base_sha256` names."""
        base = self._base_data
        if self.base_sha256 is None or base is None or base[0] != self.base_sha256:
            return None
        return base[1]

    def _unchanged(self, data: bytes) -> bool:
        """Whether ``data`` (the file as read now) is what we last read or wrote."""
        if self.base_sha256 is None:
            return False
        held = self._held()
        if held is not None:
            return data == held
        return sha256_of(data) == self.base_sha256

    @classmethod
    def load(cls, path: Path, *, project: Path | None = None) -> tuple[FileBuffer, str]:
        """Read ``path``; a missing file is an empty new buffer, never an error."""
        path = Path(path)
        buffer = cls(path, None, None, project=project)
        try:
            buffer.write_target()
        except OutsideProjectError as exc:
            buffer.read_only_reason = f"{exc}; opened read-only, it cannot be saved here"
        data = _read(path)
        if data is None:
            return buffer, ""
        text = _decode(path, data)
        buffer._set_base(data, sha256_of(data), path.stat().st_mtime)
        return buffer, text

    def write_target(self) -> Path:
        """The file a save replaces: the link's target when the path is a symbolic link (so
        the link stays a link), else the path itself.

        Raises :class:`OutsideProjectError` when that file lies outside the project (a link,
        or a linked folder, leading elsewhere) or in its ``.session``; asked again at every
        save, since a link can change between two saves.
        """
        path = self.path
        if self.project is None:
            return path.resolve() if path.is_symlink() else path
        shown = path.relative_to(self.project) if path.is_relative_to(self.project) else path
        real = inside_project(self.project, path, where=shown.as_posix())
        return real if path.is_symlink() else path

    def disk_state(self) -> DiskState:
        state, _ = self._probe()
        return state

    def _probe(self) -> tuple[DiskState, bytes | None]:
        """The file compared with what we last read or wrote, and its bytes (``None``: no
        file). Compared in place when we hold those bytes and the size is theirs; read whole
        only when it differs (the conflict shows the disk's text) or only a hash is held."""
        held = self._held()
        try:
            with open(self.path, "rb", buffering=0) as file:
                if held is not None and os.fstat(file.fileno()).st_size == len(held):
                    if _holds(file, held):
                        return DiskState.UNCHANGED, held
                    file.seek(0)
                data: bytes | None = _whole(file)
        except FileNotFoundError:
            data = None
        if data is None:
            return (DiskState.UNCHANGED if self.base_sha256 is None else DiskState.DELETED), None
        if self._unchanged(data):
            return DiskState.UNCHANGED, data
        return DiskState.CHANGED_OUTSIDE, data

    def save(
        self, text: str, *, remember: Remember | None = None, unchanged: Unchanged | None = None
    ) -> Written:
        """Write ``text`` only if the disk still holds what we last saw; else raise a conflict.

        The file is compared with the bytes last read or written (no hash) on a helper
        thread while the new bytes are written beside it, and before they replace it: a
        conflict leaves the file untouched and the hooks untold. Only the new bytes are
        hashed. What was read is handed on to ``remember`` as ``previous``.
        ``unchanged``: where the editor knows ``text`` kept the text last written (only
        the window between is compared with it; ignored unless it names that very text).
        """
        return self._write(text, remember, checked=True, unchanged=unchanged)

    def keep_mine(self, text: str, *, remember: Remember | None = None) -> Written:
        """Overwrite whatever is on disk — only ever called after the writer chose so."""
        return self._write(text, remember)

    def take_theirs(self) -> str | None:
        """Adopt the disk version; returns its text, or ``None`` when the file was deleted."""
        data = _read(self.path)
        if data is None:
            self.base_sha256, self.base_mtime = None, None
            return None
        text = _decode(self.path, data)
        self._set_base(data, sha256_of(data), self.path.stat().st_mtime)
        self._encoded = self._hashed = None  # the old version is no longer worth its memory
        return text

    def keep_both(
        self, text: str, now: datetime, *, remember: Remember | None = None
    ) -> tuple[Written, str | None]:
        """Save mine as "name (my copy …).md" in ``planning/copies/`` (see
        :data:`COPIES_FOLDER`), leave theirs untouched.

        Returns what was written and the disk text the buffer now follows (``None`` when the
        file was deleted outside).
        """
        written = self.write_copy(text, now, remember=remember)
        theirs = self.take_theirs()
        return written, theirs

    def write_copy(self, text: str, now: datetime, *, remember: Remember | None = None) -> Written:
        """Write ``text`` to a new "name (my copy …).md"; the file is not touched. The one
        naming and place of copies (keep both, a read-only file's copy): in the project's
        :data:`COPIES_FOLDER`, else (no project known) beside the file."""
        folder = None if self.project is None else self.project / COPIES_FOLDER
        copy = my_copy_path(self.path, now, folder)
        if self.project is not None:  # a copies folder linked elsewhere: refused
            inside_project(self.project, copy, where=copy.relative_to(self.project).as_posix())
        data = text.encode(ENCODING)
        digest = sha256_of(data)
        if remember is not None:
            remember(Outgoing(copy, data, Sha256(digest), text=text))
        write_atomic(copy, data)
        return Written(copy, data, digest)

    def _check(self) -> bytes | None:
        """The conflict check: the file's bytes when unchanged; else :class:`SaveConflict`."""
        state, data = self._probe()
        if state is not DiskState.UNCHANGED:
            disk_text = None if data is None else data.decode(ENCODING, errors="replace")
            raise SaveConflict(self.path, state, disk_text)
        return data

    def _write(
        self,
        text: str,
        remember: Remember | None,
        *,
        checked: bool = False,
        unchanged: Unchanged | None = None,
    ) -> Written:
        target = self.write_target()
        encoded, ends = encode_after(self._encoded, text, unchanged=unchanged)
        parts = encoded.parts  # written as they are; joined into one by the hashing thread
        writing = threading.Event()
        if encoded is self._encoded and self._hashed is not None:
            digest = self._hashed  # the very bytes written last
        else:  # joined and hashed while the bytes go to disk, from the last mark before it
            digest = Sha256.in_background(
                _joined(encoded, writing), encoded.offsets, self._hashed, encoded.kept
            )
        self._encoded, self._hashed = encoded, digest
        check = helpers().submit(self._check) if checked else None
        failed: list[BaseException] = []

        def before_replace() -> None:
            """The new bytes are on disk beside the file: check it, then tell the hooks."""
            try:
                previous = None if check is None else check.result()
                try:
                    mode: int | None = target.stat().st_mode
                except FileNotFoundError:
                    mode = None
                if mode is not None and not stat.S_IMODE(mode) & 0o222:
                    raise ReadOnlyFileError(self.path)
            except BaseException as exc:  # the check's own errors are not retried writes
                failed.append(exc)
                raise _Refused from exc
            if remember is not None:
                data = encoded.data  # joined by the hashing thread meanwhile
                remember(Outgoing(self.path, data, digest, previous, text, ends))
                if target != self.path:
                    remember(Outgoing(target, data, digest, previous, text, ends))

        try:
            write_atomic(target, parts, before_replace=before_replace, writing=writing.set)
        except _Refused:
            raise failed[0] from None
        finally:
            writing.set()  # never written (a refusal, a failure): joined now, if asked
            if check is not None and not check.done():
                check.cancel()
        try:
            mtime: float | None = self.path.stat().st_mtime
        except OSError:
            mtime = None
        sha256 = digest.hexdigest()
        data = encoded.data
        self._set_base(data, sha256, mtime)
        return Written(self.path, data, sha256)


def _joined(encoded: Encoded, writing: threading.Event) -> Callable[[], bytes]:
    """The bytes of ``encoded``, joined from its parts when called (on the hashing thread)
    once the save's thread is ``writing``: a join holds the interpreter, which the saving
    thread then does not need (it waits on the system); started earlier, it held up the
    save's own last steps before the write. Called on the saving thread itself (no helper
    thread left at interpreter exit), it joins at once: nothing else would write."""
    saving = threading.get_ident()

    def join() -> bytes:
        if threading.get_ident() != saving:
            writing.wait()
        return encoded.data

    return join


class _Refused(Exception):
    """Raised through the durable write when the check refuses (never an ``OSError``, so the
    write is not retried); the check's own exception is raised in its place."""


_COPY_MARK = "my copy"
_COPY_STEM = re.compile(r" \(my copy \d{4}-\d{2}-\d{2} \d{4}\)( \d+)?$")


COPIES_FOLDER = Path("planning") / "copies"
"""Where the writer's copies go (keep both, a read-only chapter's copy), project-relative.

Not beside the chapter: a copy in ``manuscript/`` was then counted as a chapter (and compiled,
and listed among the chapters). ``planning/`` is one of the writer's folders: the copy shows in
the project tree, is watched, snapshotted and backed up like any note, and never counts."""


def my_copy_path(path: Path, now: datetime, folder: Path | None = None) -> Path:
    """A name in ``folder`` (default: beside ``path``) that never replaces an existing file
    (a counter is added if needed)."""
    where = path.parent if folder is None else folder
    base = f"{path.stem} ({_COPY_MARK} {now:%Y-%m-%d %H%M})"
    candidate = where / (base + path.suffix)
    counter = 2
    while candidate.exists():
        candidate = where / f"{base} {counter}{path.suffix}"
        counter += 1
    return candidate


def is_copy(path: Path) -> bool:
    """True for a "name (my copy …).md" this app wrote (in :data:`COPIES_FOLDER`, or beside a
    chapter by an earlier version): a copy, not a chapter."""
    return _COPY_STEM.search(Path(path).stem) is not None
