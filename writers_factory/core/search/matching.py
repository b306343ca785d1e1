"""A search as the writer typed it, compiled once, and the matches it finds in a text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from writers_factory.core.errors import WritersFactoryError


class BadPattern(WritersFactoryError, ValueError):
    """A regular expression (or a replacement template) that cannot be used; the message
    says what is wrong and where, in words the find bar shows as they are."""


@dataclass(frozen=True)
class SearchQuery:
    """What to look for and how: literally or as a regular expression, with or without
    regard to case, anywhere or as a whole word only."""

    text: str
    case_sensitive: bool = False
    whole_word: bool = False
    regex: bool = False

    def compile(self) -> re.Pattern[str] | None:
        """The pattern that finds this query; None for an empty query (it finds nothing).

        Raises :class:`BadPattern` for a regular expression that does not compile.
        """
        if not self.text:
            return None
        body = self.text if self.regex else re.escape(self.text)
        if self.whole_word:
            # a word is bounded by what is not a letter, digit or underscore (or the ends):
            # unlike \b this also holds for a query that starts or ends with punctuation
            body = rf"(?<!\w)(?:{body})(?!\w)"
        flags = re.MULTILINE | (0 if self.case_sensitive else re.IGNORECASE)
        try:
            return re.compile(body, flags)
        except re.error as exc:
            where = f" at position {exc.pos + 1}" if exc.pos is not None else ""
            raise BadPattern(f"Not a valid regular expression: {exc.msg}{where}") from exc


def spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """``(start, end)`` character offsets of every match, in order; empty matches (a
    pattern such as ``a*`` finds one between every two letters) are never matches."""
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def expand(match: re.Match[str], replacement: str, regex: bool) -> str:
    """The text that replaces ``match``: ``replacement`` as typed, or for a regular
    expression with its group references (``\\1``, ``\\g<name>``) filled in."""
    if not regex:
        return replacement
    try:
        return match.expand(replacement)
    except (re.error, IndexError) as exc:
        raise BadPattern(f"Not a valid replacement: {exc}") from exc


def check_replacement(pattern: re.Pattern[str], replacement: str, regex: bool) -> None:
    """Raise :class:`BadPattern` now, rather than halfway through the text, for a
    replacement naming a group the pattern does not have."""
    if not regex:
        return
    try:
        pattern.sub(replacement, "")  # compiles the template against the pattern's groups
    except (re.error, IndexError) as exc:
        raise BadPattern(f"Not a valid replacement: {exc}") from exc
