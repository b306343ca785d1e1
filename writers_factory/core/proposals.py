"""An AI answer on the planning board, cut into proposed cards the writer takes or leaves.

The board's AI actions (outline, characters, world, premise, brainstorm) answer in Markdown.
Each ``## `` heading of the answer becomes one proposed card (its title, the text under it);
failing headings, each numbered item; failing both, the whole answer is one card named by
its first line. Accepting a card appends it to the file its action writes (``DESTINATIONS``)
as a ``## `` section, so the board, the outline card in Writing and the story bible read it
back like any card the writer typed. Pure: the files are the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass

from writers_factory.core.outline import make_card, parse_outline

DESTINATIONS: dict[str, str] = {
    "outline": "planning/outline.md",
    "characters": "reference/characters.md",
    "world": "reference/world.md",
    "premise": "planning/ideas.md",
    "brainstorm": "planning/ideas.md",
}
"""Board action (catalogue entry id) → the project file its accepted cards join."""

TITLE_CHARS = 60
"""A card named by its answer's first line keeps at most this much of it."""


@dataclass(frozen=True)
class Proposal:
    """One proposed card: where it would go, and what it says."""

    action: str
    """The catalogue entry that proposed it (its key in ``DESTINATIONS``)."""
    title: str
    body: str

    @property
    def destination(self) -> str:
        return DESTINATIONS[self.action]


def proposals(action: str, answer: str) -> list[Proposal]:
    """The cards ``answer`` proposes (none for an empty answer)."""
    if action not in DESTINATIONS:
        raise KeyError(f"{action!r} proposes no cards; known: {', '.join(DESTINATIONS)}")
    if not answer.strip():
        return []
    outline = parse_outline(answer)
    if outline.cards:
        return [Proposal(action, card.title, card.summary) for card in outline.cards]
    first = next(line for line in answer.splitlines() if line.strip())
    title = first.strip().lstrip("#").strip().strip("*").strip()
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    return [Proposal(action, title or "Idea", answer.strip())]


def appended(text: str | None, proposal: Proposal) -> str:
    """``text`` (a file's, ``None``: no file yet) with ``proposal`` added as a last section."""
    section = make_card(proposal.title, proposal.body).source
    if not text or not text.strip():
        return section
    out = text if text.endswith("\n") else text + "\n"
    if not out.endswith("\n\n"):
        out += "\n"
    return out + section
