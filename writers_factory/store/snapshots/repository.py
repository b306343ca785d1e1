"""The bare git repository of snapshots: ``.session/snapshots.git``.

Objects are written loose, zlib-compressed in git's format, through the one durable write
path (:func:`write_many_atomic`: each file fsynced, each folder fsynced once), and only
then does the branch move (``refs/heads/main``, written with :func:`write_atomic`). A kill
at any instant leaves the branch at a commit whose objects are all on disk: at worst some
unreferenced objects and our temp files (removed at the next opening), which ``git fsck``
accepts. Objects are content-addressed, so an unchanged chapter costs nothing.

Two processes (the app and ``writers-factory snapshot``) may take snapshots of one project:
:meth:`SnapshotRepository.writing` holds an OS lock while a commit is built and the branch
moved. Reading needs no lock: objects never change and the ref is replaced atomically.
Objects are read through dulwich (lazily imported), so a repository packed by ``git gc``
reads as well; every object read is checked against its id.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base import oslock
from writers_factory.store.base.durable import (
    clean_leftovers,
    make_private_dir,
    write_atomic,
    write_many_atomic,
)

if TYPE_CHECKING:
    from dulwich.object_store import DiskObjectStore
    from dulwich.objects import ShaFile

REPOSITORY_DIR = "snapshots.git"
BRANCH = "refs/heads/main"
LOCK_NAME = "writer.lock"
PACK_THRESHOLD = 32
"""From this many new objects on, a snapshot writes one pack rather than loose objects."""
LOOSE_LIMIT = 128
"""From this many loose objects on (about 30 incremental snapshots), they are packed into
one pack with deltas: each snapshot's trees differ from the one before by one entry, and a
chapter's new version from its old one by a paragraph, so packed they cost a fraction of
their loose size (and far less than a copy of each changed file)."""
_HEX = re.compile(r"^[0-9a-f]{40}$")

CONFIG = b"[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n"


class SnapshotError(WritersFactoryError, ValueError):
    """A snapshot that cannot be found or read; the message names it and why."""


class SnapshotRepository:
    """One project's snapshot repository (it may not exist yet)."""

    def __init__(self, session_root: Path) -> None:
        self.session_root = Path(session_root)
        self.path = self.session_root / REPOSITORY_DIR
        self._store: DiskObjectStore | None = None
        self._known: set[str] = set()
        """Objects known to be on disk (written, read or found by this process): objects
        never leave a repository (packing moves them), so a snapshot of a book with one
        chapter changed looks up only its new objects on disk, not every chapter again."""
        self._loose_count: int | None = None
        """Loose objects in the repository, counted once and then followed."""
        self._cleaned = False
        """A dead writer's temp files were removed at this instance's first commit."""
        self.disk_lookups = 0
        """Objects looked for on disk (``has`` beyond :attr:`_known`); tests count them."""

    @property
    def objects(self) -> Path:
        return self.path / "objects"

    @property
    def branch_file(self) -> Path:
        return self.path / BRANCH

    def exists(self) -> bool:
        return (self.path / "HEAD").is_file() and self.objects.is_dir()

    def ensure(self) -> None:
        """Create the skeleton stock git recognises, durably; drop a dead writer's temps.

        The temps are looked for once per instance (a walk of the whole repository): a
        writer that dies later leaves only files nobody reads, dropped at the next opening.
        """
        if not self.exists():
            for folder in (self.objects, self.path / "refs" / "heads", self.path / "refs" / "tags"):
                make_private_dir(folder)
            write_atomic(self.path / "config", CONFIG)
            write_atomic(self.path / "description", b"Writers Factory snapshots\n")
            write_atomic(self.path / "HEAD", f"ref: {BRANCH}\n".encode())
        if not self._cleaned:
            clean_leftovers([self.path])
            self._cleaned = True

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writers' OS lock (one commit at a time across processes; the system
        drops it when the process dies)."""
        self.ensure()
        fd = oslock.open_lock_file(self.path / LOCK_NAME)
        try:
            oslock.lock(fd)
            yield
        finally:
            os.close(fd)

    # -- refs ----------------------------------------------------------------------------------

    def head(self) -> str | None:
        """The newest snapshot's id, or None before the first one."""
        try:
            raw = self.branch_file.read_text("ascii").strip()
        except FileNotFoundError:
            return self._packed_head()
        except (OSError, UnicodeDecodeError) as exc:
            raise SnapshotError(f"{self.branch_file}: unreadable ({exc})") from exc
        if not _HEX.match(raw):
            raise SnapshotError(f"{self.branch_file}: not a commit id ({raw[:60]!r})")
        return raw

    def _packed_head(self) -> str | None:
        """After ``git pack-refs`` the branch lives in ``packed-refs``."""
        try:
            lines = (self.path / "packed-refs").read_text("ascii").splitlines()
        except (OSError, UnicodeDecodeError):
            return None
        for line in lines:
            parts = line.split()
            if len(parts) == 2 and parts[1] == BRANCH and _HEX.match(parts[0]):
                return parts[0]
        return None

    def set_head(self, commit_id: str) -> None:
        """Move the branch: only after every object of the commit is durable."""
        write_atomic(self.branch_file, f"{commit_id}\n".encode("ascii"))

    # -- objects -------------------------------------------------------------------------------

    def _loose(self, hex_id: str) -> Path:
        return self.objects / hex_id[:2] / hex_id[2:]

    def _object_store(self) -> DiskObjectStore:
        if self._store is None:
            from dulwich.object_store import DiskObjectStore

            self._store = DiskObjectStore(str(self.objects))
        return self._store

    def close(self) -> None:
        """Let go of the pack files opened for reading (reopened when next needed)."""
        store, self._store = self._store, None
        if store is not None:
            store.close()

    def has(self, hex_id: str) -> bool:
        if hex_id in self._known:
            return True
        self.disk_lookups += 1
        if self._on_disk(hex_id):
            self._known.add(hex_id)
            return True
        return False

    def _on_disk(self, hex_id: str) -> bool:
        if self._loose(hex_id).is_file():
            return True
        if (self.objects / "pack").is_dir():
            store = self._object_store()
            from dulwich.objects import ObjectID

            wanted = ObjectID(hex_id.encode("ascii"))
            if store.contains_packed(wanted):
                return True
            with contextlib.suppress(Exception):  # packed by another process since
                store._update_pack_cache()
            return bool(store.contains_packed(wanted))
        return False

    def add(self, objects: Iterable[ShaFile]) -> int:
        """Write the objects not yet stored, durably; return how many were written.

        A few objects (an incremental snapshot) are written loose; many (the first snapshot
        of a long book, a migration) as one pack and its index: two files to fsync instead
        of hundreds, and a folder fsync for each, which is what makes a first snapshot of 365
        chapters take a fraction of a second rather than many seconds on a real disk.
        """
        if self._store is not None:  # packs written by another process (or git gc) since
            with contextlib.suppress(Exception):
                self._store._update_pack_cache()
        pending: dict[str, ShaFile] = {}
        for obj in objects:
            hex_id = obj.id.decode("ascii")
            if hex_id in pending or self.has(hex_id):
                continue
            pending[hex_id] = obj
        if len(pending) >= PACK_THRESHOLD:
            self._write_pack(list(pending.values()))
        else:
            write_many_atomic(
                (self._loose(h), obj.as_legacy_object()) for h, obj in pending.items()
            )
            if self._loose_count is not None:
                self._loose_count += len(pending)
        self._known.update(pending)
        return len(pending)

    def _loose_ids(self) -> list[str]:
        found: list[str] = []
        with contextlib.suppress(FileNotFoundError):
            for folder in self.objects.iterdir():
                if len(folder.name) != 2 or folder.is_symlink() or not folder.is_dir():
                    continue
                found.extend(
                    folder.name + entry.name
                    for entry in folder.iterdir()
                    if _HEX.match(folder.name + entry.name)
                )
        return sorted(found)

    def pack_loose(self, limit: int = LOOSE_LIMIT) -> int:
        """Pack the loose objects (with deltas) once there are ``limit`` of them; return how
        many were packed. The caller holds :meth:`writing`.

        The pack and its index are durable before any loose object is removed: a kill in
        between leaves objects twice, which git accepts; never an object missing. Every
        object is read back (checked against its id) before it goes into the pack.
        """
        if self._loose_count is None:
            self._loose_count = len(self._loose_ids())
        if self._loose_count < limit:
            return 0
        ids = self._loose_ids()
        if len(ids) < limit:
            self._loose_count = len(ids)
            return 0
        self._write_pack([self.read(h) for h in ids], deltify=True)
        # Removals need no fsync: a loose object that comes back after a power cut is one
        # the pack holds too, which git and this reader accept.
        for hex_id in ids:
            with contextlib.suppress(FileNotFoundError):
                self._loose(hex_id).unlink()
        self._loose_count = 0
        return len(ids)

    def _write_pack(self, objects: list[ShaFile], *, deltify: bool = False) -> None:
        import io

        from dulwich.object_format import DEFAULT_OBJECT_FORMAT
        from dulwich.pack import write_pack_index, write_pack_objects

        data = io.BytesIO()
        if deltify:
            from dulwich.pack import write_pack_data

            from writers_factory.store.snapshots.packing import records

            entries, checksum = write_pack_data(
                data, records(objects), DEFAULT_OBJECT_FORMAT, num_records=len(objects)
            )
        else:
            entries, checksum = write_pack_objects(
                data, objects, DEFAULT_OBJECT_FORMAT, deltify=False
            )
        index = io.BytesIO()
        write_pack_index(
            index, sorted((sha, offset, crc) for sha, (offset, crc) in entries.items()), checksum
        )
        folder = self.objects / "pack"
        make_private_dir(folder)
        name = f"pack-{checksum.hex()}"
        # the pack before its index: git and dulwich only read a pack once its index is there
        write_many_atomic(
            [(folder / f"{name}.pack", data.getvalue()), (folder / f"{name}.idx", index.getvalue())]
        )
        if self._store is not None:
            self._store._update_pack_cache()

    def read(self, hex_id: str) -> Any:
        """The object ``hex_id`` (a dulwich object), checked against its id."""
        from dulwich.objects import ShaFile

        try:
            loose = self._loose(hex_id)
            obj = None
            with contextlib.suppress(FileNotFoundError):  # packed and removed meanwhile
                obj = ShaFile.from_path(str(loose)) if loose.is_file() else None
            if obj is None:
                from dulwich.objects import ObjectID

                store = self._object_store()
                wanted = ObjectID(hex_id.encode("ascii"))
                try:
                    obj = store[wanted]
                except KeyError:  # loose a moment ago, packed by another process since
                    store._update_pack_cache()
                    obj = store[wanted]
        except KeyError as exc:
            raise SnapshotError(f"{self.path}: object {hex_id} is missing") from exc
        except Exception as exc:  # zlib, parse errors: a damaged object
            raise SnapshotError(f"{self.path}: object {hex_id} is damaged ({exc})") from exc
        if obj.id.decode("ascii") != hex_id:
            raise SnapshotError(f"{self.path}: object {hex_id} does not match its checksum")
        self._known.add(hex_id)
        return obj
