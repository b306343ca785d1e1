"""Snapshots of the find bar (matches marked, the count) and of the project search's
replace preview, at the fixed terminal size of the other snapshots."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import SIZE, ready_screen, started, wait_until
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.project_search import ProjectSearchScreen
from writers_factory.tui.widgets.status_bar import StatusBar

FROZEN = datetime(2026, 1, 1, tzinfo=UTC)


async def _quiet(pilot: Pilot[Any]) -> WritersFactoryApp:
    app = await started(pilot)
    bar = app.query_one(StatusBar)
    bar.clock = lambda: FROZEN
    bar.mark_saved(FROZEN)
    return app


def test_find_bar(
    snap_compare: Callable[..., bool], make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    async def prepare(pilot: Pilot[Any]) -> None:
        app = await _quiet(pilot)
        await app.open_path(project / "manuscript" / "chapter-01.md")
        area = app.editor.active
        assert area is not None
        area.cursor_blink = False
        area.move_cursor((0, 0))
        await pilot.press("ctrl+f")
        bar = app.editor.find_bar
        await pilot.press(*"the")
        await wait_until(pilot, lambda: bar.settled and bar.count_text == "1 of 3")
        await pilot.press("down")
        bar.query_one("#replace-input", Input).value = "a"
        bar.query_one("#find-input", Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=prepare)


def test_project_search_preview(
    snap_compare: Callable[..., bool], make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    async def prepare(pilot: Pilot[Any]) -> None:
        await _quiet(pilot)
        await pilot.press("alt+f")
        screen = await ready_screen(pilot, ProjectSearchScreen, focused="#ps-find")
        await pilot.press(*"the")
        replace = screen.query_one("#ps-replace", Input)
        replace.value = "THE"
        replace.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.done == 1 and screen.results is not None)
        await pilot.press("down", "down", "space")  # one line of chapter 1 unticked
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=prepare)
