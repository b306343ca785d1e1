"""Offsets in a text as lines and columns, the way an editor and a results list show them."""

from __future__ import annotations

from bisect import bisect_right


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts (lines end at ``\\n``)."""
    starts = [0]
    find, at = text.find, 0
    while (at := find("\n", at) + 1) > 0:
        starts.append(at)
    return starts


def location(starts: list[int], offset: int) -> tuple[int, int]:
    """``(line, column)`` of ``offset``, both from 0, given the text's :func:`line_starts`."""
    row = bisect_right(starts, offset) - 1
    return row, offset - starts[row]


def line_text(text: str, starts: list[int], row: int) -> str:
    """Line ``row`` without its line ending (a ``\\r`` before the ``\\n`` included)."""
    end = starts[row + 1] - 1 if row + 1 < len(starts) else len(text)
    return text[starts[row] : end].removesuffix("\r")
