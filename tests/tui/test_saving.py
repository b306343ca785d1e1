"""Never losing text, in the real app: journal timing, auto-save, saves on actions, failures."""

from __future__ import annotations

import asyncio
import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.tui.conftest import SIZE, started, wait_until
from writers_factory.store.base import durable
from writers_factory.store.manuscript.journal import Journal
from writers_factory.store.preferences.preferences import Preferences
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.controllers.saving import SaveCoordinator
from writers_factory.tui.screens.recovery import RecoveryScreen
from writers_factory.tui.widgets.editor import BufferArea

CHAPTER = "manuscript/chapter-01.md"


def set_interval(project: Path, seconds: float) -> None:
    prefs = Preferences(project / ".session")
    prefs.set_auto_save_interval(seconds)
    prefs.save_sync()


def saving(app: WritersFactoryApp) -> SaveCoordinator:
    assert app.saving is not None
    return app.saving


def indicator(app: WritersFactoryApp) -> str:
    return str(app.query_one("#save-indicator", Static).content)


async def open_chapter(pilot: Pilot[Any], relative: str = CHAPTER) -> BufferArea:
    app = pilot.app
    assert isinstance(app, WritersFactoryApp)
    await app.open_path(app.project / relative)
    await wait_until(pilot, lambda: app.editor.active is not None)
    area = app.editor.active
    assert isinstance(area, BufferArea)
    area.focus()
    area.move_cursor(area.document.end)
    await pilot.pause()
    return area


