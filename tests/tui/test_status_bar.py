"""The status bar in a real Textual app: every save state, the ticking age, costs."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.tui.conftest import SIZE, started, wait_until
from writers_factory.store import Preferences, Session
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.status_bar import StatusBar, describe_age

T0 = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class BarApp(App[None]):
    def __init__(self, clock: Clock, setup: Any = None) -> None:
        super().__init__()
        self.clock = clock
        self.setup = setup

    def compose(self) -> ComposeResult:
        yield StatusBar(clock=self.clock)

    def on_mount(self) -> None:
        if self.setup is not None:
            self.setup(self.query_one(StatusBar))


def shown(app: App[Any], selector: str) -> str:
    return str(app.query_one(selector, Static).content)


def test_describe_age() -> None:
    assert describe_age(0.4) == "just now"
    assert describe_age(12.9) == "12s ago"
    assert describe_age(125) == "2m ago"
    assert describe_age(7300) == "2h ago"


async def test_saved_age_ticks_every_second() -> None:
    clock = Clock(T0)
    app = BarApp(clock)
    async with app.run_test() as pilot:
        bar = app.query_one(StatusBar)
        assert shown(app, "#save-indicator") == "○ Not saved yet"
        bar.mark_saved(T0)
        assert shown(app, "#save-indicator") == "● Auto-saved just now"
        clock.now = T0 + timedelta(seconds=12)
        # no call from us: the bar's own one-second timer re-renders the age
        for _ in range(40):
            await pilot.pause(0.1)
            if shown(app, "#save-indicator") == "● Auto-saved 12s ago":
                break
        assert shown(app, "#save-indicator") == "● Auto-saved 12s ago"


async def test_dirty_failed_and_recovery_from_failure() -> None:
    clock = Clock(T0)
    app = BarApp(clock)
    async with app.run_test():
        bar = app.query_one(StatusBar)
        bar.mark_dirty()
        assert shown(app, "#save-indicator") == "● Unsaved changes"
        bar.mark_failed("disk full")
        assert shown(app, "#save-indicator") == "⚠ Auto-save failed — ctrl+s to retry"
        bar.mark_dirty()  # more typing must not hide the failure
        assert shown(app, "#save-indicator") == "⚠ Auto-save failed — ctrl+s to retry"
        assert app.query_one("#save-indicator").has_class("-failed")
        bar.mark_saved(T0)
        assert shown(app, "#save-indicator") == "● Auto-saved just now"
        assert not app.query_one("#save-indicator").has_class("-failed")


async def test_costs_and_budget_warning_colour() -> None:
    app = BarApp(Clock(T0))
    async with app.run_test():
        bar = app.query_one(StatusBar)
        bar.set_costs(Decimal("0.4213"), Decimal("3.1"))
        assert shown(app, "#cost") == "Session: $0.42 · Today: $3.10"
        assert not app.query_one("#cost").has_class("-warn")
        bar.set_costs(Decimal("41"), Decimal("41.5"), "Daily spend is at 83% of $50.00")
        assert shown(app, "#cost") == "⚠ Session: $41.00 · Today: $41.50"
        assert app.query_one("#cost").has_class("-warn")


def _saved(bar: StatusBar) -> None:
    bar.mark_saved(T0 - timedelta(seconds=12))
    bar.set_costs(Decimal("0.42"), Decimal("1.87"))


def _dirty(bar: StatusBar) -> None:
    bar.mark_dirty()
    bar.set_costs(Decimal("0.42"), Decimal("1.87"))


def _failed(bar: StatusBar) -> None:
    bar.mark_failed("No space left on device")
    bar.set_costs(Decimal("0.42"), Decimal("1.87"))


def _warn(bar: StatusBar) -> None:
    bar.mark_saved(T0 - timedelta(seconds=3))
    bar.set_costs(Decimal("12.30"), Decimal("41.50"), "Daily spend is at 83% of $50.00")
    bar.set_read_only(True)


def test_snapshot_saved(snap_compare: Any) -> None:
    assert snap_compare(BarApp(Clock(T0), _saved), terminal_size=(80, 3))


def test_snapshot_dirty(snap_compare: Any) -> None:
    assert snap_compare(BarApp(Clock(T0), _dirty), terminal_size=(80, 3))


def test_snapshot_failed(snap_compare: Any) -> None:
    assert snap_compare(BarApp(Clock(T0), _failed), terminal_size=(80, 3))


def test_snapshot_budget_warning_read_only(snap_compare: Any) -> None:
    assert snap_compare(BarApp(Clock(T0), _warn), terminal_size=(80, 3))


async def test_unsaved_marks_and_the_ticking_age_never_lay_the_screen_out() -> None:
    """Told "unsaved" on every keystroke and ticking every second: repaints only."""
    clock = Clock(T0)
    app = BarApp(clock)
    async with app.run_test() as pilot:
        bar = app.query_one(StatusBar)
        bar.mark_saved(T0)
        await pilot.pause()
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(app.screen, layouts.append, True)
        for _ in range(50):
            bar.mark_dirty()
        bar.mark_saved(T0)
        clock.now = T0 + timedelta(seconds=12)
        # the bar's own timer renders the new age
        await wait_until(pilot, lambda: shown(app, "#save-indicator") == "● Auto-saved 12s ago")
        await pilot.pause()
        assert layouts == []


async def test_on_disk_at_start_then_edits_undone_and_a_real_save() -> None:
    clock = Clock(T0)
    app = BarApp(clock)
    async with app.run_test():
        bar = app.query_one(StatusBar)
        bar.mark_on_disk(T0 - timedelta(hours=2))
        assert shown(app, "#save-indicator") == "● Saved 2h ago"
        assert app.query_one("#save-indicator").has_class("-saved")
        bar.mark_dirty()
        bar.mark_clean()  # typed and undone: the file is as it was
        assert shown(app, "#save-indicator") == "● Saved 2h ago"
        bar.mark_saved(T0)
        assert shown(app, "#save-indicator") == "● Auto-saved just now"
        bar.mark_on_disk(None)  # too late: what happened since is newer
        assert shown(app, "#save-indicator") == "● Auto-saved just now"
    nothing_open = BarApp(Clock(T0), setup=lambda bar: bar.mark_on_disk(None))
    async with nothing_open.run_test():
        assert shown(nothing_open, "#save-indicator") == "● All saved"


async def test_the_workspace_starts_saying_its_files_are_saved(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """It said "○ Not saved yet" for a whole auto-save interval after every start, although
    every file was on disk: now the newest open file's time, from the disk."""
    chapter = project / "manuscript" / "chapter-01.md"
    session = Session(project)
    session.open_file("manuscript/chapter-01.md", 0, 0)
    session.close_sync()
    prefs = Preferences(project / ".session")
    prefs.set_auto_save_interval(600)  # no save of this run can come first, however slow
    prefs.save_sync()
    written = datetime.now(UTC) - timedelta(hours=3)
    os.utime(chapter, (written.timestamp(), written.timestamp()))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await wait_until(pilot, lambda: shown(app, "#save-indicator") != "○ Not saved yet")
        assert shown(app, "#save-indicator") == "● Saved 3h ago"
