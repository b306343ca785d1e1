"""Metrics and the audit trail from the real app: real saves (one refused by a full disk),
the journal, a recovery after a real SIGKILL, snapshots — then ``session metrics``."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.tui.conftest import SIZE, click_when_ready, ready_screen, wait_until
from tests.tui.test_recovery import crash_a_session, settled
from tests.tui.test_saving import CHAPTER, indicator, journal_text, open_chapter
from writers_factory.cli import main
from writers_factory.store.audit.log import AuditLog
from writers_factory.store.base import durable
from writers_factory.store.metrics.recorder import read_metrics
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.recovery import RecoveryScreen


async def test_saves_journal_recovery_and_snapshots_are_counted_and_audited(
    make_app: Callable[[], WritersFactoryApp],
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    crash_a_session(project, "The keeper woke.\n")
    real_write = durable._write_once
    manuscript = project / "manuscript"

    def disk_full_in_manuscript(path: Path, data: bytes, mode: int | None, **options: Any) -> None:
        if manuscript in path.parents:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data, mode, **options)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready_screen(pilot, RecoveryScreen)
        await click_when_ready(pilot, "#recover", RecoveryScreen)
        await settled(pilot)
        area = await open_chapter(pilot)
        for word in ("One", "Two"):
            await pilot.press(*word)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: (project / CHAPTER).read_text() == area.text)
        await pilot.press(*"Lost?")
        await wait_until(pilot, lambda: journal_text(project) == area.text)
        monkeypatch.setattr(durable, "_write_once", disk_full_in_manuscript)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: indicator(app) == "⚠ Auto-save failed — ctrl+s to retry")
        monkeypatch.setattr(durable, "_write_once", real_write)
        await wait_until(pilot, lambda: not app.snapshots.busy and not app.saving.busy)  # type: ignore[union-attr]
        # nothing counted reaches the disk per keystroke: only at natural moments
        await pilot.press("ctrl+q")

    data, problems = read_metrics(project / ".session")
    assert not problems
    counters = data.counters
    assert counters["saves"] >= 2 and counters["save_failures"] == 1
    assert counters["journal_writes"] >= 1
    assert counters["recoveries_offered"] == 1 and counters["recoveries_accepted"] == 1
    assert counters["snapshots"] >= 1
    assert data.latencies["save"].count == counters["saves"]
    assert data.latencies["save"].percentile(0.5) is not None

    records, bad = AuditLog(project / ".session").read()
    assert not bad
    [failed] = [r for r in records if r.kind == "save-failed"]
    assert failed.to == CHAPTER and not failed.ok
    assert failed.error is not None and "No space left" in failed.error
    [recovery] = [r for r in records if r.kind == "recovery"]
    assert recovery.to == f"recover: {CHAPTER}" and recovery.ok
    assert recovery.from_ is not None and CHAPTER in recovery.from_

    capsys.readouterr()
    assert main(["session", "metrics", "--project", str(project), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["counters"]["save_failures"] == 1
    assert shown["latencies"]["save"]["count"] == counters["saves"]
    assert shown["latencies"]["save"]["p99_ms"] >= shown["latencies"]["save"]["p50_ms"]
    assert main(["session", "metrics", "--project", str(project)]) == 0
    table = capsys.readouterr().out
    assert "save failures" in table and "p95" in table
