"""What the recovery question shows for each journal entry, and what it may propose.

An entry is worth offering only when it differs from the file. How it relates to the file
decides what is safe to propose:

* the file is exactly what the entry was typed on top of (its ``base_sha256``): the entry is
  newer work, proposed by default — unless it removes more than a fifth of the file, which
  is said in words and not proposed (an accidental select-all-and-type must not be the
  default);
* the file changed since (or was deleted): both are shown side by side and neither is
  proposed; the writer picks;
* the file never existed: only the entry has the text.

Reading, hashing and diffing happen here, in the caller's thread (the TUI runs it in one).
"""

from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from writers_factory.store.base.digests import sha256_hex
from writers_factory.store.manuscript.buffers import ENCODING
from writers_factory.store.manuscript.journal import Journal, JournalEntry, JournalProblem

PREVIEW_LINES = 3
"""Changed lines shown on each side of a difference."""
PREVIEW_WIDTH = 200
"""Characters kept of each previewed line (the screen crops further)."""
LARGE_REMOVAL = 0.2
"""A recovered change removing more than this share of the file is named as such."""


class Newer(enum.StrEnum):
    JOURNAL = "journal"  # typed on top of the file as it still is: the entry is newer work
    FILE = "file"  # the file changed after the entry's text was typed on top of it
    FILE_DELETED = "file deleted"  # the file existed under the entry and is gone now
    SAME = "same"  # the entry holds exactly what the file holds
    FILE_MISSING = "file missing"  # a new file never written; only the entry has the text


class Side(enum.StrEnum):
    """Which version of one file the writer keeps when recovering."""

    UNSAVED = "unsaved"  # the entry's text, restored as unsaved edits
    DISK = "disk"  # the file as it is; the entry is set aside in .session/recovered/


@dataclass(frozen=True)
class DiffSize:
    added: int
    removed: int

    def describe(self) -> str:
        if not self.added and not self.removed:
            return "no difference"
        return f"+{self.added} −{self.removed} characters"


@dataclass(frozen=True)
class Preview:
    """The first changed lines: what the file has there, and what the entry has instead."""

    line: int = 0
    """1-based line of the file where the first difference starts (0: no difference)."""
    disk: list[str] = field(default_factory=list)
    unsaved: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Assessment:
    """One entry compared with its file."""

    entry: JournalEntry
    newer: Newer
    diff: DiffSize
    file_mtime: datetime | None
    preview: Preview = field(default_factory=Preview)
    file_chars: int = 0

    @property
    def name(self) -> str:
        return PurePosixPath(self.entry.path).name

    @property
    def removed_share(self) -> float:
        return self.diff.removed / self.file_chars if self.file_chars else 0.0

    def removal_warning(self) -> str | None:
        """``"removes 94% of chapter-03.md"`` when recovering would remove over a fifth."""
        if self.newer is Newer.SAME or self.removed_share <= LARGE_REMOVAL:
            return None
        return f"removes {round(self.removed_share * 100)}% of {self.name}"

    @property
    def default(self) -> Side | None:
        """The side proposed before the writer chooses; ``None`` when they must choose."""
        if self.newer is Newer.FILE_MISSING:
            return Side.UNSAVED
        if self.newer is Newer.JOURNAL:
            return Side.DISK if self.removal_warning() else Side.UNSAVED
        return None

    @property
    def both_shown(self) -> bool:
        """The file changed since the entry: show both versions, propose neither."""
        return self.newer in (Newer.FILE, Newer.FILE_DELETED)


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


def _shown(lines: list[str]) -> list[str]:
    return [line[:PREVIEW_WIDTH] if line.strip() else "(blank line)" for line in lines]


def preview(old: str, new: str, lines: int = PREVIEW_LINES) -> Preview:
    """The first lines that differ between ``old`` (the file) and ``new`` (the entry)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return Preview(
                i1 + 1, _shown(old_lines[i1:i2][:lines]), _shown(new_lines[j1:j2][:lines])
            )
    return Preview()


def assess(project: Path, entry: JournalEntry) -> Assessment:
    """Compare an entry with its file: how they relate, how much differs, the first change."""
    file = Path(project) / entry.path
    try:
        data = file.read_bytes()
        mtime = datetime.fromtimestamp(file.stat().st_mtime, UTC)
    except FileNotFoundError:
        newer = Newer.FILE_MISSING if entry.base_sha256 is None else Newer.FILE_DELETED
        return Assessment(entry, newer, diff_size("", entry.text), None, preview("", entry.text))
    disk_text = data.decode(ENCODING, errors="replace")
    if entry.text.encode(ENCODING) == data:
        return Assessment(entry, Newer.SAME, DiffSize(0, 0), mtime, Preview(), len(disk_text))
    unchanged = entry.base_sha256 == sha256_hex(data)
    return Assessment(
        entry,
        Newer.JOURNAL if unchanged else Newer.FILE,
        diff_size(disk_text, entry.text),
        mtime,
        preview(disk_text, entry.text),
        len(disk_text),
    )


def assess_all(journal: Journal) -> tuple[list[Assessment], list[JournalProblem]]:
    entries, problems = journal.entries()
    return [assess(journal.project, e) for e in entries], problems
