"""The tree in reading order: natural sort, parts, word counts, moves that persist, compile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input
from textual.widgets.directory_tree import DirEntry
from textual.widgets.tree import TreeNode

from tests.tui.conftest import (
    SIZE,
    palette_offers,
    ready_screen,
    select_in_tree,
    started,
    wait_until,
)
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.file_modals import NameModal


def notes(app: WritersFactoryApp) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def no_outside_change_named(pilot: Pilot[Any], app: WritersFactoryApp, name: str) -> None:
    """The app's own write of ``name`` is not reported as a change made outside: another
    program's change made after it is reported, and the watcher delivers in order."""
    (app.project / "reference" / "barrier.md").write_text(f"after {name}\n")
    await wait_until(pilot, lambda: "barrier.md" in notes(app))
    outside = [n.message for n in app._notifications if "outside" in n.title]
    assert outside and not [message for message in outside if name in message]
    (app.project / "reference" / "barrier.md").unlink()


def make_book(project: Path) -> None:
    folder = project / "manuscript"
    (folder / "chapter-01.md").unlink()
    for name, words in (("chapter-1.md", 3), ("chapter-10.md", 10), ("chapter-2.md", 2)):
        (folder / name).write_text(f"# {name}\n\n" + " ".join(["word"] * words) + "\n")
    (folder / "part-two").mkdir()
    (folder / "part-two" / "scene-a.md").write_text("one two three four\n")
    (folder / "part-two" / "scene-b.md").write_text("five\n")
    (folder / "notes.png").write_bytes(b"not a chapter")


def manuscript_node(app: WritersFactoryApp) -> TreeNode[DirEntry]:
    for node in app.project_tree.root.children:
        if node.data is not None and Path(node.data.path).name == "manuscript":
            return node
    raise AssertionError("no manuscript/ in the tree")


def listed(app: WritersFactoryApp) -> list[str]:
    """The labels under manuscript/, as the writer reads them (names and word counts)."""
    tree = app.project_tree
    out: list[str] = []
    for node in manuscript_node(app).children:
        out.append(tree.render_label(node, tree.rich_style, tree.rich_style).plain.split(" ", 1)[1])
    return out


async def open_manuscript(pilot: Pilot[Any], app: WritersFactoryApp, entries: int = 5) -> None:
    await select_in_tree(pilot, "manuscript/chapter-1.md")
    await wait_until(pilot, lambda: len(manuscript_node(app).children) == entries)


async def test_natural_order_counts_and_moves_that_survive_a_restart(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    make_book(project)
    order = project / "manuscript" / "order.toml"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_manuscript(pilot, app)
        assert listed(app) == [
            "chapter-1.md 5",  # the heading's words count too
            "chapter-2.md 4",
            "chapter-10.md 12",
            "part-two 5",
            "notes.png",
        ]
        await select_in_tree(pilot, "manuscript/chapter-10.md")
        await pilot.press("alt+up")
        await wait_until(pilot, order.exists)
        await wait_until(pilot, lambda: listed(app)[1] == "chapter-10.md 12")
        assert listed(app)[:3] == ["chapter-1.md 5", "chapter-10.md 12", "chapter-2.md 4"]
        node = app.project_tree.cursor_node
        assert node is not None and node.data is not None
        assert Path(node.data.path).name == "chapter-10.md", "the cursor follows the chapter"
        await no_outside_change_named(pilot, app, "order.toml")
        await select_in_tree(pilot, "manuscript/part-two")
        await pilot.press("alt+up", "alt+up", "alt+up")
        await wait_until(pilot, lambda: listed(app)[0] == "part-two 5")
        await pilot.press("alt+up")  # already first: nothing changes, the writer is told
        await wait_until(pilot, lambda: "already first" in notes(app))
        await select_in_tree(pilot, "manuscript/part-two/scene-b.md")
        await pilot.press("alt+up")
        await wait_until(
            pilot, lambda: '"part-two/scene-b.md",\n    "part-two/scene-a.md"' in order.read_text()
        )
        # the open chapter moves from the palette too
        await select_in_tree(pilot, "manuscript/chapter-1.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.editor.active is not None)
        await pilot.press("ctrl+p")
        await ready_screen(pilot, CommandPalette, focused="CommandInput")
        await pilot.press(*"Move chapter down")
        await palette_offers(pilot, "Move chapter down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: listed(app)[1:3] == ["chapter-10.md 12", "chapter-1.md 5"])
        # a save counts the chapter's words again
        area = app.editor.active
        assert area is not None
        area.insert("more words here ")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "chapter-1.md 8" in listed(app))
        # renaming a chapter in the app keeps its place in the order
        await select_in_tree(pilot, "manuscript/chapter-2.md")
        await pilot.press("ctrl+r")
        await ready_screen(pilot, NameModal, focused="Input")
        app.screen.query_one(Input).value = "the-ball.md"
        await pilot.press("enter")
        await wait_until(pilot, lambda: '"the-ball.md"' in order.read_text())
        # (its label may also carry the session's change mark between name and count)
        await wait_until(
            pilot,
            lambda: listed(app)[3].startswith("the-ball.md") and listed(app)[3].endswith(" 4"),
        )
    text = order.read_text()
    assert "chapter-2.md" not in text
    assert text.index('"part-two/"') < text.index('"chapter-10.md"') < text.index('"chapter-1.md"')

    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_manuscript(pilot, again, entries=6)
        assert listed(again) == [
            "part-two 5",
            "chapter-10.md 12",
            "chapter-1.md 8",
            "the-ball.md 4",
            "notes.png",
            "order.toml",  # the order is the writer's to read and edit: it is shown
        ]


async def test_compile_from_the_palette(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    (project / "manuscript" / "order.toml").write_text(
        'schema_version = 1\norder = ["../../outside.md", "gone.md", "chapter-01.md"]\n'
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        # a hostile line of the order file is named at once; a stale one by the compile
        await wait_until(pilot, lambda: "outside.md" in notes(app))
        assert "'../../outside.md' leads outside the manuscript" in notes(app)
        # unsaved text is saved first: the compiled book has the last sentence typed
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.editor.active is not None)
        area = app.editor.active
        assert area is not None
        area.insert("Typed just now. ")
        await wait_until(pilot, lambda: area.dirty)
        await pilot.press("ctrl+p")
        await ready_screen(pilot, CommandPalette, focused="CommandInput")
        await pilot.press(*"Compile manuscript: Markdown")
        await palette_offers(pilot, "Compile manuscript: Markdown")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.compiling.last is not None)
        outcome = app.compiling.last
        assert outcome is not None and outcome.path is not None
        assert outcome.path.parent == project / "output"
        text = outcome.path.read_text(encoding="utf-8")
        assert text.startswith("# The Lighthouse\n") and "## Chapter 1" in text
        assert "Typed just now." in text and not area.dirty
        assert any("'gone.md' names no chapter" in p for p in outcome.problems)
        await wait_until(pilot, lambda: "Compiled" in notes(app))
        await no_outside_change_named(pilot, app, "the-lighthouse.md")
