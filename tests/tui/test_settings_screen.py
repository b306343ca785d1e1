"""The settings dialog in the real app: reached by key and palette, each value with where it
comes from, a change kept for this project or for all the writer's projects, a refused value
named with what was typed kept; and its picture at 80×24."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label

from tests.tui.conftest import (
    click_when_ready,
    palette_offers,
    ready_screen,
    started,
    wait_until,
)
from writers_factory.store import Preferences
from writers_factory.store.preferences.author_setting import settings_path
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.settings import SettingsScreen


def row(screen: SettingsScreen, key: str) -> list[str]:
    table: DataTable[str] = screen.query_one(DataTable)
    return [str(cell) for cell in table.get_row(key)]


async def choose(pilot: Pilot[Any], screen: SettingsScreen, key: str) -> None:
    """Move the table's cursor to ``key`` with the arrow keys, as a writer would."""
    table: DataTable[str] = screen.query_one(DataTable)
    table.focus()
    target = table.get_row_index(key)
    while table.cursor_row != target:
        await pilot.press("down" if table.cursor_row < target else "up")
    await wait_until(pilot, lambda: screen.key == key)


async def type_value(pilot: Pilot[Any], screen: SettingsScreen, text: str) -> None:
    box = screen.query_one("#settings-value", Input)
    await pilot.press("enter")  # from the table: on to the value
    await wait_until(pilot, lambda: screen.focused is box)
    box.value = text
    await pilot.press("enter")  # from the value: on to the choice of where to keep it
    await wait_until(pilot, lambda: screen.focused is screen.query_one("#save-project"))


async def test_a_change_kept_for_this_project_and_for_all_projects(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    user_file = settings_path()
    user_file.parent.mkdir(parents=True)
    user_file.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "budget": {"daily_limit": "4"},
                "theme": "textual-light",
                "keybindings": {"no.such.binding": "f2"},
            }
        )
    )
    prefs_file = project / ".session" / "preferences.json"
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await started(pilot)
        assert app.theme == "textual-light"  # the writer's theme reaches the project
        messages = [n.message for n in app._notifications]
        assert any(
            m.startswith("settings.json: field 'keybindings.no.such.binding'") for m in messages
        ), messages
        await pilot.press("f12")
        screen = await ready_screen(pilot, SettingsScreen, focused="#settings-table")
        files = str(screen.query_one("#settings-files").render())
        assert str(prefs_file) in files and str(user_file) in files
        assert row(screen, "budget.daily_limit") == ["budget.daily_limit", "4", "all projects"]
        assert row(screen, "theme") == ["theme", "textual-light", "all projects"]

        # this project: the budget here is 9, the user settings keep 4
        await choose(pilot, screen, "budget.daily_limit")
        await type_value(pilot, screen, "9.50")
        await pilot.press("enter")  # "This project"
        screen = await ready_screen(pilot, SettingsScreen)
        await wait_until(pilot, lambda: screen.key == "budget.daily_limit")
        assert row(screen, "budget.daily_limit")[1:] == ["9.50", "this project"]
        assert json.loads(prefs_file.read_text())["budget"] == {"daily_limit": "9.50"}
        assert json.loads(user_file.read_text())["budget"] == {"daily_limit": "4"}

        # reset: the project follows the user settings again
        await click_when_ready(pilot, "#reset", SettingsScreen)
        screen = await ready_screen(pilot, SettingsScreen)
        await wait_until(pilot, lambda: row(screen, "budget.daily_limit")[2] == "all projects")
        assert row(screen, "budget.daily_limit")[1] == "4"
        assert "budget" not in json.loads(prefs_file.read_text())

        # all my projects: the theme goes to the user settings and shows at once
        await choose(pilot, screen, "theme")
        await type_value(pilot, screen, "nord")
        await click_when_ready(pilot, "#save-user", SettingsScreen)
        screen = await ready_screen(pilot, SettingsScreen)
        await wait_until(pilot, lambda: row(screen, "theme")[1] == "nord")
        assert row(screen, "theme")[2] == "all projects"
        assert json.loads(user_file.read_text())["theme"] == "nord"
        assert "theme" not in json.loads(prefs_file.read_text())
        assert app.theme == "nord"

        # a refused value: named with its file and field, what was typed kept
        await choose(pilot, screen, "budget.warn_at")
        await type_value(pilot, screen, "8")
        await pilot.press("enter")
        screen = await ready_screen(pilot, SettingsScreen, focused="#settings-value")
        message = str(screen.query_one("#settings-error", Label).content)
        assert str(prefs_file) in message and "budget.warn_at" in message
        assert "less than or equal to 1" in message
        assert screen.query_one("#settings-value", Input).value == "8"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, SettingsScreen))

        # from the palette too
        await pilot.press("ctrl+p")
        await pilot.press(*"Settings")
        await palette_offers(pilot, "Settings")
        await pilot.press("enter")
        await ready_screen(pilot, SettingsScreen, focused="#settings-table")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, SettingsScreen))
    saved = Preferences(project / ".session")
    assert saved.data.budget.warn_at == 0.8 and saved.source("budget.warn_at") == "default"


def test_settings_screen_snapshot(
    snap_compare: Callable[..., bool],
    make_app: Callable[[], WritersFactoryApp],
) -> None:
    user_file = settings_path()
    user_file.parent.mkdir(parents=True)
    user_file.write_text(json.dumps({"schema_version": 1, "author": "Ann Writer"}))

    async def prepare(pilot: Pilot[Any]) -> None:
        app = await started(pilot)
        app.clear_notifications()
        await pilot.press("f12")
        screen = await ready_screen(pilot, SettingsScreen, focused="#settings-table")
        screen.query_one("#settings-files").update("This project: …\nAll my projects: …")
        screen.query_one("#settings-value", Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=prepare)
