"""Crash recovery at start, in the real app, after a real process was killed with SIGKILL."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from tests.tui.conftest import SIZE, click_when_ready, ready_screen, started, wait_until
from tests.tui.test_saving import CHAPTER, exited, journal_text
from writers_factory.store.manuscript.buffers import text_sha256
from writers_factory.store.manuscript.journal import Journal, JournalEntry
from writers_factory.store.manuscript.recovery import (
    Assessment,
    DiffSize,
    Newer,
    Preview,
    Side,
)
from writers_factory.store.manuscript.versions import list_versions
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.conflict import ConflictScreen
from writers_factory.tui.screens.recovery import RecoveryAnswer, RecoveryChoice, RecoveryScreen
from writers_factory.tui.widgets.editor import BufferArea


def shown_text(screen: Any) -> str:
    """Everything the recovery question says, as the writer reads it."""
    return "\n".join(str(w.content) for w in screen.query(Static))


async def settled(pilot: Pilot[Any]) -> WritersFactoryApp:
    """Like ``started``, but patient: a relaunch right after a close can be slow on a busy
    machine (the previous watcher is still winding down)."""
    app = pilot.app
    assert isinstance(app, WritersFactoryApp)
    await asyncio.wait_for(app.ready.wait(), 90)
    return await started(pilot)


CRASH = """
import os, sys
from writers_factory.store.session.session import Session
s = Session(sys.argv[1])
s.set_stage("writing")
s.open_file("manuscript/chapter-01.md", 2, 5)
s.save_sync()
os.kill(os.getpid(), 9)
"""


def crash_a_session(project: Path, unsaved: str) -> str:
    """A real process opens the project, journals unsaved text and dies by SIGKILL."""
    done = subprocess.run([sys.executable, "-c", CRASH, str(project)], check=False, timeout=60)
    assert done.returncode == -9
    on_disk = (project / CHAPTER).read_text()
    text = on_disk + unsaved
    Journal(project).write(Path(CHAPTER), text, text_sha256(on_disk), cursor=(2, 5))
    return text


async def test_recover_restores_unsaved_text_stage_and_cursor(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    text = crash_a_session(project, "The keeper woke.\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, RecoveryScreen)
        listing = shown_text(app.screen)
        assert CHAPTER in listing
        assert "unsaved text is newer" in listing
        assert f"+{len('The keeper woke.') + 1} −0 characters" in listing
        assert "+ The keeper woke." in listing  # the first changed line, previewed
        await click_when_ready(pilot, "#recover", RecoveryScreen)
        await settled(pilot)
        area = app.editor.find(Path(CHAPTER))
        assert isinstance(area, BufferArea)
        assert area.text == text
        assert area.cursor_location == (2, 5)
        assert app.stage_id == "writing"
        # restored as edits: the next save (here ctrl+s; a tab switch would do) writes them
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: (project / CHAPTER).read_text() == text)
        await wait_until(pilot, lambda: journal_text(project) is None)
        await pilot.press("ctrl+q")
    assert Session(project, read_only=True).data.clean_shutdown


async def test_start_fresh_sets_the_journal_aside(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    text = crash_a_session(project, "Words from before the crash.\n")
    on_disk = (project / CHAPTER).read_text()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, RecoveryScreen)
        await pilot.press("f")
        await settled(pilot)
        area = app.editor.find(Path(CHAPTER))
        assert isinstance(area, BufferArea)
        assert area.text == on_disk and not area.dirty
        assert journal_text(project) is None
    kept = list((project / ".session" / "recovered").rglob("*.json"))
    assert len(kept) == 1
    assert "Words from before the crash." in kept[0].read_text()
    assert (project / CHAPTER).read_text() == on_disk
    # the choice was made: the next start asks nothing
    assert text not in (project / CHAPTER).read_text()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert not isinstance(app.screen, RecoveryScreen)


async def test_quit_leaves_everything_as_it_was(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    text = crash_a_session(project, "Do not lose me.\n")
    on_disk = (project / CHAPTER).read_text()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, RecoveryScreen)
        await pilot.press("q")
        await exited(app)
    assert app.return_code == 0
    assert journal_text(project) == text
    assert (project / CHAPTER).read_text() == on_disk
    assert not (project / ".session" / "recovered").exists()
    # and the next start asks again
    assert Session(project, read_only=True).was_interrupted() or Journal(project).has_entries()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecoveryScreen))


async def test_unsaved_journal_after_a_clean_close_is_still_offered(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    on_disk = (project / CHAPTER).read_text()
    Session(project).close_sync()
    Journal(project).write(Path(CHAPTER), on_disk + "orphan\n", text_sha256(on_disk))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecoveryScreen))


async def test_a_journal_identical_to_the_file_is_dropped_silently(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    on_disk = (project / CHAPTER).read_text()
    Session(project).close_sync()
    Journal(project).write(Path(CHAPTER), on_disk, text_sha256(on_disk))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert not isinstance(app.screen, RecoveryScreen)
    assert journal_text(project) is None


@pytest.mark.parametrize("round", range(3))
async def test_recover_then_save_keeps_the_file_as_a_version_and_asks_nothing(
    make_app: Callable[[], WritersFactoryApp], project: Path, round: int
) -> None:
    """Recover writes nothing; the first save over the recovered text first keeps the file
    as it was in .session/versions/ (so a wrong choice can be undone), and is no "changed
    outside" question: the document's disk state is the file as read at recovery."""
    on_disk = (project / CHAPTER).read_text()
    text = crash_a_session(project, f"Round {round}: the keeper woke.\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, RecoveryScreen, focused="RadioSet, Button")
        await pilot.press("r")
        await settled(pilot)
        area = app.editor.find(Path(CHAPTER))
        assert isinstance(area, BufferArea) and area.text == text and area.dirty
        assert (project / CHAPTER).read_text() == on_disk, "Recover never writes a file"
        assert list_versions(project, CHAPTER) == []
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: (project / CHAPTER).read_text() == text)
        assert not any(isinstance(s, ConflictScreen) for s in app.screen_stack)
        [version] = list_versions(project, CHAPTER)
        assert version.stored_at.read_text() == on_disk
        await wait_until(pilot, lambda: journal_text(project) is None)
        # a later save keeps no further version: only the first over recovered text does
        area.move_cursor(area.document.end)
        await pilot.press(*"More.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: (project / CHAPTER).read_text().endswith("More."))
        assert len(list_versions(project, CHAPTER)) == 1
        await pilot.press("ctrl+q")
        await exited(app)
    # the wrong choice undone: the kept version is the file as it was
    (project / CHAPTER).write_text(version.stored_at.read_text())
    assert (project / CHAPTER).read_text() == on_disk


@pytest.mark.parametrize("round", range(2))
@pytest.mark.parametrize("answer", ["unsaved", "disk", "start-fresh", "quit"])
async def test_a_file_changed_since_the_entry_is_shown_beside_it_and_chosen_by_the_writer(
    make_app: Callable[[], WritersFactoryApp], project: Path, answer: str, round: int
) -> None:
    on_disk = (project / CHAPTER).read_text()
    unsaved = crash_a_session(project, "Typed before the crash.\n")
    theirs = on_disk + "Saved by another program after the crash.\n"
    (project / CHAPTER).write_text(theirs)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, RecoveryScreen, focused="RadioSet, Button")
        screen = app.screen
        listing = shown_text(screen)
        assert "the file changed since: choose" in listing
        assert "Saved by another program after the crash." in listing  # the file's side
        assert "Typed before the crash." in listing  # and the unsaved side
        await pilot.press("r")  # nothing is chosen for it: Recover is refused
        await wait_until(pilot, lambda: "Choose which version to keep" in shown_text(screen))
        assert app.screen is screen
        if answer in ("unsaved", "disk"):
            await click_when_ready(pilot, f"#side-0-{answer}", RecoveryScreen)
            await pilot.press("r")
            await settled(pilot)
            area = app.editor.find(Path(CHAPTER))
            assert isinstance(area, BufferArea)
            assert (project / CHAPTER).read_text() == theirs, "nothing was written"
            if answer == "unsaved":
                assert area.text == unsaved and area.dirty
                assert journal_text(project) == unsaved
            else:
                assert area.text == theirs and not area.dirty
                assert journal_text(project) is None
                kept = list((project / ".session" / "recovered").rglob("*.json"))
                assert len(kept) == 1 and "Typed before the crash." in kept[0].read_text()
            await pilot.press("ctrl+q")
        else:
            await pilot.press("f" if answer == "start-fresh" else "q")
            if answer == "quit":
                await exited(app)
            else:
                await settled(pilot)
                await pilot.press("ctrl+q")
    assert (project / CHAPTER).read_text() == (unsaved if answer == "unsaved" else theirs)
    if answer == "quit":
        assert journal_text(project) == unsaved  # untouched, asked again next time


