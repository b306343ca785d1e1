"""Every file in examples/ runs as the documentation shows, in a fresh project of its own.

Each runs in a subprocess (as a reader would run it) and is judged by what it prints and
what it leaves on disk. A new example without a check here fails the first test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from writers_factory.project import create_project

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(name: str, project: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), str(project), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    assert done.returncode == 0, f"{name} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def operations(project: Path) -> list[dict[str, object]]:
    return [
        op
        for chunk in sorted((project / ".session" / "costs").glob("ops-*.json"))
        for op in json.loads(chunk.read_text(encoding="utf-8"))["operations"]
    ]


def check_session_basics(project: Path) -> None:
    out = run("session_basics.py", project)
    assert "unsaved changes: True\nunsaved changes after save: False" in out
    assert "stage: writing" in out
    assert "open: [('manuscript/chapter-01.md', 3, 12)]" in out
    assert "interrupted: False" in out
    current = json.loads((project / ".session" / "current.json").read_text(encoding="utf-8"))
    assert current["clean_shutdown"] is True
    assert current["recent_queries"][-1]["query"] == "Where does the keeper live?"


def check_status_bar(project: Path) -> None:
    lines = run("status_bar.py", project).splitlines()
    assert lines == [
        "[○ Not saved yet | Session: $0.00]",
        "[● Auto-saved just now | Session: $0.00]",
        "[● Auto-saved just now | Session: $0.09]",
        "[● Auto-saved 42s ago | Session: $0.09]",
    ]


def check_cost_display(project: Path) -> None:
    out = run("cost_display.py", project)
    assert "session: $0.09\ndaily: $0.09" in out
    assert "  ollama:llama3.2: $0.00" in out
    assert "warning: None" in out
    assert "warning: Approaching your spending limit: Daily budget:" in out
    assert "of $0.50 (89%)" in out
    prefs = json.loads((project / ".session" / "preferences.json").read_text(encoding="utf-8"))
    assert prefs["budget"]["daily_limit"] == "0.50"
    assert len(operations(project)) == 3


def check_cost_confirmation(project: Path) -> None:
    chapter = project / "manuscript" / "chapter-01.md"
    chapter.write_text("The keeper climbed the stair. " * 4_000, encoding="utf-8")
    out = run("cost_confirmation.py", project, "no")
    assert "This operation will cost about $" in out
    assert "declined: nothing sent, nothing logged\noperations logged: 0" in out
    assert operations(project) == []

    out = run("cost_confirmation.py", project, "yes")
    assert "logged: chapter_rewrite $" in out
    assert [op["operation"] for op in operations(project)] == ["chapter_rewrite"]


def check_recovery_check(project: Path) -> None:
    out = run("recovery_check.py", project)
    assert "writer exit status: -9" in out
    assert "Previous session was interrupted" in out
    assert "stage: enhancing | file: manuscript/chapter-01.md" in out
    assert "unsaved text in manuscript/chapter-01.md: +19 −0 characters" in out
    assert "newer: journal; proposed: unsaved" in out
    journal = list((project / ".session" / "journal").glob("*.json"))
    assert len(journal) == 1, "the check only looks: the unsaved text stays in the journal"


def check_watch_changes(project: Path) -> None:
    out = run("watch_changes.py", project)
    assert out.splitlines() == ["modified planning/outline.md"]
    assert "A line the app saved." in (project / "manuscript" / "chapter-01.md").read_text()


CHECKS: dict[str, Callable[[Path], None]] = {
    "session_basics.py": check_session_basics,
    "status_bar.py": check_status_bar,
    "cost_display.py": check_cost_display,
    "cost_confirmation.py": check_cost_confirmation,
    "recovery_check.py": check_recovery_check,
    "watch_changes.py": check_watch_changes,
}


def test_every_example_is_checked() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_example(name: str, tmp_path: Path) -> None:
    project = create_project(tmp_path / "the-lighthouse", "The Lighthouse", sample=True)
    CHECKS[name](project)
