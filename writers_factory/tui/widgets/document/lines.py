"""A plain document that remembers what would otherwise cost a pass over every line."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from textual.document._document import Document, EditResult, Location


@dataclass
class Work:
    """Counts of the work that could grow with the document's size (tests read them)."""

    joins: int = 0
    """Times the whole text was joined from its lines."""
    lines_measured: int = 0
    """Lines whose UTF-8 length was summed to find a byte offset."""
    bytes_parsed: int = 0
    """Bytes handed to the syntax parser."""
    parses: int = 0
    """Parses of the edits made since the last one (keys typed before it are parsed once)."""
    lines_wrapped: int = 0
    """Lines measured for soft wrapping."""
    rows_renumbered: int = 0
    """Rows of the wrapped document whose numbers were rewritten after an edit above them."""
    lines_highlighted: int = 0
    """Lines whose syntax highlights were looked up in the tree."""
    rows_drawn: int = 0
    """Rows of the area the screen asked for (a repaint of the whole area asks for all)."""
    rows_rendered: int = 0
    """Of those, rows drawn afresh (not taken from the area's cache of drawn rows)."""
    lines_counted: int = 0
    """Lines whose length was summed to find a character offset (an edit window's)."""


class EditWindow:
    """Where a document was edited since this window was opened (:meth:`LineDocument.
    mark_edits`): every edit since lies after ``head`` and before ``tail``.

    ``head`` is a location (row, column) from the start, ``tail`` one counted from the end
    (rows below it, characters after it on its row): the text before ``head`` and after
    ``tail`` is what it was when the window was opened, and later edits elsewhere do not
    move either. Both ``None`` while nothing was edited.
    """

    __slots__ = ("head", "tail")

    def __init__(self) -> None:
        self.head: tuple[int, int] | None = None
        self.tail: tuple[int, int] | None = None

    def widen(self, top: Location, end: Location, lines: list[str]) -> None:
        """An edit from ``top`` replaced text, ending at ``end`` in ``lines`` (as they are
        now)."""
        row, column = end
        after = (len(lines) - 1 - row, len(lines[row]) - column)
        self.head = top if self.head is None else min(self.head, top)
        self.tail = after if self.tail is None else min(self.tail, after)


MARKS_KEPT = 8
"""Edit windows followed at once; opening another forgets the oldest (whose owner then
compares whole texts once): each edit widens every window kept."""