@pytest.mark.parametrize("round", range(2))
async def test_a_large_removal_is_said_in_words_and_not_proposed(
    make_app: Callable[[], WritersFactoryApp], project: Path, round: int
) -> None:
    on_disk = (project / CHAPTER).read_text()
    crash_a_session(project, "")
    # the journal holds one letter where the chapter was: select all, type, crash
    Journal(project).write(Path(CHAPTER), "x", text_sha256(on_disk), cursor=(0, 1))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, RecoveryScreen, focused="RadioSet, Button")
        listing = shown_text(app.screen)
        assert "⚠ Recovering it removes 100% of chapter-01.md" in listing
        assert "+ x" in listing and f"− {on_disk.splitlines()[0]}" in listing
        await pilot.press("r")  # the proposed side is the file as it is
        await settled(pilot)
        area = app.editor.find(Path(CHAPTER))
        assert isinstance(area, BufferArea) and area.text == on_disk and not area.dirty
        await pilot.press("ctrl+q")
    assert (project / CHAPTER).read_text() == on_disk
    assert journal_text(project) is None
    assert len(list((project / ".session" / "recovered").rglob("*.json"))) == 1


# -- the modal on its own: keys and snapshot ---------------------------------------------------

T0 = datetime(2026, 11, 21, 9, 30, 0, tzinfo=UTC)


