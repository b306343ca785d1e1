"""Stages: switched by key and by the palette, saved, restored; breadcrumbs follow."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from textual.command import CommandPalette

from tests.tui.conftest import (
    SIZE,
    palette_offers,
    ready_screen,
    select_in_tree,
    started,
    wait_until,
)
from writers_factory.store.preferences.preferences import Preferences
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.stages.creation import CreationBoard
from writers_factory.tui.widgets.breadcrumbs import Breadcrumbs
from writers_factory.tui.widgets.stage_bar import StageBar
from writers_factory.tui.widgets.stage_panel import StagePanel


def saved_state(project: Path) -> dict[str, object]:
    data = json.loads((project / ".session" / "current.json").read_text())
    state = data["current_state"]
    assert isinstance(state, dict)
    return state


def saved_stage(app: WritersFactoryApp) -> str:
    return app.session.data.current_state.stage


def trail_of(app: WritersFactoryApp) -> tuple[str, ...]:
    return app.query_one(Breadcrumbs).trail


async def test_function_keys_switch_stage_and_panel(
    make_app: Callable[[], WritersFactoryApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.stage_id == "creation"
        await pilot.press("f4")
        assert app.stage_id == "analyzing"
        assert app.query_one(StageBar).stage == "analyzing"
        panel = app.query_one(StagePanel)
        assert panel.border_title == "Analyzing"
        assert "Pacing report" in [
            str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)
        ]
        assert saved_stage(app) == "analyzing"
        await pilot.press("f3")
        assert saved_stage(app) == "enhancing"
        # Creation is the planning board; once left for the files (escape), f1 keeps to them
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, CreationBoard))
        assert app.stage_id == "creation" and app.current_mode == "board"
        await wait_until(pilot, lambda: app.screen.settled)  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.current_mode == "workspace")
        await pilot.press("f2", "f1")
        await wait_until(pilot, lambda: app.stage_id == "creation")
        assert app.current_mode == "workspace"


async def test_palette_command_switches_stage(make_app: Callable[[], WritersFactoryApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("ctrl+p")
        await ready_screen(pilot, CommandPalette, focused="CommandInput")
        await pilot.press(*"Stage: Scoring")
        await palette_offers(pilot, "Stage: Scoring")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.stage_id == "scoring")
        assert app.query_one(Breadcrumbs).trail[:2] == ("Home", "Scoring")


async def test_stage_is_saved_and_restored_after_restart(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("f5")
        await pilot.press("ctrl+q")
    assert saved_state(project)["stage"] == "scoring"

    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert second.stage_id == "scoring"
        assert second.query_one(StageBar).stage == "scoring"
        assert second.query_one(StagePanel).border_title == "Scoring"
        # Scoring has a screen of its own: its trail goes on to the selected chapter
        screen = second.stage_screen()
        assert screen is not None and screen is second.screen
        await wait_until(pilot, lambda: screen.settled)
        crumbs = second.query_one(Breadcrumbs)
        await wait_until(pilot, lambda: len(crumbs.trail) == 4)
        assert crumbs.trail == ("Home", "Scoring", "Scorecard", "The Lighthouse")


async def test_breadcrumbs_follow_stage_and_file(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        crumbs = app.query_one(Breadcrumbs)
        assert crumbs.trail == ("Home", "Creation")
        await pilot.press("f2")
        assert trail_of(app) == ("Home", "Writing")
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: crumbs.trail == ("Home", "Writing", "chapter-01.md"))
        await select_in_tree(pilot, "planning/outline.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: crumbs.trail == ("Home", "Writing", "outline.md"))
        await pilot.press("f3")
        assert trail_of(app) == ("Home", "Enhancing", "outline.md")
        assert app.session.data.current_state.breadcrumb == ["Home", "Enhancing", "outline.md"]
        await pilot.press("ctrl+q")
    assert saved_state(project)["breadcrumb"] == ["Home", "Enhancing", "outline.md"]


async def test_keymap_from_preferences_overrides_keys(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    prefs = Preferences(project / ".session")
    prefs.set_keybinding("stage.scoring", "ctrl+g")
    prefs.save_sync()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("f5")
        assert app.stage_id == "creation", "the old key no longer switches"
        await pilot.press("ctrl+g")
        assert app.stage_id == "scoring"
        assert "^g Scoring" in str(app.query_one(StageBar).render())


async def test_unknown_binding_id_in_preferences_is_reported(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    prefs = Preferences(project / ".session")
    prefs.set_keybinding("stage.dreaming", "ctrl+g")
    prefs.save_sync()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        messages = [n.message for n in app._notifications]
        assert any("keybindings.stage.dreaming" in m and "no such binding" in m for m in messages)
        await pilot.press("f5")
        assert app.stage_id == "scoring", "the valid defaults still work"
