"""The project watcher inside the real app: real observer, real files, real saves.

Outside changes are made with plain file writes, as another program would; the app's own
saves go through the real ``SaveCoordinator`` with the app's ``remember`` hook.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import PATIENCE, SIZE, ready_screen, select_in_tree, started, wait_until
from writers_factory.store.base import digests
from writers_factory.store.session.models import FILE_CHANGES_KEPT
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.controllers.saving import SaveCoordinator
from writers_factory.tui.screens.conflict import ConflictScreen
from writers_factory.tui.screens.file_modals import NameModal
from writers_factory.tui.widgets.editor import BufferArea

CHAPTER = "manuscript/chapter-01.md"
WAIT = PATIENCE
"""Generous: the observer, the debounce and a loaded CI machine all take their time."""


def recorded(app: WritersFactoryApp, kind: str, path: str) -> bool:
    return any(r.kind == kind and r.path == path for r in app.session.data.file_changes)


def saver(app: WritersFactoryApp) -> SaveCoordinator:
    """The app's own save coordinator (its ``remember`` is the watcher's hook)."""
    assert app.saving is not None
    return app.saving


async def open_chapter(pilot: Pilot[Any], app: WritersFactoryApp) -> BufferArea:
    await app.open_path(app.project / CHAPTER)
    area = app.editor.find(Path(CHAPTER))
    assert area is not None
    await pilot.pause()
    return area


async def type_into(pilot: Pilot[Any], area: BufferArea, text: str) -> None:
    """Edit at the cursor as typing does, and let the editor mark the buffer unsaved."""
    area.insert(text)
    await wait_until(pilot, lambda: area.dirty)


async def test_a_file_created_outside_appears_in_the_tree_and_the_session(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.project_watch.running
        (project / "manuscript" / "chapter-02.md").write_text("# Two\n\nThe storm.\n")
        # At once, before the watcher reloads the tree: the folder nodes the tree shows now
        # are replaced by that reload, and the file must still be found (in the new ones).
        await select_in_tree(pilot, "manuscript/chapter-02.md")  # waits for the node
        await wait_until(pilot, lambda: recorded(app, "created", "manuscript/chapter-02.md"), WAIT)
        (project / "reference" / "setting.md").unlink()
        await wait_until(pilot, lambda: recorded(app, "deleted", "reference/setting.md"), WAIT)
        await pilot.press("ctrl+q")
    on_disk = Session(project, read_only=True).data.file_changes
    assert {(r.kind, r.path) for r in on_disk} >= {
        ("created", "manuscript/chapter-02.md"),
        ("deleted", "reference/setting.md"),
    }


async def test_a_clean_open_buffer_is_reloaded_in_place(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot, app)
        area.move_cursor((2, 3))
        new_text = "# The Lighthouse\n\nRewritten elsewhere, on another machine.\n"
        (project / CHAPTER).write_text(new_text)
        await wait_until(pilot, lambda: area.text == new_text, WAIT)
        assert not area.dirty
        assert area.cursor_location == (2, 3)
        assert recorded(app, "modified", CHAPTER)
        # the reloaded text is the saved state: a later save writes without asking
        await type_into(pilot, area, "Yes. ")
        report = await saver(app).save_all()
        assert report.ok and report.saved == [project / CHAPTER]
        assert (project / CHAPTER).read_text() == area.text
        await pilot.press("ctrl+q")


@pytest.mark.parametrize("key", ["m", "t", "b"])
async def test_a_dirty_open_buffer_changed_outside_asks_and_never_loses_a_side(
    make_app: Callable[[], WritersFactoryApp], project: Path, key: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot, app)
        area.move_cursor((0, 0))
        await type_into(pilot, area, "MINE ")
        assert area.dirty
        mine = area.text
        theirs = "# Their lighthouse\n\nWritten by a sync tool.\n"
        (project / CHAPTER).write_text(theirs)
        await ready_screen(pilot, ConflictScreen, timeout=WAIT)
        assert (project / CHAPTER).read_text() == theirs  # nothing written before the choice
        await pilot.press(key)
        if key == "m":  # keep mine
            await wait_until(pilot, lambda: (project / CHAPTER).read_text() == mine, WAIT)
            assert area.text == mine and not area.dirty
        elif key == "t":  # take theirs
            await wait_until(pilot, lambda: area.text == theirs and not area.dirty, WAIT)
            assert (project / CHAPTER).read_text() == theirs
        else:  # keep both

            def copies() -> list[Path]:
                return list((project / "planning" / "copies").glob("chapter-01 (my copy *).md"))

            await wait_until(pilot, lambda: len(copies()) == 1 and area.text == theirs, WAIT)
            assert copies()[0].read_text() == mine
            assert (project / CHAPTER).read_text() == theirs
            copy = copies()[0].relative_to(project)
            await wait_until(pilot, lambda: app.editor.find(copy) is not None, WAIT)
        await pilot.press("ctrl+q")


async def test_escape_leaves_the_buffer_unsaved_and_the_file_untouched(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot, app)
        await type_into(pilot, area, "MINE ")
        mine = area.text
        (project / CHAPTER).write_text("theirs\n")
        await ready_screen(pilot, ConflictScreen, timeout=WAIT)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConflictScreen))
        assert area.text == mine and area.dirty
        assert (project / CHAPTER).read_text() == "theirs\n"


async def test_the_apps_own_save_is_not_reported_as_an_outside_change(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot, app)
        await type_into(pilot, area, "Saved by the app. ")
        report = await saver(app).save_all()
        assert report.saved == [project / CHAPTER]
        # changes arrive in order: once a later outside change is in, the save would be too
        (project / "planning" / "sentinel.md").write_text("later\n")
        await wait_until(pilot, lambda: recorded(app, "created", "planning/sentinel.md"), WAIT)
        assert not any(r.path == CHAPTER for r in app.session.data.file_changes)
        assert area.text == (project / CHAPTER).read_text() and not area.dirty
        assert not isinstance(app.screen, ConflictScreen)


async def test_a_deleted_open_file_keeps_its_text_as_unsaved(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot, app)
        text = area.text
        (project / CHAPTER).unlink()
        await wait_until(pilot, lambda: area.dirty, WAIT)
        assert area.text == text and app.editor.find(Path(CHAPTER)) is area
        assert recorded(app, "deleted", CHAPTER)


async def test_a_moved_open_file_is_followed(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot, app)
        (project / CHAPTER).rename(project / "manuscript" / "prologue.md")
        new = Path("manuscript/prologue.md")
        await wait_until(pilot, lambda: area.path == new, WAIT)
        assert area.disk.path == project / new and not area.dirty
        assert app.session.data.active_file == new.as_posix()


async def test_a_watched_folder_deleted_and_recreated_keeps_being_watched(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        shutil.rmtree(project / "reference")
        await wait_until(pilot, lambda: recorded(app, "deleted", "reference"), WAIT)
        (project / "reference").mkdir()
        await wait_until(pilot, lambda: recorded(app, "created", "reference"), WAIT)
        (project / "reference" / "places.md").write_text("# Places\n")
        await wait_until(pilot, lambda: recorded(app, "created", "reference/places.md"), WAIT)
        await select_in_tree(pilot, "reference/places.md")


async def test_quit_stops_the_watcher_after_recording_what_it_saw(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    app.project_watch.debounce = 30.0  # seen, not yet delivered, when quit comes
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        watcher = app.project_watch.watcher
        assert watcher is not None and watcher.running
        (project / "planning" / "late.md").write_text("just before quitting\n")
        await wait_until(pilot, lambda: watcher.pending > 0, WAIT)
        await pilot.press("ctrl+q")
    assert not watcher.running
    session = Session(project, read_only=True)
    assert session.data.clean_shutdown
    assert ("created", "planning/late.md") in {(r.kind, r.path) for r in session.data.file_changes}


async def test_exit_without_quit_stops_the_watcher_too(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        watcher = app.project_watch.watcher
        assert watcher is not None and watcher.running
        app.exit(0)
    assert not watcher.running
    assert Session(project, read_only=True).data.clean_shutdown  # the final save still ran


async def test_the_apps_own_new_file_is_recorded_once(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await select_in_tree(pilot, CHAPTER)
        await pilot.press("ctrl+n")
        await ready_screen(pilot, NameModal, focused="Input")
        await pilot.press(*"interlude", "enter")
        await wait_until(pilot, lambda: recorded(app, "created", "manuscript/interlude.md"), WAIT)
        (project / "planning" / "sentinel.md").write_text("later\n")
        await wait_until(pilot, lambda: recorded(app, "created", "planning/sentinel.md"), WAIT)
        created = [r for r in app.session.data.file_changes if r.path == "manuscript/interlude.md"]
        assert len(created) == 1


class CountingClock:
    """The session's clock, counting how often the session asked it the time: once per
    record and once per update, so it counts the session's updates."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> datetime:
        self.calls += 1
        return datetime.now(UTC)


