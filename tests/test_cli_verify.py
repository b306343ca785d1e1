"""`writers-factory session verify` as a maintenance tool: notes exit 0, problems exit 1,
including what only shows across files (journal, keymap, dates of operations)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from writers_factory.store import CostTracker, Session
from writers_factory.store.costs.models import OperationChunk, OperationRecord
from writers_factory.store.manuscript.journal import Journal


def verify(project: Path) -> tuple[int, list[dict[str, Any]]]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "writers_factory.cli",
            "session",
            "verify",
            "--project",
            str(project),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)["problems"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "novel"
    (project / "manuscript").mkdir(parents=True)
    (project / "manuscript" / "chapter-1.md").write_text("Once.\n")
    Session(project).close_sync()
    code, findings = verify(project)
    assert code == 0 and findings == []
    return project


def test_leftover_temp_files_are_a_note_not_a_problem(project: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (project / ".session" / f".current.json.{dead}.0badf00d.wf-tmp").write_text("half")
    (project / ".session" / "journal").mkdir(exist_ok=True)
    (project / ".session" / "journal" / f".x.json.{dead}.0badf00d.wf-tmp").write_text("half")
    code, findings = verify(project)
    assert code == 0
    assert len(findings) == 2 and {f["level"] for f in findings} == {"note"}
    assert all("temp file" in f["message"] for f in findings)


def test_a_journal_entry_for_a_missing_file_is_a_problem(project: Path) -> None:
    journal = Journal(project)
    journal.write(project / "manuscript" / "chapter-1.md", "Once upon.\n", None)
    journal.write(project / "manuscript" / "gone.md", "Lost words.\n", "0" * 64)
    journal.write(project / "manuscript" / "new.md", "First words.\n", None)
    code, findings = verify(project)
    assert code == 1
    by_target = {f["message"].split(" ")[3].rstrip(","): f for f in findings}
    assert set(by_target) == {"manuscript/gone.md", "manuscript/new.md"}
    assert all(f["field"] == "path" and f["level"] == "problem" for f in findings)
    assert "no longer exists" in by_target["manuscript/gone.md"]["message"]
    assert "was never saved" in by_target["manuscript/new.md"]["message"]
    assert all(Path(f["file"]).parent.name == "journal" for f in findings)


def test_a_journal_entry_leading_outside_the_project_is_a_problem(project: Path) -> None:
    entry = {
        "schema_version": 1,
        "path": "../../etc/passwd",
        "text": "root::0:0",
        "journaled_at": "2026-01-01T00:00:00Z",
    }
    folder = project / ".session" / "journal"
    folder.mkdir(exist_ok=True)
    (folder / "etc-passwd-0000.json").write_text(json.dumps(entry))
    code, findings = verify(project)
    assert code == 1
    assert [f["field"] for f in findings] == ["path"]
    assert "outside the project" in findings[0]["message"]


@pytest.mark.parametrize(
    ("keymap", "field", "fragment"),
    [
        ({"app.quit": ""}, "keybindings.app.quit", "without a key"),
        ({"app.quit": " , "}, "keybindings.app.quit", "without a key"),
        ({"file.save": "ctrl+q"}, "keybindings.app.quit", "ctrl+q is file.save"),
        ({"no.such.binding": "f12"}, "keybindings.no.such.binding", "no such binding"),
    ],
)
def test_keybindings_that_lose_quit_or_name_unknown_bindings_are_problems(
    project: Path, keymap: dict[str, str], field: str, fragment: str
) -> None:
    (project / ".session" / "preferences.json").write_text(
        json.dumps({"schema_version": 2, "keybindings": keymap})
    )
    code, findings = verify(project)
    assert code == 1
    [finding] = findings
    assert finding["field"] == field and fragment in finding["message"]
    assert Path(finding["file"]).name == "preferences.json"


def test_a_sound_keymap_is_no_problem(project: Path) -> None:
    keymap = {"app.quit": "ctrl+x", "file.save": "ctrl+q", "modal.cancel": "ctrl+g"}
    (project / ".session" / "preferences.json").write_text(
        json.dumps({"schema_version": 2, "keybindings": keymap})
    )
    assert verify(project) == (0, [])


def _chunk(project: Path, moments: list[datetime]) -> Path:
    operations = [
        OperationRecord(
            timestamp=moment,
            operation="scene",
            model="ollama:llama3.2",
            input_tokens=1,
            output_tokens=1,
            cost=Decimal(0),
        )
        for moment in moments
    ]
    path = project / ".session" / "costs" / "ops-000001.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(OperationChunk(operations=operations).model_dump(mode="json")))
    CostTracker(project / ".session")  # costs.json built from the chunk, as at a first start
    return path


def test_operations_dated_in_the_future_are_problems(project: Path) -> None:
    now = datetime.now(UTC)
    chunk = _chunk(project, [now - timedelta(days=1), now + timedelta(days=400), now])
    code, findings = verify(project)
    assert code == 1
    [finding] = findings
    assert finding["file"] == str(chunk)
    assert finding["field"] == "operations.1.timestamp"
    assert "in the future" in finding["message"]
    assert f"{(now + timedelta(days=400)):%Y-%m-%d}" in finding["message"]


def test_operations_a_little_ahead_are_clock_noise(project: Path) -> None:
    _chunk(project, [datetime.now(UTC) + timedelta(minutes=2)])
    assert verify(project) == (0, [])


def test_many_future_operations_are_summarised(project: Path) -> None:
    later = datetime.now(UTC) + timedelta(days=3)
    _chunk(project, [later + timedelta(minutes=i) for i in range(12)])
    code, findings = verify(project)
    assert code == 1 and len(findings) == 6
    assert findings[-1]["message"].startswith("and 7 more")


def test_verify_never_changes_a_file(project: Path) -> None:
    _chunk(project, [datetime.now(UTC) + timedelta(days=9)])
    (project / ".session" / "preferences.json").write_text('{"keybindings": {"app.quit": ""}}')
    before = {p: p.read_bytes() for p in (project / ".session").rglob("*") if p.is_file()}
    verify(project)
    after = {p: p.read_bytes() for p in (project / ".session").rglob("*") if p.is_file()}
    assert before == after
    assert os.path.exists(project / ".session" / "preferences.json")


def test_costs_json_disagreeing_with_its_chunks_is_a_problem(project: Path) -> None:
    chunk = _chunk(project, [datetime.now(UTC) - timedelta(hours=1)])
    data = json.loads(chunk.read_text())
    data["operations"].append(dict(data["operations"][0], operation="added by hand"))
    chunk.write_text(json.dumps(data))
    code, findings = verify(project)
    assert code == 1
    assert [Path(f["file"]).name for f in findings] == ["ops-000001.json"]
    assert "costs.json says 1 operations" in findings[0]["message"]


def test_an_odd_chunk_name_is_a_problem(project: Path) -> None:
    _chunk(project, [datetime.now(UTC) - timedelta(hours=1)])
    (project / ".session" / "costs" / "ops-².json").write_text('{"operations": []}')
    code, findings = verify(project)
    assert code == 1
    assert any(
        Path(f["file"]).name == "ops-².json" and "chunk name" in f["message"] for f in findings
    )
