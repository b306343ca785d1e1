"""Snapshots of the stage screens at a wide and at a small terminal.

Deterministic as the workspace's snapshots are: a fixed project, a frozen save clock, the
cursor not blinking; a stage screen is taken once its data is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import started, wait_until
from writers_factory.core.stages import STAGE_BY_ID
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.breadcrumbs import Breadcrumbs
from writers_factory.tui.widgets.outline_card import OutlineCard
from writers_factory.tui.widgets.sortable_table import SortableTable
from writers_factory.tui.widgets.status_bar import StatusBar

FROZEN = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("stage", ["board", "writing", "enhancing", "analyzing", "scoring"])
def test_stage_screen_at_size(
    snap_compare: Callable[..., bool],
    make_app: Callable[[], WritersFactoryApp],
    project: Path,
    stage: str,
    size: tuple[int, int],
) -> None:
    async def prepare(pilot: Pilot[Any]) -> None:
        app = await started(pilot)
        await app.open_path(project / "manuscript" / "chapter-01.md")
        area = app.editor.active
        assert area is not None
        area.cursor_blink = False
        bar = app.query_one(StatusBar)
        bar.clock = lambda: FROZEN
        bar.mark_saved(FROZEN)
        # the chapter's words are counted in a thread: shown before the picture is taken
        await wait_until(pilot, lambda: bool(app.open_words.shown))
        key = "alt+b" if stage == "board" else STAGE_BY_ID[stage].key
        await pilot.press(key)
        await wait_until(pilot, lambda: app.stage_id == ("creation" if stage == "board" else stage))
        if stage != "writing":  # a screen of its own: made by the mode switch
            await wait_until(pilot, lambda: app.stage_screen() is not None)
        screen = app.stage_screen()
        if screen is not None:
            await wait_until(pilot, lambda: screen.is_current and screen.settled)
            if screen.query(SortableTable):  # a table takes the focus; the footer follows it
                await wait_until(pilot, lambda: screen.focused is not None)
            # the trail follows the selection through messages: wait for its last word
            crumbs = screen.query_one(Breadcrumbs)
            title = STAGE_BY_ID[app.stage_id].title
            length = 3 if stage == "enhancing" else 4
            await wait_until(
                pilot,
                lambda: (
                    len(crumbs.trail) == length
                    and crumbs.trail == ("Home", title, *screen.trail_tail())
                ),
            )
        elif size[0] >= 110:
            card = app.query_one(OutlineCard)
            await wait_until(pilot, lambda: card.shown is not None and card.display)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=prepare)
