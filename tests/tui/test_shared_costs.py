"""One CostTracker per app: today's spend shows at start, and AI calls log through it once.

Two trackers on one ``costs.json`` would each keep their own picture of the chunk files, so
the later save could drop the other's operations; these tests prove the app keeps one.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from textual.widgets import Static
from textual.widgets.text_area import Selection

from tests.tui.ai_support import (
    TEST_MODEL,
    Streaming,
    configure,
    logged,
    open_chapter,
    wait_for_pane,
)
from tests.tui.conftest import SIZE, started, wait_until
from writers_factory.store.base.serialisers import loads
from writers_factory.store.costs.models import CostSummary
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.ai_pane import PaneState
from writers_factory.tui.widgets.status_bar import StatusBar

EARLIER = ("critique", TEST_MODEL, 100_000, 20_000)
"""$0.30 in + $0.30 out at the test model's $3 / $15 per million tokens."""


async def log_earlier_today(project: Path) -> Decimal:
    """A call made by an earlier session of the app today, written by a real tracker."""
    tracker = CostTracker(project / ".session")
    record = await tracker.log_operation(*EARLIER)
    assert record.cost == Decimal("0.60")
    return record.cost


def cost_label(app: WritersFactoryApp) -> Static:
    return app.query_one(StatusBar).query_one("#cost", Static)


def summary_session_id(project: Path) -> str:
    raw, _ = loads((project / ".session" / "costs.json").read_bytes())
    return CostSummary.model_validate(raw).session.id


async def test_today_shows_at_start_and_warns_near_the_daily_limit(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    prefs = configure(project)
    prefs.set_budget_limit("daily", Decimal("0.70"))  # $0.60 is 86%: past the 80% warning
    prefs.save_sync()
    await log_earlier_today(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        label = cost_label(app)
        await wait_until(pilot, lambda: "Today: $0.60" in str(label.content))
        assert str(label.content) == "⚠ Session: $0.00 · Today: $0.60"
        assert label.has_class("-warn")
        assert label.tooltip is not None and "Daily" in str(label.tooltip)
        tracker = app.cost_tracker
        assert tracker is not None and tracker.session_id == app.session.session_id
    assert summary_session_id(project) == app.session.session_id


async def test_ai_call_is_logged_once_by_the_app_tracker(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project)
    earlier = await log_earlier_today(project)
    model = Streaming("The Beacon ", "Keeper")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        tracker = app.cost_tracker
        assert tracker is not None
        label = cost_label(app)
        assert str(label.content) == "Session: $0.00 · Today: $0.60"
        assert not label.has_class("-warn")

        app.ai.model_override = model.model
        await open_chapter(app, pilot)
        area = app.editor.active
        assert area is not None
        area.selection = Selection((0, 2), (0, 16))
        app.ai.command("rewrite")
        await wait_for_pane(pilot, PaneState.DONE)

        assert app.ai.tracker is tracker and app.cost_tracker is tracker
        [new] = [r for r in tracker.recent(10) if r.operation == "rewrite"]
        assert new.session_id == app.session.session_id
        assert tracker.session_total == new.cost > 0
        assert tracker.daily_total == earlier + new.cost
        assert model.calls == 1
        on_disk = logged(project)  # newest first
        assert len(on_disk) == 2 and on_disk[1] == EARLIER  # exactly one new operation
        assert on_disk[0][:2] == ("rewrite", TEST_MODEL)
        bar = app.query_one(StatusBar)
        await wait_until(pilot, lambda: bar.session_total == new.cost)
        assert bar.daily_total == earlier + new.cost
