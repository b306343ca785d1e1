"""AI operations in the real app: estimate, confirm, budget, stream, cancel, accept, undo, log."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Input, Label
from textual.widgets.text_area import Selection

from tests.tui.ai_support import (
    CHAPTER,
    TEST_MODEL,
    Streaming,
    configure,
    kept_before_rewrite,
    logged,
    no_providers,
    open_chapter,
    wait_for_pane,
)
from tests.tui.conftest import (
    SIZE,
    click_when_ready,
    editor_text,
    ready_screen,
    started,
    wait_until,
)
from writers_factory.cli import main
from writers_factory.store.manuscript.versions import list_versions
from writers_factory.store.preferences.preferences import Preferences
from writers_factory.store.snapshots.reading import walk
from writers_factory.store.snapshots.taker import Snapshotter
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.analysis_view import AnalysisScreen
from writers_factory.tui.screens.cost_confirm import CostConfirmScreen
from writers_factory.tui.screens.model_picker import ModelPickerScreen
from writers_factory.tui.widgets.ai_pane import PaneState
from writers_factory.tui.widgets.stage_panel import StagePanel

__all__ = ["no_providers"]  # the fixture, re-exported for pytest

FIRST_LINE = "# The Lighthouse"


async def test_below_threshold_runs_without_asking_and_accept_is_undoable(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project)  # default threshold $0.10; a short rewrite costs far less
    model = Streaming("The Beacon ", "Keeper")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model.model
        await open_chapter(app, pilot)
        area = app.editor.active
        assert area is not None
        original = area.text
        area.selection = Selection((0, 2), (0, len(FIRST_LINE)))  # "The Lighthouse"
        await pilot.press("f3")
        app.ai.command("rewrite")
        await wait_for_pane(pilot, PaneState.DONE)
        assert not isinstance(app.screen, CostConfirmScreen)
        assert app.ai.pane.text == "The Beacon Keeper"
        assert "sent" in app.ai.pane.progress and "session $" in app.ai.pane.progress
        assert model.calls == 1
        [(operation, used_model, sent, received)] = logged(project)
        assert (operation, used_model) == ("rewrite", TEST_MODEL)
        assert sent > 0 and received > 0
        assert editor_text(app) == original  # nothing reaches the editor before Accept

        await click_when_ready(pilot, "#ai-accept")
        await wait_until(pilot, lambda: editor_text(app) != original)
        assert editor_text(app).splitlines()[0] == "# The Beacon Keeper"
        assert editor_text(app).splitlines()[1:] == original.splitlines()[1:]
        # the original was kept first, in the history, where it can be brought back
        assert kept_before_rewrite(project, CHAPTER) == [original]
        assert list_versions(project, CHAPTER) == []  # no copy beside it any more
        assert app.ai.pane.state is PaneState.IDLE

        area.focus()
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: editor_text(app) == original)
        await pilot.press(*"Later.")
        await pilot.press("ctrl+q")
    # brought back from the history after the session: the text before the rewrite
    before = [
        i for i in walk(Snapshotter(project).repository) if i.meta.trigger == "before-ai-rewrite"
    ]
    assert (
        main(["snapshot", "restore", before[0].id, CHAPTER.as_posix(), "--project", str(project)])
        == 0
    )
    assert (project / CHAPTER).read_text(encoding="utf-8") == original


async def test_without_a_usable_history_the_text_before_a_rewrite_is_kept_in_versions(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project)
    (project / ".session").mkdir(exist_ok=True)
    (project / ".session" / "snapshots.git").write_text("not a repository\n")
    model = Streaming("The Beacon Keeper")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model.model
        await open_chapter(app, pilot)
        area = app.editor.active
        assert area is not None
        original = area.text
        area.selection = Selection((0, 2), (0, len(FIRST_LINE)))
        app.ai.command("rewrite")
        await wait_for_pane(pilot, PaneState.DONE)
        await click_when_ready(pilot, "#ai-accept")
        await wait_until(pilot, lambda: editor_text(app) != original)
        [version] = list_versions(project, CHAPTER)  # kept beside the project instead
        assert version.stored_at.read_text(encoding="utf-8") == original
        await pilot.press("ctrl+q")  # the one way out, as a writer leaves


async def test_above_threshold_asks_and_continue_runs_and_logs(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project, threshold=Decimal("0"))
    model = Streaming("Ideas.")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model.model
        app.ai.command("outline")  # reads planning/outline.md in a thread
        await ready_screen(pilot, CostConfirmScreen)
        question = str(app.screen.query_one("#cost-question", Label).content)
        assert question.startswith("This operation will cost about $")
        assert "(test, ~" in question and question.endswith("tokens). Continue?")
        assert not app.screen.query("#cost-warning")
        assert model.calls == 0  # nothing is sent while the writer decides
        await click_when_ready(pilot, "#continue", CostConfirmScreen)
        await wait_for_pane(pilot, PaneState.DONE)
        assert model.calls == 1
        assert [entry[0] for entry in logged(project)] == ["outline"]


async def test_declining_sends_nothing_and_logs_nothing(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project, threshold=Decimal("0"))
    model = Streaming("never shown")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model.model
        await open_chapter(app, pilot)
        original = editor_text(app)
        app.ai.command("critique")
        await ready_screen(pilot, CostConfirmScreen, focused="#cancel")
        await pilot.press("enter")  # the focused, safe answer
        await wait_until(pilot, lambda: not isinstance(app.screen, CostConfirmScreen))
        await wait_until(pilot, lambda: not app.ai.running)
        assert model.calls == 0
        assert logged(project) == []
        assert app.ai.pane.state is PaneState.IDLE
        assert editor_text(app) == original


async def test_budget_warning_is_shown_in_notification_and_modal(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    prefs = configure(project, threshold=Decimal("0"))
    prefs.set_budget_limit("daily", Decimal("0.0001"))  # any call crosses 80 %
    prefs.save_sync()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = Streaming("ok").model
        app.ai.command("outline")
        await ready_screen(pilot, CostConfirmScreen)
        warning = str(app.screen.query_one("#cost-warning", Label).content)
        assert "Daily budget" in warning
        assert any("Daily budget" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.ai.running)
        assert logged(project) == []


async def test_hard_stop_refuses_with_a_clear_message(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    prefs = configure(project)
    prefs.set_budget_limit("daily", Decimal("0.0000001"))
    prefs.set("budget.hard_stop", True)
    prefs.save_sync()
    model = Streaming("never")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model.model
        app.ai.command("outline")
        await wait_for_pane(pilot, PaneState.MESSAGE)
        assert "Spending limit reached" in app.ai.pane.text
        assert "Daily budget" in app.ai.pane.text
        assert not isinstance(app.screen, CostConfirmScreen)
        assert model.calls == 0 and logged(project) == []


async def test_cancel_mid_stream_leaves_the_editor_alone(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project)
    model = Streaming("One ", "two ", "never", stall_after=2)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model.model
        await open_chapter(app, pilot)
        original = editor_text(app)
        area = app.editor.active
        assert area is not None
        area.move_cursor(area.document.end)
        app.ai.command("continue")  # writes on from the text before the cursor
        await wait_until(pilot, lambda: model.streamed.is_set())
        await wait_until(pilot, lambda: app.ai.pane.text == "One two ")
        assert app.ai.pane.state is PaneState.RUNNING
        assert app.ai.pane.progress.startswith("~2 of up to 4,000 tokens")
        await pilot.press("ctrl+b")
        await wait_for_pane(pilot, PaneState.CANCELLED)
        await wait_until(pilot, lambda: not app.ai.running)
        assert editor_text(app) == original
        assert app.ai.pending is None
        # The provider had reported the partial usage, so (only) that is billed and logged.
        assert [entry[0] for entry in logged(project)] == ["continue (cancelled)"]
        app.ai.command("accept")
        await pilot.pause()
        assert editor_text(app) == original


async def test_accepted_scene_is_inserted_at_the_cursor_and_undone(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = Streaming("A ship came.", "\n").model
        await open_chapter(app, pilot)
        area = app.editor.active
        assert area is not None
        original = area.text
        area.move_cursor(area.document.end)
        app.ai.command("continue")
        await wait_for_pane(pilot, PaneState.DONE)
        app.ai.command("accept")
        await wait_until(pilot, lambda: editor_text(app) == original + "A ship came.\n")
        assert kept_before_rewrite(project, CHAPTER) == []  # an insertion replaces nothing
        area.focus()
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: editor_text(app) == original)


@pytest.mark.usefixtures("no_providers")
async def test_no_provider_shows_how_to_configure_one(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()  # no override, no keys: the default Anthropic model is unusable
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_chapter(app, pilot)
        original = editor_text(app)
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.current_mode == "enhancing")
        panel = app.screen.query_one(StagePanel)  # the panel on the Enhancing screen
        panel.focus()
        panel.highlighted = 0  # the first Enhancing entry: Polish prose
        await pilot.press("enter")
        await wait_for_pane(pilot, PaneState.MESSAGE)
        text = app.ai.pane.text
        assert "ANTHROPIC_API_KEY" in text and "OPENAI_API_KEY" in text
        assert "OLLAMA_BASE_URL" in text
        assert editor_text(app) == original
        assert logged(project) == []
        app.ai.command("local_analysis")  # local tools keep working without a provider
        await wait_until(pilot, lambda: isinstance(app.screen, AnalysisScreen))
        screen = app.screen
        assert isinstance(screen, AnalysisScreen)
        await wait_until(pilot, lambda: screen.results is not None)


async def test_model_picker_saves_the_choice_at_once(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("f6")
        screen = await ready_screen(pilot, ModelPickerScreen, focused="Input")
        field = screen.query_one("#model-writing", Input)
        field.focus()
        await wait_until(pilot, lambda: screen.focused is field)
        field.value = "not-a-model-x"
        await pilot.press("enter")
        error = str(app.screen.query_one("#model-error", Label).content)
        assert error.startswith("Writing: No price is known for the model 'not-a-model-x'")
        field.value = "ollama:llama3.2"
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ModelPickerScreen))
        await wait_until(
            pilot,
            lambda: (
                Preferences(project / ".session").data.models.get("writing") == "ollama:llama3.2"
            ),
        )
        assert app.session.data.model_preferences["writing"] == "ollama:llama3.2"
        assert app.ai.models()["writing"] == "ollama:llama3.2"
        assert app.ai.models()["enhancing"] == TEST_MODEL


async def test_status_bar_shows_the_logged_cost_after_an_operation(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = Streaming("Ideas.").model
        app.ai.command("brainstorm")
        await wait_for_pane(pilot, PaneState.DONE)
        tracker = app.ai.tracker
        assert tracker is not None and tracker.session_total > 0
        bar = app.query_one("#status-bar")
        assert getattr(bar, "session_total", None) == tracker.session_total
        assert getattr(bar, "daily_total", None) == tracker.daily_total


@pytest.mark.usefixtures("no_providers")
async def test_escape_in_the_editor_closes_an_ai_message_and_the_next_words_are_typed(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """A writer dismisses the "needs an AI provider" message with Escape and types on. The
    editor's Escape moved the focus on, into the message's scroll (the pane's own Escape acts
    only inside it), and the letters typed next went nowhere."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_chapter(app, pilot)
        area = app.editor.active
        assert area is not None
        area.focus()
        area.move_cursor(area.document.end)
        original = editor_text(app)
        app.ai.command("rewrite")
        await wait_for_pane(pilot, PaneState.MESSAGE)
        assert app.focused is area
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.ai.pane.state is PaneState.IDLE)
        await pilot.press("X", "Y", "Z")
        await wait_until(pilot, lambda: editor_text(app) == original + "XYZ")
        assert app.focused is area

        # a result waiting to be kept is not thrown away by Escape in the editor
        app.ai.model_override = Streaming("A ship came.").model
        app.ai.command("continue")
        await wait_for_pane(pilot, PaneState.DONE)
        area.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert app.ai.pane.state is PaneState.DONE and app.ai.pending is not None
