"""Snapshots of the workspace in each of the five stages, at a fixed terminal size.

Deterministic by construction: a fixed project name, the tree's root hidden (no tmp
paths), no clock on screen, the cursor not blinking, no notifications on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SIZE, started, wait_until
from writers_factory.core.stages import STAGE_BY_ID, STAGES
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.breadcrumbs import Breadcrumbs
from writers_factory.tui.widgets.sortable_table import SortableTable
from writers_factory.tui.widgets.status_bar import StatusBar

FROZEN = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("stage", [s.id for s in STAGES])
def test_stage_screen(
    snap_compare: Callable[..., bool],
    make_app: Callable[[], WritersFactoryApp],
    project: Path,
    stage: str,
) -> None:
    key = next(s.key for s in STAGES if s.id == stage)

    async def prepare(pilot: Pilot[Any]) -> None:
        app = await started(pilot)
        await app.open_path(project / "manuscript" / "chapter-01.md")
        area = app.editor.active
        assert area is not None
        area.cursor_blink = False
        bar = app.query_one(StatusBar)
        bar.clock = lambda: FROZEN  # the save age reads "just now" however slow the run
        bar.mark_saved(FROZEN)
        # the chapter's words are counted in a thread: shown before the picture is taken
        await wait_until(pilot, lambda: bool(app.open_words.shown))
        await pilot.press(key)
        await wait_until(pilot, lambda: app.stage_id == stage)
        screen = app.stage_screen()
        if screen is not None:  # a stage with a screen of its own: wait until it is filled
            await wait_until(pilot, lambda: screen.is_current and screen.settled, timeout=30)
            if screen.query(SortableTable):  # a table takes the focus; the footer follows it
                await wait_until(pilot, lambda: screen.focused is not None)
            # the trail follows the selection through messages: wait for its last word
            crumbs = screen.query_one(Breadcrumbs)
            title = STAGE_BY_ID[app.stage_id].title
            await wait_until(pilot, lambda: crumbs.trail == ("Home", title, *screen.trail_tail()))
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=prepare)
