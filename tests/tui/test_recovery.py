"""Crash recovery at start, in the real app, after a real process was killed with SIGKILL."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp
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
    await asyncio.wait_for(app.ready.wait(), 30)
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
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RecoveryScreen)
        text = shown_text(screen)
        assert "⚠ Recovering it removes 94% of chapter-03.md" in text
        assert "+ The keeper woke, and the lamp was out." in text  # the preview
        assert "− The keeper slept." in text
        # the undecided file has the focus, not Recover
        assert screen.focused is screen.query_one("#side-1")
        await pilot.press("r")
        await pilot.pause()
        assert app.result == [] and "chapter-02.md" in shown_text(screen)
        await pilot.click("#side-1-disk")
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
