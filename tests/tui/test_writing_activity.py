"""Session history and statistics in the real app: words counted at saves, written as it goes.

Saves go through the real ``SaveCoordinator`` with the app's ``remember`` hook, exactly the
path auto-save takes; ``history.json`` is read back from disk with a fresh reader.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from tests.tui.conftest import PATIENCE, SIZE, ready_screen, started, wait_until
from writers_factory.store import Preferences, SessionHistory
from writers_factory.store.history.models import HistoryEntry
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.commands import workspace_commands
from writers_factory.tui.controllers.saving import SaveCoordinator
from writers_factory.tui.screens.statistics import StatisticsScreen
from writers_factory.tui.widgets.editor import BufferArea
from writers_factory.tui.widgets.status_bar import StatusBar

CHAPTER = "manuscript/chapter-01.md"
NOTES = "planning/outline.md"
WAIT = PATIENCE


def entry_on_disk(project: Path, session_id: str) -> HistoryEntry | None:
    history = SessionHistory(project / ".session", read_only=True)
    return next((e for e in history.sessions if e.session_id == session_id), None)


def saver(app: WritersFactoryApp) -> SaveCoordinator:
    """The app's own save coordinator (its ``remember`` is the watcher's hook)."""
    assert app.saving is not None
    return app.saving


async def open_file(pilot: Pilot[Any], app: WritersFactoryApp, relative: str) -> BufferArea:
    await app.open_path(app.project / relative)
    area = app.editor.find(Path(relative))
    assert area is not None
    area.move_cursor(area.document.end)
    await pilot.pause()
    return area


async def type_and_save(
    pilot: Pilot[Any], app: WritersFactoryApp, area: BufferArea, text: str
) -> None:
    area.insert(text)
    # the app has taken the edit in (its handlers mark the status bar), not only the editor
    bar = app.query_one(StatusBar)
    await wait_until(pilot, lambda: area.dirty and bar.save_text() == "● Unsaved changes")
    report = await saver(app).save_all()
    assert report.ok and report.saved == [area.disk.path]
    await wait_until(pilot, lambda: not app.writing.busy, WAIT)


async def test_activity_after_a_write_leaves_no_write_pending_until_the_timer(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """Typing after a history write only notes activity: nothing waits on it (it was busy
    for a whole interval), and the next write takes it along."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.writing.set_interval(3600)  # the timer never fires during the test
        session_id = app.session.session_id
        chapter = await open_file(pilot, app, CHAPTER)
        await type_and_save(pilot, app, chapter, "\n\nShe climbed the stairs slowly.")
        history = app.writing.history
        assert history is not None and history.current is not None
        later = datetime.now(UTC) + timedelta(minutes=1)
        history.record_activity(later)  # what a keystroke after the write records
        assert history.has_changes()
        await wait_until(pilot, lambda: not app.writing.busy, WAIT)
        app.writing.save_soon()
        await wait_until(pilot, lambda: not app.writing.busy, WAIT)
        entry = entry_on_disk(project, session_id)
        assert entry is not None and entry.last_activity == later


