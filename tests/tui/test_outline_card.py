"""The outline card beside the editor, on its own."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from writers_factory.tui.widgets.outline_card import ChapterCard, OutlineCard


class CardApp(App[None]):
    def compose(self) -> ComposeResult:
        yield OutlineCard(id="card")


FOUND = ChapterCard("chapter-01.md", None, 1234, None, None, Path("manuscript/chapter-01.md"))


async def test_a_card_shows_what_was_read() -> None:
    async with CardApp().run_test() as pilot:
        card = pilot.app.query_one(OutlineCard)
        card.show(FOUND)
        text = str(card.query_one("#outline-card-text", Static).render())
        assert "chapter-01.md" in text and "1,234 words" in text
        assert card.shown == FOUND


async def test_a_read_ending_while_the_card_is_taken_down_shows_nothing() -> None:
    """The card's chapter is read in a thread; when the app quits meanwhile, the card's text
    goes first (children before parents) and the read ends after: showing it raised, the
    worker failed, and a clean quit ended on a traceback."""
    async with CardApp().run_test() as pilot:
        card = pilot.app.query_one(OutlineCard)
        await card.query_one("#outline-card-text", Static).remove()
        card.show(FOUND)
        assert card.shown is None
