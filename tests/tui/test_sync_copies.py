"""A syncing tool's conflict copies in the real app: told at start and when one appears,
compared with the original change by change, merged by the writer's choice.

Each answer is tried: "Apply" on a closed original (written durably, a snapshot first, the
copy in the trash, the text both started from proposing each side's own change), "Apply" on
an open original with unsaved typing (one edit ctrl+z takes back), "Not now" (nothing
changes), and "Apply" after the original changed on disk meanwhile (nothing is
overwritten). The start-up merge of a ``.session/`` copy is told too.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.tui.conftest import click_when_ready, palette_offers, ready_screen, started, wait_until
from tests.tui.test_saving import open_chapter
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.manuscript.trash import list_trash
from writers_factory.store.session.session import Session
from writers_factory.store.snapshots.reading import walk
from writers_factory.store.snapshots.repository import SnapshotRepository
from writers_factory.store.snapshots.taker import Snapshotter
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.sync_copies import CopiesScreen, ResolveScreen

ANCESTOR = "# One\n\nTwo.\n\nThree.\n\nFour.\n"
ORIGINAL = "# One\n\nTwo, edited here.\n\nThree.\n\nFour.\n"
COPY = "# One\n\nTwo.\n\nThree, edited there.\n\nFour.\n\nFive, added there.\n"
CHAPTER = "manuscript/chapter-01.md"


def _notices(app: WritersFactoryApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def _sync_merges(project: Path) -> int:
    repo = SnapshotRepository(project / ".session")
    return sum(1 for info in walk(repo) if info.meta.trigger == "before-sync-merge")


async def _resolve_screen(pilot: Pilot[Any], app: WritersFactoryApp) -> ResolveScreen:
    """The list of copies, the first chosen: its resolve screen."""
    await ready_screen(pilot, CopiesScreen, focused="#copies")
    await pilot.press("enter")
    return await ready_screen(pilot, ResolveScreen, focused="#changes")


async def test_apply_to_a_closed_chapter_with_a_common_ancestor(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    chapter = project / CHAPTER
    chapter.write_text(ANCESTOR, encoding="utf-8")
    Session(project).close_sync()
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    Snapshotter(project).take("manual", message="before parting", taken_at=two_hours_ago)
    chapter.write_text(ORIGINAL, encoding="utf-8")
    copy = project / "manuscript" / "chapter-01 (Laptop's conflicted copy 2026-11-30).md"
    copy.write_text(COPY, encoding="utf-8")
    hour_ago = time.time() - 3600
    os.utime(copy, (hour_ago, hour_ago))
    # a cost chunk the other machine also kept: its operations are all here already
    tracker = CostTracker(project / ".session")
    await tracker.log_operation("rewrite", "anthropic:claude-sonnet-4-5", 100, 50)
    costs = project / ".session" / "costs"
    shutil.copyfile(costs / "ops-000001.json", costs / "ops-000001_conflict-20261130-101112.json")

    async with make_app().run_test(size=(140, 45)) as pilot:
        app = await started(pilot)
        await wait_until(pilot, lambda: "conflict cop" in _notices(app))
        await wait_until(pilot, lambda: "1 already here" in _notices(app))
        assert not (costs / "ops-000001_conflict-20261130-101112.json").exists()
        assert copy.name in _notices(app)
        # the copy is no chapter: the tree shows it, but not among the counted chapters
        await pilot.press("ctrl+p")
        await pilot.press(*"Sync conflict")
        await palette_offers(pilot, "Sync conflict copies")
        await pilot.press("enter")
        screen = await _resolve_screen(pilot, app)
        assert [(c.origin, c.proposed) for c in screen.changes] == [
            ("original", "original"),
            ("copy", "copy"),
            ("copy", "copy"),
        ]
        await pilot.press("down", "o")  # keep this machine's "Three." after all
        assert screen.chosen == {0: "original", 1: "original", 2: "copy"}
        await click_when_ready(pilot, "#apply", ResolveScreen)
        await wait_until(pilot, lambda: app.sync_copies.applied == 1)
        assert chapter.read_text(encoding="utf-8") == (
            "# One\n\nTwo, edited here.\n\nThree.\n\nFour.\n\nFive, added there.\n"
        )
        assert not copy.exists()
        assert [e.relative_path.name for e in list_trash(project)] == [copy.name]
        assert _sync_merges(project) == 1
        assert "merged" in _notices(app)


async def test_apply_to_an_open_chapter_is_one_edit_undo_takes_back(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    chapter = project / CHAPTER
    chapter.write_text(ORIGINAL, encoding="utf-8")
    copy = project / "manuscript" / "chapter-01.sync-conflict-20261130-101112-ABCDEF7.md"
    copy.write_text(COPY, encoding="utf-8")
    async with make_app().run_test(size=(140, 45)) as pilot:
        app = await started(pilot)
        area = await open_chapter(pilot, CHAPTER)
        await pilot.press(*"New words")
        typed = area.text
        assert typed.endswith("New words")
        app.action_sync_copies()
        screen = await _resolve_screen(pilot, app)
        assert {c.origin for c in screen.changes} == {"unknown"}  # no snapshot: no ancestor
        assert set(screen.chosen.values()) == {"original"}
        await pilot.press(*["c"] * len(screen.changes))  # the copy's side everywhere
        assert set(screen.chosen.values()) == {"copy"}
        await pilot.press("a")
        await wait_until(pilot, lambda: app.sync_copies.applied == 1)
        assert area.text.strip() == COPY.strip()
        assert not copy.exists() and _sync_merges(project) == 1
        area.focus()
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: area.text == typed)  # the writer's typing is back


async def test_not_now_changes_nothing_and_a_copy_that_appears_is_told(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    chapter = project / CHAPTER
    chapter.write_text(ORIGINAL, encoding="utf-8")
    async with make_app().run_test(size=(140, 45)) as pilot:
        app = await started(pilot)
        await wait_until(pilot, lambda: app.project_watch.running)
        copy = project / "manuscript" / "chapter-01-DESKTOP-AB12CD3.md"
        copy.write_text(COPY, encoding="utf-8")  # the syncing tool brings one in
        await wait_until(pilot, lambda: copy.name in _notices(app))
        app.action_sync_copies()
        await _resolve_screen(pilot, app)
        await click_when_ready(pilot, "#not-now", ResolveScreen)
        await wait_until(pilot, lambda: not isinstance(app.screen, ResolveScreen))
        await pilot.pause()
        assert chapter.read_text(encoding="utf-8") == ORIGINAL
        assert copy.read_text(encoding="utf-8") == COPY
        assert app.sync_copies.applied == 0 and list_trash(project) == []
        assert _sync_merges(project) == 0
        # Apply after the original changed on disk meanwhile: that change is never overwritten
        app.action_sync_copies()
        await _resolve_screen(pilot, app)
        chapter.write_text(ORIGINAL + "\nTyped elsewhere meanwhile.\n", encoding="utf-8")
        await pilot.press(*["c"] * 4, "a")
        await wait_until(pilot, lambda: "changed on disk while you chose" in _notices(app))
        assert chapter.read_text(encoding="utf-8").endswith("Typed elsewhere meanwhile.\n")
        assert copy.read_text(encoding="utf-8") == COPY and app.sync_copies.applied == 0
