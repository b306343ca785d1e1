"""Syntax highlights by line, found a block of lines at a time when first drawn."""

from __future__ import annotations

from textual.document._document import DocumentBase
from textual.widgets.text_area import Highlight
from tree_sitter import Query

from writers_factory.tui.widgets.document.lines import Work

BLOCK = 64
"""Lines highlighted together: one tree query serves a screenful."""


class VisibleHighlights(dict[int, list[Highlight]]):
    """The mapping TextArea renders from (line index to its highlights), filled lazily.

    Textual queries the whole syntax tree after every edit to rebuild this mapping. Here a
    line's highlights are found when it is first drawn, by a query restricted to the block of
    lines around it; an edit starts a new, empty mapping, so typing re-highlights only the
    blocks on screen (an edit within one line, before its parse, only that line).
    """

    def __init__(self, document: DocumentBase, query: Query, work: Work) -> None:
        super().__init__()
        self._document = document
        self._query = query
        self._work = work

    def __bool__(self) -> bool:
        return True  # TextArea skips highlighting when the mapping is empty

    def forget(self, row: int) -> None:
        """Find the highlights of ``row`` again when next drawn (an edit within that line)."""
        self.pop(row, None)

    def __missing__(self, row: int) -> list[Highlight]:
        line_count = self._document.line_count
        if not 0 <= row < line_count:
            return []
        top = row - row % BLOCK
        bottom = min(top + BLOCK, line_count)
        self.highlight(top, bottom)
        return self[row]

    def highlight(self, top: int, bottom: int) -> None:
        """Find the highlights of lines ``top`` to ``bottom`` (exclusive)."""
        self._work.lines_highlighted += bottom - top
        rows: dict[int, list[Highlight]] = {row: [] for row in range(top, bottom)}
        end = None if bottom >= self._document.line_count else (bottom, 0)
        captures = self._document.query_syntax_tree(self._query, (top, 0), end)
        for name, nodes in captures.items():
            for node in nodes:
                first, first_column = node.start_point
                last, last_column = node.end_point
                for row in range(max(first, top), min(last, bottom - 1) + 1):
                    start = first_column if row == first else 0
                    stop = last_column if row == last else None
                    rows[row].append((start, stop, name))
        self.update(rows)