def entry(path: str, text: str) -> JournalEntry:
    return JournalEntry(path=path, text=text, base_sha256=None, journaled_at=T0)


ITEMS = [
    Assessment(
        entry("manuscript/chapter-01.md", "x"),
        Newer.JOURNAL,
        DiffSize(312, 4),
        T0,
        Preview(12, ["The keeper slept."], ["The keeper woke, and the lamp was out."]),
        9000,
    ),
    Assessment(
        entry("manuscript/chapter-02.md", "y"),
        Newer.FILE,
        DiffSize(0, 57),
        T0,
        Preview(3, ["A storm came in the night."], ["A storm came."]),
        4000,
    ),
    Assessment(
        entry("manuscript/chapter-03.md", "z"),
        Newer.JOURNAL,
        DiffSize(1, 5800),
        T0,
        Preview(1, ["# Chapter Three", "", "The ship ran aground."], ["z"]),
        6170,
    ),
]


class ModalApp(App[None]):
    def __init__(self, items: list[Assessment] = ITEMS) -> None:
        super().__init__()
        self.items = items
        self.result: list[RecoveryAnswer | None] = []

    def compose(self) -> ComposeResult:
        yield Static("The workspace behind the question.")

    def on_mount(self) -> None:
        screen = RecoveryScreen(last_saved=T0, ran_for=timedelta(minutes=95), items=self.items)
        self.push_screen(screen, callback=self.result.append)


async def test_modal_keys() -> None:
    simple = [ITEMS[0]]  # nothing to decide: every key answers at once
    for key, choice in (
        ("r", RecoveryChoice.RECOVER),
        ("f", RecoveryChoice.START_FRESH),
        ("q", RecoveryChoice.QUIT),
    ):
        app = ModalApp(simple)
        async with app.run_test() as pilot:
            await pilot.press(key)
            await wait_until(pilot, lambda app=app: app.result != [])  # type: ignore[misc]
        [answer] = app.result
        assert answer is not None and answer.choice is choice


async def test_modal_proposes_the_safe_side_and_waits_for_the_undecided_one() -> None:
    app = ModalApp()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await ready_screen(pilot, RecoveryScreen, focused="RadioSet")
        text = shown_text(screen)
        assert "⚠ Recovering it removes 94% of chapter-03.md" in text
        assert "+ The keeper woke, and the lamp was out." in text  # the preview
        assert "− The keeper slept." in text
        # the undecided file has the focus, not Recover
        assert screen.focused is screen.query_one("#side-1")
        await pilot.press("r")
        await wait_until(pilot, lambda: "Choose which version to keep of" in shown_text(screen))
        assert app.result == [] and "chapter-02.md first" in shown_text(screen)
        await click_when_ready(pilot, "#side-1-disk", RecoveryScreen)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.result != [])
    [answer] = app.result
    assert answer is not None and answer.choice is RecoveryChoice.RECOVER
    assert answer.sides == {
        "manuscript/chapter-01.md": Side.UNSAVED,
        "manuscript/chapter-02.md": Side.DISK,
        "manuscript/chapter-03.md": Side.DISK,  # a large removal is not proposed
    }


def test_snapshot_recovery_modal(snap_compare: Any) -> None:
    assert snap_compare(ModalApp(), terminal_size=(100, 40))
