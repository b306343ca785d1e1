"""``writers-factory stats``: JSON and CSV parsed and checked, tables printed, and the
command never changes anything in ``.session/``."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from writers_factory.cli_stats import run_history, run_stats
from writers_factory.store import SessionHistory

NOW = datetime.now(UTC).replace(microsecond=0)
FIXTURE_V0 = Path(__file__).parent / "store" / "fixtures" / "history_v0.json"


def make_project(tmp_path: Path, target: int | None = 500) -> Path:
    project = tmp_path / "novel"
    root = project / ".session"
    root.mkdir(parents=True)
    clock = [NOW - timedelta(days=2)]
    history = SessionHistory(root, clock=lambda: clock[0])
    history.begin("old", clock[0])
    clock[0] += timedelta(minutes=3)
    history.record_words(300, 20)
    history.record_operation("scene_generation", Decimal("0.09"))
    history.end(clock[0] + timedelta(minutes=27))  # 30 min: 3 active, the 27-min gap idle
    clock[0] = NOW
    history.begin("today", NOW)
    clock[0] += timedelta(minutes=4)
    history.record_words(240, 0)
    history.save_sync()
    if target is not None:
        (root / "preferences.json").write_text(json.dumps({"daily_word_target": target}))
    return project


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    } | {str(p.relative_to(root)) + "/": (b"", 0) for p in root.rglob("*") if p.is_dir()}


def local_day(moment: datetime) -> str:
    return moment.astimezone().date().isoformat()


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    before = snapshot(project / ".session")
    assert run_stats(project, "json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["daily_target"] == 500
    assert doc["sessions_count"] == 2
    assert doc["words_added"] == 540 and doc["words_removed"] == 20
    assert doc["total_cost"] == "0.09"
    assert doc["cost_per_1000_words"] == "0.1667"  # 0.09 * 1000 / 540
    # active: 3 min in "old" (the 27-minute gap before end is idle) + 4 min today
    assert doc["active_minutes"] == 7.0
    assert doc["words_per_hour"] == 4628.6  # 540 * 60 / 7
    assert [s["session_id"] for s in doc["sessions"]] == ["old", "today"]
    assert [s["status"] for s in doc["sessions"]] == ["ended", "open"]
    days = {d["day"]: d["words"] for d in doc["days"]}
    # the net change: 300 added, 20 removed
    assert days[local_day(NOW - timedelta(days=2) + timedelta(minutes=3))] == 280
    assert days[local_day(NOW + timedelta(minutes=4))] == 240
    if doc["today"] == local_day(NOW + timedelta(minutes=4)):
        assert doc["words_today"] == 240 and doc["target_percent"] == 48.0
    assert doc["problems"] == []
    assert snapshot(project / ".session") == before


def test_csv_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, target=250)
    assert run_stats(project, "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["words"] for r in rows] == ["280", "240"]
    assert [r["met_target"] for r in rows] == ["yes", "no"]
    assert rows[0]["date"] < rows[1]["date"]
    assert rows[1]["date"] == local_day(NOW + timedelta(minutes=4))


def test_csv_without_a_target_meets_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # it said met_target=yes for every day with words while no target was set
    project = make_project(tmp_path, target=None)
    assert run_stats(project, "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["words"] for r in rows] == ["280", "240"]
    assert [r["met_target"] for r in rows] == ["", ""]


def test_table_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    assert run_stats(project, "table") == 0
    out = capsys.readouterr().out
    assert "Writing statistics" in out and "Last 2 sessions" in out and "Last 14 days" in out
    assert "Cost per 1,000 words" in out and "$0.1667" in out
    assert "open" in out  # the running session is labelled


def test_no_session_folder_is_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_stats(tmp_path, "json") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "has no .session/ folder, so it has no statistics yet" in captured.err
    assert str(tmp_path) in captured.err
    assert not (tmp_path / ".session").exists()


def test_empty_session_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".session").mkdir()
    assert run_stats(tmp_path, "table") == 0
    assert "No sessions recorded yet" in capsys.readouterr().out
    assert list((tmp_path / ".session").iterdir()) == []


def test_read_only_on_old_and_damaged_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "novel"
    root = project / ".session"
    root.mkdir(parents=True)
    shutil.copy(FIXTURE_V0, root / "history.json")  # v0: would be migrated by the app
    (root / "preferences.json").write_text("{not json")
    before = snapshot(root)
    assert run_stats(project, "json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sessions_count"] == 3 and doc["total_cost"] == "2.92"  # 0.35 + 2.47 + 0.1
    assert doc["daily_target"] is None
    assert snapshot(root) == before  # no backup, no rewrite

    (root / "history.json").write_bytes(b"\x00garbage")
    before = snapshot(root)
    assert run_stats(project, "json") == 0
    captured = capsys.readouterr()
    assert "warning:" in captured.err and "history.json" in captured.err
    assert json.loads(captured.out)["problems"]
    assert snapshot(root) == before  # damaged file reported, not moved


def test_session_history_json_and_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "novel"
    root = project / ".session"
    root.mkdir(parents=True)
    clock = [datetime(2025, 1, 1, 9, tzinfo=UTC)]
    history = SessionHistory(root, clock=lambda: clock[0])
    for i in range(22):  # two roll into the 2025 summary
        clock[0] = datetime(2025, 1, 1 + i, 9, tzinfo=UTC)
        history.begin(f"s{i:02d}", clock[0])
        clock[0] += timedelta(minutes=2)
        history.record_words(100, 1)
        history.end(clock[0])
    history.save_sync()
    before = snapshot(root)

    assert run_history(project, as_json=True) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [s["session_id"] for s in doc["sessions"]][:2] == ["s02", "s03"]
    assert len(doc["sessions"]) == 20
    assert doc["yearly"]["2025"]["sessions"] == 2
    assert doc["yearly"]["2025"]["words_added"] == 200
    assert doc["problems"] == []

    assert run_history(project) == 0
    out = capsys.readouterr().out
    assert "Last 20 sessions" in out and "Earlier sessions, by year" in out and "2025" in out
    assert snapshot(root) == before

    assert run_history(tmp_path / "elsewhere", as_json=True) == 1
    assert "has no .session/ folder, so it has no history yet" in capsys.readouterr().err
