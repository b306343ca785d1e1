"""Shared helpers for the workspace tests: real projects, the real app, real sessions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea
from textual.widgets.directory_tree import DirEntry
from textual.widgets.tree import TreeNode

from writers_factory.project import create_project
from writers_factory.tui.app import WritersFactoryApp

SIZE = (100, 30)
"""A fixed terminal size, so layouts (and snapshots) do not depend on the machine."""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project made the way ``writers-factory new`` makes one."""
    return create_project(tmp_path / "the-lighthouse", "The Lighthouse")


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
    pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 10
) -> None:
    """Let the app run until ``condition()`` is true; fail with a clear message otherwise."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.02)


async def started(pilot: Pilot[Any]) -> WritersFactoryApp:
    """Wait for start-up (session, themes, restore) and the tree's first listing."""
    app = pilot.app
    assert isinstance(app, WritersFactoryApp)
    await asyncio.wait_for(app.ready.wait(), 10)
    await wait_until(pilot, lambda: len(app.project_tree.root.children) > 0)
    await pilot.pause()
    return app


def _child(node: TreeNode[DirEntry], wanted: Path) -> TreeNode[DirEntry] | None:
    for child in node.children:
        if child.data is not None and Path(child.data.path) == wanted:
            return child
    return None


async def select_in_tree(pilot: Pilot[Any], relative: str) -> None:
    """Move the tree cursor to ``relative`` (expanding folders on the way) and focus it."""
    app = pilot.app
    assert isinstance(app, WritersFactoryApp)
    tree = app.project_tree
    tree.focus()
    node = tree.root
    parts = Path(relative).parts
    for count in range(1, len(parts) + 1):
        wanted = app.project / Path(*parts[:count])
        parent = node

        def listed(parent: TreeNode[DirEntry] = parent, wanted: Path = wanted) -> bool:
            return _child(parent, wanted) is not None

        await wait_until(pilot, listed)
        found = _child(parent, wanted)
        assert found is not None
        node = found
        if count < len(parts) and not node.is_expanded:
            node.expand()
    tree.move_cursor(node)
    await pilot.pause()


def editor_text(app: WritersFactoryApp) -> str:
    area = app.editor.active
    assert area is not None, "no file is open"
    assert isinstance(area, TextArea)
    return area.text
