"""Containers covered by what they hold are not drawn (``app.tcss``), and everything else is.

Textual draws every widget's lines, a container's under its children too: the workspace row,
the editor, its tabs' switcher and panes drew about 40 blank lines each at every full paint,
kept as strips. Hidden, they draw nothing, while their children are seen, resized, focused
and typed into as before; the screens themselves are compared by the snapshot tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import ContentSwitcher, TabbedContent, TabPane

from tests.tui.conftest import SIZE, started, wait_until
from tests.tui.test_saving import open_chapter
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.editor import Editor
from writers_factory.tui.widgets.project_tree import ProjectTree
from writers_factory.tui.widgets.status_bar import StatusBar

COVERED = (Horizontal, Editor, TabbedContent, ContentSwitcher, TabPane)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Counter[Widget]:
    """Lines drawn, per widget."""
    lines: Counter[Widget] = Counter()
    original = Widget.render_lines

    def counting(self: Widget, crop: Any) -> Any:
        strips = original(self, crop)
        lines[self] += len(strips)
        return strips

    monkeypatch.setattr(Widget, "render_lines", counting)
    return lines


async def test_covered_containers_draw_nothing_and_what_they_hold_is_drawn(
    make_app: Callable[[], WritersFactoryApp], project: Path, drawn: Counter[Widget]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        await wait_until(pilot, lambda: drawn[area] > 0)
        screen = app.workspace_screen
        assert screen is not None
        row = screen.query_one("#workspace", Horizontal)
        covered = [row, app.editor, *app.editor.query(TabbedContent)]
        covered += [*app.editor.query(ContentSwitcher), *app.editor.query(TabPane)]
        assert len(covered) >= 5
        assert {w: drawn[w] for w in covered} == dict.fromkeys(covered, 0)
        tree, status = screen.query_one(ProjectTree), screen.query_one(StatusBar)
        assert drawn[tree] > 0 and drawn[status] > 0
        for widget in (tree, area, status):
            assert widget.visible and widget.region.width > 0, widget
        assert area.region.right == SIZE[0]  # the editor's whole width: nothing shows through


async def test_what_a_hidden_container_holds_is_resized_focused_and_typed_into(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        await wait_until(pilot, lambda: area.has_focus and area.size.width > 0)
        wide, tall = area.size
        await pilot.resize_terminal(SIZE[0] - 20, SIZE[1] - 6)
        await wait_until(pilot, lambda: area.size == (wide - 20, tall - 6))
        before = area.text
        await pilot.press("Z", "z")
        await wait_until(pilot, lambda: area.text != before)
        assert "Zz" in area.text
        assert area in app.screen.focus_chain
        assert app.project_tree in app.screen.focus_chain
