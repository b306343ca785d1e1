"""Open documents: what the app knows about each open file, apart from the widget showing it.

The editor widget holds the text; everything needed to decide what may be thrown away lives
here, so it can be reasoned about (and tested) without a screen:

* ``revision`` — bumped by every change of the text (and whenever the text stops being what
  the disk holds, e.g. the file was deleted outside), so "the text as of revision r" names
  one exact text for the life of the document;
* ``saved`` — the newest revision known to be what the file holds (``-1``: none is);
* ``journaled`` — the newest revision in the recovery journal (``-1``: no entry);
* ``id`` — names this opening of the file; journal entries carry it with their revision, so
  "every entry at or below r" stays meaningful across sessions (a recovered document keeps
  the entry's id and continues its numbering);
* ``recovered`` — its text came from the journal and the file has not been written since:
  the disk version must be kept (``.session/versions/``) before the first save over it.

Whether the text is back to exactly what is on disk is asked on every keystroke, so it must be
cheap: the line count (free) and the character count are compared first, and only when both
match is the text compared — never hashed on the loop.

No Textual here: widgets bind themselves as a :class:`TextSource`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from writers_factory.core.common_ends import Unchanged
from writers_factory.store.manuscript.buffers import FileBuffer

NONE = -1
"""No revision: nothing of this document is on disk / in the journal."""

PENDING_MARKS = 4
"""Snapshots whose edits are followed until one of them is known saved (the journal's
snapshots come and go between two saves)."""

_NEWLINES = ("\r\n", "\n", "\r")


def new_document_id() -> str:
    return uuid.uuid4().hex[:16]


def line_count(text: str) -> int:
    """Lines as a text editor counts them: a trailing newline starts an empty last line."""
    lines = len(text.splitlines())
    return lines + 1 if not text or text.endswith(_NEWLINES) else lines


class TextSource(Protocol):
    """Whatever shows the document (the editor widget); read on the event loop only."""

    @property
    def text(self) -> str: ...

    @property
    def cursor_location(self) -> tuple[int, int]: ...

    def line_total(self) -> int:
        """The number of lines, as :func:`line_count` counts them; must cost nothing."""
        ...

    def char_total(self) -> int:
        """``len(self.text)`` without building the text."""
        ...

    def text_parts(self) -> TextParts:
        """The text as it is now, without building it (a copy of the list of lines)."""
        ...

    def mark_edits(self) -> object | None:
        """Start following where the text is edited from now on; ``None`` when it cannot
        (must cost nothing: taken with each snapshot)."""
        ...

    def unchanged_since(self, mark: object) -> tuple[int, int] | None:
        """``(head, tail)``: the characters at the start and at the end of the text that no
        edit touched since ``mark`` was taken; ``None`` when unknown (a reload since, the
        mark forgotten). Costs the edited lines, not the text."""
        ...

    def forget(self, mark: object) -> None:
        """Stop following ``mark``."""
        ...


class TextParts:
    """The text of one moment, held as its lines until first read, then joined once.

    Taking it costs a copy of the list of lines (references, not characters); joining them
    is whole-text work, which never runs on the UI loop while the writer types: the thread
    that writes or counts the text reads it first. ``joined_on`` names the thread that
    joined it (tests check it is never the loop's).
    """

    __slots__ = ("_lines", "_newline", "_text", "joined_on")

    def __init__(self, lines: Sequence[str], newline: str = "\n") -> None:
        self._lines: Sequence[str] = lines
        self._newline = newline
        self._text: str | None = None
        self.joined_on: int | None = None

    @classmethod
    def of(cls, text: str) -> TextParts:
        """A text already built."""
        parts = cls(())
        parts._text = text
        return parts

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._newline.join(self._lines)
            self._lines = ()
            self.joined_on = threading.get_ident()
        return self._text


class Snapshot:
    """The text of one revision, taken on the loop and handed to a thread (which joins it:
    :class:`TextParts`), with where it differs from the text last saved when the editor
    knows it (``unchanged``: a save compares only that window)."""

    __slots__ = ("cursor", "parts", "revision", "unchanged")

    def __init__(
        self,
        revision: int,
        text: str | TextParts,
        cursor: tuple[int, int],
        unchanged: Unchanged | None = None,
    ) -> None:
        self.revision = revision
        self.parts = text if isinstance(text, TextParts) else TextParts.of(text)
        self.cursor = cursor
        self.unchanged = unchanged

    @property
    def text(self) -> str:
        return self.parts.text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Snapshot):
            return NotImplemented
        return (self.revision, self.cursor, self.text) == (other.revision, other.cursor, other.text)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Snapshot(r{self.revision}, cursor={self.cursor})"


class Document:
    """One open file. All methods run on the event loop; threads get snapshots."""

    def __init__(
        self,
        path: Path,
        disk: FileBuffer,
        disk_text: str | None,
        *,
        id: str | None = None,
        revision: int = 0,
        saved: int | None = None,
        journaled: int = NONE,
        recovered: bool = False,
    ) -> None:
        self.path = Path(path)
        """Project-relative."""
        self.disk = disk
        self.id = id or new_document_id()
        self.revision = revision
        self.saved = revision if saved is None else saved
        self.journaled = journaled
        self.recovered = recovered
        self.source: TextSource | None = None
        self._disk_text: str | None = None
        self._disk_lines = 0
        self._disk_chars = 0
        self._set_disk_text(disk_text)
        self._base: tuple[str, object] | None = None
        """The text last saved from this document, with the source's mark of the edits
        since (a snapshot tells the save where it differs: :class:`Unchanged`)."""
        self._pending: dict[int, object] = {}
        """By revision, the marks taken with snapshots not yet known saved (at most
        ``PENDING_MARKS``): the one whose text is saved becomes the base."""

    def __repr__(self) -> str:
        return (
            f"Document({self.path.as_posix()!r}, r{self.revision}, saved r{self.saved}, "
            f"journaled r{self.journaled}{', recovered' if self.recovered else ''})"
        )

    # -- state -------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """The text shown is not known to be what the file holds."""
        return self.revision != self.saved

    @property
    def disk_text(self) -> str | None:
        """What the file holds as far as this app knows (``None``: no file)."""
        return self._disk_text

    def _set_disk_text(self, text: str | None, lines: int | None = None) -> None:
        self._disk_text = text
        if text is not None:
            self._disk_lines = line_count(text) if lines is None else lines
            self._disk_chars = len(text)

    # -- the text changes --------------------------------------------------------------------

    def edited(self) -> bool:
        """The text changed: a new revision. Returns True when it is the disk's text again."""
        self.revision += 1
        return self.check_clean()

    def check_clean(self) -> bool:
        """Mark the text clean when it is exactly the disk's; True when it is clean.

        Line count first (free), then the character count, and only when both match the text
        itself: ordinary typing costs an integer comparison, never a hash.
        """
        source, disk = self.source, self._disk_text
        if not self.dirty:
            return True
        if source is None or disk is None or source.line_total() != self._disk_lines:
            return False
        if source.char_total() != self._disk_chars or source.text != disk:
            return False
        self.saved = self.revision
        self._rebase(disk, source.mark_edits())  # the text shown is the disk's again
        return True

    def bind(self, source: TextSource) -> None:
        self._rebase(None, None)
        self.source = source

    def snapshot(self) -> Snapshot | None:
        """The current text and cursor with their revision (``None`` when nothing shows it),
        and where it differs from the text last saved from here, when the source knows it.

        A mark is taken with the snapshot (one per revision): if this text is the one saved
        (:meth:`saved_as`), the next snapshot's window is the edits made since.
        """
        source = self.source
        if source is None:
            return None
        unchanged = None
        if self._base is not None:
            text, mark = self._base
            window = source.unchanged_since(mark)
            if window is not None:
                unchanged = Unchanged(text, *window)
        if self.revision not in self._pending:
            mark = source.mark_edits()
            if mark is not None:
                self._pending[self.revision] = mark
                for old in list(self._pending)[:-PENDING_MARKS]:
                    source.forget(self._pending.pop(old))
        return Snapshot(self.revision, source.text_parts(), source.cursor_location, unchanged)

    def _rebase(self, text: str | None, mark: object | None) -> None:
        """The edits are followed from ``text`` on (``None``: from nothing known); every
        other mark is forgotten."""
        forgotten = list(self._pending.values())
        if self._base is not None:
            forgotten.append(self._base[1])
        self._pending.clear()
        self._base = None if text is None or mark is None else (text, mark)
        if self.source is not None:
            for old in forgotten:
                if old is not mark:
                    self.source.forget(old)

    # -- what the disk and the journal hold --------------------------------------------------

    def saved_as(self, revision: int, text: str, lines: int | None = None) -> None:
        """``text`` (the text of ``revision``) is now what the file holds; ``lines`` is its
        :func:`line_count` when the save's thread counted them (the loop never splits a
        whole novel)."""
        self._set_disk_text(text, lines)
        # The file holds ``revision`` now. A later revision judged clean meanwhile was judged
        # against what the file held before (undone back to it while this save wrote): it is
        # clean only if it is this text too (check_clean below), else the next save writes it.
        self.saved = revision
        self.recovered = False
        self._rebase(text, self._pending.get(revision))
        self.check_clean()  # typed on, then undone back to what was just saved

    def adopt_disk(self, text: str) -> None:
        """The editor now shows ``text``, read from the file (a reload, "take theirs")."""
        self._set_disk_text(text)
        self.saved = self.revision
        self.recovered = False
        self._rebase(None, None)

    def disk_gone(self) -> None:
        """The file was deleted outside: the text is now held only here (and the journal)."""
        self._set_disk_text(None)
        self.revision += 1
        self.saved = NONE
        self._rebase(None, None)

    def journaled_as(self, revision: int) -> None:
        self.journaled = max(self.journaled, revision)

    def journal_cleared(self, revision: int) -> None:
        """Every journal entry at or below ``revision`` is gone."""
        if self.journaled <= revision:
            self.journaled = NONE

    @property
    def needs_journal(self) -> bool:
        return self.dirty and self.journaled < self.revision

    def rename(self, path: Path, absolute: Path) -> None:
        self.path = Path(path)
        self.disk.path = Path(absolute)


class Documents:
    """The open documents of one workspace, by project-relative path."""

    def __init__(self) -> None:
        self._by_path: dict[Path, Document] = {}

    def __iter__(self) -> Iterator[Document]:
        return iter(list(self._by_path.values()))

    def __len__(self) -> int:
        return len(self._by_path)

    def __contains__(self, path: object) -> bool:
        return path in self._by_path

    def get(self, path: Path) -> Document | None:
        return self._by_path.get(Path(path))

    def open(self, path: Path, disk: FileBuffer, text: str) -> Document:
        """A file just read from disk: its text is the disk's (clean)."""
        return self.add(Document(path, disk, None if disk.base_sha256 is None else text))

    def add(self, document: Document) -> Document:
        """Register ``document``, replacing any other document of the same path."""
        self._by_path[document.path] = document
        return document

    def close(self, path: Path) -> Document | None:
        return self._by_path.pop(Path(path), None)

    def rename(self, old: Path, new: Path, absolute: Path) -> Document | None:
        document = self._by_path.pop(Path(old), None)
        if document is not None:
            document.rename(new, absolute)
            self._by_path[document.path] = document
        return document

    def dirty(self) -> list[Document]:
        return [d for d in self._by_path.values() if d.dirty]
