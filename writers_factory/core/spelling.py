"""Which words of a line of Markdown a spell checker should look at, and the project
dictionary's plain-text form.

Pure logic: the checker itself (a word list) lives with the interface; this says where the
words are. Markdown syntax is never a word: heading markers and emphasis are not letters, and
the parts that are not prose (link targets, addresses, inline code, HTML tags) are masked.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
"""Letters (and digits, refused after) with apostrophes inside: "don't", "Darcy’s"."""

_NOT_PROSE = re.compile(
    r"`[^`]*`?"  # inline code (to the line's end when unclosed)
    r"|\]\([^)]*\)?"  # a link's or an image's target: ](url "title")
    r"|^\s*\[[^\]]+\]:.*$"  # a reference definition: [label]: url
    r"|<[^>\s][^>]*>"  # an HTML tag or an autolink
    r"|\b[a-zA-Z][\w+.-]*://\S+"  # an address
    r"|\bwww\.\S+"
    r"|\S+@\S+\.\w+"  # an e-mail address
)
"""Spans of a line that are Markdown syntax or addresses, not prose."""

_MARKS = ("`", "]", "<", "://", "@", "www.")
"""One of these is in every line a pattern of ``_NOT_PROSE`` can match."""

Span = tuple[int, int]
"""``(start, end)`` columns of a word in its line, ``end`` exclusive."""


def word_spans(line: str) -> list[Span]:
    """The words of ``line`` worth checking: not inside syntax, without digits, and not
    written in capitals only (initials, roman numerals, acronyms)."""
    masked = _masked(line)
    spans: list[Span] = []
    for match in WORD.finditer(line):
        start, end = match.span()
        word = match.group()
        if any(start < stop and begin < end for begin, stop in masked):
            continue
        if any(character.isdigit() for character in word):
            continue
        if len(word) > 1 and word.isupper():
            continue
        spans.append((start, end))
    return spans


def _masked(line: str) -> list[Span]:
    if not any(mark in line for mark in _MARKS):
        return []  # nearly every line of prose: no pattern can match
    return [match.span() for match in _NOT_PROSE.finditer(line)]


def forms_of(word: str) -> list[str]:
    """What to look up for ``word``, in order: itself in lower case with straight
    apostrophes, then without a possessive ending ("Darcy's" is right when "Darcy" is)."""
    plain = word.replace("’", "'").lower()
    forms = [plain]
    if plain.endswith("'s") and len(plain) > 2:
        forms.append(plain[:-2])
    elif plain.endswith("s'") and len(plain) > 2:
        forms.append(plain[:-1])
    return forms


def parse_dictionary(text: str) -> list[str]:
    """The words of a project dictionary: one a line; blank lines and ``#`` comments skipped."""
    words: list[str] = []
    for raw in text.splitlines():
        word = raw.strip()
        if word and not word.startswith("#"):
            words.append(word)
    return words


def with_word(text: str, word: str) -> str:
    """``text`` (a project dictionary) with ``word`` on a line of its own at the end, unless
    it is there already (in any case); everything the writer wrote is kept as it was."""
    word = word.strip()
    if not word or "\n" in word:
        raise ValueError(f"not a word: {word!r}")
    known = {entry.lower() for entry in parse_dictionary(text)}
    if word.lower() in known:
        return text
    if text and not text.endswith("\n"):
        text += "\n"
    return f"{text}{word}\n"
