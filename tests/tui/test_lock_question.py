"""Someone else's lock on the project: the writer is asked, and each answer does what it says.

A lock from another host (a synced folder) and a live process on this machine that holds
no OS lock (an older version, a reused pid with no recorded start) can both be taken over;
read-only really refuses writes, take over really writes, quit touches nothing. A writer
whose project was taken over from another host finds out at its next save and stops.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Static

from tests.tui.conftest import SIZE, click_when_ready, ready_screen, wait_until
from tests.tui.test_recovery import settled
from tests.tui.test_saving import CHAPTER, exited, journal_text, open_chapter
from writers_factory.store.session import lock as locks
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.second_instance import SecondInstanceScreen

OTHER_HOST = "the-other-laptop"


def lock_path(project: Path) -> Path:
    return project / ".session" / "lock.json"


def every_file(project: Path) -> dict[str, bytes]:
    """Every file of the project with its bytes: "nothing touched" compares these."""
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file() and p.name != locks.OS_LOCK_NAME
    }


def place_lock(project: Path, *, host: str, pid: int, minutes_ago: float = 3) -> None:
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    info = locks.LockInfo(
        pid=pid,
        host=host,
        user="ada",
        process_start=None,  # unknown: an older version, or not readable on that system
        started_at=moment - timedelta(hours=1),
        heartbeat_at=moment,
        session_id="2026-11-21-081500",
    )
    lock_path(project).parent.mkdir(exist_ok=True)
    locks.write_lock(lock_path(project), info)


@pytest.fixture
def foreign_lock(project: Path) -> Path:
    place_lock(project, host=OTHER_HOST, pid=4242)
    return project


@pytest.fixture
def live_pid_without_os_lock(project: Path) -> Iterator[int]:
    """A live process on this machine named by lock.json, holding no OS lock."""
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=-1)
    try:
        place_lock(project, host=locks.hostname(), pid=other.pid, minutes_ago=0.5)
        yield other.pid
    finally:
        assert other.stdin is not None
        other.stdin.close()
        other.wait(timeout=30)


def detail(screen: SecondInstanceScreen) -> str:
    return str(screen.query_one(".detail", Static).content)


async def type_and_save(app: WritersFactoryApp, pilot: Pilot[Any], words: str) -> None:
    await open_chapter(pilot)
    await pilot.press(*words)
    await pilot.press("ctrl+s")


async def test_foreign_lock_asks_with_host_user_pid_and_age(
    make_app: Callable[[], WritersFactoryApp], foreign_lock: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready_screen(pilot, SecondInstanceScreen)
        shown = detail(screen)
        for part in (OTHER_HOST, "ada", "4242", "3 minutes ago", "another computer"):
            assert part in shown
        assert {b.id for b in screen.query(Button)} == {"read-only", "take-over", "quit"}
        await pilot.press("q")
        await exited(app)


async def test_foreign_lock_read_only_refuses_every_write(
    make_app: Callable[[], WritersFactoryApp], foreign_lock: Path
) -> None:
    before = every_file(foreign_lock)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, SecondInstanceScreen)
        await pilot.press("r")
        await settled(pilot)
        assert app.session.read_only and app.saving is not None and not app.saving.enabled
        await open_chapter(pilot)
        area = app.editor.active
        assert area is not None and area.read_only
        await pilot.press(*"typed")
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        await pilot.press("ctrl+q")
        await exited(app)
    assert every_file(foreign_lock) == before  # lock, state, chapter: not a byte changed
    assert journal_text(foreign_lock) is None


async def test_foreign_lock_take_over_writes_and_records_whose_lock_it_was(
    make_app: Callable[[], WritersFactoryApp], foreign_lock: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, SecondInstanceScreen)
        await pilot.press("t")
        await settled(pilot)
        assert not app.session.read_only
        info, _ = locks.read_lock(lock_path(foreign_lock))
        assert info is not None and info.host == locks.hostname()
        assert info.taken_over_from is not None
        assert (info.taken_over_from.host, info.taken_over_from.pid) == (OTHER_HOST, 4242)
        await type_and_save(app, pilot, "Mine now.")
        await wait_until(pilot, lambda: "Mine now." in (foreign_lock / CHAPTER).read_text())
        await pilot.press("ctrl+q")
        await exited(app)
    assert not lock_path(foreign_lock).exists()  # closed cleanly, as any owner does


async def test_foreign_lock_quit_touches_nothing(
    make_app: Callable[[], WritersFactoryApp], foreign_lock: Path
) -> None:
    before = every_file(foreign_lock)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, SecondInstanceScreen)
        await pilot.press("q")
        await exited(app)
    assert app.return_code == 0
    assert every_file(foreign_lock) == before


async def test_live_pid_with_no_recorded_start_can_be_taken_over(
    make_app: Callable[[], WritersFactoryApp], project: Path, live_pid_without_os_lock: int
) -> None:
    """Not read-only for ever: the OS lock is free, so the writer may take the project."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready_screen(pilot, SecondInstanceScreen)
        assert str(live_pid_without_os_lock) in detail(screen)
        assert "this computer" in detail(screen)
        await click_when_ready(pilot, "#take-over", SecondInstanceScreen)
        await settled(pilot)
        assert not app.session.read_only
        await type_and_save(app, pilot, "Back at it.")
        await wait_until(pilot, lambda: "Back at it." in (project / CHAPTER).read_text())
        await pilot.press("ctrl+q")
        await exited(app)


async def test_displaced_writer_stops_writing_when_another_host_takes_over(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    on_disk = (project / CHAPTER).read_text()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        ours, _ = locks.read_lock(lock_path(project))
        assert ours is not None
        # another computer sharing the folder takes the project over: its lock replaces ours
        place_lock(project, host=OTHER_HOST, pid=4242, minutes_ago=0)
        theirs = lock_path(project).read_bytes()
        state = (project / ".session" / "current.json").read_bytes()
        await type_and_save(app, pilot, "Too late.")
        await wait_until(pilot, lambda: app.session.taken_over_by is not None)
        assert app.saving is not None and not app.saving.enabled
        area = app.editor.active
        assert area is not None and area.read_only
        assert app.query_one("#read-only").has_class("-on")
        assert app.workspace.history is not None and app.workspace.history.read_only
        assert app.preferences.read_only
        history = (project / ".session" / "history.json").read_bytes()
        await pilot.press("ctrl+q")
        await exited(app)
    # nothing of ours went over the new owner's project: not the chapter, state, lock
    assert (project / CHAPTER).read_text() == on_disk
    assert (project / ".session" / "current.json").read_bytes() == state
    assert lock_path(project).read_bytes() == theirs
    assert (project / ".session" / "history.json").read_bytes() == history