async def test_a_burst_of_a_thousand_outside_files_reaches_the_loop_as_one_batch(
    project: Path, user_themes: Path, tmp_path: Path
) -> None:
    """A folder of 1,000 drafts moved in by another program: the events are folded off the
    loop and handed over in one or two batches, each recorded in the session and the history
    with one update (not one per file, as before: 2,000 session updates); the loop hashes
    nothing."""
    drafts = tmp_path / "elsewhere" / "drafts"
    drafts.mkdir(parents=True)
    for number in range(1000):
        (drafts / f"draft-{number:04}.md").write_text(f"Draft {number}.\n")
    clock = CountingClock()
    app = WritersFactoryApp(project, session=Session(project, clock=clock), user_themes=user_themes)
    app.project_watch.debounce = 1.0  # a batch waits for quiet, at most 4 s (max_wait)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        watch = app.project_watch
        history = app.writing.history
        assert history is not None and history.current is not None
        current = history.current
        loop_thread = threading.get_ident()
        hashes_before = digests.calls_on(loop_thread)
        batches_before = watch.batches
        clock_before = clock.calls

        (drafts.parent).rename(project / "manuscript" / "elsewhere")

        def all_recorded() -> bool:
            return len(current.files_created) >= 1000

        await wait_until(pilot, all_recorded)
        await wait_until(pilot, lambda: watch.batches > batches_before, WAIT)
        assert watch.batches - batches_before <= 2
        assert clock.calls - clock_before <= 20, clock.calls - clock_before
        assert "manuscript/elsewhere/drafts/draft-0999.md" in current.files_created
        kept = app.session.data.file_changes  # the session keeps the newest records only
        assert len(kept) == FILE_CHANGES_KEPT
        assert all(r.path.startswith("manuscript/elsewhere") for r in kept)
        assert digests.calls_on(loop_thread) == hashes_before
