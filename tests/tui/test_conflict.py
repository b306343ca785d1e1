"""A file changed outside the app is never overwritten without the writer's choice.

The project watcher also notices outside changes; these tests stop it first, to prove the
check made at save time protects the file on its own (watchers miss changes on some
filesystems, and a change can land between the last event and the save).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from tests.tui.conftest import SIZE, click_when_ready, ready_screen, started, wait_until
from tests.tui.test_saving import CHAPTER, journal_text, open_chapter
from writers_factory.store.manuscript.buffers import DiskState
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.conflict import ConflictChoice, ConflictScreen
from writers_factory.tui.widgets.editor import BufferArea

THEIRS = "# Chapter One\n\nWritten in another editor.\n"


async def conflict_on_save(
    pilot: Pilot[Any], project: Path, *, delete: bool = False
) -> tuple[WritersFactoryApp, BufferArea, str]:
    app = pilot.app
    assert isinstance(app, WritersFactoryApp)
    await started(pilot)
    await app.project_watch.stop()
    area = await open_chapter(pilot)
    await pilot.press(*"Mine.")
    mine = area.text
    if delete:
        (project / CHAPTER).unlink()
    else:
        (project / CHAPTER).write_text(THEIRS)
    await pilot.press("ctrl+s")
    await ready_screen(pilot, ConflictScreen)
    # nothing was written before the choice
    assert (project / CHAPTER).exists() is not delete
    if not delete:
        assert (project / CHAPTER).read_text() == THEIRS
    assert journal_text(project) == mine  # the writer's text is safe while they decide
    return app, area, mine


async def test_keep_mine_overwrites_after_the_choice(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        _app, area, mine = await conflict_on_save(pilot, project)
        await click_when_ready(pilot, "#keep-mine", ConflictScreen)
        await wait_until(pilot, lambda: (project / CHAPTER).read_text() == mine)
        await wait_until(pilot, lambda: not area.dirty)
        await wait_until(pilot, lambda: journal_text(project) is None)


async def test_take_theirs_reloads_and_keeps_mine_aside(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        _app, area, mine = await conflict_on_save(pilot, project)
        await click_when_ready(pilot, "#take-theirs", ConflictScreen)
        await wait_until(pilot, lambda: area.text == THEIRS)
        await pilot.pause()
        assert not area.dirty
        assert (project / CHAPTER).read_text() == THEIRS
        assert journal_text(project) is None
        kept = list((project / ".session" / "recovered").rglob("*.json"))
        assert len(kept) == 1 and '"text": ' in kept[0].read_text()
        assert mine.splitlines()[-1] in kept[0].read_text()


@pytest.mark.parametrize("round", range(3))
async def test_take_theirs_keeps_the_cursor_where_it_was(
    make_app: Callable[[], WritersFactoryApp], project: Path, round: int
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        _app, area, _mine = await conflict_on_save(pilot, project)
        area.move_cursor((2, 4 + round))  # where the writer was reading
        await pilot.click("#take-theirs")
        await wait_until(pilot, lambda: area.text == THEIRS)
        assert area.cursor_location == (2, 4 + round)
        assert not area.dirty


async def test_keep_both_keeps_mine_where_it_is_not_a_chapter(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """The copy went beside the chapter, into manuscript/, where it was counted as one."""
    async with make_app().run_test(size=SIZE) as pilot:
        app, area, mine = await conflict_on_save(pilot, project)
        await click_when_ready(pilot, "#keep-both", ConflictScreen)
        folder = project / "planning" / "copies"
        await wait_until(pilot, lambda: len(list(folder.glob("chapter-01 (my copy *).md"))) == 1)
        [copy] = folder.glob("chapter-01 (my copy *).md")
        relative = copy.relative_to(project).as_posix()
        await wait_until(  # the writer is told where (looked for at once: notices expire)
            pilot, lambda: any(relative in n.message for n in app._notifications)
        )
        assert copy.read_text() == mine
        assert (project / CHAPTER).read_text() == THEIRS
        await wait_until(pilot, lambda: area.text == THEIRS)
        await wait_until(pilot, lambda: app.editor.find(Path(relative)) is not None)
        assert not area.dirty
        assert sorted(p.name for p in (project / "manuscript").iterdir()) == ["chapter-01.md"]


async def test_decide_later_writes_nothing_and_ctrl_s_asks_again(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app, area, mine = await conflict_on_save(pilot, project)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConflictScreen))
        assert app.saving is not None
        app.saving.request_save("auto")  # an auto-save does not nag about it again
        await wait_until(pilot, lambda: not app.saving.busy)  # type: ignore[union-attr]
        assert not isinstance(app.screen, ConflictScreen)
        assert area.dirty and area.text == mine
        assert (project / CHAPTER).read_text() == THEIRS
        await pilot.press("ctrl+s")
        await click_when_ready(pilot, "#keep-mine", ConflictScreen)
        await wait_until(pilot, lambda: (project / CHAPTER).read_text() == mine)


async def test_deleted_outside_keep_mine_writes_it_back(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app, _area, mine = await conflict_on_save(pilot, project, delete=True)
        screen = app.screen
        assert isinstance(screen, ConflictScreen) and screen.state is DiskState.DELETED
        await click_when_ready(pilot, "#keep-mine", ConflictScreen)
        await wait_until(
            pilot, lambda: (project / CHAPTER).exists() and (project / CHAPTER).read_text() == mine
        )


# -- the modal on its own: keys and snapshots ---------------------------------------------------


class ModalApp(App[None]):
    def __init__(self, screen: ConflictScreen) -> None:
        super().__init__()
        self.modal = screen
        self.result: list[ConflictChoice | None] = []

    def compose(self) -> ComposeResult:
        yield Static("Chapter text behind the question.")

    def on_mount(self) -> None:
        self.push_screen(self.modal, callback=self.result.append)


@pytest.mark.parametrize(
    ("key", "choice"),
    [
        ("m", ConflictChoice.KEEP_MINE),
        ("t", ConflictChoice.TAKE_THEIRS),
        ("b", ConflictChoice.KEEP_BOTH),
        ("escape", None),
    ],
)
async def test_modal_keys(key: str, choice: ConflictChoice | None) -> None:
    app = ModalApp(ConflictScreen("manuscript/chapter-01.md", DiskState.CHANGED_OUTSIDE, 120, 80))
    async with app.run_test() as pilot:
        await pilot.press(key)
        await wait_until(pilot, lambda: app.result != [])
    assert app.result == [choice]


def test_snapshot_changed_outside(snap_compare: Any) -> None:
    screen = ConflictScreen("manuscript/chapter-01.md", DiskState.CHANGED_OUTSIDE, 12345, 11980)
    assert snap_compare(ModalApp(screen), terminal_size=(90, 24))


def test_snapshot_deleted_outside(snap_compare: Any) -> None:
    screen = ConflictScreen("manuscript/chapter-[draft].md", DiskState.DELETED, 512, None)
    assert snap_compare(ModalApp(screen), terminal_size=(90, 24))
