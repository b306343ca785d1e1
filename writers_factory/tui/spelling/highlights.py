"""Misspellings drawn as highlights of the lines on screen, on top of the syntax ones."""

from __future__ import annotations

from collections.abc import Mapping

from textual.document._document import DocumentBase
from textual.widgets.text_area import Highlight

from writers_factory.tui.spelling.speller import Speller

MISSPELLED = "spelling.misspelled"
"""The highlight name of a misspelled word (the editor's theme gives it an underline)."""


class SpellingHighlights(dict[int, list[Highlight]]):
    """The mapping the text area renders from: a line's syntax highlights (from ``syntax``),
    then its misspellings, found when the line is first drawn.

    Only drawn lines are ever asked for, so only the lines on screen are checked; the text
    area starts a new mapping after an edit of several lines (one within a line forgets only
    that line), and the speller remembers lines by their text, so a key checks again only the
    line it changed.
    """

    def __init__(
        self, document: DocumentBase, syntax: Mapping[int, list[Highlight]], speller: Speller
    ) -> None:
        super().__init__()
        self._document = document
        self._syntax = syntax
        self._speller = speller

    def __bool__(self) -> bool:
        return True  # TextArea skips highlighting when the mapping is empty

    def forget(self, row: int) -> None:
        """Check ``row`` again when next drawn (an edit within that line); the syntax map
        forgets it too, when it can (the others are kept)."""
        self.pop(row, None)
        forget = getattr(self._syntax, "forget", None)
        if forget is not None:
            forget(row)

    def __missing__(self, row: int) -> list[Highlight]:
        if not 0 <= row < self._document.line_count:
            return []
        found = list(self._syntax[row]) if self._syntax else []
        line = self._document[row]
        spans = self._speller.misspelled(line)
        if spans:
            if line.isascii():  # highlights are in UTF-8 bytes: the same as columns here
                found += [(start, end, MISSPELLED) for start, end in spans]
            else:
                found += [
                    (len(line[:start].encode()), len(line[:end].encode()), MISSPELLED)
                    for start, end in spans
                ]
        self[row] = found
        return found
