"""One JSON file in ``.session/`` with its whole life cycle.

Loading sets aside what is broken (never deletes it) and falls back to the previous good
copy; saving keeps that previous copy, refuses to clobber a file that was changed behind our
back, and runs the durable write in a thread behind a per-file lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import shutil
import stat
import threading
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base import migrations
from writers_factory.store.base.durable import (
    PRIVATE_FILE,
    DurabilityWarning,
    DurableWriteError,
    SymlinkedStateError,
    fsync_dir,
    make_private_dir,
    refuse_symlinks,
    temp_path_for,
    with_retries,
    write_atomic,
)
from writers_factory.store.base.events import (
    Callbacks,
    LoadMetadata,
    ProblemKind,
    SaveMetadata,
    StoreProblem,
)
from writers_factory.store.base.model_base import StoreModel
from writers_factory.store.base.paths import SessionPaths, stamp, utcnow
from writers_factory.store.base.serialisers import (
    MAX_DOCUMENT_BYTES,
    DecodeError,
    Format,
    dumps,
    loads,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=StoreModel)


class FileReadOnlyError(WritersFactoryError, PermissionError):
    """A write to a part of ``.session/`` that is open read-only because of the file itself
    (written by a newer version, unreadable, a symbolic link): the message names the file
    and why. A ``PermissionError``, so callers that catch ``OSError`` show it."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} was not saved: {reason}")
        self.path = path
        self.reason = reason


class NotAFileError(WritersFactoryError, OSError):
    """Something other than a regular file (a folder, a pipe, a device) where a file belongs."""


