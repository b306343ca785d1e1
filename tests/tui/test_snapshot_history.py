"""Snapshots in the real app: taken at start and after saves without anyone waiting, by
hand from the palette with a message; the history screen shows the timeline and a coloured
diff, restores as an edit ctrl+z takes back (the present kept first), brings back a deleted
file, and shows what was written today."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from tests.tui.conftest import SIZE, palette_offers, ready_screen, started, wait_until
from tests.tui.test_saving import open_chapter
from writers_factory.store.snapshots.reading import file_text, walk
from writers_factory.store.snapshots.repository import SnapshotRepository
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.file_modals import NameModal
from writers_factory.tui.screens.history import HistoryScreen

CHAPTER = "manuscript/chapter-01.md"


def repository(project: Path) -> SnapshotRepository:
    return SnapshotRepository(project / ".session")


def triggers(project: Path) -> list[str]:
    repo = repository(project)
    if repo.head() is None:
        return []
    return [info.meta.trigger for info in walk(repo)]


async def idle(pilot: Pilot[Any], app: WritersFactoryApp) -> None:
    await wait_until(pilot, lambda: not app.snapshots.busy)


async def run_palette(pilot: Pilot[Any], text: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.press(*text)
    await palette_offers(pilot, text)
    await pilot.press("enter")


async def test_start_save_by_hand_history_and_undoable_restore(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await idle(pilot, app)
        assert triggers(project) == ["session-start"]
        original = (project / CHAPTER).read_text()

        area = await open_chapter(pilot)
        await pilot.press(*" The storm broke.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "The storm broke." in (project / CHAPTER).read_text())
        await wait_until(pilot, lambda: triggers(project)[:1] == ["autosave"])

        await run_palette(pilot, "Snapshot now")
        modal = await ready_screen(pilot, NameModal, focused="Input")
        modal.query_one(Input).value = "end of the storm"
        await pilot.press("enter")
        await wait_until(pilot, lambda: triggers(project)[:1] == ["manual"])
        head = next(walk(repository(project)))
        assert head.meta.message == "end of the storm"

        await pilot.press("alt+h")  # the open chapter's history
        screen = await ready_screen(pilot, HistoryScreen)
        await wait_until(pilot, lambda: screen.loaded)
        timeline = screen.query_one(OptionList)
        assert timeline.option_count == 2  # start and the save changed it; by hand did not
        timeline.highlighted = timeline.option_count - 1  # the oldest: the session start
        oldest = screen.entries[-1].id
        await wait_until(pilot, lambda: screen.diff_for == oldest)
        diff = screen.query_one("#history-diff-text", Static).render()
        assert "+" in str(diff) and "The storm broke." in str(diff)

        await pilot.press("r")
        await wait_until(pilot, lambda: not isinstance(app.screen, HistoryScreen))
        assert area.text == original
        assert triggers(project)[0] == "before-restore"
        kept = next(walk(repository(project)))
        kept_text = file_text(repository(project), kept.id, CHAPTER)
        assert kept_text is not None and "The storm broke." in kept_text
        area.focus()
        await pilot.press("ctrl+z")  # the restore was one edit
        await wait_until(pilot, lambda: "The storm broke." in area.text)


async def test_deleted_file_comes_back_and_today_shows_the_days_words(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    extra = project / "manuscript" / "chapter-02.md"
    extra.write_text("A chapter I will regret deleting.\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await idle(pilot, app)
        extra.unlink()
        await run_palette(pilot, "Restore a deleted file")
        screen = await ready_screen(pilot, HistoryScreen)
        await wait_until(pilot, lambda: screen.loaded)
        assert [e.path for e in screen.entries] == ["manuscript/chapter-02.md"]
        await pilot.press("r")
        await wait_until(pilot, extra.exists)
        assert extra.read_text() == "A chapter I will regret deleting.\n"
        await wait_until(pilot, lambda: app.editor.find(Path("manuscript/chapter-02.md")))

        await idle(pilot, app)
        area = await open_chapter(pilot)
        await pilot.press(*" Words of today.")
        await run_palette(pilot, "What I wrote today")
        today = await ready_screen(pilot, HistoryScreen)
        await wait_until(pilot, lambda: today.loaded)
        shown = str(today.query_one("#history-diff-text", Static).render())
        # typed a moment ago: in the diff whether a save has written them yet or not
        assert "Words of today." in shown, (area.dirty, shown[-400:])
