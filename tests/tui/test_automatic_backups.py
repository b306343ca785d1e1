"""Automatic backups with the real app: today's on opening, another on close when the
writer changed something, none when nothing changed; the workspace never waits for them."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.tui.conftest import SIZE, started, wait_until
from writers_factory.store.backups.project import store_for
from writers_factory.tui.app import WritersFactoryApp


async def test_a_backup_a_day_while_open_and_one_on_close(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await wait_until(pilot, lambda: len(app.backups.made) == 1)
        [daily] = store_for(project).entries()
        assert daily.backup_id.endswith("-daily")
        app.backups._check_daily()  # the hourly check again: today's exists, none is made
        await wait_until(pilot, lambda: not app.backups._daily_running)
        assert len(store_for(project).entries()) == 1
        (project / "manuscript" / "chapter-02.md").write_text("A new chapter.\n")
        await pilot.press("ctrl+q")
    entries = store_for(project).entries()
    assert [e.backup_id.rsplit("-", 1)[1] for e in entries] == ["daily", "close"]
    with zipfile.ZipFile(entries[-1].archive) as archive:
        assert archive.read("project/manuscript/chapter-02.md") == b"A new chapter.\n"
        assert b'"clean_shutdown": true' in archive.read("project/.session/current.json")
    assert store_for(project).verify(entries[-1]).ok


async def test_no_backup_on_close_when_nothing_changed(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await wait_until(pilot, lambda: len(app.backups.made) == 1)
        await pilot.press("ctrl+q")
    assert len(store_for(project).entries()) == 1
