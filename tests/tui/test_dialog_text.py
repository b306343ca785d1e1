"""Questions show all of their text inside their dialog: a label sized to its text was cut at
the dialog's edge (the cost question lost its token count and "Continue?", the model
picker its examples and the reason it refused a model, the story bible its "(free)")."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Label

from tests.tui.conftest import SIZE, ready_screen, started, wait_until
from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.runner import confirmation_text
from writers_factory.core.stages import STAGES
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.bible_ask import BibleAskScreen
from writers_factory.tui.screens.cost_confirm import CostConfirmScreen
from writers_factory.tui.screens.model_picker import ModelPickerScreen, examples_text
from writers_factory.tui.widgets.stage_panel import StagePanel


def shown(label: Label, dialog: Widget) -> str:
    """The label's text as it can be read: its lines joined by spaces, once the label is
    seen to lie inside the dialog (a label wider than the dialog is cut at its edge) and
    inside the screen (a dialog taller than the terminal is cut at its bottom)."""
    assert dialog.content_region.contains_region(label.region), (label.region, dialog.region)
    screen = dialog.screen.region
    assert screen.contains_region(label.region), f"below the screen's edge: {label.region}"
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


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_panels_and_dialogs_show_all_their_text_at_both_ends_of_the_usual_sizes(
    make_app: Callable[[], WritersFactoryApp], size: tuple[int, int]
) -> None:
    """The smallest terminal the guide supports and a roomy one: every stage's entries are
    all listed in the stage panel (none hidden below a scroll), and the cost question, the
    model picker and the story bible's hint are whole inside their dialogs."""
    question = confirmation_text("anthropic:claude-sonnet-4-5", Decimal("0.13"), 27_666)
    warning = "Approaching your spending limit: Daily budget: $4.12 of $5.00 (82%)."
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        panel = app.query_one(StagePanel)
        for stage in STAGES:
            await pilot.press(stage.key)
            await wait_until(pilot, lambda stage=stage: panel.stage.id == stage.id)
            await pilot.pause()
            labels = [entry.label for entry in CATALOGUE.for_stage(stage.id)]
            assert panel.option_count == len(labels)
            assert panel.max_scroll_y == 0, (stage.id, panel.region, len(labels))
            assert panel.scrollable_content_region.height >= len(labels), stage.id
            widest = max(len(label) for label in labels)
            assert panel.scrollable_content_region.width >= widest, stage.id

        app.push_screen(CostConfirmScreen(question, warning))
        screen = await ready_screen(pilot, CostConfirmScreen)
        await pilot.pause()
        dialog = screen.query_one(".wf-dialog")
        assert shown(screen.query_one("#cost-question", Label), dialog) == question
        assert shown(screen.query_one("#cost-warning", Label), dialog) == f"⚠ {warning}"
        await pilot.press("escape")

        app.push_screen(ModelPickerScreen({}, lambda model: None))
        picker = await ready_screen(pilot, ModelPickerScreen, focused="#model-creation")
        examples = shown(picker.query_one("#model-examples", Label), picker.query_one(".wf-dialog"))
        assert examples == " ".join(examples_text().split())
        await pilot.press("escape")

        await wait_until(pilot, lambda: not isinstance(app.screen, ModelPickerScreen))
        await pilot.press("f7")
        bible = await ready_screen(pilot, BibleAskScreen)
        await pilot.pause()
        status = shown(bible.query_one("#bible-status", Label), bible.query_one(".wf-dialog"))
        assert status == "Searches reference/ and planning/ on this machine (free)."
