"""The crash-recovery journal: unsaved editor text, one JSON file per open document.

Auto-save to the manuscript runs every 30 seconds; a crash between saves would lose up to
that much typing. The TUI therefore writes each dirty document's text here within about a
second of typing, so a crash loses at most about a second.

What an entry may never do is outlive the text it holds: an entry left behind after its text
was saved — or after the writer undid back to the file's text — is offered at the next start
as if it were newer work, and recovering it would throw away what is on disk. So entries
carry the revision of the text and the id of the open document that wrote it
(:mod:`.documents`), and the rules are by revision, never by comparing texts:

* a save of revision r discards every entry of that document at or below r
  (:meth:`Journal.discard_through`), and from then on refuses to write one at or below r —
  a journal write still in a thread when the save landed cannot bring the old text back;
* the entry records the hash of the file it was made on top of (``base_sha256``), so
  recovery can tell "typed on top of this file" from "the file changed since".

An entry's ``path`` is disk state like any other: one that leads outside the project (or
into ``.session/``) once links are followed is a :class:`JournalProblem` naming the entry
file and the path, never offered, so Recover can never write it back outside.

"Start fresh" moves the whole journal aside into ``.session/recovered/<timestamp>/`` —
nothing a writer typed is ever deleted by a choice.

Synchronous file I/O throughout (the TUI calls it from thread workers); one lock serialises
writes and removals so a removal never races a newer entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from writers_factory.store.base.durable import (
    fsync_dir,
    is_temp_file,
    make_private_dir,
    write_atomic,
)
from writers_factory.store.base.model_base import StoreDatetime
from writers_factory.store.base.paths import (
    OutsideProjectError,
    SessionPaths,
    inside_project,
    stamp,
)
from writers_factory.store.base.serialisers import DecodeError, dumps, loads

SCHEMA_VERSION = 2
"""2: entries carry ``document`` and ``revision`` (version 1 entries read with "" and 0)."""


class JournalEntry(BaseModel):
    """One document's unsaved text, as of ``journaled_at``."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    schema_version: int = SCHEMA_VERSION
    path: str = Field(description="the file, relative to the project, with forward slashes")
    text: str
    base_sha256: str | None = Field(
        default=None,
        description="hash of the file the text was typed on top of (None: no file yet)",
    )
    journaled_at: StoreDatetime
    cursor_line: int = 0
    cursor_col: int = 0
    document: str = Field(
        default="", description="id of the open document that wrote it (empty: unknown)"
    )
    revision: int = Field(default=0, description="the document's revision of this text")


