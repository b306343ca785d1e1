"""The command itself: its version, a reader that leaves early, a project that is not there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from writers_factory.cli import BROKEN_PIPE_EXIT, main
from writers_factory.project import create_project
from writers_factory.store import SessionHistory


def run(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "writers_factory.cli", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )


def test_version_is_the_installed_packages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"writers-factory {version('writers-factory')}"


OPEN_PROBE = """
import sys
import writers_factory.tui.app as app

app.run_app = lambda project, author=None: print(
    [m for m in ("importlib.metadata", "email") if m in sys.modules]
) or 0
from writers_factory.cli import main

raise SystemExit(main([sys.argv[1]]))
"""


def test_opening_the_workspace_reads_no_package_metadata(tmp_path: Path) -> None:
    """The version is looked up when ``--version`` asks for it, not each time the
    command parses its arguments to open the workspace (the metadata scan and its imports
    came before every start)."""
    project = create_project(tmp_path / "novel", "Novel")
    done = subprocess.run(
        [sys.executable, "-c", OPEN_PROBE, str(project)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "[]", done.stderr


@pytest.mark.parametrize("view", ["verify", "show", "history", "costs", "preferences"])
def test_a_project_that_does_not_exist_is_said_to_not_exist(tmp_path: Path, view: str) -> None:
    missing = tmp_path / "nonexistent"
    done = run("session", view, "--project", str(missing))
    assert done.returncode == 2
    assert f"the project {missing} does not exist" in done.stderr
    assert "never been opened" not in done.stderr + done.stdout
    as_json = run("session", view, "--project", str(missing), "--json")
    assert as_json.returncode == 2
    assert json.loads(as_json.stdout) == {"error": f"the project {missing} does not exist"}
    stats = run("stats", "--project", str(missing))
    assert stats.returncode == 2 and "does not exist" in stats.stderr


def test_a_file_given_as_the_project_is_said_to_be_a_file(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("not a project\n")
    done = run("session", "verify", "--project", str(plain))
    assert done.returncode == 2 and "is a file, not a project folder" in done.stderr


@pytest.mark.parametrize("output", ["--json", "table", "--csv"])
def test_a_reader_that_goes_away_early_gets_no_traceback(tmp_path: Path, output: str) -> None:
    project = create_project(tmp_path / "book", "Book", sample=True)
    history = SessionHistory(project / ".session")
    for n in range(20):
        history.begin(f"2026-01-{n + 1:02d}-090000", history._clock())
        history.record_file_modified(project / "manuscript" / "chapter-01.md")
    history.save_sync()
    # the reading end is closed before the command starts: its first write meets a closed
    # pipe, as when `| head` has read its lines and gone
    read_end, write_end = os.pipe()
    os.close(read_end)
    if output == "--csv":
        args = ["stats", "--project", str(project), "--csv"]
    else:
        args = ["session", "history", "--project", str(project)]
        args += [output] if output == "--json" else []
    try:
        done = run(*args, stdout=write_end)
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr
    assert done.returncode == BROKEN_PIPE_EXIT
