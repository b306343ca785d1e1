"""The project tree: what it shows, opening files in tabs, new / rename / delete / restore."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Label

from tests.tui.conftest import (
    SIZE,
    click_when_ready,
    editor_text,
    palette_offers,
    ready_screen,
    select_in_tree,
    started,
    wait_until,
)
from writers_factory.store.manuscript import trash
from writers_factory.store.preferences.preferences import Preferences
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.file_modals import ConfirmModal, NameModal


def shown_paths(app: WritersFactoryApp) -> set[str]:
    """Every path the tree currently lists, project-relative."""
    found: set[str] = set()
    stack = list(app.project_tree.root.children)
    while stack:
        node = stack.pop()
        if node.data is not None:
            found.add(Path(node.data.path).relative_to(app.project).as_posix())
        stack.extend(node.children)
    return found


def active_path(app: WritersFactoryApp) -> Path | None:
    area = app.editor.active
    return area.path if area is not None else None


async def test_tree_lists_only_the_writers_folders(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    (project / "manuscript" / ".chapter-01.md.swp").write_text("swap")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert (project / ".session").is_dir()
        await wait_until(pilot, lambda: cursor_path(app) is not None)  # manuscript/ opened
        assert shown_paths(app) == {
            "manuscript",
            "manuscript/chapter-01.md",
            "planning",
            "reference",
        }
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        assert "manuscript/.chapter-01.md.swp" not in shown_paths(app)


async def test_several_files_open_in_tabs(make_app: Callable[[], WritersFactoryApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        for relative in (
            "manuscript/chapter-01.md",
            "reference/characters.md",
            "planning/outline.md",
        ):
            await select_in_tree(pilot, relative)
            await pilot.press("enter")
            await wait_until(pilot, lambda: active_path(app) == Path(relative))  # noqa: B023
        assert [b.path.as_posix() for b in app.open_buffers()] == [
            "manuscript/chapter-01.md",
            "reference/characters.md",
            "planning/outline.md",
        ]
        assert editor_text(app).startswith("# Outline")
        assert app.editor.active is not None and app.editor.active.has_focus
        await pilot.press("ctrl+pageup")
        assert editor_text(app).startswith("# Characters")
        await pilot.press("ctrl+pagedown", "ctrl+pagedown")
        assert editor_text(app).startswith("# The Lighthouse")
        # opening an already open file switches to its tab instead of opening another
        await select_in_tree(pilot, "planning/outline.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: editor_text(app).startswith("# Outline"))
        assert len(app.open_buffers()) == 3
        assert [f.path for f in app.session.data.open_files] == [
            "manuscript/chapter-01.md",
            "reference/characters.md",
            "planning/outline.md",
        ]
        assert app.session.data.active_file == "planning/outline.md"


async def test_new_file_in_selected_folder(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, "reference/setting.md")
        await pilot.press("ctrl+n")
        await ready_screen(pilot, NameModal, focused="Input")
        await pilot.press(*"places")
        await pilot.press("enter")
        await wait_until(pilot, lambda: (project / "reference" / "places.md").is_file())
        assert (project / "reference" / "places.md").read_text() == ""
        await wait_until(pilot, lambda: "reference/places.md" in shown_paths(app))
        await wait_until(
            pilot,
            lambda: (
                app.editor.active is not None
                and app.editor.active.path == Path("reference/places.md")
            ),
        )


async def test_new_file_refuses_existing_name_and_keeps_file(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    before = (project / "manuscript" / "chapter-01.md").read_text()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        await pilot.press("ctrl+n")
        await ready_screen(pilot, NameModal, focused="Input")
        await pilot.press(*"chapter-01.md", "enter")
        await wait_until(pilot, lambda: "already exists" in name_error(app))
        assert app.screen.query_one(Input).value == "chapter-01.md"  # asked again, as typed
        await pilot.press("escape")
    assert (project / "manuscript" / "chapter-01.md").read_text() == before


def name_error(app: WritersFactoryApp) -> str:
    """The reason the name dialog shows under its field ("" when none is shown)."""
    if not isinstance(app.screen, NameModal):
        return ""
    return str(app.screen.query_one("#name-error", Label).content)


async def test_a_name_with_a_slash_is_refused_in_the_dialog_keeping_what_was_typed(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """It closed the dialog with a notice and lost the name; now the dialog stays, says why,
    and the name can be corrected in place."""
    before = sorted(p.name for p in (project / "manuscript").iterdir())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        await pilot.press("ctrl+n")
        modal = await ready_screen(pilot, NameModal, focused="Input")
        await pilot.press(*"part-two/the storm", "enter")
        await wait_until(pilot, lambda: "cannot contain /" in name_error(app))
        assert app.screen is modal
        field = modal.query_one(Input)
        assert field.value == "part-two/the storm"
        assert sorted(p.name for p in (project / "manuscript").iterdir()) == before
        field.value = "the storm"
        await pilot.press("enter")
        await wait_until(pilot, lambda: (project / "manuscript" / "the storm.md").is_file())


async def test_rename_open_file_follows_tab_and_session(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.editor.active is not None)
        await pilot.press("ctrl+r")
        await ready_screen(pilot, NameModal, focused="Input")
        field = app.screen.query_one(Input)
        assert field.value == "chapter-01.md"
        field.value = "the-keeper.md"
        await pilot.press("enter")
        new = project / "manuscript" / "the-keeper.md"
        await wait_until(pilot, lambda: new.is_file())
        assert not (project / "manuscript" / "chapter-01.md").exists()
        await wait_until(
            pilot,
            lambda: (
                app.editor.active is not None
                and app.editor.active.path == Path("manuscript/the-keeper.md")
            ),
        )
        assert app.editor.active is not None and app.editor.active.disk.path == new
        assert [f.path for f in app.session.data.open_files] == ["manuscript/the-keeper.md"]
        assert app.session.data.current_state.breadcrumb[-1] == "the-keeper.md"
        # the tree reloads after the tab has followed the file: wait for it too
        await wait_until(pilot, lambda: "manuscript/the-keeper.md" in shown_paths(app))


async def rename_in_tree(pilot: Pilot[Any], relative: str, name: str) -> None:
    """Select ``relative`` in the tree, ctrl+r, type ``name`` and press Enter."""
    await select_in_tree(pilot, relative)
    await pilot.press("ctrl+r")
    await ready_screen(pilot, NameModal, focused="Input")
    pilot.app.screen.query_one(Input).value = name
    await pilot.press("enter")


async def test_rename_never_replaces_another_file(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    (project / "manuscript" / "chapter-02.md").write_text("the second chapter")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await rename_in_tree(pilot, "manuscript/chapter-01.md", "chapter-02.md")
        await wait_until(pilot, lambda: "already exists" in name_error(app))
        await pilot.press("escape")
    assert (project / "manuscript" / "chapter-02.md").read_text() == "the second chapter"
    assert (project / "manuscript" / "chapter-01.md").read_text().startswith("# The Lighthouse")


async def test_delete_needs_confirmation(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, "reference/setting.md")
        await pilot.press("f8")
        await ready_screen(pilot, ConfirmModal, focused="#no")
        await pilot.press("enter")  # the focused button is Cancel: the safe answer
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmModal))
        assert (project / "reference" / "setting.md").is_file()
        assert trash.list_trash(project) == []


async def test_delete_moves_to_trash_and_palette_restores(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    original = (project / "manuscript" / "chapter-01.md").read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.editor.active is not None)
        await pilot.press("f8")
        await click_when_ready(pilot, "#yes", ConfirmModal)
        chapter = project / "manuscript" / "chapter-01.md"
        await wait_until(pilot, lambda: not chapter.exists())
        await wait_until(pilot, lambda: app.open_buffers() == [])
        entries = trash.list_trash(project)
        assert [e.relative_path.as_posix() for e in entries] == ["manuscript/chapter-01.md"]
        assert entries[0].stored_at.read_bytes() == original
        # the tab goes first, then the session forgets the file (a turn later when busy)
        await wait_until(pilot, lambda: app.session.data.open_files == [])
        await wait_until(pilot, lambda: "manuscript/chapter-01.md" not in shown_paths(app))

        await pilot.press("ctrl+p")
        await ready_screen(pilot, CommandPalette, focused="CommandInput")
        await pilot.press(*"Restore last deleted")
        await palette_offers(pilot, "Restore last deleted")
        await pilot.press("enter")
        await wait_until(pilot, lambda: chapter.exists())
        assert chapter.read_bytes() == original
        assert trash.list_trash(project) == []
        await wait_until(pilot, lambda: "manuscript/chapter-01.md" in shown_paths(app))
        await wait_until(
            pilot,
            lambda: (
                app.editor.active is not None
                and app.editor.active.path == Path("manuscript/chapter-01.md")
            ),
        )


async def test_delete_refused_while_buffer_has_unsaved_text(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.editor.active is not None)
        await pilot.press(*"New words")
        assert app.open_buffers()[0].dirty
        await pilot.press("f8")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert (project / "manuscript" / "chapter-01.md").is_file()
        assert any("unsaved changes" in n.message for n in app._notifications)


async def test_close_tab_keeps_unsaved_text_open(make_app: Callable[[], WritersFactoryApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        for relative in ("manuscript/chapter-01.md", "planning/outline.md"):
            await select_in_tree(pilot, relative)
            await pilot.press("enter")
            await wait_until(pilot, lambda: active_path(app) == Path(relative))  # noqa: B023
        await pilot.press(*"Act one")
        await pilot.press("alt+w")
        await pilot.pause()
        assert len(app.open_buffers()) == 2, "a dirty tab is not closed"
        assert any("unsaved changes" in n.message for n in app._notifications)
        await pilot.press("ctrl+pageup")
        assert active_path(app) == Path("manuscript/chapter-01.md")
        await pilot.press("alt+w")
        await wait_until(pilot, lambda: len(app.open_buffers()) == 1)
        assert [f.path for f in app.session.data.open_files] == ["planning/outline.md"]
        assert active_path(app) == Path("planning/outline.md")


async def test_read_only_session_blocks_file_changes(project: Path, user_themes: Path) -> None:
    from writers_factory.store.session.session import Session

    def state() -> dict[str, tuple[bytes | None, int]]:
        return {
            str(p): (p.read_bytes() if p.is_file() else None, p.stat().st_mtime_ns)
            for p in sorted((project / ".session").rglob("*"))
        }

    before = state()  # `new` recorded the title there
    session = Session(project, read_only=True)  # as chosen when another instance is live
    app = WritersFactoryApp(project, session=session, user_themes=user_themes)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.editor.active is not None)
        area = app.editor.active
        assert area is not None and area.read_only
        await pilot.press(*"typed")
        assert not area.text.startswith("typed")
        await pilot.press("f8")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert any("read-only" in n.message for n in app._notifications)
        await pilot.press("f3")
        assert app.stage_id == "enhancing", "navigation still works"
    assert (project / "manuscript" / "chapter-01.md").is_file()
    assert state() == before, "a read-only session writes nothing"


async def test_overlapping_reloads_keep_open_folders_open(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """A reload's late "folder opened" message re-reads the folder after the next reload:
    the folders open before must still be open once every read has landed."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        tree = app.project_tree
        for _ in range(8):
            await asyncio.gather(tree.relist(), tree.relist(), tree.relist())
        # Give late folder reads their turns (the race, not a timing assertion: with the
        # fix the folder is open again whenever they land), then the folder must be open.
        for _ in range(20):
            await pilot.pause(0.02)
        await wait_until(pilot, lambda: "manuscript/chapter-01.md" in shown_paths(app))


