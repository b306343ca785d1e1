"""Set-up shared by the stage-screen tests and pictures: a chapter on screen with the status
bar's clock frozen, a stage screen waited for until it shows its data, and the workflow
records (critique, rewrite, score) the Enhancing and Scoring screens read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.tui.conftest import wait_until
from writers_factory.ai.workflows import StepRecord, WorkflowRecord, save_workflow_sync
from writers_factory.core.stages import STAGE_BY_ID
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.breadcrumbs import Breadcrumbs
from writers_factory.tui.widgets.sortable_table import SortableTable
from writers_factory.tui.widgets.status_bar import StatusBar

FROZEN = datetime(2026, 1, 1, tzinfo=UTC)


async def frozen_chapter(pilot: Pilot[Any], app: WritersFactoryApp, project: Path) -> None:
    """chapter-01 open, its cursor still, the save age frozen, its words counted and shown."""
    await app.open_path(project / "manuscript" / "chapter-01.md")
    area = app.editor.active
    assert area is not None
    area.cursor_blink = False
    bar = app.query_one(StatusBar)
    bar.clock = lambda: FROZEN  # the save age reads "just now" however slow the run
    bar.mark_saved(FROZEN)
    # the chapter's words are counted in a thread: shown before the picture is taken
    await wait_until(pilot, lambda: bool(app.open_words.shown))


async def stage_settled(pilot: Pilot[Any], app: WritersFactoryApp, length: int = 0) -> None:
    """The stage screen showing is filled, its table focused, its trail complete (``length``
    words long, when given): what its picture or the next key depends on."""
    screen = app.stage_screen()
    assert screen is not None
    await wait_until(pilot, lambda: screen.is_current and screen.settled)
    if screen.query(SortableTable):  # a table takes the focus; the footer follows it
        await wait_until(pilot, lambda: screen.focused is not None)
    # the trail follows the selection through messages: wait for its last word
    crumbs = screen.query_one(Breadcrumbs)
    title = STAGE_BY_ID[app.stage_id].title
    await wait_until(
        pilot,
        lambda: (
            (not length or len(crumbs.trail) == length)
            and crumbs.trail == ("Home", title, *screen.trail_tail())
        ),
    )


def record_workflow(
    project: Path,
    chapter: str,
    *,
    critique: str = "ok",
    rewrite: str = "text",
    score: str = "7/10",
    id: str = "wf-test",
) -> None:
    """A finished enhance-chapter workflow on ``chapter`` that answered these three steps."""
    steps = [
        StepRecord(name="analyze", operation="critique", status="finished", output=critique),
        StepRecord(name="rewrite", operation="rewrite", status="finished", output=rewrite),
        StepRecord(name="score", operation="score", status="finished", output=score),
    ]
    record = WorkflowRecord(
        id=id,
        kind="enhance_chapter",
        title="Enhance chapter",
        model="test:model",
        status="finished",
        inputs={"path": chapter, "chapter": "text"},
        steps=steps,
    )
    save_workflow_sync(project / ".session", record)
