"""Soft wrapping that knows its height without counting, and wraps short lines for free."""

from __future__ import annotations

from textual._cells import cell_len
from textual._wrap import compute_wrap_offsets
from textual.document._document import DocumentBase, Location
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import get_tab_widths

from writers_factory.tui.widgets.document.lines import Work


class FastWrappedDocument(WrappedDocument):
    """A :class:`WrappedDocument` whose ``height`` costs nothing.

    Textual's sums the rows of every line each time it is read, and the TextArea reads it
    for every line it renders. It is the length of ``_offset_to_line_info`` (one entry per
    row). Wrapping the whole document (on open, on resize) skips the measuring of lines that
    fit the width and hold no tab — in prose, nearly all of them.
    """

    def __init__(
        self, document: DocumentBase, width: int = 0, tab_width: int = 4, *, work: Work
    ) -> None:
        self.work = work
        super().__init__(document, width, tab_width)

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._width = width
        if tab_width:
            self._tab_width = tab_width
        tab_width = self._tab_width
        wrap_offsets: list[list[int]] = []
        tab_widths: list[list[int]] = []
        line_info: list[tuple[int, int]] = []
        line_offsets: list[list[int]] = []
        no_tab: list[int] = [0]
        for index, line in enumerate(self.document.lines):
            if "\t" not in line and (not width or cell_len(line) <= width):
                offsets: list[int] = []
                widths = no_tab if line else []
            else:
                sections = get_tab_widths(line, tab_width)
                offsets = (
                    compute_wrap_offsets(
                        line, width, tab_size=tab_width, precomputed_tab_sections=sections
                    )
                    if width
                    else []
                )
                widths = [section_width for _, section_width in sections]
            wrap_offsets.append(offsets)
            tab_widths.append(widths)
            first = len(line_info)
            line_offsets.append(list(range(first, first + len(offsets) + 1)))
            line_info.extend((index, section) for section in range(len(offsets) + 1))
        self.work.lines_wrapped += len(wrap_offsets)
        self._wrap_offsets = wrap_offsets
        self._tab_width_cache = tab_widths
        self._offset_to_line_info = line_info
        self._line_index_to_offsets = line_offsets

    def wrap_range(self, start: Location, old_end: Location, new_end: Location) -> None:
        self.work.lines_wrapped += max(start[0], new_end[0]) - start[0] + 1
        super().wrap_range(start, old_end, new_end)
