"""Soft wrapping that knows its height without counting, and wraps short lines for free."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import repeat

from textual._cells import cell_len
from textual._wrap import compute_wrap_offsets
from textual.document._document import DocumentBase, Location
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import get_tab_widths
from textual.geometry import clamp

from writers_factory.tui.widgets.document.lines import Work
from writers_factory.tui.widgets.document.rows import ShiftedRows, shift_line, shift_rows


class FastWrappedDocument(WrappedDocument):
    """A :class:`WrappedDocument` whose ``height`` costs nothing, and whose edits leave the
    rows below them to be renumbered when read (:class:`ShiftedRows`).

    Textual's sums the rows of every line each time it is read, and the TextArea reads it
    for every line it renders. It is the length of ``_offset_to_line_info`` (one entry per
    row). Wrapping the whole document (on open, on resize) skips the measuring of lines that
    fit the width and hold no tab — in prose, nearly all of them.
    """

    def __init__(
        self, document: DocumentBase, width: int = 0, tab_width: int = 4, *, work: Work
    ) -> None:
        self.work = work
        self._wrapped_as: tuple[int, int, int | None] | None = None
        super().__init__(document, width, tab_width)

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        version = getattr(self.document, "version", None)
        wrapped_as = (width, tab_width or self._tab_width, version)
        if version is not None and wrapped_as == self._wrapped_as:
            return  # the same text at the same width: wrapped already
        self._wrapped_as = wrapped_as
        self._width = width
        if tab_width:
            self._tab_width = tab_width
        with _collector_paused():
            rows = [self._wrap_line(line) for line in self.document.lines]
            self.work.lines_wrapped += len(rows)
            self._wrap_offsets = [offsets for offsets, _ in rows]
            self._tab_width_cache = [widths for _, widths in rows]
            self._set_rows(*self._rows(0, 0, self._wrap_offsets))

    def _set_rows(self, line_info: list[tuple[int, int]], line_rows: list[list[int]]) -> None:
        # Textual reads these two by index and length only: lists shifted lazily will do
        self._info = ShiftedRows(line_info, shift_line)
        self._line_rows = ShiftedRows(line_rows, shift_rows)
        self._offset_to_line_info = self._info  # type: ignore[assignment]
        self._line_index_to_offsets = self._line_rows  # type: ignore[assignment]

    def _wrap_line(self, line: str) -> tuple[list[int], list[int]]:
        """Where ``line`` wraps, and the widths of its tabs (one row, no tab: no measuring)."""
        width, tab_width = self._width, self._tab_width
        one_cell_each = len(line) <= width and _ONE_CELL.fullmatch(line) is not None
        if "\t" not in line and (not width or one_cell_each or cell_len(line) <= width):
            return [], _NO_TAB if line else []
        sections = get_tab_widths(line, tab_width)
        offsets = (
            compute_wrap_offsets(line, width, tab_size=tab_width, precomputed_tab_sections=sections)
            if width
            else []
        )
        return offsets, [section_width for _, section_width in sections]

    @staticmethod
    def _rows(
        line_index: int, y: int, wrap_offsets: list[list[int]]
    ) -> tuple[list[tuple[int, int]], list[list[int]]]:
        """The rows of lines from ``line_index`` on, the first one at row ``y``: each row's
        (line, section), and each line's rows."""
        if not any(wrap_offsets):  # no line wraps (always so at width 0): one row each
            indices = range(line_index, line_index + len(wrap_offsets))
            return list(zip(indices, repeat(0))), [[row] for row in range(y, y + len(indices))]
        line_info: list[tuple[int, int]] = []
        line_rows: list[list[int]] = []
        for index, offsets in enumerate(wrap_offsets, line_index):
            if offsets:
                count = len(offsets) + 1
                line_rows.append(list(range(y, y + count)))
                line_info.extend([(index, section) for section in range(count)])
                y += count
            else:
                line_rows.append([y])
                line_info.append((index, 0))
                y += 1
        return line_info, line_rows

    def wrap_range(self, start: Location, old_end: Location, new_end: Location) -> None:
        """As Textual's, leaving the rows below the edit to be shifted when read."""
        line_rows = self._line_rows
        old_max, new_max = len(line_rows) - 1, self.document.line_count - 1
        top = clamp(start[0], 0, min(old_max, new_max))
        old_bottom = max(top, clamp(old_end[0], 0, old_max))
        new_bottom = max(top, clamp(new_end[0], 0, new_max))
        top_y, old_bottom_y = line_rows[top][0], line_rows[old_bottom][-1]
        wrapped = [self._wrap_line(line) for line in self.document.lines[top : new_bottom + 1]]
        self.work.lines_wrapped += len(wrapped)
        new_offsets = [offsets for offsets, _ in wrapped]
        line_info, new_rows = self._rows(top, top_y, new_offsets)
        row_shift = len(line_info) - (old_bottom_y + 1 - top_y)
        settled = self._info.settled + line_rows.settled
        self._info.replace(top_y, old_bottom_y + 1, line_info, new_bottom - old_bottom)
        line_rows.replace(top, old_bottom + 1, new_rows, row_shift)
        self.work.rows_renumbered += self._info.settled + line_rows.settled - settled
        self._wrap_offsets[top : old_bottom + 1] = new_offsets
        self._tab_width_cache[top : old_bottom + 1] = [widths for _, widths in wrapped]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector while the rows of a whole document are built.

    Hundreds of thousands of small lists and tuples set it off again and again, and each
    pass walks every object the program holds (it tripled the time of a wrap); none of
    these can form a cycle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_ONE_CELL = re.compile("[\x20-\x7e\u00c0-\u024f\u2013\u2014\u2018-\u201f]*")
"""Text made only of characters one cell wide: printable ASCII, accented Latin letters,
dashes and curly quotes (nearly every line of prose): its width is its length."""

_NO_TAB = [0]
"""The tab widths of a line without a tab (shared: never changed in place)."""
