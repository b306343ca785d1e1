"""`writers-factory session …` through the real console script entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from writers_factory.store import Session


def wf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "writers_factory.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "novel"
    (project / "manuscript").mkdir(parents=True)
    session = Session(project)
    session.set_stage("enhancing")
    session.open_file("manuscript/chapter-01.md", 12, 4)
    session.add_recent_query("Who is Élise's sister?", "bible")
    session.close_sync()
    return project


def test_show_json_and_table(tmp_path: Path) -> None:
    project = _project(tmp_path)
    before = {p: p.stat().st_mtime_ns for p in (project / ".session").rglob("*")}
    result = wf("session", "show", "--project", str(project), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["session"]["current_state"]["stage"] == "enhancing"
    assert payload["session"]["open_files"][0]["cursor_line"] == 12
    assert payload["lock"]["state"] == "free"
    table = wf("session", "show", "--project", str(project))
    assert "enhancing" in table.stdout and "manuscript/chapter-01.md" in table.stdout
    assert "Élise" in table.stdout
    after = {p: p.stat().st_mtime_ns for p in (project / ".session").rglob("*")}
    assert before == after  # inspection never writes


def test_verify_clean_then_each_problem_named(tmp_path: Path) -> None:
    project = _project(tmp_path)
    ok = wf("session", "verify", "--project", str(project))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "every file parses" in ok.stdout

    session_dir = project / ".session"
    current = json.loads((session_dir / "current.json").read_text())
    current["current_state"]["stage"] = "dreaming"
    (session_dir / "current.json").write_text(json.dumps(current))
    (session_dir / "lock.json").write_text("{not json")
    (session_dir / ".x.json.999999999.deadbeef.wf-tmp").write_text("half")
    bad = wf("session", "verify", "--project", str(project), "--json")
    assert bad.returncode == 1
    problems = json.loads(bad.stdout)["problems"]
    by_file = {Path(p["file"]).name: p for p in problems}
    assert by_file["current.json"]["field"] == "current_state.stage"
    assert "lock.json" in by_file and "invalid JSON" in by_file["lock.json"]["message"]
    assert any(name.endswith(".wf-tmp") for name in by_file)
    # verify reports; it never repairs or moves anything
    assert (session_dir / "lock.json").read_text() == "{not json"


def test_missing_session_folder_is_explained(tmp_path: Path) -> None:
    result = wf("session", "show", "--project", str(tmp_path))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    verify = wf("session", "verify", "--project", str(tmp_path))
    assert verify.returncode == 1 and "never been opened" in verify.stdout


async def test_costs_and_preferences_views(tmp_path: Path) -> None:
    from decimal import Decimal

    from writers_factory.store import CostTracker

    project = _project(tmp_path)
    prefs_file = project / ".session" / "preferences.json"
    prefs_file.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "auto_save_interval": "soon",
                "price_overrides": {"test": {"input_per_mtok": "2", "output_per_mtok": "10"}},
            }
        )
    )
    tracker = CostTracker(project / ".session")
    await tracker.log_operation("generate_scene", "test", 1_000_000, 100_000)
    before = prefs_file.read_bytes()

    costs = wf("session", "costs", "--project", str(project), "--json")
    assert costs.returncode == 0, costs.stderr
    payload = json.loads(costs.stdout)
    assert Decimal(payload["daily_total"]) == Decimal("3")  # 2 + 0.1 × 10, by hand
    assert payload["recent"][0]["operation"] == "generate_scene"
    assert "generate_scene" in wf("session", "costs", "--project", str(project)).stdout

    prefs = wf("session", "preferences", "--project", str(project), "--json")
    body = json.loads(prefs.stdout)
    assert body["preferences"]["auto_save_interval"] == 30  # the bad value fell back
    assert any("auto_save_interval" in p for p in body["problems"])
    table = wf("session", "preferences", "--project", str(project))
    assert "auto_save_interval" in table.stdout
    assert prefs_file.read_bytes() == before  # never rewritten by a view


def test_history_view(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = wf("session", "history", "--project", str(project), "--json")
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)
