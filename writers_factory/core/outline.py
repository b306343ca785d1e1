"""The outline as cards: ``planning/outline.md`` read into cards and written back.

A card is a ``## `` heading and the text under it (what that chapter or scene must do). An
outline with no such headings (the new-project template's numbered list) gives one card per
numbered item. Writing back keeps what the writer typed: the text before the first
card stays first, each card's heading line and body travel together, so reordering changes
the order and nothing else (but a blank line between two cards that had none). Pure:
reading and writing the file are the caller's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+(.+?)\s*$")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Card:
    title: str
    body: str
    """The lines under the heading, as written (without the heading line)."""
    source: str
    """The card's exact text in the file: heading line and body."""

    @property
    def summary(self) -> str:
        """The body without blank edges: what the card says."""
        return self.body.strip()


@dataclass(frozen=True)
class Outline:
    preamble: str
    """Everything before the first card (the title, notes)."""
    cards: tuple[Card, ...]
    headed: bool
    """True when the cards are ``## `` headings (only those can be written back)."""

    def text(self) -> str:
        """The file's text, cards in their current order."""
        out = self.preamble
        for card in self.cards:
            if out and not out.endswith("\n"):
                out += "\n"
            if out.strip() and not out.endswith("\n\n"):
                out += "\n"  # a card that was last (no blank line after it) moved up
            out += card.source
        return out

    def moved(self, index: int, step: int) -> Outline:
        """The outline with card ``index`` moved ``step`` places (clamped to the ends)."""
        cards = list(self.cards)
        target = max(0, min(len(cards) - 1, index + step))
        cards.insert(target, cards.pop(index))
        return Outline(self.preamble, tuple(cards), self.headed)

    def with_card(self, index: int, card: Card) -> Outline:
        """The outline with card ``index`` replaced (``index == len``: added at the end)."""
        cards = list(self.cards)
        if index >= len(cards):
            cards.append(card)
        else:
            cards[index] = card
        return Outline(self.preamble, tuple(cards), self.headed)


def make_card(title: str, body: str) -> Card:
    """A ``## `` card as it is written into the file."""
    title = " ".join(title.split()) or "Untitled"
    text = body.strip("\n")
    source = f"## {title}\n" + (f"{text}\n" if text else "") + "\n"
    return Card(title, text, source)


def parse_outline(markdown: str) -> Outline:
    """Cards from ``## `` headings; failing those, from a numbered list."""
    lines = markdown.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("## ")]
    if starts:
        preamble = "".join(lines[: starts[0]])
        cards = []
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            title = lines[start][3:].strip().strip("#").strip()
            body = "".join(lines[start + 1 : end])
            cards.append(Card(title, body, "".join(lines[start:end])))
        return Outline(preamble, tuple(cards), True)
    listed = [m for m in (_NUMBERED.match(line) for line in lines) if m]
    return Outline(markdown, tuple(Card(m.group(2), "", "") for m in listed), False)


def card_for_chapter(outline: Outline, chapter_name: str, position: int | None) -> Card | None:
    """The card of a chapter: the one whose title carries the chapter file's number
    ("chapter-05.md" → "Chapter 5: …"), else the card at the chapter's place in the book."""
    found = _NUMBER.findall(chapter_name)
    if found:
        number = int(found[-1])
        for card in outline.cards:
            if any(int(n) == number for n in _NUMBER.findall(card.title)):
                return card
    if position is not None and 0 <= position < len(outline.cards):
        return outline.cards[position]
    return None
