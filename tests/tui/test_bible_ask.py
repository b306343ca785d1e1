"""Ask the story bible in the real app: local search, recent queries, an AI answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Static

from tests.tui.ai_support import Streaming, configure, logged, no_providers, wait_for_pane
from tests.tui.conftest import SIZE, click_when_ready, ready_screen, started, wait_until
from writers_factory.ai.conversations import ConversationStore
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.bible_ask import BibleAskScreen
from writers_factory.tui.screens.conversations import ConversationsScreen
from writers_factory.tui.widgets.ai_pane import PaneState

__all__ = ["no_providers"]

QUESTION = "What colour are Ada's eyes?"


def add_notes(project: Path) -> None:
    (project / "reference" / "ada.md").write_text(
        "# Ada\n\nAda hums when nervous.\n\nAda's eyes are grey, like the winter sea.\n",
        encoding="utf-8",
    )


def table_rows(screen: ConversationsScreen) -> int:
    tables = screen.query("#conv-list").results(DataTable)
    return next((table.row_count for table in tables), -1)


async def ask(app: WritersFactoryApp, pilot: Pilot[Any], question: str) -> BibleAskScreen:
    await pilot.press("f7")
    screen = await ready_screen(pilot, BibleAskScreen, focused="Input")
    screen.query_one(Input).value = question
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen.question == question)
    return screen


@pytest.mark.usefixtures("no_providers")
async def test_search_finds_the_passage_and_records_the_query_for_free(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    add_notes(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await ask(app, pilot, QUESTION)
        [first, *_] = screen.passages
        assert (first.path, first.line) == ("reference/ada.md", 5)
        assert "grey" in first.text
        shown = str(screen.query_one("#bible-passages", Static).content)
        assert shown.startswith("reference/ada.md:5\nAda's eyes are grey")
        assert screen.query_one("#answer", Button).disabled  # no provider: no AI answer
        [recent] = app.session.data.recent_queries
        assert (recent.query, recent.source) == (QUESTION, "bible")
        assert (project / ".session" / "index" / "bible.sqlite").is_file()
        assert logged(project) == []


async def test_answer_with_ai_uses_the_passages_and_is_saved_as_a_conversation(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    add_notes(project)
    configure(project)
    model = Streaming("Grey, ", "like the winter sea (reference/ada.md:5).")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model.model
        screen = await ask(app, pilot, QUESTION)
        assert not screen.query_one("#answer", Button).disabled
        await click_when_ready(pilot, "#answer", BibleAskScreen)
        await wait_for_pane(pilot, PaneState.DONE)
        assert app.ai.pane.text == "Grey, like the winter sea (reference/ada.md:5)."
        assert app.ai.pending is not None and app.ai.pending.target is None  # read, not inserted
        assert [entry[0] for entry in logged(project)] == ["ask_bible"]

        [summary] = ConversationStore(project / ".session").list()
        conv = ConversationStore(project / ".session").open(summary.id)
        assert [t.role for t in conv.turns] == ["user", "assistant"]
        assert conv.turns[0].text == QUESTION
        assert conv.turns[1].text == app.ai.pane.text
        assert conv.turns[1].output_tokens and conv.turns[1].cost is not None

        app.action_ai("conversations")
        listing = await ready_screen(pilot, ConversationsScreen, focused="#conv-list")
        await wait_until(pilot, lambda: table_rows(listing) == 1)
        await pilot.press("enter")  # on the focused list: opens the highlighted conversation
        await wait_until(pilot, lambda: listing.opened is not None)
        text = str(listing.query_one("#conv-text", Static).content)
        assert QUESTION in text and "[assistant]" in text and "winter sea" in text
