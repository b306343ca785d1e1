"""The targets dialog in the real app: reached by key and palette, inline messages for
what is mistyped, kept in preferences.json, followed by the status bar; and its snapshot."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Label

from tests.tui.conftest import SIZE, palette_offers, ready_screen, started, wait_until
from writers_factory.core.wordcount import count_words
from writers_factory.store import Preferences
from writers_factory.store.preferences.author_setting import settings_path
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.targets import TargetsScreen
from writers_factory.tui.widgets.status_bar import Part, StatusBar

CHAPTER = "manuscript/chapter-01.md"
TODAY = date(2026, 12, 2)
FROZEN = datetime(2026, 1, 1, tzinfo=UTC)


async def open_chapter(pilot: Pilot[Any], app: WritersFactoryApp) -> None:
    await app.open_path(app.project / CHAPTER)
    area = app.editor.active
    assert area is not None
    area.cursor_blink = False
    app.targets.today = lambda: TODAY
    words = count_words(area.text)
    part = app.query_one("#words", Part)
    await wait_until(pilot, lambda: part.shown.startswith((f"{words:,} words", f"{words:,}/")))


async def fill(pilot: Pilot[Any], screen: TargetsScreen, field: str, text: str) -> None:
    box = screen.query_one(f"#target-{field}", Input)
    box.value = text
    await pilot.pause()


def error(screen: TargetsScreen, field: str) -> str:
    return str(screen.query_one(f"#target-{field}-error", Label).content)


async def test_targets_are_set_from_the_dialog_with_inline_messages(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_chapter(pilot, app)
        chapter_words = count_words((project / CHAPTER).read_text())
        # no target: the status bar shows the day's words without "met"
        assert "✓" not in app.query_one("#progress", Part).shown

        await pilot.press("alt+t")
        screen = await ready_screen(pilot, TargetsScreen, focused="#target-daily")
        assert "No targets set yet." in str(
            screen.query_one("#targets-progress").children[0].render()
        )
        await fill(pilot, screen, "daily", "lots")
        await fill(pilot, screen, "deadline", "2026-11-30")
        await fill(pilot, screen, "chapter", "0")
        await pilot.click("#ok")
        assert app.screen is screen  # still open, every mistake named beside its field
        assert "whole number of words" in error(screen, "daily")
        assert "at least 1 word" in error(screen, "chapter")
        assert "2026-11-30 has passed" in error(screen, "deadline")
        assert error(screen, "session") == ""

        await fill(pilot, screen, "daily", "500")
        await fill(pilot, screen, "session", "")
        await fill(pilot, screen, "chapter", "3,000")
        await fill(pilot, screen, "manuscript", "80000")
        await fill(pilot, screen, "deadline", "2027-03-01")
        screen.query_one("#target-deadline", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, TargetsScreen))
        await wait_until(
            pilot, lambda: Preferences(project / ".session").data.targets.chapters != {}
        )

        saved = Preferences(project / ".session").data
        assert saved.daily_word_target == 500
        assert saved.targets.manuscript_words == 80_000
        assert saved.targets.deadline == date(2027, 3, 1)
        assert saved.targets.session_words is None
        assert saved.targets.chapters == {CHAPTER: 3000}
        await wait_until(
            pilot, lambda: app.query_one("#progress", Part).shown == "Today 0/500 words · 0%"
        )
        await wait_until(
            pilot,
            lambda: app.query_one("#words", Part).shown == f"{chapter_words:,}/3,000 words",
        )

        # reached from the palette too, showing the progress with words a day needed
        await pilot.press("ctrl+p")
        await pilot.press(*"Writing targets")
        await palette_offers(pilot, "Writing targets")
        await pilot.press("enter")
        screen = await ready_screen(pilot, TargetsScreen, focused="#target-daily")
        lines = [str(w.render()) for w in screen.query(".target-line")]
        assert lines[0] == "Today 0/500 words · 0%"
        assert (
            lines[1]
            == f"chapter-01.md {chapter_words:,}/3,000 words · {chapter_words * 100 // 3000}%"
        )
        assert lines[2].startswith("Manuscript ") and "a day to 2027-03-01" in lines[2]
        assert screen.query_one("#target-chapter", Input).value == "3000"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, TargetsScreen))


async def test_selection_words_in_the_status_bar(
    make_app: Callable[[], WritersFactoryApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_chapter(pilot, app)
        area = app.editor.active
        assert area is not None
        total = count_words(area.text)
        counts = app.open_words.counts
        area.focus()
        await pilot.press("ctrl+home", "shift+down")
        selected = count_words(area.selected_text)
        assert selected > 0
        part = app.query_one("#words", Part)
        await wait_until(pilot, lambda: part.shown == f"{selected:,} of {total:,} words")
        assert app.open_words.counts == counts  # a selection does not count the file again
        await pilot.press("down")
        await wait_until(pilot, lambda: part.shown == f"{total:,} words")
        await pilot.press("end", "space", "n", "e", "w")
        await wait_until(pilot, lambda: part.shown == f"{total + 1:,} words")


def test_targets_view_snapshot(
    snap_compare: Callable[..., bool],
    make_app: Callable[[], WritersFactoryApp],
    project: Path,
) -> None:
    prefs = Preferences(project / ".session")
    prefs.set("daily_word_target", 500)
    prefs.set("targets.session_words", 250)
    prefs.set("targets.manuscript_words", 80_000)
    prefs.set("targets.deadline", date(2027, 3, 1))
    prefs.set("targets.chapters", {CHAPTER: 3000})
    prefs.save_sync()

    async def prepare(pilot: Pilot[Any]) -> None:
        app = await started(pilot)
        await open_chapter(pilot, app)
        app.clear_notifications()
        bar = app.query_one(StatusBar)
        bar.clock = lambda: FROZEN  # the save age reads "just now" however slow the run
        bar.mark_saved(FROZEN)
        progress = app.query_one("#progress", Part)
        await wait_until(pilot, lambda: progress.shown == "Today 0/500 words · 0%")
        assert "This session 0/250 words · 0%" in str(progress.tooltip)
        await pilot.press("alt+t")
        screen = await ready_screen(pilot, TargetsScreen, focused="#target-daily")
        for box in screen.query(Input):
            box.cursor_blink = False  # the picture never catches a blink half-way
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 40), run_before=prepare)


async def test_a_target_from_the_user_settings_stays_theirs_when_another_is_set(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    user_file = settings_path()
    user_file.parent.mkdir(parents=True, exist_ok=True)
    user_file.write_text(json.dumps({"schema_version": 1, "daily_word_target": 800}))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_chapter(pilot, app)
        shown = app.targets.settings(Path(CHAPTER))
        assert shown.daily == 800  # the dialog shows the writer's own daily target
        await app.targets.apply(shown.model_copy(update={"chapter": 500}), Path(CHAPTER))
        prefs = Preferences(project / ".session", read_only=True)
        assert prefs.data.targets.chapters == {CHAPTER: 500}
        # it was copied into the project, and a new daily target for all projects missed it
        assert prefs.source("daily_word_target") == "user"
