"""What opening a session does, counted (never timed; ``make bench`` times the start).

The app opens the session while the writer waits for the editor, so everything on that way
counts. Opening a project that closed cleanly:

- imports no psutil: the lock records this process's creation time and the boot time,
  which on Linux are read from ``/proc`` (``store/base/processes.py``); psutil is imported
  when another process's lock has to be judged;
- scans no installed distribution's metadata for validation-library plugins (the project
  uses none: ``writers_factory/__init__.py`` switches them off unless the writer says
  otherwise, which the last test checks).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from writers_factory.project import create_project
from writers_factory.store import Session

OPEN = """
import sys
from pathlib import Path

import writers_factory.tui.app  # what the app has imported when it opens the session
import importlib.metadata as metadata

scans = []
discover = metadata.Distribution.discover


def counting(*args, **kwargs):
    scans.append(1)
    return discover(*args, **kwargs)


metadata.Distribution.discover = counting
from writers_factory.store import Session

before = "psutil" in sys.modules
session = Session(Path(sys.argv[1]))
assert not session.read_only and not session.was_interrupted()
session.close_sync()
print(len(scans), before, "psutil" in sys.modules)
"""


@pytest.fixture
def closed_cleanly(tmp_path: Path) -> Path:
    project = create_project(tmp_path / "novel", "Novel")
    Session(project).close_sync()  # current.json there, no lock left: every later start
    return project


def open_in_a_fresh_interpreter(project: Path, **env: str) -> str:
    # this process has the package's default set: a child would inherit it unasked
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run(
        [sys.executable, "-c", OPEN, str(project)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**environ, **env},
        check=True,
    )
    return done.stdout.strip()


ON_LINUX = sys.platform.startswith("linux")


@pytest.mark.skipif(not ON_LINUX, reason="elsewhere psutil says when a process began")
def test_opening_a_session_imports_no_psutil_and_scans_no_distribution(
    closed_cleanly: Path,
) -> None:
    assert open_in_a_fresh_interpreter(closed_cleanly) == "0 False False"


def test_a_plugin_setting_of_the_writers_own_is_kept(closed_cleanly: Path) -> None:
    """The default is only a default: an empty value (plugins on) scans for them again."""
    scans, _, _ = open_in_a_fresh_interpreter(closed_cleanly, PYDANTIC_DISABLE_PLUGINS="").split()
    assert int(scans) >= 1
