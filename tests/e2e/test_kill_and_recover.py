"""The real app in a real terminal (tmux): type, SIGKILL it, relaunch, Recover, save.

Everything typed more than a second before the kill must be in the file afterwards — the
recovery journal's promise, proven end to end with the installed ``writers-factory``
command, a real pseudo-terminal and a real SIGKILL. Waits poll the screen or the disk with
generous deadlines; nothing asserts how long anything took.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent / "writers-factory"
CHAPTER = "manuscript/chapter-01.md"
BEFORE = "The lamp turned all night and nobody saw the ship"
AFTER = " until dawn"


class Terminal:
    """One private tmux server (its own socket), so nothing else is ever touched."""

    def __init__(self) -> None:
        self.socket = f"wf-e2e-{uuid.uuid4().hex[:10]}"
        self.pids: list[int] = []

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return done.stdout

    def launch(self, name: str, project: Path) -> None:
        command = f"{BIN} {project}"
        self.tmux("new-session", "-d", "-s", name, "-x", "110", "-y", "35", command)
        self.pids.append(int(self.tmux("display-message", "-p", "-t", name, "#{pane_pid}")))
        # keep the pane after the app exits, so its last screen can be read when debugging
        self.tmux("set-option", "-t", name, "remain-on-exit", "on")

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", name)

    def type(self, name: str, text: str) -> None:
        # word by word, like a writer, so the app sees many separate edits
        for word in text.split(" "):
            self.tmux("send-keys", "-t", name, "-l", word + " ")
            time.sleep(0.05)

    def keys(self, name: str, *keys: str) -> None:
        self.tmux("send-keys", "-t", name, *keys)

    def close(self) -> None:
        """Close the terminal (the app gets SIGHUP); whatever we launched must not outlive it."""
        ours = {pid for root in self.pids for pid in descendants(root)}
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in ours) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in ours:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def descendants(root: int) -> set[int]:
    """``root`` and every process below it (from /proc), to clean up only what we started."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def wait_for(
    what: str,
    check: Callable[[], bool],
    timeout: float = 60,
    show: Callable[[], str] | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            seen = f"\n--- the terminal showed ---\n{show()}" if show is not None else ""
            raise AssertionError(f"timed out waiting for {what}{seen}")
        time.sleep(0.1)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is required for the end-to-end tests (apt-get install tmux)")
    term = Terminal()
    try:
        yield term
    finally:
        term.close()


def lock_pid(project: Path) -> int | None:
    try:
        return int(json.loads((project / ".session" / "lock.json").read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return None


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for its parent (tmux) to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def prepare(tmp_path: Path) -> Path:
    project = tmp_path / "novel"
    subprocess.run([str(BIN), "new", str(project), "--title", "The Lighthouse"], check=True)
    # open the chapter with the cursor at its end; auto-save far away, so only the journal
    # can carry the typing across the kill
    last_line = len((project / CHAPTER).read_text().splitlines())
    setup = (
        "import sys\n"
        "from writers_factory.store.session.session import Session\n"
        "from writers_factory.store.preferences.preferences import Preferences\n"
        "p = Preferences(sys.argv[1] + '/.session'); p.set_auto_save_interval(600); p.save_sync()\n"
        "s = Session(sys.argv[1])\n"
        f"s.open_file({CHAPTER!r}, {last_line}, 0)\n"
        "s.close_sync()\n"
    )
    subprocess.run([sys.executable, "-c", setup, str(project)], check=True)
    return project


def test_sigkill_loses_nothing_typed_more_than_a_second_before(
    tmp_path: Path, terminal: Terminal
) -> None:
    project = prepare(tmp_path)
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
    project = prepare(tmp_path)
    terminal.launch("app", project)
    wait_for("the app to take the lock", lambda: lock_pid(project) is not None)
    pid = lock_pid(project)
    assert pid is not None
    wait_for("the chapter on screen", lambda: "chapter-01.md" in terminal.screen("app"))
    time.sleep(1.0)  # let the editor take the focus
    terminal.keys("app", "Enter")
    terminal.type("app", BEFORE)
    wait_for("the typing on screen", lambda: "all night and" in terminal.screen("app"))
    os.kill(pid, signal.SIGTERM)  # a logout, a shutdown, a terminal closed
    wait_for("the app to exit", lambda: not alive(pid))
    assert BEFORE in (project / CHAPTER).read_text()
    assert not (project / ".session" / "lock.json").exists()
    current = json.loads((project / ".session" / "current.json").read_text())
    assert current["clean_shutdown"] is True