class LineDocument(Document):
    """A :class:`Document` that caches its text and its length, and the byte offset where
    each line starts.

    Textual's document joins every line each time its ``text`` is read (the TextArea reads
    it for every line it renders), and sums the lines above an edit to find its byte offset.
    Here the text is joined at most once per edit, the length is kept up to date, and line
    starts are kept valid down to the first line an edit moved: typing at one place measures
    nothing again.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.work = Work()
        lines = self._lines
        self._length = sum(map(len, lines)) + len(self._newline) * (len(lines) - 1)
        self._text: str | None = None
        self._newline_bytes = len(self._newline.encode())
        self._starts: list[int] = [0]
        """Byte offset of the start of each line, valid for the first ``_valid`` lines."""
        self._valid = 1
        self.version = 0
        """Counts the edits: what was computed from the text at one version still holds."""
        self._lengths: list[int] = [0]
        """Characters in the lines above each line (newlines not counted), valid for the
        first ``_lengths_valid`` lines."""
        self._lengths_valid = 1
        self._windows: list[EditWindow] = []

    @property
    def text(self) -> str:
        if self._text is None:
            self.work.joins += 1
            self._text = self._newline.join(self._lines)
        return self._text

    @property
    def joined_text(self) -> str | None:
        """The text if it was joined since the last edit (free to hand out), else ``None``."""
        return self._text

    def __len__(self) -> int:
        """The length of ``text``, without building it."""
        return self._length

    def line_start_byte(self, row: int) -> int:
        """The UTF-8 byte offset where line ``row`` starts."""
        starts, lines, newline = self._starts, self._lines, self._newline_bytes
        row = min(row, len(lines))
        for index in range(self._valid, row + 1):
            start = starts[index - 1] + len(lines[index - 1].encode()) + newline
            if index < len(starts):
                starts[index] = start
            else:
                starts.append(start)
        if row >= self._valid:
            self.work.lines_measured += row + 1 - self._valid
            self._valid = row + 1
        return starts[row]

    def byte_offset(self, location: Location) -> int:
        """The UTF-8 byte offset of ``location``."""
        row, column = location
        if row >= len(self._lines):
            return self.line_start_byte(len(self._lines) - 1) + len(self._lines[-1].encode())
        return self.line_start_byte(row) + len(self._lines[row][:column].encode())

    def get_text_range(self, start: Location, end: Location) -> str:
        """As Textual's, in one join: its loop adds line after line to a growing string,
        which for an edit over a whole novel (a replace-all) took seconds on the loop."""
        if start == end:
            return ""
        (top_row, top_column), (bottom_row, bottom_column) = sorted((start, end))
        lines = self._lines
        if top_row == bottom_row:
            return lines[top_row][top_column:bottom_column]
        parts = [lines[top_row][top_column:], *lines[top_row + 1 : bottom_row]]
        if bottom_row < len(lines):
            parts.append(lines[bottom_row][:bottom_column])
        return self._newline.join(parts)

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        top, bottom = sorted((start, end))
        lines = self._lines
        old = lines[top[0] : bottom[0] + 1]
        result = super().replace_range(start, end, text)
        new = lines[top[0] : result.end_location[0] + 1]
        newline = len(self._newline)
        self._length += sum(map(len, new)) - sum(map(len, old)) + newline * (len(new) - len(old))
        self._text = None
        self.version += 1
        self._valid = min(self._valid, top[0] + 1)
        self._lengths_valid = min(self._lengths_valid, top[0] + 1)
        for window in self._windows:
            window.widen(top, result.end_location, lines)
        return result

    # -- where the text was edited since a moment (what a save need compare) ----------------

    def mark_edits(self) -> EditWindow:
        """Follow the edits from now on (every edit goes through :meth:`replace_range`:
        typing, undo and redo, pastes, replacements); a new document (a reload) has none."""
        window = EditWindow()
        self._windows.append(window)
        del self._windows[:-MARKS_KEPT]
        return window

    def forget(self, window: EditWindow) -> None:
        """Stop following ``window``."""
        if window in self._windows:
            self._windows.remove(window)

    def unchanged_since(self, window: EditWindow) -> tuple[int, int] | None:
        """``(head, tail)``: how many characters at the start and at the end of the text
        no edit touched since ``window`` was opened; ``None`` when this document does not
        follow it (another document's, or forgotten).

        Costs the lengths of the lines from the last edited line to the window's last row
        (the rows above it are known from before): typing in one place sums a few lines.
        """
        if not any(window is kept for kept in self._windows):
            return None
        if window.head is None or window.tail is None:
            return self._length, 0
        (row, column), (below, after) = window.head, window.tail
        last = len(self._lines) - 1 - below
        if not 0 <= row <= last:  # cannot be: every edit lies between them
            return None
        head = self._char_start(row) + column
        end_of_last = self._char_start(last) + len(self._lines[last])
        return head, self._length - (end_of_last - after)

    def _char_start(self, row: int) -> int:
        """The character offset where line ``row`` starts."""
        lengths, newline = self._lengths, len(self._newline)
        valid = self._lengths_valid
        if row >= valid:
            del lengths[valid:]
            sums = accumulate(map(len, self._lines[valid - 1 : row]), initial=lengths[-1])
            next(sums)  # the initial value: the last one known
            lengths.extend(sums)
            self.work.lines_counted += row + 1 - valid
            self._lengths_valid = row + 1
        return lengths[row] + newline * row
