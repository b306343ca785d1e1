"""The real app in a real terminal (tmux): type, SIGKILL it, relaunch, Recover, save.

Everything typed more than a second before the kill must be in the file afterwards — the
recovery journal's promise, proven end to end with the installed ``writers-factory``
command, a real pseudo-terminal and a real SIGKILL. Waits poll the screen or the disk with
generous deadlines; nothing asserts how long anything took.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.e2e.novel import CHAPTER, lock_pid, make_project
from tests.e2e.terminal import Terminal, alive, wait_for

pytestmark = pytest.mark.e2e

BEFORE = "The lamp turned all night and nobody saw the ship"
AFTER = " until dawn"


def test_sigkill_loses_nothing_typed_more_than_a_second_before(
    tmp_path: Path, terminal: Terminal
) -> None:
    project = make_project(tmp_path)
    original = (project / CHAPTER).read_text()

    terminal.launch("first", project)
    wait_for("the app to take the lock", lambda: lock_pid(project) is not None)
    pid = lock_pid(project)
    assert pid is not None
    wait_for("the chapter on screen", lambda: "chapter-01.md" in terminal.screen("first"))
    time.sleep(1.0)  # let the editor take the focus
    terminal.keys("first", "Enter")
    terminal.type("first", BEFORE)
    journal = project / ".session" / "journal"
    wait_for(
        "the typing to reach the journal",
        lambda: any(BEFORE in f.read_text() for f in journal.glob("*.json")),
    )
    time.sleep(1.5)  # everything above is now more than a second old
    terminal.type("first", AFTER)  # typed just before the kill: may or may not survive
    os.kill(pid, signal.SIGKILL)
    wait_for("the app to die", lambda: not alive(pid))
    assert (project / CHAPTER).read_text() == original  # the file itself was never saved

    terminal.launch("second", project)
    wait_for(
        "the recovery question",
        lambda: "previous session was interrupted" in terminal.screen("second"),
        show=lambda: terminal.screen("second"),
    )
    screen = terminal.screen("second")
    assert CHAPTER in screen and "unsaved text is newer" in screen
    terminal.keys("second", "r")  # Recover
    wait_for(  # the question previews the text too: wait for it to be gone
        "the recovered text in the editor",
        lambda: (
            "all night and nobody saw" in (shown := terminal.screen("second"))
            and "previous session was interrupted" not in shown
        ),
    )
    terminal.keys("second", "C-s")
    wait_for("the save", lambda: BEFORE in (project / CHAPTER).read_text())
    terminal.keys("second", "C-q")
    wait_for("a clean close", lambda: not (project / ".session" / "lock.json").exists())

    saved = (project / CHAPTER).read_text()
    assert saved.startswith(original)
    assert BEFORE in saved
    # the journal entry went only once the text was safely in the file
    assert not any(journal.glob("*.json"))


def test_sigterm_saves_and_closes_cleanly(tmp_path: Path, terminal: Terminal) -> None:
    project = make_project(tmp_path)
    terminal.launch("app", project)
    wait_for("the app to take the lock", lambda: lock_pid(project) is not None)
    pid = lock_pid(project)
    assert pid is not None
    wait_for("the chapter on screen", lambda: "chapter-01.md" in terminal.screen("app"))
    time.sleep(1.0)  # let the editor take the focus
    terminal.keys("app", "Enter")
    terminal.type("app", BEFORE)
    # all of it: keys still unread in the terminal when the signal comes are not the app's
    wait_for("the typing on screen", lambda: BEFORE in terminal.screen("app"))
    os.kill(pid, signal.SIGTERM)  # a logout, a shutdown, a terminal closed
    wait_for("the app to exit", lambda: not alive(pid))
    assert BEFORE in (project / CHAPTER).read_text()
    assert not (project / ".session" / "lock.json").exists()
    current = json.loads((project / ".session" / "current.json").read_text())
    assert current["clean_shutdown"] is True