def cursor_path(app: WritersFactoryApp) -> str | None:
    node = app.project_tree.cursor_node
    if node is None or node.data is None:
        return None
    return Path(node.data.path).relative_to(app.project).as_posix()


async def test_the_tree_opens_on_the_first_chapter_of_a_new_project(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """It opened folded shut with nothing chosen: manuscript/ is open and the first chapter
    (in the tree's order) is under the cursor."""
    (project / "manuscript" / "chapter-02.md").write_text("# Two\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await wait_until(pilot, lambda: cursor_path(app) is not None)
        assert cursor_path(app) == "manuscript/chapter-01.md"
        manuscript = next(
            n for n in app.project_tree.root.children if n.data and n.data.path.name == "manuscript"
        )
        assert manuscript.is_expanded


async def test_the_tree_opens_on_the_active_chapter(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    from writers_factory.store import Session

    part = project / "manuscript" / "part-two"
    part.mkdir()
    (part / "chapter-07.md").write_text("# Seven\n")
    session = Session(project)
    session.open_file("manuscript/chapter-01.md", 0, 0)
    session.open_file("manuscript/part-two/chapter-07.md", 0, 0)
    session.close_sync()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await wait_until(pilot, lambda: cursor_path(app) is not None)
        assert cursor_path(app) == "manuscript/part-two/chapter-07.md"
        assert active_path(app) == Path("manuscript/part-two/chapter-07.md")


async def test_story_bible_pins_follow_a_renamed_note(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    prefs = Preferences(project / ".session")
    prefs.set("story_bible.pinned", ["reference/setting.md"])
    prefs.set("story_bible.excluded", ["reference/setting.md-notes.md"])
    prefs.save_sync()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await rename_in_tree(pilot, "reference/setting.md", "the-coast.md")

        def pinned() -> list[str]:
            return Preferences(project / ".session", read_only=True).data.story_bible.pinned

        # the pin named the old path, and was lost with the rename
        await wait_until(pilot, lambda: pinned() == ["reference/the-coast.md"])
        excluded = Preferences(project / ".session", read_only=True).data.story_bible.excluded
        assert excluded == ["reference/setting.md-notes.md"]  # a similar name is not that file
