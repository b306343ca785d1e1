"""A chapter and a proposed rewrite compared paragraph by paragraph: pure text work.

Paragraphs are separated by blank lines. Each change ("hunk") names the paragraphs it
replaces in the chapter by their character span, so accepting it is one replacement of
that span; the chapter is compared afresh after every accepted change, so the spans
always refer to the text as it is now.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

_BREAK = re.compile(r"\n[ \t]*\n\s*")

Kind = Literal["replace", "insert", "delete"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Hunk:
    kind: Kind
    old: tuple[str, ...]
    new: tuple[str, ...]
    start: int
    """Where in the chapter the change applies (character offset)."""
    end: int

    @property
    def key(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What the change is, independent of where: a rejected change stays rejected."""
        return (self.old, self.new)


def paragraphs(text: str) -> list[Paragraph]:
    """The non-empty paragraphs of ``text`` with their spans."""
    found: list[Paragraph] = []
    position = 0
    for match in [*_BREAK.finditer(text), None]:
        end = len(text) if match is None else match.start()
        chunk = text[position:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            found.append(Paragraph(stripped, position + lead, position + lead + len(stripped)))
        if match is not None:
            position = match.end()
    return found


def hunks(chapter: str, proposal: str) -> list[Hunk]:
    """The changes that turn ``chapter`` into ``proposal``, paragraph by paragraph."""
    old = paragraphs(chapter)
    new = paragraphs(proposal)
    matcher = difflib.SequenceMatcher(
        a=[p.text for p in old], b=[p.text for p in new], autojunk=False
    )
    out: list[Hunk] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds = tuple(p.text for p in old[i1:i2])
        news = tuple(p.text for p in new[j1:j2])
        if i1 < i2:
            start, end = old[i1].start, old[i2 - 1].end
        else:  # an insertion goes before the next paragraph, or at the end
            start = end = old[i1].start if i1 < len(old) else len(chapter.rstrip())
        kind: Kind = "replace" if olds and news else ("insert" if news else "delete")
        out.append(Hunk(kind, olds, news, start, end))
    return out


def replacement(chapter: str, hunk: Hunk) -> tuple[int, int, str]:
    """(start, end, text): the one edit of ``chapter`` that accepts ``hunk``."""
    joined = "\n\n".join(hunk.new)
    if hunk.kind == "replace":
        return hunk.start, hunk.end, joined
    if hunk.kind == "insert":
        if hunk.start >= len(chapter.rstrip()):
            return hunk.start, hunk.end, "\n\n" + joined
        return hunk.start, hunk.end, joined + "\n\n"
    # delete: the paragraphs and the blank line after them (or before, at the end)
    tail = _BREAK.match(chapter, hunk.end)
    if tail is not None:
        return hunk.start, tail.end(), ""
    head = hunk.start
    while head > 0 and chapter[head - 1] in " \t\n":
        head -= 1
    return head, hunk.end, ""


def location(text: str, offset: int) -> tuple[int, int]:
    """(row, column) of a character offset, as the editor counts them."""
    row = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return row, offset - line_start
