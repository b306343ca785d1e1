"""Normal start: files reopen at their cursors, with the stage, screen and breadcrumbs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.tui.conftest import SIZE, editor_text, select_in_tree, started, wait_until
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.breadcrumbs import Breadcrumbs
from writers_factory.tui.widgets.editor import BufferArea
from writers_factory.tui.widgets.messages import BufferEdited


async def test_open_files_and_cursors_survive_a_restart(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("f2")
        await select_in_tree(pilot, "reference/characters.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: first.editor.active is not None)
        await pilot.press("down", "down", "down", "end")  # line 3, after "- Age:"
        await select_in_tree(pilot, "manuscript/chapter-01.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: editor_text(first).startswith("# The Lighthouse"))
        await pilot.press("down", "down", "down", "down", "right", "right", "right", "right")
        assert first.editor.active is not None
        assert first.editor.active.cursor_location == (4, 4)
        await pilot.press("ctrl+q")

    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot)
        buffers = {b.path.as_posix(): b for b in second.open_buffers()}
        assert list(buffers) == ["reference/characters.md", "manuscript/chapter-01.md"]
        assert buffers["reference/characters.md"].cursor == (3, 6)
        assert buffers["manuscript/chapter-01.md"].cursor == (4, 4)
        assert not any(b.dirty for b in buffers.values())
        active = second.editor.active
        assert active is not None and active.path == Path("manuscript/chapter-01.md")
        await wait_until(pilot, lambda: active.has_focus)
        assert second.session.data.current_state.screen == "editor"
        assert second.stage_id == "writing"
        assert second.query_one(Breadcrumbs).trail == ("Home", "Writing", "chapter-01.md")


async def test_screen_with_focus_is_restored(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot)
        first.query_one("#operations").focus()
        await pilot.pause()
        assert first.session.data.current_state.screen == "operations"
        await pilot.press("ctrl+q")
    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot)
        await wait_until(pilot, lambda: second.focused is second.query_one("#operations"))


async def test_file_gone_since_last_session_is_reported_and_dropped(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    session = Session(project)
    session.open_file("manuscript/chapter-01.md", 2, 3)
    session.open_file("manuscript/lost.md", 0, 0)
    session.close_sync()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert [b.path.as_posix() for b in app.open_buffers()] == ["manuscript/chapter-01.md"]
        assert app.open_buffers()[0].cursor == (2, 3)
        assert [f.path for f in app.session.data.open_files] == ["manuscript/chapter-01.md"]
        assert any("manuscript/lost.md no longer exists" in n.message for n in app._notifications)
        assert not (project / "manuscript" / "lost.md").exists(), "nothing is created"


async def test_cursor_beyond_the_text_is_clamped(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    session = Session(project)
    session.open_file("planning/outline.md", 500, 80)
    session.close_sync()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        line, col = app.open_buffers()[0].cursor
        text = (project / "planning" / "outline.md").read_text()
        assert line == len(text.split("\n")) - 1
        assert col == len(text.split("\n")[line])


class HookedApp(WritersFactoryApp):
    """Hooks the app the way the saving layer does: a handler for the posted message."""

    def __init__(self, project: Path, user_themes: Path) -> None:
        super().__init__(project, user_themes=user_themes)
        self.edits: list[tuple[Path, int]] = []

    def on_buffer_edited(self, message: BufferEdited) -> None:
        self.edits.append((message.path, message.revision))


async def test_seams_for_the_saving_layer(project: Path, user_themes: Path) -> None:
    app = HookedApp(project, user_themes)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        relative = Path("manuscript/chapter-01.md")
        await app.open_with_text(relative, "Recovered words", (0, 9))
        buffer = app.open_buffers()[0]
        assert (buffer.path, buffer.text, buffer.cursor, buffer.dirty) == (
            relative,
            "Recovered words",
            (0, 9),
            True,
        )
        assert buffer.disk.path == project / relative
        assert buffer.disk.base_sha256 is not None, "disk state at load is known"
        assert app.edits == [], "opening text is not an edit"
        area = app.query_one(BufferArea)
        doc = app.workspace.documents.get(relative)
        assert doc is not None and area.doc is doc, "the widget shows the workspace's document"
        assert str(app.editor.tabs.get_tab(app.editor._panes[relative]).label).endswith("•")
        area.focus()
        await pilot.press("end", "!")
        await wait_until(pilot, lambda: bool(app.edits))
        assert app.edits[-1] == (relative, doc.revision)
        assert area.text == "Recovered words!"
        stale = doc.revision - 1
        doc.saved_as(stale, "Recovered words")
        assert app.open_buffers()[0].dirty, "a save of an older revision keeps it dirty"
        doc.saved_as(doc.revision, "Recovered words!")
        app.editor.refresh_title(relative)
        assert not app.open_buffers()[0].dirty
        assert str(app.editor.tabs.get_tab(app.editor._panes[relative]).label) == "chapter-01.md  "
