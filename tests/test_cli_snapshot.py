"""`writers-factory snapshot …` and `session rollback` through the real entry point: a round
trip of every command, in tables and in JSON."""

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
        timeout=120,
    )


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "novel"
    (project / "manuscript").mkdir(parents=True)
    (project / "manuscript" / "chapter-01.md").write_text("The first line.\n")
    session = Session(project)
    session.set_stage("writing")
    session.open_file("manuscript/chapter-01.md", 2, 3)
    session.close_sync()
    return project


def test_round_trip_of_every_snapshot_command(tmp_path: Path) -> None:
    project = _project(tmp_path)
    p = ("--project", str(project))
    assert "No snapshots yet" in wf("snapshot", "list", *p).stdout

    made = wf("snapshot", "create", "-m", "before the big change", *p, "--json")
    assert made.returncode == 0, made.stderr
    first = json.loads(made.stdout)["id"]
    chapter = project / "manuscript" / "chapter-01.md"
    chapter.write_text("The first line, rewritten.\nA second line.\n")
    second = json.loads(wf("snapshot", "create", "-m", "rewrite", *p, "--json").stdout)["id"]

    listed = json.loads(wf("snapshot", "list", *p, "--json").stdout)["snapshots"]
    assert [s["id"] for s in listed] == [second, first]
    assert listed[0]["added"] > 0 and listed[0]["message"] == "rewrite"
    table = wf("snapshot", "list", "manuscript/chapter-01.md", *p)
    assert first[:10] in table.stdout and "rewrite" in table.stdout

    shown = json.loads(wf("snapshot", "show", first[:8], *p, "--json").stdout)
    assert "manuscript/chapter-01.md" in shown["files"]
    text = wf("snapshot", "show", first[:8], "manuscript/chapter-01.md", *p)
    assert text.stdout == "The first line.\n"

    between = json.loads(wf("snapshot", "diff", first[:8], second[:8], *p, "--json").stdout)
    lines = between["files"]["manuscript/chapter-01.md"]
    assert "-The first line." in lines and "+A second line." in lines
    chapter.write_text("Now something else.\n")
    to_now = wf("snapshot", "diff", "HEAD", "manuscript/chapter-01.md", *p)
    assert "+Now something else." in to_now.stdout

    restored = json.loads(
        wf("snapshot", "restore", first[:8], "manuscript/chapter-01.md", *p, "--json").stdout
    )
    assert chapter.read_text() == "The first line.\n"
    kept = restored["kept_as"]
    assert kept is not None
    kept_text = wf("snapshot", "show", kept, "manuscript/chapter-01.md", *p)
    assert kept_text.stdout == "Now something else.\n"  # the present was kept first


def test_rollback_round_trip(tmp_path: Path) -> None:
    project = _project(tmp_path)
    p = ("--project", str(project))
    first = json.loads(wf("snapshot", "create", "-m", "writing", *p, "--json").stdout)["id"]
    session = Session(project)
    session.set_stage("scoring")
    session.close_file("manuscript/chapter-01.md")
    session.close_sync()
    result = wf("session", "rollback", first[:8], *p, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert payload["stage"] == "writing" and payload["open_files"] == ["manuscript/chapter-01.md"]
    data = json.loads((project / ".session" / "current.json").read_text())
    assert data["current_state"]["stage"] == "writing"
    assert data["open_files"][0]["cursor_line"] == 2
    back = wf("session", "rollback", payload["kept_as"][:10], *p)
    assert back.returncode == 0 and "scoring" in back.stdout


def test_bad_input_is_a_message_never_a_traceback(tmp_path: Path) -> None:
    project = _project(tmp_path)
    p = ("--project", str(project))
    wf("snapshot", "create", "-m", "x", *p)
    cases = [
        ("snapshot", "show", "deadbeef", *p),
        ("snapshot", "restore", "HEAD", "../../etc/passwd", *p),
        ("snapshot", "restore", "HEAD", *p),
        ("snapshot", "create", *p),
        ("snapshot", "diff", *p),
        ("session", "rollback", *p),
        ("session", "rollback", "HEAD~5", *p),
        ("snapshot", "list", "--project", str(tmp_path / "nowhere")),
    ]
    for args in cases:
        result = wf(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert "error" in result.stderr