def read_file(path: Path, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The bytes of a state file, at most ``limit + 1`` of them (the parser refuses more).

    Raises ``FileNotFoundError`` when missing, :class:`NotAFileError` for a folder, pipe or
    device (a pipe is never opened, so never blocks), ``OSError`` when it cannot be read.
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise NotAFileError(errno.EISDIR, f"{path} is {kind} where a file was expected")
    if info.st_size > limit:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    return Path(path).read_bytes()


def describe_validation(error: ValidationError) -> list[tuple[str, str]]:
    """(field path, reason) pairs a writer can act on."""
    out: list[tuple[str, str]] = []
    for item in error.errors():
        loc = ".".join(str(part) for part in item["loc"]) or "(whole file)"
        out.append((loc, item["msg"]))
    return out


def set_aside(paths: SessionPaths, path: Path, reason: str) -> Path:
    """Move ``path`` (a file, or a folder where a file belongs) into ``corrupt/`` under a
    timestamped name, durably; returns where it went."""
    make_private_dir(paths.corrupt)
    rel = path.relative_to(paths.root) if path.is_relative_to(paths.root) else Path(path.name)
    flat = str(rel).replace(os.sep, "__")
    dest = paths.corrupt / f"{flat}.{stamp()}.{reason}"
    os.replace(path, dest)
    for folder in (paths.corrupt, path.parent):
        try:
            fsync_dir(folder)
        except OSError as exc:  # moved all the same; only its durability is in doubt
            log.warning("set %s aside but could not sync %s: %s", path, folder, exc)
    return dest


B = TypeVar("B", bound=BaseModel)


def read_or_set_aside(session_dir: Path, path: Path, model: type[B]) -> B:
    """A small kept file of ``.session/`` read whole (``model()`` when there is none); a
    damaged one is set aside (named in ``corrupt/``) and ``model()`` given instead, so what
    it held can be looked at and nothing is built on it. Blocking: call it from a thread."""
    if not path.exists():
        return model()
    try:
        raw, _ = loads(path.read_bytes())
        return model.model_validate(raw)
    except (DecodeError, ValidationError, OSError):
        set_aside(SessionPaths(Path(session_dir)), path, "invalid")
        return model()


class JsonFile(Generic[M]):
    """Typed access to one JSON file; the owner mutates ``value`` then calls ``mark_dirty``."""

    def __init__(
        self,
        paths: SessionPaths,
        path: Path,
        model: type[M],
        *,
        fmt: Format = Format.JSON,
        compress_over: int | None = None,
        read_only: bool = False,
        callbacks: Callbacks | None = None,
        unreadable: Literal["raise", "read-only"] = "raise",
    ) -> None:
        """``unreadable``: what loading does with a file that exists but cannot be read
        (permissions, I/O): raise the ``OSError`` (the caller decides), or open this part
        read-only with an ``unreadable`` problem, the previous good copy shown if there is one.
        """
        self.paths = paths
        self.unreadable = unreadable
        self.path = path
        self.model = model
        self.format = fmt
        self.compress_over = compress_over
        self.read_only = read_only
        self.callbacks = callbacks or Callbacks()
        self.problems: list[StoreProblem] = []
        self.value: M = model()
        self._dirty = False
        self._known_bytes: bytes | None = None  # what is on disk, as we last read or wrote it
        self._lock: asyncio.Lock | None = None
        self._pending: asyncio.Task[None] | None = None
        self._write_lock = threading.Lock()
        self._generation = 0
        self._written_generation = 0
        self.last_save: SaveMetadata | None = None
        self.exists_on_disk = False
        self.read_only_reason: str | None = None
        """Why the file itself keeps this part read-only (newer version, unreadable, a link);
        a save with changes then raises :class:`FileReadOnlyError` instead of doing nothing."""
        self._durability_warned = False

    # ------------------------------------------------------------------ loading
    def load_sync(self) -> M:
        """Read the file, repairing what can be repaired; never raises for bad content.

        A folder (or pipe, device) where the file belongs is set aside like corrupt content;
        a file that cannot be read, or a symbolic link on the way, opens this part read-only.
        """
        self.problems = []
        self._dirty = False  # a migration while parsing sets it: the upgrade must be written
        self._check_links()
        try:
            data = self._read(self.path)
        except NotAFileError as exc:
            self._corrupt(self.path, f"{exc.strerror}; the file is made anew")
            if self.path.exists() or self.path.is_symlink():  # could not be set aside
                self._make_read_only(f"{exc.strerror}, and it could not be set aside")
            data = None
        except OSError as exc:
            if self.unreadable == "raise":
                raise
            reason = f"cannot be read ({exc.strerror or exc})"
            self._make_read_only(
                f"{reason}; opened read-only so it is never overwritten unseen",
                ProblemKind.UNREADABLE,
            )
            prev = self.paths.prev_of(self.path)
            prev_data = self._read_quietly(prev)
            restored = None if prev_data is None else self._parse(prev, prev_data, report=False)
            self.value = restored if restored is not None else self.model()
            self._dirty = False
            return self.value
        if data is None:
            restored = self._restore_from_prev(reason="the file was missing")
            self.value = restored if restored is not None else self.model()
            self._dirty = restored is not None
            return self.value
        value = self._parse(self.path, data, report=True)
        if value is None:
            restored = self._restore_from_prev(reason="the file was unreadable")
            self.value = restored if restored is not None else self.model()
            self._dirty = True
            if not self.read_only:
                self._known_bytes = None
            return self.value
        self.value = value
        self._known_bytes = data
        self.exists_on_disk = True
        return self.value

    async def load(self) -> M:
        async with self._get_lock():
            return await asyncio.to_thread(self.load_sync)

    def _read(self, path: Path) -> bytes | None:
        """The file's bytes, ``None`` when missing; raises for what cannot be read."""
        try:
            return read_file(path)
        except FileNotFoundError:
            return None

    def _read_quietly(self, path: Path) -> bytes | None:
        try:
            return self._read(path)
        except OSError:
            return None

    def _check_links(self) -> None:
        """A symbolic link on the way (the file, a folder, ``.session``) is never written
        through: this part opens read-only, naming the link."""
        try:
            refuse_symlinks(self.path)
        except SymlinkedStateError as exc:
            self._make_read_only(exc.strerror or str(exc), ProblemKind.LINKED)

    def _make_read_only(self, reason: str, kind: ProblemKind | None = None) -> None:
        self.read_only = True
        if self.read_only_reason is None:
            self.read_only_reason = reason
        if kind is not None:
            self._problem(kind, reason)

    def _parse(self, path: Path, data: bytes, *, report: bool) -> M | None:
        try:
            raw, fmt = loads(data)
        except DecodeError as exc:
            if report:
                self._corrupt(path, exc.reason, exc.field)
            return None
        raw = self.adapt(raw)
        if not isinstance(raw, dict):
            if report:
                self._corrupt(path, f"expected a JSON object, found {type(raw).__name__}")
            return None
        raw = self._upgrade(path, raw)
        if raw is None:
            return None
        value: M | None
        try:
            value = self.model.model_validate(raw)
        except ValidationError as exc:
            value = self.salvage(path, raw, exc) if report else None
            if value is None:
                if report:
                    fields = "; ".join(f"{f}: {r}" for f, r in describe_validation(exc)[:5])
                    self._corrupt(path, f"does not match the expected shape ({fields})")
                return None
        if self.format is not Format.GZIP_JSON and fmt is Format.GZIP_JSON:
            self.format = fmt
        self.callbacks.loaded(LoadMetadata(path, fmt, len(data), utcnow(), value.item_count()))
        return value

    def adapt(self, raw: Any) -> Any:
        """Subclasses may turn an old top-level shape (a bare list) into an object."""
        return raw

    def salvage(self, path: Path, raw: dict[str, Any], error: ValidationError) -> M | None:
        """Subclasses may recover a partially valid file (preferences do); default: no."""
        return None

    def _upgrade(self, path: Path, raw: dict[str, Any]) -> dict[str, Any] | None:
        version = raw.get("schema_version", 0)
        if not isinstance(version, int) or isinstance(version, bool):
            self._corrupt(path, f"schema_version is not a whole number: {version!r}")
            return None
        current = self.model.SCHEMA_VERSION
        if version > current:
            reason = (
                f"written by a newer Writers Factory (schema {version}, this one knows "
                f"{current}); opened read-only so it is never downgraded"
            )
            self._make_read_only(reason)
            self._problem(ProblemKind.NEWER_VERSION, reason, field="schema_version")
            return raw
        if version < current:
            backup = None
            if not self.read_only:
                try:
                    backup = migrations.ensure_backup(self.paths)
                except OSError as exc:  # no upgrade in place without a backup to go back to
                    reason = (
                        f"in an older layout (schema {version}) and .session/ could not be "
                        f"backed up before upgrading it ({exc.strerror or exc}); opened read-only"
                    )
                    self._make_read_only(reason, ProblemKind.NOT_WRITABLE)
            try:
                upgraded = migrations.upgrade(self.model.KIND, raw, current)
            except (migrations.MigrationError, KeyError, TypeError, ValueError) as exc:
                self._audit_migration(path, version, f"cannot upgrade: {exc}")
                self._corrupt(path, f"cannot upgrade from schema {version}: {exc}")
                return None
            if self.read_only:
                return upgraded
            self._audit_migration(path, version)
            self._problem(
                ProblemKind.MIGRATED,
                f"upgraded from schema {version} to {current}; backup in {backup}",
            )
            self._dirty = True
            return upgraded
        return raw

    def _audit_migration(self, path: Path, version: int, error: str | None = None) -> None:
        """A file of ``.session/`` upgraded (or not) to the current layout: in the audit
        trail, which is append-only and never migrated itself (imported here, when needed:
        the trail depends on this base, not the other way round at import time)."""
        if self.read_only or self.paths.root not in path.parents:
            return
        from writers_factory.store.audit.log import AuditLog

        with contextlib.suppress(OSError):  # the trail never stops a file from opening
            AuditLog(self.paths.shared).record(
                "migration",
                from_=f"{path.name} schema {version}",
                to=f"{path.name} schema {self.model.SCHEMA_VERSION}",
                trigger="opened by a newer Writers Factory",
                error=error,
            )

    def _corrupt(self, path: Path, reason: str, field: str | None = None) -> None:
        dest: Path | None = None
        if not self.read_only:
            try:
                dest = set_aside(self.paths, path, "corrupt")
            except OSError as exc:
                log.warning("could not set aside %s: %s", path, exc)
        self._problem(ProblemKind.CORRUPT, reason, set_aside=dest, field=field)

    def _restore_from_prev(self, *, reason: str) -> M | None:
        prev = self.paths.prev_of(self.path)
        data = self._read_quietly(prev)
        if data is None:
            if self.problems:
                self._amend_last(lost="everything in it (no earlier good copy exists)")
            return None
        value = self._parse(prev, data, report=False)
        if value is None:
            if self.problems:
                self._amend_last(lost="everything in it (the earlier copy is damaged too)")
            return None
        if self.problems:
            self._amend_last(restored_from=prev, lost="changes made after the last good save")
        else:
            self._problem(
                ProblemKind.CORRUPT,
                reason,
                restored_from=prev,
                lost="changes made after the last good save",
            )
        return value

    def _amend_last(self, **changes: Any) -> None:
        last = self.problems.pop()
        fields = {**last.__dict__, **changes}
        self.problems.append(StoreProblem(**fields))
        self.callbacks.error(self.problems[-1])

    def _problem(self, kind: ProblemKind, message: str, **extra: Any) -> None:
        problem = StoreProblem(self.path, kind, message, **extra)
        self.problems.append(problem)
        if kind not in (ProblemKind.CORRUPT,):  # corrupt is reported once, after restore
            self.callbacks.error(problem)

    # ------------------------------------------------------------------ saving
    def mark_dirty(self) -> None:
        self._dirty = True

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _get_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    def snapshot(self) -> dict[str, Any]:
        """Plain data of the current value; cheap enough to take on the owner's thread."""
        return self.value.model_dump(mode="json")

    def encode(self, plain: dict[str, Any]) -> tuple[bytes, Format]:
        fmt = self.format
        data = dumps(plain, fmt)
        over = self.compress_over
        if over is not None and fmt is not Format.GZIP_JSON and len(data) > over:
            fmt = Format.GZIP_JSON
            data = dumps(plain, fmt)
        return data, fmt

    def _take_snapshot(self) -> tuple[dict[str, Any], int]:
        """Plain data plus its generation, taken on the owner's thread; clears the dirty flag.

        The generation orders snapshots by freshness, so a slow write of an older snapshot
        (an async save still in its thread) can never land after a newer one (the
        synchronous save on quit).
        """
        self._dirty = False
        self._generation += 1
        return self.snapshot(), self._generation

    def _refuse_if_read_only(self, force: bool) -> bool:
        """True when nothing may be written; raises when changes would be lost silently."""
        if not self.read_only:
            return False
        if self.read_only_reason is not None and (self._dirty or force):
            raise FileReadOnlyError(self.path, self.read_only_reason)
        return True

    def save_sync(self, *, force: bool = False, plain: dict[str, Any] | None = None) -> bool:
        """Write when dirty (or forced). Returns True when bytes reached the disk.

        Raises :class:`FileReadOnlyError` when there are changes but the file itself keeps
        this part read-only (see ``read_only_reason``); read-only by the caller's choice
        returns False.
        """
        if self._refuse_if_read_only(force) or not (self._dirty or force):
            return False
        if plain is None:
            plain, generation = self._take_snapshot()
        else:
            self._dirty = False
            self._generation += 1
            generation = self._generation
        return self._write(plain, generation)

    def _write(self, plain: dict[str, Any], generation: int) -> bool:
        with self._write_lock:
            if generation < self._written_generation:
                return False  # a newer snapshot is already on disk
            try:
                data, fmt = self.encode(plain)
                if data == self._known_bytes and self.path.exists():
                    self._written_generation = generation
                    return False
                self._protect_external_edit()
                self._keep_previous()
                warning = write_atomic(self.path, data)
            except (OSError, ValueError) as exc:
                self._dirty = True
                cause = exc.cause if isinstance(exc, DurableWriteError) else exc
                problem = StoreProblem(
                    self.path,
                    ProblemKind.WRITE_FAILED,
                    f"could not save: {getattr(cause, 'strerror', None) or cause}",
                    lost="nothing yet: the previous file is intact and the change is kept in "
                    "memory",
                )
                self.problems.append(problem)
                self.callbacks.error(problem)
                raise
            # the bytes are in place even when their folder could not be synced: they are
            # what is on disk now, so the next save must not take them for an outside edit
            self._written_generation = generation
            self._known_bytes = data
            self.exists_on_disk = True
            meta = SaveMetadata(self.path, fmt, len(data), utcnow(), self.value.item_count())
            self.last_save = meta
            self._note_durability(warning)
        self.callbacks.saved(meta)
        return True

    def _note_durability(self, warning: DurabilityWarning | None) -> None:
        """Report a folder that could not be synced once, until a save syncs again."""
        if warning is None:
            self._durability_warned = False
            return
        if self._durability_warned:
            return
        self._durability_warned = True
        problem = StoreProblem(self.path, ProblemKind.DURABILITY, warning.describe())
        self.problems.append(problem)
        self.callbacks.error(problem)

    async def save(self, *, force: bool = False) -> bool:
        """Serialise and write in a thread; one save of this file at a time."""
        if self._refuse_if_read_only(force) or not (self._dirty or force):
            return False
        async with self._get_lock():
            if not (self._dirty or force):
                return False
            plain, generation = self._take_snapshot()
            return await asyncio.to_thread(self._write, plain, generation)

    def request_save(self, delay: float = 0.5) -> None:
        """Debounce a burst of changes into one write ``delay`` seconds after the last."""
        self.mark_dirty()
        if self._pending is not None and not self._pending.done():
            self._pending.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            with contextlib.suppress(OSError):
                await self.save()

        self._pending = asyncio.get_running_loop().create_task(later())

    async def flush(self) -> None:
        """Finish any debounced save now."""
        if self._pending is not None and not self._pending.done():
            self._pending.cancel()
            self._pending = None
        await self.save()

    def _protect_external_edit(self) -> None:
        """Never overwrite a file somebody changed behind our back: set it aside first."""
        if self._known_bytes is None:
            return
        current = self._read_quietly(self.path)
        if current is None or current == self._known_bytes:
            return
        dest = set_aside(self.paths, self.path, "edited-outside")
        problem = StoreProblem(
            self.path,
            ProblemKind.EXTERNALLY_MODIFIED,
            "changed outside Writers Factory while it was open; that version was kept aside "
            "and ours written",
            set_aside=dest,
        )
        self.problems.append(problem)
        self.callbacks.error(problem)
        self._known_bytes = None

    def _keep_previous(self) -> None:
        """Keep the last good bytes as ``prev/<name>`` before replacing them.

        Retried like any write; a final failure is a :class:`DurableWriteError` naming this
        file (``current.json``), the one the writer knows, not its ``prev/`` copy.
        """
        if self._known_bytes is None or not self.path.exists():
            return
        prev = self.paths.prev_of(self.path)
        with_retries(
            self.path,
            lambda: self._keep_previous_once(prev),
            step="keep the previous copy of",
        )

    def _keep_previous_once(self, prev: Path) -> None:
        make_private_dir(prev.parent)
        tmp = temp_path_for(prev)  # our temp naming: a crash here leaves a cleanable leftover
        try:
            try:
                os.link(self.path, tmp)
            except OSError:
                shutil.copyfile(self.path, tmp)
                os.chmod(tmp, PRIVATE_FILE)
            os.replace(tmp, prev)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