async def exited(app: WritersFactoryApp, timeout: float = 10) -> None:
    """Wait for the app to exit; not pilot.pause(), whose screens stop answering on exit."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while app.return_code is None:
        assert loop.time() < deadline, f"the app did not exit within {timeout} s"
        await asyncio.sleep(0.01)


def journal_text(project: Path, relative: str = CHAPTER) -> str | None:
    entry = Journal(project).get(Path(relative))
    return None if entry is None else entry.text


async def test_typing_reaches_the_journal_after_a_pause_not_the_file(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    on_disk = (project / CHAPTER).read_text()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        await pilot.press(*"The sea")
        assert area.dirty
        assert indicator(app) == "● Unsaved changes"
        await wait_until(pilot, lambda: journal_text(project) == area.text)
        entry = Journal(project).get(Path(CHAPTER))
        assert entry is not None and entry.cursor_line == area.cursor_location[0]
        assert (project / CHAPTER).read_text() == on_disk  # auto-save is 30 s away
        # still typing: the next burst reaches the journal too
        await pilot.press(*" rose.")
        await wait_until(pilot, lambda: journal_text(project) == area.text)
        assert area.text.endswith("The sea rose.")


async def test_two_hundred_edits_reach_the_journal_without_a_pause(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        saving(app).journal_delay = 3600  # only the edit count can trigger a write now
        area = await open_chapter(pilot)
        for _ in range(199):  # real edits through the TextArea API: faster than key presses
            area.insert("x")
        await pilot.pause(0.3)
        assert journal_text(project) is None
        area.insert("y")
        await wait_until(pilot, lambda: journal_text(project) == area.text)
        assert journal_text(project).endswith("x" * 199 + "y")  # type: ignore[union-attr]


async def test_auto_save_after_the_interval_from_preferences(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    set_interval(project, 1)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert saving(app).interval == 1
        area = await open_chapter(pilot)
        await pilot.press(*"Waves.")
        await wait_until(pilot, lambda: (project / CHAPTER).read_text() == area.text)
        await wait_until(pilot, lambda: not area.dirty)
        await wait_until(pilot, lambda: indicator(app).startswith("● Auto-saved"))
        # the journal entry goes once the same text is in the file
        await wait_until(pilot, lambda: journal_text(project) is None)


@pytest.mark.parametrize("action", ["stage", "file_switch"])
async def test_significant_actions_save_at_once(
    make_app: Callable[[], WritersFactoryApp], project: Path, action: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_chapter(pilot, "reference/characters.md")
        area = await open_chapter(pilot)
        await pilot.press(*"Storm.")
        typed = area.text
        if action == "stage":
            await pilot.press("f3")
        else:
            app.editor.activate(Path("reference/characters.md"))
        await wait_until(pilot, lambda: (project / CHAPTER).read_text() == typed)
        await wait_until(pilot, lambda: not area.dirty)
    stage = "enhancing" if action == "stage" else "creation"
    assert Session(project, read_only=True).current_stage == stage


async def test_failed_save_is_shown_nothing_is_lost_and_ctrl_s_retries(
    make_app: Callable[[], WritersFactoryApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = durable._write_once
    manuscript = project / "manuscript"

    def disk_full_in_manuscript(path: Path, data: bytes, mode: int | None, **options: Any) -> None:
        if manuscript in path.parents:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data, mode, **options)

    on_disk = (project / CHAPTER).read_text()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        await pilot.press(*"Lost?")
        monkeypatch.setattr(durable, "_write_once", disk_full_in_manuscript)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: indicator(app) == "⚠ Auto-save failed — ctrl+s to retry")
        assert area.dirty and area.text.endswith("Lost?")
        assert (project / CHAPTER).read_text() == on_disk
        await wait_until(pilot, lambda: journal_text(project) == area.text)
        # more typing does not hide the failure
        await pilot.press("!")
        assert indicator(app) == "⚠ Auto-save failed — ctrl+s to retry"
        monkeypatch.setattr(durable, "_write_once", real_write)
        await pilot.press("ctrl+s")
        # the writer asked: "Saved" (it said "Auto-saved" after ctrl+s)
        await wait_until(pilot, lambda: indicator(app).startswith("● Saved"))
        assert (project / CHAPTER).read_text() == area.text
        assert area.text.endswith("Lost?!")
        assert not area.dirty
        # the entry written while the disk refused goes with the save that succeeded
        await wait_until(pilot, lambda: journal_text(project) is None)


async def test_quit_saves_everything_and_closes_cleanly(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        await pilot.press(*"The end.")
        typed = area.text
        await pilot.press("ctrl+q")
    assert (project / CHAPTER).read_text() == typed
    assert journal_text(project) is None
    again = Session(project, read_only=True)
    assert not again.was_interrupted()
    assert again.data.clean_shutdown
    assert not (project / ".session" / "lock.json").exists()


async def test_sigterm_saves_everything_and_closes_cleanly(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    import os
    import signal

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        await pilot.press(*"Terminated.")
        typed = area.text
        os.kill(os.getpid(), signal.SIGTERM)
        await exited(app)
    assert app.return_code == 128 + signal.SIGTERM
    assert (project / CHAPTER).read_text() == typed
    assert Session(project, read_only=True).data.clean_shutdown


# -- the one shutdown path, and the journal by revision ----------------------------------------


class Writes:
    """Counts durable writes by file name (every write goes through ``_write_once``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str] = []
        real = durable._write_once

        def counting(path: Path, data: bytes, mode: int | None, **options: Any) -> None:
            self.names.append(Path(path).name)
            real(path, data, mode, **options)

        monkeypatch.setattr(durable, "_write_once", counting)

    def count(self, name: str) -> int:
        return self.names.count(name)


@pytest.mark.parametrize("round", range(5))
async def test_type_pause_type_quit_at_once_leaves_no_journal_and_asks_nothing(
    make_app: Callable[[], WritersFactoryApp],
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    round: int,
) -> None:
    """Typing, a pause longer than the journal delay (an entry is written), more typing and
    ctrl+q at once: the quit saves it all, the journal is empty, current.json is written
    once, and the next start asks nothing — every time."""
    writes = Writes(monkeypatch)
    for again in range(3):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot)
            assert not isinstance(app.screen, RecoveryScreen)
            area = await open_chapter(pilot)
            await pilot.press(*f" Wave {again}.")
            shown = area.text
            await wait_until(pilot, lambda: journal_text(project) == shown)  # noqa: B023
            await pilot.press(*" And another")
            typed = area.text
            before = writes.count("current.json")
            await pilot.press("ctrl+q")
            await exited(app)
        assert writes.count("current.json") - before == 1
        assert (project / CHAPTER).read_text() == typed
        assert list((project / ".session" / "journal").iterdir()) == []
        assert Session(project, read_only=True).data.clean_shutdown
        assert not (project / ".session" / "lock.json").exists()


