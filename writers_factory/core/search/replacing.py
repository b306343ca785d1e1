"""What a replacement makes of a text: line by line for a preview the writer can tick, and
as the one edit that applies the ticked lines (so one undo takes it all back)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from writers_factory.core.search.lines import line_starts, line_text, location
from writers_factory.core.search.matching import expand


@dataclass(frozen=True)
class LineHit:
    """The matches that start on one line, and that line after replacing them."""

    line: int
    """From 0."""
    text: str
    """The line as it is (without its line ending)."""
    columns: tuple[tuple[int, int], ...]
    """``(start, end)`` of each match within ``text`` (an end past it: the match goes on
    to the next lines)."""
    after: str | None = None
    """The line once its matches are replaced (None: no replacement was asked for)."""


def line_hits(
    text: str,
    pattern: re.Pattern[str] | None,
    replacement: str | None = None,
    *,
    regex: bool = False,
) -> list[LineHit]:
    """Every line holding a match, in order, with the replaced line when ``replacement``
    is given. Raises :class:`~writers_factory.core.search.matching.BadPattern` for a
    replacement naming a group the pattern lacks."""
    if pattern is None:
        return []
    starts = line_starts(text)
    by_line: dict[int, list[re.Match[str]]] = {}
    for match in pattern.finditer(text):
        if match.end() > match.start():
            by_line.setdefault(location(starts, match.start())[0], []).append(match)
    hits: list[LineHit] = []
    for row, matches in by_line.items():
        begin = starts[row]
        shown = line_text(text, starts, row)
        columns = tuple((m.start() - begin, m.end() - begin) for m in matches)
        after = None
        if replacement is not None:
            last_row = location(starts, matches[-1].end())[0]
            end = len(text) if last_row + 1 >= len(starts) else starts[last_row + 1] - 1
            after = _replaced(text, begin, end, matches, replacement, regex).removesuffix("\r")
        hits.append(LineHit(row, shown, columns, after))
    return hits


def _replaced(
    text: str,
    begin: int,
    end: int,
    matches: list[re.Match[str]],
    replacement: str,
    regex: bool,
) -> str:
    """``text[begin:end]`` with each of ``matches`` (all inside it) replaced."""
    parts: list[str] = []
    at = begin
    for match in matches:
        parts.append(text[at : match.start()])
        parts.append(expand(match, replacement, regex))
        at = match.end()
    parts.append(text[at:end])
    return "".join(parts)


@dataclass(frozen=True)
class Replacement:
    """One edit that replaces the chosen matches: the text from ``start`` to ``end``
    becomes ``insert``. Locations are ``(line, column)`` as an editor takes them."""

    start: int
    end: int
    start_location: tuple[int, int]
    end_location: tuple[int, int]
    insert: str
    count: int
    """How many matches it replaces."""

    def apply(self, text: str) -> str:
        """``text`` (the one this was made from) with the edit made."""
        return text[: self.start] + self.insert + text[self.end :]


def replacement(
    text: str,
    pattern: re.Pattern[str] | None,
    replacement: str,
    *,
    regex: bool = False,
    lines: Collection[int] | None = None,
    only: tuple[int, int] | None = None,
) -> Replacement | None:
    """The edit replacing every match (or those starting on ``lines``, or the one match
    spanning exactly ``only``); None when there is none to replace.

    The edit covers the first to the last replaced match, whatever lies between staying as
    it was: one edit, so one undo restores everything.
    """
    if pattern is None:
        return None
    chosen: list[re.Match[str]] = []
    starts = line_starts(text) if lines is not None else None
    if only is not None:  # one match: looked for where it is, not through the whole text
        found = pattern.search(text, only[0])
        chosen = [found] if found is not None and found.span() == only else []
    for match in pattern.finditer(text) if only is None else ():
        if match.end() == match.start():
            continue
        if (
            lines is not None
            and starts is not None
            and location(starts, match.start())[0] not in lines
        ):
            continue
        chosen.append(match)
    if not chosen:
        return None
    first, last = chosen[0].start(), chosen[-1].end()
    insert = _replaced(text, first, last, chosen, replacement, regex)
    starts = starts or line_starts(text)
    return Replacement(
        first, last, location(starts, first), location(starts, last), insert, len(chosen)
    )
