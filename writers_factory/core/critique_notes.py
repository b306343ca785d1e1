"""A critique cut into notes, each found again in the chapter it speaks of.

A critique (an editor's reading from the model) names places by quoting them ("she said
“It is a truth universally acknowledged”") or by number ("paragraph 3"). Each list item or
paragraph of the critique is one note; its place is the first quoted passage found in the
chapter (exactly, else ignoring case, spacing and the kind of apostrophe), else the
paragraph it names. Critiques the writer kept in the chapter are Markdown comments
(``ai/result_notes.py``): those are read as critiques, and never taken for the place a
quote refers to. Pure text work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from writers_factory.core.paragraph_diff import paragraphs

_QUOTE = re.compile(r"“([^”]{8,}?)”|\"([^\"\n]{8,}?)\"")
_PARAGRAPH = re.compile(r"\b(?:paragraph|para\.?|¶)\s*(\d+)", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_CRITIQUE_TITLE = re.compile(r"^\s*(?:Critique|Continuity)[^\n]*\(AI\):", re.IGNORECASE)
_APOSTROPHES = "'’‘"


@dataclass(frozen=True)
class Note:
    text: str
    """The note as the critique put it (one list item or paragraph, on one line)."""
    quotes: tuple[str, ...]
    paragraph: int | None
    """The paragraph it names (1 is the first), if it names one."""


def notes(critique: str) -> list[Note]:
    """The critique's notes, in its order: list items and paragraphs, headings left out."""
    chunks: list[list[str]] = []
    fresh = True
    for line in critique.splitlines():
        if not line.strip():
            fresh = True
            continue
        if line.lstrip().startswith("#"):
            fresh = True
            continue
        if fresh or _ITEM.match(line):
            chunks.append([])
            fresh = False
        chunks[-1].append(_ITEM.sub("", line, count=1).strip())
    found: list[Note] = []
    for chunk in chunks:
        text = " ".join(chunk).strip()
        if not text:
            continue
        quotes = tuple(a or b for a, b in _QUOTE.findall(text))
        number = _PARAGRAPH.search(text)
        found.append(Note(text, quotes, int(number.group(1)) if number else None))
    return found


def masked(chapter: str) -> str:
    """``chapter`` with every Markdown comment blanked (same length: offsets still hold)."""
    return _COMMENT.sub(lambda m: " " * len(m.group(0)), chapter)


def kept_critiques(chapter: str) -> list[str]:
    """The critiques kept in ``chapter`` as notes (Markdown comments titled by their
    operation with "(AI)"), in the chapter's order."""
    out = []
    for match in _COMMENT.finditer(chapter):
        body = match.group(1)
        if _CRITIQUE_TITLE.match(body):
            out.append(body.split(":", 1)[1].strip())
    return out


def _loose(quote: str) -> re.Pattern[str]:
    any_mark = f"[{_APOSTROPHES}]"
    parts = [
        "".join(any_mark if char in _APOSTROPHES else re.escape(char) for char in word)
        for word in quote.split()
    ]
    return re.compile(r"\s+".join(parts), re.IGNORECASE)


def place(note: Note, chapter: str) -> tuple[int, int] | None:
    """Where in ``chapter`` the note points (character offsets), or ``None``."""
    text = masked(chapter)
    for quote in note.quotes:
        quote = quote.strip().strip(".,;:…").strip()
        if not quote:
            continue
        start = text.find(quote)
        if start >= 0:
            return start, start + len(quote)
        match = _loose(quote).search(text)
        if match:
            return match.span()
    if note.paragraph is not None:
        found = paragraphs(text)
        if 1 <= note.paragraph <= len(found):
            chosen = found[note.paragraph - 1]
            return chosen.start, chosen.end
    return None
