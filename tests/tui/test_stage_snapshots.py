"""Snapshots of the stage screens at a wide and at a small terminal.

Deterministic as the workspace's snapshots are: a fixed project, a frozen save clock, the
cursor not blinking; a stage screen is taken once its data is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import started, wait_until
from tests.tui.stage_support import frozen_chapter, stage_settled
from writers_factory.core.stages import STAGE_BY_ID
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.outline_card import OutlineCard


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
        await frozen_chapter(pilot, app, project)
        key = "alt+b" if stage == "board" else STAGE_BY_ID[stage].key
        await pilot.press(key)
        await wait_until(pilot, lambda: app.stage_id == ("creation" if stage == "board" else stage))
        if stage != "writing":  # a screen of its own: made by the mode switch
            await wait_until(pilot, lambda: app.stage_screen() is not None)
            await stage_settled(pilot, app, 3 if stage == "enhancing" else 4)
        elif size[0] >= 110:
            card = app.query_one(OutlineCard)
            await wait_until(pilot, lambda: card.shown is not None and card.display)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=prepare)
