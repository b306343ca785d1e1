"""Snapshots of the workspace in each of the five stages, at a fixed terminal size.

Deterministic by construction: a fixed project name, the tree's root hidden (no tmp
paths), no clock on screen, the cursor not blinking, no notifications on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SIZE, started, wait_until
from tests.tui.stage_support import frozen_chapter, stage_settled
from writers_factory.core.stages import STAGES
from writers_factory.tui.app import WritersFactoryApp


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
        await frozen_chapter(pilot, app, project)
        await pilot.press(key)
        await wait_until(pilot, lambda: app.stage_id == stage)
        if app.stage_screen() is not None:  # a screen of its own: wait until it is filled
            await stage_settled(pilot, app)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=prepare)
