"""Auto-save switched off and on, and re-timed, while the app runs: at once, and remembered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import SIZE, palette_offers, ready_screen, started, wait_until
from tests.tui.test_saving import indicator, journal_text, open_chapter, saving, set_interval
from tests.tui.test_writing_activity import entry_on_disk, open_file, type_and_save
from writers_factory.store.preferences.preferences import Preferences
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.controllers.autosave import parse_interval
from writers_factory.tui.screens.file_modals import NameModal

CHAPTER = "manuscript/chapter-01.md"


def preferences_on_disk(project: Path) -> Preferences:
    return Preferences(project / ".session", read_only=True)


def count_ticks(app: WritersFactoryApp) -> list[int]:
    """Count the auto-save timer's ticks (the timer is made afresh by each change)."""
    coordinator = saving(app)
    ticks = [0]
    tick = coordinator._tick

    def counted() -> None:
        ticks[0] += 1
        tick()

    coordinator._tick = counted  # type: ignore[method-assign]
    return ticks


async def run_palette(pilot: Pilot[Any], title: str) -> None:
    await pilot.press("ctrl+p")
    await ready_screen(pilot, CommandPalette, focused="CommandInput")
    await pilot.press(*title)
    await palette_offers(pilot, title)
    await pilot.press("enter")


async def test_switched_off_from_the_palette_the_timer_writes_no_document_then_on_again(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    set_interval(project, 1)
    on_disk = (project / CHAPTER).read_text()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        ticks = count_ticks(app)
        await run_palette(pilot, "Auto-save: switch on/off")
        await wait_until(pilot, lambda: not saving(app).auto_save_on)
        await wait_until(pilot, lambda: not preferences_on_disk(project).data.auto_save_enabled)
        area = await open_chapter(pilot)
        await pilot.press(*"Kept.")
        await wait_until(pilot, lambda: journal_text(project) == area.text)  # still journaled
        seen = ticks[0]
        await wait_until(pilot, lambda: ticks[0] >= seen + 2)  # two auto-save ticks went by
        assert area.dirty and (project / CHAPTER).read_text() == on_disk

        app.set_auto_save(enabled=True)  # the API: on again, at once
        await wait_until(pilot, lambda: (project / CHAPTER).read_text() == area.text)
        await wait_until(pilot, lambda: indicator(app).startswith("● Auto-saved"))
        await wait_until(pilot, lambda: preferences_on_disk(project).data.auto_save_enabled)


async def test_the_interval_changes_at_once_for_auto_save_and_the_history(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    set_interval(project, 600)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert saving(app).interval == 600 and app.writing.save_every == 600  # from prefs
        area = await open_chapter(pilot)
        await pilot.press(*"Soon.")
        app.set_auto_save(interval=1)
        assert saving(app).interval == 1 and app.writing.save_every == 1
        # saved by the timer a second later, not ten minutes later
        await wait_until(pilot, lambda: (project / CHAPTER).read_text() == area.text)
        await wait_until(pilot, lambda: preferences_on_disk(project).data.auto_save_interval == 1)
        with pytest.raises(ValueError, match="at least 1 second"):
            app.set_auto_save(interval=0.5)


async def test_the_interval_is_asked_from_the_palette(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await run_palette(pilot, "Auto-save: interval")
        await ready_screen(pilot, NameModal, focused="Input")
        field = app.screen.query_one(Input)
        assert field.value == "30"  # the interval now, to edit
        field.value = ""
        await pilot.press(*"2m", "enter")
        await wait_until(pilot, lambda: saving(app).interval == 120)
        assert app.writing.save_every == 120


def test_intervals_are_read_in_seconds_or_minutes() -> None:
    assert parse_interval("45") == 45 and parse_interval("45s") == 45
    assert parse_interval(" 2 m") == 120
    for bad in ("soon", "0", "nan", "-3", "inf"):
        with pytest.raises(ValueError):
            parse_interval(bad)


async def test_the_history_lists_files_of_every_tracked_folder(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        session_id = app.session.session_id
        notes = await open_file(pilot, app, "reference/characters.md")
        await type_and_save(pilot, app, notes, "\n\nNoni keeps the light.")
        report = project / "output" / "reports" / "voice-test.md"
        report.write_text("# Voice test\n")
        (project / "planning" / "beats.md").write_text("- storm\n")
        history = app.writing.history
        assert history is not None and history.current is not None
        current = history.current
        await wait_until(pilot, lambda: "output/reports/voice-test.md" in current.files_created)
        await wait_until(pilot, lambda: "planning/beats.md" in current.files_created)
        assert current.files_modified == ["reference/characters.md"]
        assert current.words_added == 0  # notes are listed, their words are not counted
        app.writing.save_soon()
        await wait_until(pilot, lambda: not app.writing.busy)
    entry = entry_on_disk(project, session_id)
    assert entry is not None
    assert "output/reports/voice-test.md" in entry.files_created
    assert "reference/characters.md" in entry.files_modified
