"""In the real app: a chapter the writer made read-only (0444) is never overwritten.

The save says so, naming the file, and offers a copy. "Not now" writes nothing: the text
stays unsaved and journaled and ctrl+s asks again. "Save a copy" writes a "my copy" file in
planning/copies/ through the durable path (the naming and place keep-both uses), which
opens; the read-only file is untouched and still read-only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.tui.conftest import SIZE, click_when_ready, ready_screen, started, wait_until
from tests.tui.test_saving import CHAPTER, exited, journal_text, open_chapter
from writers_factory.ai.analysis import chapter_files
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.read_only_file import ReadOnlyFileScreen

pytestmark = pytest.mark.reliability


def copies(project: Path) -> list[Path]:
    return sorted((project / "planning" / "copies").glob("chapter-01 (my copy *).md"))


async def test_not_now_writes_nothing_and_ctrl_s_asks_again(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    chapter = project / CHAPTER
    before = chapter.read_text()
    os.chmod(chapter, 0o444)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        await pilot.press(*"Mine.", "ctrl+s")
        screen = await ready_screen(pilot, ReadOnlyFileScreen)
        said = "\n".join(str(w.content) for w in screen.query(Static))
        assert f"{CHAPTER} is read-only" in said and "not overwritten" in said
        assert journal_text(project) == area.text  # safe while the writer decides
        await click_when_ready(pilot, "#not-now", ReadOnlyFileScreen)
        await wait_until(pilot, lambda: not isinstance(app.screen, ReadOnlyFileScreen))
        await wait_until(pilot, lambda: not app.saving or not app.saving.busy)
        assert area.dirty and area.text.endswith("Mine.")
        assert chapter.read_text() == before and copies(project) == []
        assert journal_text(project) == area.text
        area.focus()
        await pilot.press("ctrl+s")
        await ready_screen(pilot, ReadOnlyFileScreen)  # asked again
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ReadOnlyFileScreen))
    assert chapter.read_text() == before
    assert chapter.stat().st_mode & 0o777 == 0o444


async def test_save_a_copy_writes_it_to_planning_copies_and_opens_it(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    chapter = project / CHAPTER
    before = chapter.read_text()
    os.chmod(chapter, 0o444)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        await pilot.press(*"Mine.", "ctrl+s")
        await ready_screen(pilot, ReadOnlyFileScreen)
        mine = area.text
        await click_when_ready(pilot, "#save-copy", ReadOnlyFileScreen)
        await wait_until(pilot, lambda: len(copies(project)) == 1)
        [copy] = copies(project)
        assert copy.read_text() == mine
        relative = copy.relative_to(project)
        await wait_until(pilot, lambda: app.editor.active is not None)
        await wait_until(pilot, lambda: app.editor.active.path == relative)  # type: ignore[union-attr]
        assert not area.dirty and area.text == before  # the read-only file, as it is
        await wait_until(pilot, lambda: journal_text(project) is None)
        # told once the copy is open (a busy machine may deliver it after the checks above)
        await wait_until(
            pilot, lambda: any(copy.name in str(n.message) for n in app._notifications)
        )
        await pilot.press("ctrl+q")
        await exited(app)
    assert chapter.read_text() == before
    assert chapter.stat().st_mode & 0o777 == 0o444
    assert chapter_files(project / "manuscript") == [chapter], "a copy is not a chapter"
