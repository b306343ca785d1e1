"""Questions show all of their text inside their dialog: a label sized to its text was cut at
the dialog's edge (the cost question lost its token count and "Continue?", the model
picker its examples and the reason it refused a model, the story bible its "(free)")."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Label

from tests.tui.conftest import SIZE, ready_screen, started, wait_until
from writers_factory.ai.runner import confirmation_text
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.bible_ask import BibleAskScreen
from writers_factory.tui.screens.cost_confirm import CostConfirmScreen
from writers_factory.tui.screens.model_picker import ModelPickerScreen, examples_text


def shown(label: Label, dialog: Widget) -> str:
    """The label's text as it can be read: its lines joined by spaces, once the label is
    seen to lie inside the dialog (a label wider than the dialog is cut at its edge)."""
    assert dialog.content_region.contains_region(label.region), (label.region, dialog.region)
    width, height = label.size
    lines = label.render_lines(Region(0, 0, width, height))
    return " ".join(strip.text.strip() for strip in lines if strip.text.strip())


async def test_a_long_question_wraps_instead_of_being_cut(
    make_app: Callable[[], WritersFactoryApp],
) -> None:
    question = confirmation_text("anthropic:claude-sonnet-4-5", Decimal("0.13"), 27_666)
    warning = "Approaching your spending limit: Daily budget: $4.12 of $5.00 (82%)."
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.push_screen(CostConfirmScreen(question, warning))
        screen = await ready_screen(pilot, CostConfirmScreen)
        await pilot.pause()
        dialog = screen.query_one(".wf-dialog")
        assert shown(screen.query_one("#cost-question", Label), dialog) == question
        assert shown(screen.query_one("#cost-warning", Label), dialog) == f"⚠ {warning}"


async def test_the_model_pickers_examples_and_refusal_wrap(
    make_app: Callable[[], WritersFactoryApp],
) -> None:
    reason = (
        "no price is known for 'local-server:an-unpriced-model'; add one under "
        "price_overrides in preferences.json"
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.push_screen(ModelPickerScreen({}, lambda model: reason))
        screen = await ready_screen(pilot, ModelPickerScreen, focused="#model-creation")
        dialog = screen.query_one(".wf-dialog")
        examples = shown(screen.query_one("#model-examples", Label), dialog)
        assert examples == " ".join(examples_text().split())
        await pilot.press(*"local-server:an-unpriced-model", "enter")
        error = screen.query_one("#model-error", Label)
        await wait_until(pilot, lambda: "Creation:" in str(error.content))
        await pilot.pause()
        assert shown(error, dialog) == f"Creation: {reason}"


async def test_the_story_bible_status_wraps(
    make_app: Callable[[], WritersFactoryApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("f7")
        screen = await ready_screen(pilot, BibleAskScreen)
        await pilot.pause()
        status = screen.query_one("#bible-status", Label)
        said = shown(status, screen.query_one(".wf-dialog"))
        assert said == "Searches reference/ and planning/ on this machine (free)."
