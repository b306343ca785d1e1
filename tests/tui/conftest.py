"""Shared helpers for the workspace tests: real projects, the real app, real sessions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from textual.command import CommandList, CommandPalette
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import TextArea
from textual.widgets.directory_tree import DirEntry
from textual.widgets.tree import TreeNode

from tests.patience import PATIENCE
from writers_factory.project import create_project
from writers_factory.tui.app import WritersFactoryApp

SIZE = (100, 30)
"""A fixed terminal size, so layouts (and snapshots) do not depend on the machine."""

ScreenT = TypeVar("ScreenT", bound=Screen[Any])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project made the way ``writers-factory new --sample`` makes one."""
    return create_project(tmp_path / "the-lighthouse", "The Lighthouse", sample=True)


@pytest.fixture
def user_themes(tmp_path: Path) -> Path:
    """An isolated folder for the writer's own themes (never the real ~/.config)."""
    return tmp_path / "config" / "writers-factory" / "themes"


@pytest.fixture
def make_app(project: Path, user_themes: Path) -> Callable[[], WritersFactoryApp]:
    """Build an app on ``project`` that loads its own Session and Preferences from disk."""

    def build() -> WritersFactoryApp:
        return WritersFactoryApp(project, user_themes=user_themes)

    return build


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], timeout: float = PATIENCE
) -> None:
    """Let the app run until ``condition()`` is true; fail with a clear message otherwise."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.02)


# A pushed screen becomes ``app.screen`` at once, but Textual composes it, lays it out and
# applies its focus later, in the screen's own task. Until then its widgets may not exist yet,
# have an empty region (Pilot.click aims at ``region.offset`` as it is when called: (0, 0), the
# backdrop) and nothing has the focus (typed keys go nowhere). So a test that waited only for
# ``isinstance(app.screen, X)`` clicks or types into the void now and then; these wait for the
# screen to be ready instead.


async def ready_screen(
    pilot: Pilot[Any],
    screen_type: type[ScreenT],
    *,
    focused: str | None = None,
    timeout: float = PATIENCE,
) -> ScreenT:
    """Wait until a ``screen_type`` is the active screen and laid out, and return it.

    With ``focused`` (a selector), also wait until the widget it matches has the focus: do
    that before typing into a freshly shown screen or pressing Enter on its focused button.
    """
    app = pilot.app

    def ready() -> bool:
        screen = app.screen
        if not isinstance(screen, screen_type) or not screen.region:
            return False  # not shown, or its compositor has not placed it yet
        if focused is None:
            return True
        return screen.focused is not None and screen.focused in screen.query(focused)

    await wait_until(pilot, ready, timeout)
    screen = app.screen
    assert isinstance(screen, screen_type)
    return screen


async def click_when_ready(
    pilot: Pilot[Any], selector: str, screen_type: type[Screen[Any]] = Screen
) -> None:
    """Click ``selector`` on the active ``screen_type`` once a writer could click it.

    That is: the screen is active, the widget is laid out (a non-empty region) and is what
    the screen finds at that spot (nothing covers it). A click that still misses fails here.
    """
    app = pilot.app
    target: list[Widget] = []

    def clickable() -> bool:
        screen = app.screen
        if not isinstance(screen, screen_type):
            return False
        found = screen.query(selector)
        if not found:
            return False
        widget = found.first()
        region = widget.region
        if not region:
            return False
        try:
            under, _ = screen.get_widget_at(*region.offset)
        except NoWidget:
            return False
        target[:] = [widget]
        return under is widget

    await wait_until(pilot, clickable)
    assert await pilot.click(target[0]), f"the click on {selector!r} landed on another widget"


async def palette_offers(pilot: Pilot[Any], text: str) -> None:
    """Wait until the command palette's search has highlighted an option containing ``text``
    (results arrive in batches after each key), so Enter picks that option."""
    app = pilot.app

    def offered() -> bool:
        screen = app.screen
        if not isinstance(screen, CommandPalette):
            return False
        lists = screen.query(CommandList)
        if not lists:
            return False
        commands = lists.first()
        index = commands.highlighted
        return index is not None and text in str(commands.get_option_at_index(index).prompt)

    await wait_until(pilot, offered)


async def started(pilot: Pilot[Any]) -> WritersFactoryApp:
    """Wait for start-up (session, themes, restore), the tree's first listing and its
    words (counted once start-up is over)."""
    app = pilot.app
    assert isinstance(app, WritersFactoryApp)
    await asyncio.wait_for(app.ready.wait(), PATIENCE)
    await wait_until(pilot, lambda: len(app.project_tree.root.children) > 0)
    await wait_until(pilot, lambda: not app.project_tree.revealing)  # the start's cursor placed
    await wait_until(pilot, lambda: not app.project_tree.counting)
    await pilot.pause()
    return app


def _child(node: TreeNode[DirEntry], wanted: Path) -> TreeNode[DirEntry] | None:
    for child in node.children:
        if child.data is not None and Path(child.data.path) == wanted:
            return child
    return None


async def select_in_tree(pilot: Pilot[Any], relative: str) -> None:
    """Move the tree cursor to ``relative`` (expanding folders on the way) and focus it.

    The path is walked from the root afresh on every look: a reload (the watcher's, after a
    file appears) replaces every folder node, so a node found before it never gets the
    new file and waiting on it would wait forever.
    """
    app = pilot.app
    assert isinstance(app, WritersFactoryApp)
    tree = app.project_tree
    tree.focus()
    parts = Path(relative).parts
    wanted = [app.project / Path(*parts[:count]) for count in range(1, len(parts) + 1)]

    def walk() -> TreeNode[DirEntry] | None:
        """The node of ``relative``, opening each folder on the way that is shut."""
        node: TreeNode[DirEntry] = tree.root
        for depth, path in enumerate(wanted):
            found = _child(node, path)
            if found is None:
                return None
            if depth < len(wanted) - 1 and not found.is_expanded:
                found.expand()
            node = found
        return node

    def placed() -> bool:
        """The cursor on the node, with no reload running. A reload notes the cursor's path
        when it starts and puts the cursor back there when it ends: a cursor moved in
        between (a file action's or the watcher's reload, late on a busy machine) went
        back to the node before, and the next key acted on that one."""
        node = walk()
        if node is None or tree.relisting:
            return False
        if tree.cursor_node is not node:
            tree.move_cursor(node)
            return False
        return True

    await wait_until(pilot, placed)
    await pilot.pause()
    await wait_until(pilot, placed)


def editor_text(app: WritersFactoryApp) -> str:
    area = app.editor.active
    assert area is not None, "no file is open"
    assert isinstance(area, TextArea)
    return area.text
