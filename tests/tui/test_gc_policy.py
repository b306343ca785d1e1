"""The cycle collector held back while the workspace starts, then settled (``gc_policy.py``).

Counted, never timed: the thresholds while importing and starting, the usual ones again once
start-up is over, start-up's objects frozen while the app runs and given back when it closes.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.tui.conftest import SIZE, started, wait_until
from writers_factory.tui import gc_policy
from writers_factory.tui.app import WritersFactoryApp


def test_importing_the_workspace_holds_the_collector_back() -> None:
    probe = (
        "import gc\n"
        "def runs(): return sum(g['collections'] for g in gc.get_stats())\n"
        "before, ran = gc.get_threshold(), runs()\n"
        "import writers_factory.tui.app\n"
        "from writers_factory.tui.gc_policy import STARTUP_THRESHOLD\n"
        "print(before[0], gc.get_threshold()[0] == STARTUP_THRESHOLD, runs() - ran)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[:2] == ["700", "True"]
    assert int(out[2]) <= 1, "at most the collections before the TUI package was reached"


async def test_start_up_holds_the_collector_then_settles_and_closing_thaws(
    make_app: Callable[[], WritersFactoryApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    gc_policy.release()  # as a process that has not imported the workspace yet
    usual = gc.get_threshold()
    assert usual[0] < gc_policy.STARTUP_THRESHOLD
    app = make_app()
    assert gc.get_threshold() == (gc_policy.STARTUP_THRESHOLD, *usual[1:])
    during: list[tuple[int, int, int]] = []
    restore = app.restore_workspace

    async def seen() -> None:
        during.append(gc.get_threshold())
        await restore()

    monkeypatch.setattr(app, "restore_workspace", seen)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert during == [(gc_policy.STARTUP_THRESHOLD, *usual[1:])]
        assert gc.get_threshold() == usual
        assert not gc_policy.held()
        assert gc.get_freeze_count() > 10_000
        await app.action_quit()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == usual


async def test_the_collector_runs_as_usual_while_the_rest_of_start_up_loads(
    make_app: Callable[[], WritersFactoryApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the reopened chapter is painted, what start-up built so far is frozen and the
    usual thresholds are back while the costs (and the rest) load: held to the end, the
    garbage of the loading and of every repaint piled up and was frozen for good."""
    gc_policy.release()
    usual = gc.get_threshold()
    app = make_app()
    seen: list[tuple[bool, tuple[int, int, int], bool]] = []
    load_costs = app.load_costs

    async def loading() -> None:
        seen.append((gc_policy.held(), gc.get_threshold(), gc.get_freeze_count() > 10_000))
        await load_costs()

    monkeypatch.setattr(app, "load_costs", loading)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await app.action_quit()
    assert seen == [(False, usual, True)]
    assert gc.get_freeze_count() == 0


async def test_an_app_that_closes_before_start_up_is_over_gives_the_thresholds_back(
    make_app: Callable[[], WritersFactoryApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    gc_policy.release()
    usual = gc.get_threshold()
    app = make_app()

    async def quits() -> bool:
        app.exit(0)
        return False

    monkeypatch.setattr(app, "ask_ownership", quits)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert not app.ready.is_set()
    assert gc.get_threshold() == usual
    assert gc.get_freeze_count() == 0


async def test_what_start_up_leaves_running_is_frozen_once_it_ends(
    make_app: Callable[[], WritersFactoryApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up ends with work still running (the session's first snapshot, the daily
    backup, the tree's word counts); what it keeps lives as long as the app, and every full
    collection walked it again. Once that work has ended it is frozen too: a third settle,
    after the snapshot is taken and the counts made."""
    gc_policy.release()
    app = make_app()
    settles: list[tuple[bool, int, bool, int, int]] = []
    settle = gc_policy.settle

    def seen() -> None:
        taken, counting = len(app.snapshots.taken), app.project_tree.counting
        before = gc.get_freeze_count()
        settle()
        settles.append((app.ready.is_set(), taken, counting, before, gc.get_freeze_count()))

    monkeypatch.setattr(gc_policy, "settle", seen)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await wait_until(pilot, lambda: len(settles) == 3)
        await app.action_quit()
    first, over, trailing = settles
    assert not first[0] and over[0] and trailing[0]
    assert over[1:3] == (0, True), "at start-up's end the snapshot and the counts were running"
    assert trailing[1:3] == (1, False), "the third settle waited for both"
    # each settle freezes what was made since (read at the settle itself: frozen objects
    # freed later, by their counts, lower the number meanwhile)
    assert all(after > before for *_, before, after in settles)
    assert gc.get_freeze_count() == 0
