"""`writers-factory session …` through the real console script entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
                "schema_version": 2,
                "auto_save_interval": "soon",
                "price_overrides": {"test": {"input_per_mtok": "2", "output_per_mtok": "10"}},
            }
        )
    )
    tracker = CostTracker(project / ".session")
    await tracker.log_operation("generate_scene", "test", 1_000_000, 100_000)
    await tracker.log_operation(
        "continue", "test", 10_000, 500, cache_read_tokens=8_000, cache_write_tokens=1_500
    )
    before = prefs_file.read_bytes()

    costs = wf("session", "costs", "--project", str(project), "--json")
    assert costs.returncode == 0, costs.stderr
    payload = json.loads(costs.stdout)
    # by hand: 2 + 0.1 × 10, then 0.01 × 2 + 0.0005 × 10 (no cache rates overridden)
    assert Decimal(payload["daily_total"]) == Decimal("3.025")
    assert [r["operation"] for r in payload["recent"]] == ["generate_scene", "continue"]
    assert payload["recent"][1]["cache_read_tokens"] == 8_000
    table = wf("session", "costs", "--project", str(project)).stdout
    assert "generate_scene" in table
    # the cache counts are in the table too (only the JSON had them)
    lines = {line.split("│")[2].strip(): line for line in table.splitlines() if "│ test" in line}
    assert "8,000 / 1,500" in lines["continue"] and "—" in lines["generate_scene"], table

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


HEAVY = ("pydantic", "pydantic_ai", "tiktoken", "genai_prices", "textual", "pydantic_core")


def _costs_project(tmp_path: Path, count: int, every_minutes: int = 20) -> Path:
    """A project with ``count`` operations up to now, a budget and a warning."""
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from writers_factory.store import CostTracker, Preferences
    from writers_factory.store.base.durable import write_atomic
    from writers_factory.store.base.serialisers import dumps
    from writers_factory.store.costs.models import (
        CHUNK_SIZE,
        OperationChunk,
        OperationRecord,
        chunk_name,
    )

    project = _project(tmp_path)
    root = project / ".session"
    prefs = Preferences(root)
    # One paid operation is over the daily budget, and the newest operation is paid and logged
    # "now": the day's warning shows whatever the time of day (at 00:05 a budget the day's
    # usual spending would pass had seen nothing yet today).
    prefs.set_budget_limit("daily", Decimal("0.01"))
    prefs.set_budget_limit("monthly", Decimal("100"))
    prefs.save_sync()
    now = datetime.now(UTC)
    records = [
        OperationRecord(
            timestamp=now - timedelta(minutes=every_minutes * (count - 1 - i)),
            operation=f"op{i % 4}",
            model="openai:gpt-4o" if (count - i) % 3 else "ollama:llama3.2",
            input_tokens=1_000 + i,
            output_tokens=50,
            cost=Decimal("0.0125") if (count - i) % 3 else Decimal(0),
            session_id=f"s{i // 100}",
        )
        for i in range(count)
    ]
    for start in range(0, count, CHUNK_SIZE):
        plain = OperationChunk(operations=records[start : start + CHUNK_SIZE]).model_dump(
            mode="json"
        )
        write_atomic(root / chunk_name(start // CHUNK_SIZE + 1), dumps(plain))
    CostTracker(root)  # builds costs.json from the chunks, as the app does at its first start
    return project


def test_costs_view_reads_the_summary_and_imports_nothing_heavy(tmp_path: Path) -> None:
    project = _costs_project(tmp_path, 1_000)
    script = (
        "import sys, runpy\n"
        "sys.argv = ['writers-factory', 'session', 'costs', '--json', '--project', sys.argv[1]]\n"
        "try:\n"
        "    runpy.run_module('writers_factory.cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = [m for m in sys.modules if m.split('.')[0] in {HEAVY!r}]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(project)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr, result.stderr
    quick = json.loads(result.stdout)
    assert quick["operations_count"] == 1_000 and quick["problems"] == []
    assert quick["budget_warning"] is not None and "Daily budget" in quick["budget_warning"]


@pytest.mark.parametrize("every_minutes", [20, 180])  # two weeks; three months (folded)
def test_quick_and_full_readings_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, every_minutes: int
) -> None:
    from writers_factory import cli_costs
    from writers_factory.store.costs import view

    project = _costs_project(tmp_path, 700, every_minutes)
    session_dir = project / ".session"
    reads: list[Path] = []
    original = view._load_json

    def counting(path: Path) -> object:
        reads.append(path)
        return original(path)

    monkeypatch.setattr(view, "_load_json", counting)
    quick = cli_costs._quick(session_dir)
    assert quick is not None
    # costs.json, preferences.json and the one last chunk (188 operations): not every operation
    assert [p.name for p in reads] == ["costs.json", "preferences.json", "ops-000003.json"]
    full = cli_costs._full(session_dir)
    assert quick == full
    folded = "sealed" in json.loads((session_dir / "costs.json").read_text())
    assert folded == (every_minutes == 180)

    # anything the tracker would repair or report: the quick reading steps aside
    chunk = session_dir / "costs" / "ops-000001.json"
    chunk.write_bytes(chunk.read_bytes() + b"\n")
    assert cli_costs._quick(session_dir) is None
    assert cli_costs.cost_report(project) == full
    (session_dir / "costs" / "ops-².json").write_text("{}")
    assert cli_costs._quick(session_dir) is None
    assert any("ops-².json" in p for p in cli_costs.cost_report(project).problems)


def test_read_only_views_answer_every_hostile_file_without_a_traceback(tmp_path: Path) -> None:
    """What the loaders do not mend is still a message and exit 2, never a traceback."""
    project = _project(tmp_path)
    root = project / ".session"
    (root / "costs").mkdir(exist_ok=True)
    (root / "costs" / "ops-².json").write_text('{"operations": []}')  # a superscript digit
    (root / "history.json").write_bytes(b'{"schema_version": 1, "x": ' + b"9" * 5000 + b"}")
    (root / "preferences.json").write_bytes(b"\xef\xbb\xbf" + b'{"theme": "nord"}')
    for view in ("show", "history", "costs", "preferences", "verify"):
        for extra in (("--json",), ()):
            result = wf("session", view, "--project", str(project), *extra)
            assert "Traceback" not in result.stderr, (view, result.stderr)
            assert result.returncode in (0, 1, 2), (view, result.stderr)
    costs = wf("session", "costs", "--project", str(project), "--json")
    if costs.returncode == 2:
        assert str(root) in json.loads(costs.stdout)["error"]
