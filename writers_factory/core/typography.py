"""Smart quotes and em-dashes: what a typed character becomes, from the text before it.

Pure logic; the editor applies the answer as an edit of its own, so that one undo gives back
exactly what was typed.
"""

from __future__ import annotations

OPENING_CONTEXT = frozenset(" \t([{<\u2014\u2013-/\u201c\u2018")
"""After these (or at the start of a line) a quote opens; after anything else it closes."""

QUOTES = {'"': ("\u201c", "\u201d"), "'": ("\u2018", "\u2019")}
"""Straight quote -> (opening, closing) curly quotes."""

EM_DASH = "\u2014"


def smart_replacement(before: str, typed: str) -> tuple[int, str] | None:
    """What typing ``typed`` after ``before`` (the line up to the cursor, ``typed`` already
    left out) should become: ``(characters before the cursor to replace, new text)`` or
    ``None`` to keep it as typed.

    A double or single quote opens at the start of a line and after a space, a bracket or a
    dash, and closes elsewhere (so an apostrophe inside a word is a closing single quote); a
    second hyphen turns the pair into an em-dash (not at the start of a line: "---" is a rule).
    """
    if typed in QUOTES:
        opening, closing = QUOTES[typed]
        opens = not before or before[-1] in OPENING_CONTEXT
        return 0, opening if opens else closing
    if typed == "-" and before.endswith("-") and not before.endswith("--"):
        if not before[:-1].strip():
            return None  # a rule ("---") or a list marker starts the line: left alone
        return 1, EM_DASH
    return None
