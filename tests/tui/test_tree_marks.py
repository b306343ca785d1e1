"""Marks in the project tree for files changed outside the app during this session.

The real app, the real observer and real files: another program writes a new file and
rewrites an existing one, and the tree's labels gain "+" and "●"; a chapter the app saved
itself stays unmarked, because the app's own saves are not outside changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from rich.style import Style
from textual.pilot import Pilot

from tests.tui.conftest import PATIENCE, SIZE, select_in_tree, started, wait_until
from writers_factory.store.session.models import FileChangeRecord
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.project_tree import session_marks

CHAPTER = "manuscript/chapter-01.md"
NEW = "manuscript/chapter-02.md"
OUTLINE = "planning/outline.md"
WAIT = PATIENCE
"""Generous: the observer, the debounce and a loaded machine all take their time."""


async def label_of(pilot: Pilot[Any], relative: str) -> str:
    """The label the tree draws for ``relative``, without the file icon."""
    app = pilot.app
    assert isinstance(app, WritersFactoryApp)
    await select_in_tree(pilot, relative)
    tree = app.project_tree
    node = tree.cursor_node
    assert node is not None and node.data is not None
    assert Path(node.data.path) == app.project / relative
    label = tree.render_label(node, Style(), Style()).plain
    assert label.startswith(tree.ICON_FILE)
    return label.removeprefix(tree.ICON_FILE)


async def test_outside_changes_are_marked_and_the_apps_own_save_is_not(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.project_watch.running
        # nothing changed: no mark, only the chapter's words
        assert await label_of(pilot, CHAPTER) == "chapter-01.md 42"
        # the app saves the open chapter itself
        await app.open_path(project / CHAPTER)
        area = app.editor.find(Path(CHAPTER))
        assert area is not None
        area.insert("The keeper wrote. ")
        await wait_until(pilot, lambda: area.dirty)
        assert app.saving is not None
        report = await app.saving.save_all()
        assert report.ok and report.saved == [project / CHAPTER]
        # another program creates one file and rewrites another
        (project / NEW).write_text("# Two\n\nThe storm.\n")
        (project / OUTLINE).write_text("# Outline\n\nRewritten elsewhere.\n")

        def marked() -> bool:
            return app.project_tree.marks.get(NEW) == "+" and (
                app.project_tree.marks.get(OUTLINE) == "●"
            )

        await wait_until(pilot, marked, WAIT)
        assert await label_of(pilot, NEW) == "chapter-02.md + 3"
        assert await label_of(pilot, OUTLINE) == "outline.md ●"
        # the app's own save: no mark; its words are counted again after the save
        await wait_until(pilot, lambda: app.project_tree.counts.shown(project / CHAPTER) == 45)
        assert await label_of(pilot, CHAPTER) == "chapter-01.md 45"
        assert await label_of(pilot, "reference/setting.md") == "setting.md"
        await pilot.press("ctrl+q")


def test_marks_follow_moves_and_deletes_and_ignore_earlier_sessions() -> None:
    start = FileChangeRecord(path="x", kind="created").at
    before = start - timedelta(minutes=5)
    records = [
        FileChangeRecord(path="old.md", kind="modified", at=before),
        FileChangeRecord(path="a.md", kind="created", at=start),
        FileChangeRecord(path="a.md", kind="modified", at=start),
        FileChangeRecord(path="b.md", kind="modified", at=start),
        FileChangeRecord(path="b.md", kind="moved", dest="c.md", at=start),
        FileChangeRecord(path="d.md", kind="modified", at=start),
        FileChangeRecord(path="d.md", kind="deleted", at=start),
    ]
    assert session_marks(records, start) == {"a.md": "+", "c.md": "→"}


async def test_a_save_relabels_the_tree_without_rebuilding_its_lines(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """After every auto-save the saved chapter's count is drawn again; measuring every label
    of a novel's tree to rebuild its lines took tens of milliseconds on the loop each time."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        tree = app.project_tree
        assert await label_of(pilot, CHAPTER) == "chapter-01.md 42"
        await app.open_path(project / CHAPTER)
        area = app.editor.find(Path(CHAPTER))
        assert area is not None
        await pilot.pause()
        builds, width = tree.builds, tree.virtual_size.width
        area.insert("The keeper wrote a great deal more. ")
        await wait_until(pilot, lambda: area.dirty)
        assert app.saving is not None
        assert (await app.saving.save_all()).ok
        await wait_until(pilot, lambda: tree.counts.shown(project / CHAPTER) == 49)
        await pilot.pause()
        node = tree.cursor_node
        assert node is not None
        drawn = tree.render_line(node.line - int(tree.scroll_offset.y)).text
        assert "chapter-01.md 49" in drawn
        assert tree.builds == builds
        assert tree.virtual_size.width >= width
        await pilot.press("ctrl+q")