@dataclass(frozen=True)
class JournalProblem:
    """A journal file we could not read; it is left where it is."""

    file: Path
    message: str

    def describe(self) -> str:
        return f"{self.file}: {self.message}"


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Journal:
    """The ``.session/journal/`` folder of one project (``.session/authors/<author>/journal/``
    for a co-author: each recovers only the text they typed, and two authors on two machines
    never write each other's entries)."""

    def __init__(self, project: Path, author: str | None = None) -> None:
        self.project = Path(project)
        self.paths = SessionPaths.for_project(self.project, author)
        self.folder = self.paths.journal
        self._lock = threading.Lock()
        self._floors: dict[tuple[str, str], int] = {}
        """(path, document) → the newest revision discarded as safe: none at or below it is
        written again."""

    def relative(self, path: Path) -> str:
        """The project-relative name stored in an entry; refuses files outside the project
        (:class:`OutsideProjectError`, links followed)."""
        path = Path(path)
        real = inside_project(self.project, path, where="recovery journal")
        if not path.is_absolute():
            return path.as_posix()
        try:
            return path.relative_to(self.project).as_posix()
        except ValueError:
            return real.relative_to(self.project.resolve()).as_posix()

    def entry_file(self, path: Path | str) -> Path:
        """Readable and unique: a slug of the path plus a short hash of it."""
        rel = self.relative(Path(path)) if isinstance(path, Path) else path
        slug = _UNSAFE.sub("_", rel.replace("/", "__"))[-80:]
        digest = hashlib.sha1(rel.encode("utf-8")).hexdigest()[:10]
        return self.folder / f"{slug}.{digest}.json"

    def write(
        self,
        path: Path,
        text: str,
        base_sha256: str | None,
        *,
        document: str = "",
        revision: int = 0,
        cursor: tuple[int, int] = (0, 0),
        now: datetime | None = None,
    ) -> JournalEntry | None:
        """Record ``text`` as the document's unsaved state (durably).

        Returns ``None``, writing nothing, when revision ``revision`` of ``document`` was
        already discarded as saved: that text is in the file, and an entry for it would be
        offered later as if it were newer.
        """
        rel = self.relative(path)
        entry = JournalEntry(
            path=rel,
            text=text,
            base_sha256=base_sha256,
            journaled_at=now or datetime.now(UTC),
            cursor_line=cursor[0],
            cursor_col=cursor[1],
            document=document,
            revision=revision,
        )
        data = dumps(entry.model_dump(mode="json"))
        with self._lock:
            if revision <= self._floors.get((rel, document), -1):
                return None
            write_atomic(self.entry_file(rel), data)
        return entry

    def discard_through(self, path: Path, document: str, revision: int) -> bool:
        """Revision ``revision`` of ``document`` is safe (saved, or equal to the file): remove
        its entry if it is at or below that revision, and refuse such entries from now on.

        An entry of another document, or of a later revision (typed while the save ran), is
        other work and stays. Returns True when an entry was removed.
        """
        rel = self.relative(path)
        target = self.entry_file(rel)
        with self._lock:
            key = (rel, document)
            self._floors[key] = max(self._floors.get(key, -1), revision)
            entry = self._read(target)
            if not isinstance(entry, JournalEntry):
                return False
            if entry.document != document or entry.revision > revision:
                return False
            target.unlink()
            fsync_dir(self.folder)
            return True

    def set_aside_entry(self, path: Path, now: datetime | None = None) -> Path | None:
        """Move one entry into ``.session/recovered/<timestamp>/`` (the writer took theirs).

        The writer chose the other version, so this text should stop being offered for
        recovery — but it is still theirs, so it is kept, not deleted.
        """
        source = self.entry_file(self.relative(path))
        with self._lock:
            if not source.exists():
                return None
            folder = make_private_dir(self.paths.recovered / stamp(now))
            target = folder / source.name
            os.replace(source, target)
            fsync_dir(folder)
            fsync_dir(self.folder)
            return target

    def move_entry(self, old: Path, new: Path) -> bool:
        """The file was renamed: its unsaved text follows it (written anew, then the old
        entry removed — so a crash in between leaves two copies, never none)."""
        old_rel, new_rel = self.relative(old), self.relative(new)
        entry = self.get(old)
        if entry is None:
            return False
        with self._lock:
            for (rel, document), floor in list(self._floors.items()):
                if rel == old_rel:
                    self._floors[(new_rel, document)] = floor
        self.write(
            new,
            entry.text,
            entry.base_sha256,
            document=entry.document,
            revision=entry.revision,
            cursor=(entry.cursor_line, entry.cursor_col),
            now=entry.journaled_at,
        )
        with self._lock:
            if self._read(self.entry_file(old_rel)) == entry:
                self.entry_file(old_rel).unlink()
                fsync_dir(self.folder)
        return True

    def get(self, path: Path) -> JournalEntry | None:
        """The unsaved text recorded for ``path``; ``None`` when there is none or it is
        unreadable (``entries`` reports unreadable ones)."""
        entry = self._read(self.entry_file(self.relative(path)))
        return entry if isinstance(entry, JournalEntry) else None

    def entries(self) -> tuple[list[JournalEntry], list[JournalProblem]]:
        """Every readable entry (sorted by path) and a problem for each unreadable file."""
        found: list[JournalEntry] = []
        problems: list[JournalProblem] = []
        if not self.folder.is_dir():
            return found, problems
        for file in sorted(self.folder.iterdir()):
            if not file.is_file() or is_temp_file(file) or file.suffix != ".json":
                continue
            result = self._read(file)
            if isinstance(result, JournalEntry):
                result = self._contained(file, result)
            if isinstance(result, JournalProblem):
                problems.append(result)
            elif result is not None:
                found.append(result)
        found.sort(key=lambda e: e.path)
        return found, problems

    def _contained(self, file: Path, entry: JournalEntry) -> JournalEntry | JournalProblem:
        """The entry, or a problem when its path leads outside the project."""
        try:
            inside_project(self.project, entry.path, where=f"{file.name} › path")
        except OutsideProjectError as exc:
            return JournalProblem(
                file, f"field path: {exc.value} {exc.reason} — not offered for recovery"
            )
        return entry

    def _read(self, file: Path) -> JournalEntry | JournalProblem | None:
        try:
            inside_project(self.folder, file, within="the journal folder")
        except OutsideProjectError as exc:
            return JournalProblem(file, f"{exc.reason}; not read")
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return JournalProblem(file, f"could not be read ({exc.strerror or exc})")
        try:
            raw, _ = loads(data)
        except DecodeError as exc:
            return JournalProblem(file, str(exc))
        try:
            entry = JournalEntry.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(document)"
            return JournalProblem(file, f"field {where}: {first['msg']}")
        if entry.schema_version > SCHEMA_VERSION:
            return JournalProblem(
                file,
                f"field schema_version: {entry.schema_version} is from a newer Writers Factory",
            )
        return entry

    def has_entries(self) -> bool:
        """Whether any unsaved text is waiting: the cheap check start-up makes first."""
        if not self.folder.is_dir():
            return False
        return any(f.suffix == ".json" and not is_temp_file(f) for f in self.folder.iterdir())

    def set_aside(self, now: datetime | None = None) -> Path | None:
        """Move the whole journal to ``.session/recovered/<timestamp>/``; returns where.

        A rename, not a copy: atomic, and the entries keep their bytes exactly.
        """
        with self._lock:
            if not self.has_entries():
                return None
            make_private_dir(self.paths.recovered)
            target = self.paths.recovered / stamp(now)
            counter = 1
            while target.exists():
                target = self.paths.recovered / f"{stamp(now)}-{counter}"
                counter += 1
            os.replace(self.folder, target)
            fsync_dir(self.paths.recovered)
            fsync_dir(self.paths.root)
            with contextlib.suppress(OSError):  # made again by the next write otherwise
                make_private_dir(self.folder)
            return target
