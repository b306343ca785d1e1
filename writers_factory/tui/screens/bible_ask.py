"""Ask the story bible: search the writer's notes locally, then (optionally) ask a model.

The search is free and offline (SQLite FTS5 over ``reference/`` and ``planning/``, brought
up to date before each query, in a thread). Asking a model is a separate, explicit step —
"Answer with AI" dismisses the screen with the question and the passages found, and the AI
controller runs it through the usual estimate, confirmation and budget checks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from writers_factory.ai.bible import BibleIndex, BibleUnavailableError, Passage

QUERY_SOURCE = "bible"
"""What ``recent_queries`` records as the source of a story-bible question."""


@dataclass(frozen=True)
class BibleAnswerRequest:
    """The writer wants a model to answer ``question`` from ``passages``."""

    question: str
    passages: tuple[Passage, ...]


def search_bible(project: Path, question: str, limit: int = 8) -> tuple[list[Passage], list[str]]:
    """Blocking: update the index, search it, close it; returns passages and problems."""
    index = BibleIndex(project)
    try:
        stats = index.refresh()
        return index.search(question, limit), [*index.problems, *stats.problems]
    finally:
        index.close()


def passage_text(passages: list[Passage]) -> str:
    if not passages:
        return "Nothing in reference/ or planning/ matches that question."
    return "\n\n".join(f"{p.path}:{p.line}\n{p.text}" for p in passages)


class BibleAskScreen(ModalScreen[BibleAnswerRequest | None]):
    """Type a question, see passages; "Answer with AI" only when a model can be used."""

    DEFAULT_CSS = """
    BibleAskScreen .wf-dialog { width: 90%; height: 85%; }
    BibleAskScreen #bible-results { height: 1fr; border: round $panel-lighten-2; }
    BibleAskScreen #bible-status { color: $text-muted; width: 100%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="modal.cancel")
    ]

    def __init__(
        self,
        project: Path,
        record_query: Callable[[str, str], None],
        *,
        ai_available: bool,
        ai_hint: str = "",
    ) -> None:
        super().__init__(classes="wf-modal")
        self.project = Path(project)
        self.record_query = record_query
        self.ai_available = ai_available
        self.ai_hint = ai_hint
        self.question = ""
        self.passages: list[Passage] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="wf-dialog"):
            yield Label("Ask the story bible", classes="wf-dialog-title")
            yield Input(placeholder="e.g. What colour are Ada's eyes?", id="bible-question")
            yield Label(
                "Searches reference/ and planning/ on this machine (free).",
                id="bible-status",
                markup=False,
            )
            with VerticalScroll(id="bible-results"):
                yield Static("", id="bible-passages", markup=False)
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button("Search", variant="primary", id="search")
                yield Button("Answer with AI", id="answer", disabled=True)
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if not self.ai_available and self.ai_hint:
            self.query_one("#answer", Button).tooltip = self.ai_hint

    def _search(self) -> None:
        question = self.query_one(Input).value.strip()
        if not question:
            self.query_one("#bible-status", Label).update("Please type a question.")
            return
        self.run_worker(self._run_search(question), group="bible", exclusive=True)

    async def _run_search(self, question: str) -> None:
        status = self.query_one("#bible-status", Label)
        status.update("Searching…")
        try:
            passages, problems = await asyncio.to_thread(search_bible, self.project, question)
        except (BibleUnavailableError, OSError) as exc:
            if self.is_attached:
                status.update(f"The story bible cannot be searched: {exc}")
            return
        if not self.is_attached:  # closed while searching; still a query the writer asked
            self.record_query(question, QUERY_SOURCE)
            return
        self.question, self.passages = question, passages
        self.record_query(question, QUERY_SOURCE)
        found = f"{len(passages)} passage{'' if len(passages) == 1 else 's'} found"
        if problems:
            found += " · " + "; ".join(problems)
        if not self.ai_available:
            found += " · answering with AI needs a provider (see the AI pane)"
        status.update(found)
        self.query_one("#bible-passages", Static).update(passage_text(passages))
        self.query_one("#answer", Button).disabled = not self.ai_available

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._search()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "search":
            self._search()
        elif event.button.id == "answer" and self.question:
            self.dismiss(BibleAnswerRequest(self.question, tuple(self.passages)))
        elif event.button.id == "close":
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