async def test_typing_and_saving_writes_the_words_into_history_json(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        session_id = app.session.session_id
        entry = entry_on_disk(project, session_id)
        assert entry is not None and entry.end_time is None  # begun and written at start
        assert entry.words_added == 0

        chapter = await open_file(pilot, app, CHAPTER)
        await type_and_save(pilot, app, chapter, "\n\nShe climbed the stairs slowly.")
        entry = entry_on_disk(project, session_id)
        assert entry is not None
        assert (entry.words_added, entry.words_removed) == (5, 0)
        assert entry.files_modified == [CHAPTER]

        # the count starts from the last save: the first five words are not counted again
        await type_and_save(pilot, app, chapter, " Then she stopped.")
        entry = entry_on_disk(project, session_id)
        assert entry is not None
        assert (entry.words_added, entry.words_removed) == (5 + 3, 0)

        # notes do not count towards the words, but the file is still listed
        notes = await open_file(pilot, app, NOTES)
        await type_and_save(pilot, app, notes, "\n- a storm in act two")
        entry = entry_on_disk(project, session_id)
        assert entry is not None and entry.words_added == 8
        assert sorted(entry.files_modified) == [CHAPTER, NOTES]

        await pilot.press("ctrl+q")
    entry = entry_on_disk(project, session_id)
    assert entry is not None and entry.end_time is not None and not entry.interrupted
    assert entry.words_added == 8


async def test_words_changed_and_removed_are_counted_separately(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        chapter = await open_file(pilot, app, CHAPTER)
        await type_and_save(pilot, app, chapter, "\n\nThe old keeper waited.")
        end = chapter.document.end
        start = (end[0], 0)
        chapter.replace("The young keeper", start, (end[0], len("The old keeper")))
        await type_and_save(pilot, app, chapter, "")
        entry = entry_on_disk(project, app.session.session_id)
        assert entry is not None
        assert (entry.words_added, entry.words_removed) == (4 + 1, 1)


async def test_a_file_changed_outside_is_listed_but_adds_no_words(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        chapter = await open_file(pilot, app, CHAPTER)
        (project / CHAPTER).write_text("# The Lighthouse\n\nOne two three four five six.\n")
        await wait_until(pilot, lambda: "six" in chapter.text, WAIT)
        (project / "manuscript" / "chapter-02.md").write_text("Seven eight.\n")
        history = app.writing.history
        assert history is not None and history.current is not None
        current = history.current
        await wait_until(pilot, lambda: "manuscript/chapter-02.md" in current.files_created, WAIT)
        assert CHAPTER in current.files_modified
        # the reloaded text is the new starting point: only the writer's words count
        chapter.move_cursor(chapter.document.end)
        await type_and_save(pilot, app, chapter, "Seven.")
        assert current.words_added == 1


async def test_statistics_open_from_their_key_and_the_palette(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        chapter = await open_file(pilot, app, CHAPTER)
        await type_and_save(pilot, app, chapter, "\n\nThe lamp turned all night.")
        await pilot.press("f10")
        await ready_screen(pilot, StatisticsScreen)
        summary = str(app.screen.query_one("#stats-summary", Static).content)
        assert summary.startswith("Today 5 words")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, StatisticsScreen))
        assert ("Writing statistics", "Words per day, streaks and sessions", "statistics") in (
            workspace_commands()
        )
        await app.run_action("statistics")
        await ready_screen(pilot, StatisticsScreen)
        await pilot.pause()
        await app.run_action("statistics")  # already showing: not stacked twice
        await pilot.pause()
        assert sum(isinstance(s, StatisticsScreen) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, StatisticsScreen))


async def test_the_status_bar_shows_progress_to_the_daily_target(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    prefs = Preferences(project / ".session")
    prefs.set_daily_word_target(20)
    prefs.save_sync()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        progress = app.query_one(StatusBar).query_one("#progress", Static)
        await wait_until(pilot, lambda: str(progress.content) == "Today 0/20 words · 0%")
        chapter = await open_file(pilot, app, CHAPTER)
        await type_and_save(pilot, app, chapter, "\n\nThe lamp turned all night.")
        assert str(progress.content) == "Today 5/20 words · 25%"
        assert progress.display


async def test_a_save_counts_words_on_its_own_text_without_comparing_again(
    make_app: Callable[[], WritersFactoryApp], project: Path, monkeypatch: Any
) -> None:
    """Counted in compares, not timed: from the second save on, the words hook gets the text
    the save encoded (not the bytes decoded back: that was a new string) and the common
    ends the save's encoding found; the count compares the two texts no more."""
    from writers_factory.core import wordcount

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        chapter = await open_file(pilot, app, CHAPTER)
        await type_and_save(pilot, app, chapter, "\n\nThe old keeper waited.")
        compared: list[int] = []
        hooked = threading.local()  # only the save's hook counts (snapshots count words too)
        real, real_saved = wordcount.common_ends, app.writing.saved

        def counting(old: str, new: str) -> Any:
            if getattr(hooked, "on", False):
                compared.append(len(new))
            return real(old, new)

        def saved(*args: Any) -> None:
            hooked.on = True
            try:
                real_saved(*args)
            finally:
                hooked.on = False

        monkeypatch.setattr(wordcount, "common_ends", counting)
        monkeypatch.setattr(app.writing, "saved", saved)
        await type_and_save(pilot, app, chapter, " Then the bell rang.")
        entry = entry_on_disk(project, app.session.session_id)
        assert entry is not None
        assert (entry.words_added, entry.words_removed) == (4 + 4, 0)
        assert compared == [], "the count took the save's common ends"


class ComparedBySaves:
    """Characters compared within each save of one buffer, on the save's own thread (its
    encoding and its words hook; not the snapshots' counts, which run beside it)."""

    def __init__(self, area: BufferArea) -> None:
        from writers_factory.core.common_ends import compared_by_thread

        self.saves: list[int] = []
        real = area.disk.save

        def save(*args: Any, **kwargs: Any) -> Any:
            here = threading.get_ident()
            before = compared_by_thread[here]
            try:
                return real(*args, **kwargs)
            finally:
                self.saves.append(compared_by_thread[here] - before)

        area.disk.save = save  # type: ignore[method-assign]


async def test_a_save_compares_only_where_the_writer_edited_and_counts_the_same_words(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """Counted in characters compared, not timed: once the chapter was saved, a save after a
    word typed in its middle compares the edited window (the editor tells where it edited
    since), not the chapter; undoing, replacing across the whole text and a reload stay
    right (the words are those of comparing the whole texts; a reload compares whole)."""
    paragraph = "The rain fell on the roofs of the harbour town all night long.\n\n"
    (project / CHAPTER).write_text(paragraph * 2_000, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        session_id = app.session.session_id
        chapter = await open_file(pilot, app, CHAPTER)
        compared = ComparedBySaves(chapter)
        await type_and_save(pilot, app, chapter, "\n\nThe end.")  # the first save: whole
        chapter.move_cursor((2_000, 0))
        await type_and_save(pilot, app, chapter, "Gulls ")
        assert compared.saves[-1] <= 100, "the word's window, not the chapter"
        assert (project / CHAPTER).read_text(encoding="utf-8") == chapter.text
        entry = entry_on_disk(project, session_id)
        assert entry is not None and (entry.words_added, entry.words_removed) == (2 + 1, 0)

        chapter.undo()  # the word goes again: through the same edits, backwards
        await wait_until(pilot, lambda: chapter.dirty)
        report = await saver(app).save_all()
        assert report.saved == [chapter.disk.path]
        await wait_until(pilot, lambda: not app.writing.busy, WAIT)
        assert compared.saves[-1] <= 100
        assert (project / CHAPTER).read_text(encoding="utf-8") == chapter.text
        entry = entry_on_disk(project, session_id)
        assert entry is not None and (entry.words_added, entry.words_removed) == (3, 1)

        # one edit from the first line to the last: the window is the whole text
        chapter.replace("Rain.", (0, 0), chapter.document.end)
        await wait_until(pilot, lambda: chapter.dirty)
        report = await saver(app).save_all()
        await wait_until(pilot, lambda: not app.writing.busy, WAIT)
        assert (project / CHAPTER).read_text(encoding="utf-8") == "Rain."
        entry = entry_on_disk(project, session_id)
        assert entry is not None
        assert (entry.words_added, entry.words_removed) == (3 + 1, 1 + 13 * 2_000 + 2)

        chapter.show_disk_text("Snow fell.\n")  # a reload: no window known, the whole compare
        chapter.move_cursor(chapter.document.end)
        await type_and_save(pilot, app, chapter, " Then rain.")
        assert (project / CHAPTER).read_text(encoding="utf-8") == "Snow fell.\n Then rain."


async def test_typed_and_undone_back_to_the_saved_text_then_typed_saves_its_window(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """Text typed and deleted again leaves the chapter as saved (clean, nothing to save);
    the window the next save compares starts there, and the bytes and words are right."""
    paragraph = "The rain fell on the roofs of the harbour town all night long.\n\n"
    (project / CHAPTER).write_text(paragraph * 1_000, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        session_id = app.session.session_id
        chapter = await open_file(pilot, app, CHAPTER)
        compared = ComparedBySaves(chapter)
        await type_and_save(pilot, app, chapter, "\n\nThe end.")
        chapter.move_cursor((10, 0))
        chapter.insert("Fog ")
        await wait_until(pilot, lambda: chapter.dirty)
        chapter.replace("", (10, 0), (10, 4))  # deleted again: the saved text, clean
        await wait_until(pilot, lambda: not chapter.dirty)
        chapter.move_cursor((1_200, 0))
        await type_and_save(pilot, app, chapter, "Gulls ")
        assert compared.saves[-1] <= 100
        assert (project / CHAPTER).read_text(encoding="utf-8") == chapter.text
        entry = entry_on_disk(project, session_id)
        assert entry is not None and (entry.words_added, entry.words_removed) == (2 + 1, 0)
