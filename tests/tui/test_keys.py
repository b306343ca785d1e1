"""Keys in the editor: the app's bindings win, document start/end, focus after a relaunch."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.actions import ActionParseResult
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.events import DescendantFocus
from textual.pilot import Pilot
from textual.widgets.text_area import Selection

from tests.tui.conftest import SIZE, select_in_tree, started, wait_until
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.bible_ask import BibleAskScreen
from writers_factory.tui.screens.model_picker import ModelPickerScreen
from writers_factory.tui.screens.statistics import StatisticsScreen
from writers_factory.tui.widgets.editor import BufferArea

CHAPTER = Path("manuscript/chapter-01.md")


def reopen_chapter(project: Path, line: int = 2, col: int = 3) -> None:
    """Leave a session that had the chapter open in the editor at ``(line, col)``."""
    session = Session(project)
    session.open_file(CHAPTER.as_posix(), line, col)
    session.set_screen("editor")
    session.close_sync()


async def editor_focused(app: WritersFactoryApp, pilot: Pilot[Any]) -> BufferArea:
    await started(pilot)
    area = app.editor.active
    assert area is not None and area.path == CHAPTER
    area.focus()
    await wait_until(pilot, lambda: app.focused is area)
    return area


class SpyApp(WritersFactoryApp):
    """Records every action a key runs; the app's own actions are recorded, not run."""

    def __init__(self, project: Path, user_themes: Path) -> None:
        super().__init__(project, user_themes=user_themes)
        self.actions: list[tuple[str, str]] = []

    async def run_action(
        self, action: str | ActionParseResult, default_namespace: DOMNode | None = None
    ) -> bool:
        name = action if isinstance(action, str) else action[0]
        where = default_namespace if default_namespace is not None else self
        self.actions.append((name, type(where).__name__))
        if where is self:
            return True  # handled: no screen opens, nothing quits
        return await super().run_action(action, default_namespace)


class FocusLog(WritersFactoryApp):
    """Records the id of every widget that gets the focus."""

    def __init__(self, project: Path, user_themes: Path) -> None:
        super().__init__(project, user_themes=user_themes)
        self.focused_ids: list[str | None] = []

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.focused_ids.append(event.widget.id)
        super().on_descendant_focus(event)


async def test_every_app_binding_acts_from_the_editor_and_the_editor_does_nothing(
    project: Path, user_themes: Path
) -> None:
    reopen_chapter(project)
    app = SpyApp(project, user_themes)
    async with app.run_test(size=SIZE) as pilot:
        area = await editor_focused(app, pilot)
        text, selection = area.text, area.selection
        bindings = [b for b in WritersFactoryApp.BINDINGS if isinstance(b, Binding) and b.id]
        assert {"ai.models", "ai.bible", "ai.analysis", "statistics"} <= {b.id for b in bindings}
        # a key bound twice (escape: leave focus mode, close an AI message) runs the first
        # binding whose action is allowed: the spy runs none and allows all, so the first
        first: dict[str, str] = {}
        for binding in bindings:
            for key in binding.key.split(","):
                first.setdefault(key, binding.action)
        for binding in bindings:
            for key in binding.key.split(","):
                app.actions.clear()
                await pilot.press(key)
                assert app.actions == [(first[key], "SpyApp")], f"{key} ({binding.id})"
                assert (area.text, area.selection) == (text, selection), f"{key} ({binding.id})"
                assert app.focused is area


async def test_f7_asks_the_bible_and_typing_there_leaves_the_chapter_alone(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    reopen_chapter(project)
    original = (project / CHAPTER).read_text(encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        area = await editor_focused(app, pilot)
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, BibleAskScreen))
        assert area.selected_text == ""
        stack = list(app.screen_stack)
        await pilot.press("f7", "f6", "f9", "f10")  # over the question they reach the question
        await pilot.pause(0.2)
        assert app.screen_stack == stack
        await pilot.press(*"lighthouse keeper")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, BibleAskScreen))
        assert area.text == original
        assert not area.dirty
        await wait_until(pilot, lambda: app.focused is area)


async def test_f6_picks_models_and_selects_nothing_in_the_chapter(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    reopen_chapter(project, 2, 3)
    original = (project / CHAPTER).read_text(encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        area = await editor_focused(app, pilot)
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        assert area.selection == Selection.cursor((2, 3))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ModelPickerScreen))
        await wait_until(pilot, lambda: app.focused is area)
        await pilot.press("x")
        lines = original.split("\n")
        lines[2] = lines[2][:3] + "x" + lines[2][3:]
        assert area.text == "\n".join(lines)


async def test_ctrl_home_and_end_go_to_the_start_and_end_of_the_document(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    reopen_chapter(project, 2, 3)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        area = await editor_focused(app, pilot)
        end = area.document.end
        assert end[0] > 2
        await pilot.press("ctrl+end")
        assert area.selection == Selection.cursor(end)
        await pilot.press("ctrl+home")
        assert area.selection == Selection.cursor((0, 0))
        area.move_cursor((2, 3))
        await pilot.press("ctrl+shift+end")
        assert area.selection == Selection((2, 3), end)
        area.move_cursor((2, 3))
        await pilot.press("ctrl+shift+home")
        assert area.selection == Selection((2, 3), (0, 0))
        assert area.text == (project / CHAPTER).read_text(encoding="utf-8")


async def test_ctrl_a_selects_the_whole_chapter_and_undo_brings_it_back(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    reopen_chapter(project, 2, 3)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        area = await editor_focused(app, pilot)
        original = area.text
        await pilot.press("ctrl+a")
        assert area.selection == Selection((0, 0), area.document.end)
        await pilot.press("Z")
        assert area.text == "Z"
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: area.text == original)
        await wait_until(pilot, lambda: not area.doc.dirty)


async def test_after_a_relaunch_the_first_keys_land_in_the_chapter_at_the_saved_cursor(
    make_app: Callable[[], WritersFactoryApp], project: Path, user_themes: Path
) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, CHAPTER.as_posix())
        await pilot.press("enter")
        await wait_until(pilot, lambda: first.editor.active is not None)
        await pilot.press("down", "down", "down", "down")
        assert first.editor.active is not None
        assert first.editor.active.cursor_location == (4, 0)
        await pilot.press("ctrl+q")
    original = (project / CHAPTER).read_text(encoding="utf-8")

    second = FocusLog(project, user_themes)
    async with second.run_test(size=SIZE) as pilot:
        # Type the moment the chapter's tab exists, as a writer who knows where the
        # cursor will be: nothing typed may go to the tree or be dropped.
        deadline = asyncio.get_running_loop().time() + 15
        while not second.query(BufferArea):  # no pause: the restore is still under way
            assert asyncio.get_running_loop().time() < deadline, "the chapter never opened"
            await asyncio.sleep(0)
        await pilot.press(*"Keep ")
        await started(pilot)
        area = second.editor.active
        assert area is not None and area.path == CHAPTER
        await wait_until(pilot, lambda: "Keep " in area.text)
        assert second.focused is area
        lines = original.split("\n")
        lines[4] = "Keep " + lines[4]
        assert area.text == "\n".join(lines)
        assert area.cursor_location == (4, 5)
        assert second.session.data.current_state.screen == "editor"
        assert second.focused_ids == [area.id], "only the editor had the focus"


async def test_the_palette_still_runs_what_the_keys_run(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """The palette closes before its command runs: the keys' modal check never stops it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Writing statistics")
        await wait_until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StatisticsScreen))
