"""Another live Writers Factory holds the project: open read-only or quit, never take over."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button, Static

from tests.holding import held_open
from tests.tui.conftest import SIZE, ready_screen, wait_until
from tests.tui.test_recovery import settled
from tests.tui.test_saving import CHAPTER, exited, journal_text
from writers_factory.store.session import lock as locks
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.second_instance import (
    SecondInstanceChoice,
    SecondInstanceScreen,
)


@pytest.fixture
def other_instance(project: Path) -> Iterator[int]:
    """A real second process that has the project open until the test ends."""
    with held_open(project) as holder:
        yield holder.pid


def lock_owner(project: Path) -> int | None:
    info, _ = locks.read_lock(project / ".session" / "lock.json")
    return None if info is None else info.pid


async def test_open_read_only_writes_nothing(
    make_app: Callable[[], WritersFactoryApp], project: Path, other_instance: int
) -> None:
    on_disk = (project / CHAPTER).read_text()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready_screen(pilot, SecondInstanceScreen)
        assert f"Process:     {other_instance}" in str(screen.query_one(".detail", Static).content)
        # it holds the OS lock: a live Writers Factory is never taken over, nor its lock deleted
        assert {b.id for b in screen.query(Button)} == {"read-only", "quit"}
        await pilot.press("t")  # not offered: the key does nothing
        assert app.screen is screen
        await pilot.press("r")
        await settled(pilot)
        assert app.saving is not None and not app.saving.enabled
        assert app.query_one("#read-only").has_class("-on")
        await app.open_path(project / CHAPTER)
        await wait_until(pilot, lambda: app.editor.active is not None)
        area = app.editor.active
        assert area is not None and area.read_only
        area.focus()
        await pilot.press(*"typed")
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert area.text == on_disk
        await pilot.press("ctrl+q")
    assert (project / CHAPTER).read_text() == on_disk
    assert journal_text(project) is None
    assert lock_owner(project) == other_instance  # the other instance's lock is untouched


async def test_quit_leaves_the_other_instance_alone(
    make_app: Callable[[], WritersFactoryApp], project: Path, other_instance: int
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, SecondInstanceScreen)
        await pilot.press("q")
        await exited(app)
    assert app.return_code == 0
    assert lock_owner(project) == other_instance


class ModalApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.result: list[SecondInstanceChoice | None] = []

    def compose(self) -> ComposeResult:
        yield Static("The workspace behind the question.")

    def on_mount(self) -> None:
        screen = SecondInstanceScreen(
            pid=4242,
            host="writing-desk",
            user="ada",
            started_at=datetime(2026, 11, 21, 8, 15, 0, tzinfo=UTC),
            heartbeat_at=datetime(2026, 11, 21, 9, 41, 30, tzinfo=UTC),
            foreign=True,
            can_take_over=True,
            now=datetime(2026, 11, 21, 9, 53, 30, tzinfo=UTC),
        )
        self.push_screen(screen, callback=self.result.append)


def test_snapshot_second_instance(snap_compare: Any) -> None:
    assert snap_compare(ModalApp(), terminal_size=(90, 24))
