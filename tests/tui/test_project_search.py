"""Find and replace across the project in the real app, on real files.

The issue's "done when": Pride and Prejudice in its 61 chapters, a character renamed
everywhere (one line left out by unticking it), checked file by file; the open chapter
with unsaved typing takes the change as an edit ctrl+z undoes, and loses nothing; the book was
kept first as a snapshot; "Undo" brings every file back — except one changed since, which
is named and left alone — and is checked file by file again.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Tree

from tests.tui.conftest import SIZE, ready_screen, started, wait_until
from tests.tui.test_saving import open_chapter
from writers_factory.demo.corpus import chapters, default_folders, find_novel
from writers_factory.project import create_project
from writers_factory.store.snapshots.reading import file_text, walk
from writers_factory.store.snapshots.repository import SnapshotRepository
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.project_search import ProjectSearchScreen

NAME = re.compile(r"\bElizabeth\b")
NEW = "Eliza"
OPEN = "manuscript/chapter-01.md"


@pytest.fixture(scope="module")
def pride_and_prejudice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The novel cut into its 61 chapters, built once for this module (copied per test)."""
    novel = find_novel(default_folders())
    assert novel.source is not None, "the corpus (pride_and_prejudice.txt) is needed here"
    project = create_project(tmp_path_factory.mktemp("pp") / "pride", "Pride and Prejudice")
    for old in (project / "manuscript").iterdir():
        old.unlink()
    found = chapters(novel.text, 100)
    assert len(found) == 61
    for number, body in enumerate(found, start=1):
        (project / "manuscript" / f"chapter-{number:02d}.md").write_text(body, encoding="utf-8")
    return project