async def test_sigterm_runs_the_same_sequence_once(
    make_app: Callable[[], WritersFactoryApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal

    writes = Writes(monkeypatch)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        await pilot.press(*"Terminated.")
        await wait_until(pilot, lambda: journal_text(project) == area.text)
        await pilot.press(*" Twice.")
        typed = area.text
        before = writes.count("current.json")
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGHUP)  # a second signal while the first is handled
        await exited(app)
    assert app.return_code == 128 + signal.SIGTERM
    assert writes.count("current.json") - before == 1
    assert (project / CHAPTER).read_text() == typed
    assert list((project / ".session" / "journal").iterdir()) == []


async def test_a_file_that_cannot_be_saved_at_quit_stays_in_the_journal(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await app.project_watch.stop()  # the save itself must notice
        area = await open_chapter(pilot)
        await pilot.press(*"Mine.")
        mine = area.text
        (project / CHAPTER).write_text("Changed elsewhere.\n")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: indicator(app).startswith("⚠"))
        assert app.return_code is None, "the first ctrl+q only tells the writer"
        assert journal_text(project) == mine
        await pilot.press("ctrl+q")
        await exited(app)
    assert (project / CHAPTER).read_text() == "Changed elsewhere.\n"
    assert journal_text(project) == mine  # offered at the next start
    assert Session(project, read_only=True).data.clean_shutdown


async def test_deleting_typed_text_removes_its_entry_before_any_save(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    on_disk = (project / CHAPTER).read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        for _round in range(5):
            await pilot.press(*"lantern")
            await wait_until(pilot, lambda: journal_text(project) == area.text)
            await pilot.press(*["backspace"] * len("lantern"))
            await wait_until(pilot, lambda: not area.dirty)
            await wait_until(pilot, lambda: journal_text(project) is None)
            assert (project / CHAPTER).read_bytes() == on_disk, "no save was involved"


async def test_no_whole_text_hash_per_keystroke(
    make_app: Callable[[], WritersFactoryApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing costs no hash of the chapter: "back to the file's text" is decided by line and
    character counts first. (A count of hash calls, never a time.)"""
    import hashlib

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        saving(app).journal_delay = 3600  # no journal write during the count
        area = await open_chapter(pilot)
        size = len(area.text)
        hashed: list[int] = []
        real = hashlib.sha256

        def counting(data: bytes = b"", **kwargs: Any) -> Any:
            if len(data) >= size // 2:
                hashed.append(len(data))
            return real(data, **kwargs)

        monkeypatch.setattr(hashlib, "sha256", counting)
        keys = list("The beam swept the bay") + ["backspace"] * 3 + ["enter"] + list("Dawn")
        await pilot.press(*keys)
        await wait_until(pilot, lambda: area.text.endswith("The beam swept the \nDawn"))
        await pilot.press(*["backspace"] * len("The beam swept the \nDawn"))
        await wait_until(pilot, lambda: not area.dirty)  # back to the file's text, noticed
        assert hashed == []


async def test_a_save_splits_no_line_of_the_text(
    make_app: Callable[[], WritersFactoryApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The line count the document keeps of what the file holds is the editor's own: a save
    splits no whole text into lines (a count of calls, never a time)."""
    from writers_factory.store.manuscript import documents
    from writers_factory.tui.controllers import saving as saving_module

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        counted: list[int] = []
        real = documents.line_count

        def counting(text: str) -> int:
            counted.append(len(text))
            return real(text)

        monkeypatch.setattr(documents, "line_count", counting)
        monkeypatch.setattr(saving_module, "line_count", counting)
        await pilot.press(*"Storm.", "enter", *"Rain.")
        typed = area.text
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: (project / CHAPTER).read_text() == typed)
        await wait_until(pilot, lambda: not area.dirty)
        assert counted == []
        assert area.doc._disk_lines == real(typed)
        # typed on and undone back to the saved text: clean again, by the kept counts
        await pilot.press(*"X", "backspace")
        await wait_until(pilot, lambda: area.text == typed and not area.dirty)
