"""The crash-recovery journal: unsaved editor text, one JSON file per buffer.

Auto-save to the manuscript runs every 30 seconds; a crash between saves would lose up to
that much typing. The TUI therefore writes each dirty buffer's text here within about a
second of typing, so a crash loses at most about a second. Entries are removed only once
the same text is safely in the file; "Start fresh" moves the whole journal aside into
``.session/recovered/<timestamp>/`` — nothing a writer typed is ever deleted by a choice.

Synchronous file I/O throughout (the TUI calls it from thread workers); one lock
serialises writes and removals so a removal never races a newer entry.
"""

from __future__ import annotations

import contextlib
import difflib
import enum
import hashlib
import os
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from writers_factory.store.base.durable import fsync_dir, is_temp_file, write_atomic
from writers_factory.store.base.paths import SessionPaths, stamp
from writers_factory.store.base.serialisers import DecodeError, dumps, loads
from writers_factory.store.manuscript.buffers import text_sha256

SCHEMA_VERSION = 1


class JournalEntry(BaseModel):
    """One buffer's unsaved text, as of ``journaled_at``."""

    model_config = ConfigDict(extra="ignore")

    schema_version: int = SCHEMA_VERSION
    path: str = Field(description="the file, relative to the project, with forward slashes")
    text: str
    base_sha256: str | None = Field(
        default=None, description="hash of the file when the buffer loaded it (None: new file)"
    )
    journaled_at: datetime
    cursor_line: int = 0
    cursor_col: int = 0


@dataclass(frozen=True)
class JournalProblem:
    """A journal file we could not read; it is left where it is."""

    file: Path
    message: str

    def describe(self) -> str:
        return f"{self.file}: {self.message}"


class Newer(enum.StrEnum):
    JOURNAL = "journal"  # typed after the file was last written: recover it
    FILE = "file"  # the file changed after the journal entry (saved elsewhere?)
    SAME = "same"  # the journal holds exactly what the file holds
    FILE_MISSING = "file missing"  # the file is gone; only the journal has the text


@dataclass(frozen=True)
class DiffSize:
    added: int
    removed: int

    def describe(self) -> str:
        if not self.added and not self.removed:
            return "no difference"
        return f"+{self.added} −{self.removed} characters"


@dataclass(frozen=True)
class Assessment:
    """What the recovery modal shows for one entry."""

    entry: JournalEntry
    newer: Newer
    diff: DiffSize
    file_mtime: datetime | None


def diff_size(old: str, new: str) -> DiffSize:
    """Characters added and removed, line-wise (fast enough for whole novels)."""
    added = removed = 0
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old_chunk = "".join(old_lines[i1:i2])
        new_chunk = "".join(new_lines[j1:j2])
        if tag == "replace":
            # a changed line: count only the characters that differ inside it
            inner = difflib.SequenceMatcher(None, old_chunk, new_chunk, autojunk=False)
            for t, a1, a2, b1, b2 in inner.get_opcodes():
                if t != "equal":
                    removed += a2 - a1
                    added += b2 - b1
        else:
            removed += len(old_chunk)
            added += len(new_chunk)
    return DiffSize(added, removed)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Journal:
    """The ``.session/journal/`` folder of one project."""

    def __init__(self, project: Path) -> None:
        self.project = Path(project)
        self.paths = SessionPaths.for_project(self.project)
        self.folder = self.paths.journal
        self._lock = threading.Lock()

    def relative(self, path: Path) -> str:
        """The project-relative name stored in an entry; refuses files outside the project."""
        path = Path(path)
        if not path.is_absolute():
            return path.as_posix()
        try:
            return path.resolve().relative_to(self.project.resolve()).as_posix()
        except ValueError as exc:
            raise ValueError(f"{path} is outside the project {self.project}") from exc

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
        cursor: tuple[int, int] = (0, 0),
        now: datetime | None = None,
    ) -> JournalEntry:
        """Record ``text`` as the buffer's unsaved state (durably)."""
        rel = self.relative(path)
        entry = JournalEntry(
            path=rel,
            text=text,
            base_sha256=base_sha256,
            journaled_at=now or datetime.now(UTC),
            cursor_line=cursor[0],
            cursor_col=cursor[1],
        )
        data = dumps(entry.model_dump(mode="json"))
        with self._lock:
            write_atomic(self.entry_file(rel), data)
        return entry

    def discard_if_saved(self, path: Path, saved_text: str) -> bool:
        """Remove the entry only when it holds exactly the text now safely in the file.

        An entry holding other text (typed while the save ran) is newer work and stays.
        """
        rel = self.relative(path)
        target = self.entry_file(rel)
        with self._lock:
            entry = self._read(target)
            if isinstance(entry, JournalProblem) or entry is None:
                return False
            if entry.text != saved_text:
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
            folder = self.paths.recovered / stamp(now)
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / source.name
            os.replace(source, target)
            fsync_dir(folder)
            fsync_dir(self.folder)
            return target

    def move_entry(self, old: Path, new: Path) -> bool:
        """The file was renamed: its unsaved text follows it (written anew, then the old
        entry removed — so a crash in between leaves two copies, never none)."""
        entry = self.get(old)
        if entry is None:
            return False
        self.write(
            new,
            entry.text,
            entry.base_sha256,
            cursor=(entry.cursor_line, entry.cursor_col),
            now=entry.journaled_at,
        )
        return self.discard_if_saved(old, entry.text)

    def get(self, path: Path) -> JournalEntry | None:
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
            if isinstance(result, JournalProblem):
                problems.append(result)
            elif result is not None:
                found.append(result)
        found.sort(key=lambda e: e.path)
        return found, problems

    def _read(self, file: Path) -> JournalEntry | JournalProblem | None:
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

    def assess(self, entry: JournalEntry) -> Assessment:
        """Compare an entry with its file: which copy is newer and by how much they differ."""
        file = self.project / entry.path
        try:
            data = file.read_bytes()
            mtime = datetime.fromtimestamp(file.stat().st_mtime, UTC)
        except FileNotFoundError:
            return Assessment(entry, Newer.FILE_MISSING, diff_size("", entry.text), None)
        disk_text = data.decode("utf-8", errors="replace")
        diff = diff_size(disk_text, entry.text)
        if text_sha256(entry.text) == hashlib.sha256(data).hexdigest():
            newer = Newer.SAME
        elif mtime > entry.journaled_at:
            newer = Newer.FILE
        else:
            newer = Newer.JOURNAL
        return Assessment(entry, newer, diff, mtime)

    def assess_all(self) -> tuple[list[Assessment], list[JournalProblem]]:
        entries, problems = self.entries()
        return [self.assess(e) for e in entries], problems

    def has_entries(self) -> bool:
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
            self.paths.recovered.mkdir(parents=True, exist_ok=True)
            target = self.paths.recovered / stamp(now)
            counter = 1
            while target.exists():
                target = self.paths.recovered / f"{stamp(now)}-{counter}"
                counter += 1
            os.replace(self.folder, target)
            fsync_dir(self.paths.recovered)
            fsync_dir(self.paths.root)
            with contextlib.suppress(FileExistsError):
                self.folder.mkdir()
            return target