@pytest.fixture
def book(pride_and_prejudice: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "pride"
    shutil.copytree(pride_and_prejudice, copy)
    yield copy


def texts(project: Path) -> dict[str, str]:
    return {
        p.relative_to(project).as_posix(): p.read_text(encoding="utf-8")
        for part in ("manuscript", "reference", "planning")
        for p in sorted((project / part).rglob("*"))
        if p.is_file()
    }


async def search(pilot: Pilot[Any], screen: ProjectSearchScreen, field: str, key: str) -> None:
    done = screen.done
    screen.query_one(field, Input).focus()
    await pilot.press(key)
    await wait_until(pilot, lambda: screen.done > done)


async def test_rename_a_character_across_61_chapters_then_undo(
    make_app: Callable[[], WritersFactoryApp], book: Path, user_themes: Path
) -> None:
    before = texts(book)
    with_name = {path for path, text in before.items() if NAME.search(text)}
    assert len(with_name) > 50
    app = WritersFactoryApp(book, user_themes=user_themes)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        # chapter 1 is open with unsaved typing at its end
        area = await open_chapter(pilot, "manuscript/chapter-01.md")
        await pilot.press(*" Elizabeth smiled.")
        typed = before["manuscript/chapter-01.md"].removesuffix("\n") + "\n Elizabeth smiled."
        assert area.text.rstrip("\n") == typed.rstrip("\n") and area.dirty
        shown_before = area.text

        await pilot.press("alt+f")
        screen = await ready_screen(pilot, ProjectSearchScreen, focused="#ps-find")
        await pilot.press(*"elizabeth")
        screen.query_one("#ps-word", Checkbox).value = True
        await search(pilot, screen, "#ps-find", "enter")
        results = screen.results
        assert results is not None and results.replacement is None
        assert {f.path for f in results.files} == with_name | {"manuscript/chapter-01.md"}
        for found in results.files:  # grouped by file, every match counted
            text = area.text if found.open_in_editor else before[found.path]
            assert found.count == len(NAME.findall(text)), found.path

        # the preview: every line before and after; one line of chapter 2 unticked
        screen.query_one("#ps-replace", Input).value = NEW
        await search(pilot, screen, "#ps-replace", "enter")
        results = screen.results
        assert results is not None and results.replacement == NEW
        partly = next(f for f in results.files if len(f.hits) > 1 and not f.open_in_editor)
        kept_line = partly.hits[0]
        assert kept_line.after == NAME.sub(NEW, kept_line.text)
        tree: Tree[Any] = screen.query_one("#ps-results", Tree)
        tree.focus()
        node = next(
            leaf
            for file_node in tree.root.children
            for leaf in file_node.children
            if leaf.data == (partly.path, kept_line.line)
        )
        tree.move_cursor(node)
        await pilot.press("space")
        assert screen.unticked == {(partly.path, kept_line.line)}

        done = screen.done
        await pilot.press("alt+a")
        await wait_until(pilot, lambda: screen.done > done)
        outcome = screen.outcome
        assert outcome is not None and outcome.left == []
        assert outcome.files == len(with_name | {"manuscript/chapter-01.md"})

        # file by file: closed chapters written, the unticked line kept, others untouched
        after = texts(book)
        for path, text in before.items():
            if path == OPEN:  # the change is in its buffer (auto-save may have written it)
                assert after[path] in (text, shown_before, NAME.sub(NEW, shown_before))
                continue
            lines = text.split("\n")
            expected = [
                line if path == partly.path and number == kept_line.line else NAME.sub(NEW, line)
                for number, line in enumerate(lines)
            ]
            assert after[path] == "\n".join(expected), path
        assert NAME.search(after[partly.path])
        # the open chapter: replaced in the buffer, the typing kept, one ctrl+z undoes it
        assert area.text == NAME.sub(NEW, shown_before) and area.text.endswith("Eliza smiled.")
        # the book was kept first, with the unsaved typing as it was on screen
        repo = SnapshotRepository(book / ".session")
        kept = next(info for info in walk(repo) if info.meta.trigger == "before-replace")
        assert (
            file_text(repo, kept.id, "manuscript/chapter-05.md")
            == before["manuscript/chapter-05.md"]
        )
        assert file_text(repo, kept.id, "manuscript/chapter-01.md") == shown_before
        repo.close()

        # a chapter changed after the replace is named by the undo and left as it is
        changed = next(
            p for p in sorted(with_name) if p not in (partly.path, "manuscript/chapter-01.md")
        )
        (book / changed).write_text(after[changed] + "\nA new line.\n", encoding="utf-8")
        done = screen.done
        await pilot.press("alt+u")
        await wait_until(pilot, lambda: screen.done > done)
        outcome = screen.outcome
        assert outcome is not None
        assert outcome.left == [f"{changed} (changed since the replace)"]
        undone = texts(book)
        for path, text in before.items():
            if path == changed:
                assert undone[path].endswith("A new line.\n")
            elif path == OPEN:
                assert undone[path] in (text, shown_before, NAME.sub(NEW, shown_before))
            else:
                assert undone[path] == text, path
        assert area.text == shown_before  # the typing is still there
        await pilot.press("escape")
        area.focus()
        await pilot.press("ctrl+y")  # the buffer's own history: redo the replace…
        assert area.text == NAME.sub(NEW, shown_before)
        await pilot.press("ctrl+z")  # …and undo it again: nothing typed is lost
        assert area.text == shown_before
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: (book / OPEN).read_text(encoding="utf-8") == shown_before)


async def test_results_open_the_file_at_the_match_and_a_bad_regex_is_said(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("alt+f")
        screen = await ready_screen(pilot, ProjectSearchScreen, focused="#ps-find")
        screen.query_one("#ps-regex", Checkbox).value = True
        await pilot.press(*"light(")
        await search(pilot, screen, "#ps-find", "enter")
        assert screen.status.startswith("Not a valid regular expression")
        assert screen.results is None and isinstance(app.screen, ProjectSearchScreen)

        screen.query_one("#ps-find", Input).value = "ship"
        await search(pilot, screen, "#ps-find", "enter")
        results = screen.results
        assert results is not None
        assert [f.path for f in results.files] == ["manuscript/chapter-01.md"]
        hit = results.files[0].hits[0]
        tree: Tree[Any] = screen.query_one("#ps-results", Tree)
        leaf = tree.root.children[0].children[0]
        tree.move_cursor(leaf)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: app.editor.active is not None and app.editor.active.selected_text == "ship",
        )
        area = app.editor.active
        assert area is not None and area.selection.start == (hit.line, hit.columns[0][0])
        assert area.path.as_posix() == "manuscript/chapter-01.md"
