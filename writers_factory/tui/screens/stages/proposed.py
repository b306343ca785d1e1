"""The planning board's proposed cards: what a board AI action answered, waiting to be kept
(written into its file) or left (nothing written).

The list shows only while it holds cards, or while an answer is awaited, so the board looks
as before when no AI action was asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.core.proposals import Proposal, appended
from writers_factory.store.base.durable import write_text_atomic

AskAI = Callable[[str, Callable[[str | None], None]], bool]
"""Run a board AI action; its answer (``None``: none came) is handed to the callback.
False when the call could not start (another runs; the writer was told)."""


class FileChanged(Exception):
    """The file a card would join is not where the project keeps it: nothing was written."""


def keep_section(project: Path, proposal: Proposal) -> None:
    """Blocking (run in a thread): append ``proposal`` to its file, durably."""
    path = project / proposal.destination
    if not path.resolve().is_relative_to(project.resolve()):
        raise FileChanged(f"{proposal.destination} leads outside the project")
    try:
        text: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, appended(text, proposal))


def label(action: str) -> str:
    entry = CATALOGUE.entry(action)
    return (entry.label or entry.palette) if entry is not None else action


class ProposedCards(Vertical):
    """The proposed cards, newest answer last; y keeps the highlighted one, n leaves it."""

    DEFAULT_CSS = """
    ProposedCards { height: auto; max-height: 12; display: none; border-top: hkey $accent; }
    ProposedCards.-open { display: block; }
    ProposedCards #board-proposed { height: auto; max-height: 10; }
    """

    def __init__(self) -> None:
        super().__init__(id="board-proposals")
        self.cards: list[Proposal] = []

    def compose(self) -> ComposeResult:
        yield Label("Proposed by AI", id="board-proposed-heading", classes="board-heading")
        yield OptionList(id="board-proposed")

    def waiting(self, action: str) -> None:
        self.query_one(Label).update(f"Asking the model: {label(action)}…")
        self.add_class("-open")

    def add(self, found: list[Proposal]) -> None:
        self.cards += found
        self._show(len(self.cards) - len(found) if found else None)
        if found:
            self.query_one(OptionList).focus()

    def drop(self, proposal: Proposal) -> None:
        if proposal in self.cards:
            index = self.cards.index(proposal)
            self.cards.remove(proposal)
            self._show(index)

    @property
    def current(self) -> Proposal | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.cards):
            return None
        return self.cards[index]

    def _show(self, highlight: int | None) -> None:
        heading = "Proposed by AI — y keeps the card, n leaves it"
        self.query_one(Label).update(heading)
        options = self.query_one(OptionList)
        keep = options.highlighted if highlight is None else highlight
        options.clear_options()
        options.add_options(
            Option(f"{p.title}  → {p.destination}", id=f"proposed-{n}")
            for n, p in enumerate(self.cards)
        )
        if self.cards:
            options.highlighted = min(keep or 0, len(self.cards) - 1)
        self.set_class(bool(self.cards), "-open")
        self.screen.refresh_bindings()
