"""A real terminal for the end-to-end tests: a private tmux server running the installed app.

One :class:`Terminal` per test: its own tmux socket (nothing else is ever touched), panes
that stay on screen after the app exits (so the last screen and the exit status can be
read), typing word by word like a writer, and a close that leaves no process behind —
every descendant of what it launched is found through ``/proc`` and killed by pid.

Waits poll a condition with a generous deadline and never assert how long anything took;
a wait that runs out says what it waited for and shows the terminal.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).parent / "writers-factory"
"""The ``writers-factory`` command installed next to the running Python."""

WIDTH, HEIGHT = 110, 35


class Terminal:
    """One private tmux server (its own socket); each launch is a tmux session by name."""

    def __init__(self, config_home: Path | None = None) -> None:
        self.socket = f"wf-e2e-{uuid.uuid4().hex[:10]}"
        self.config_home = config_home
        """``XDG_CONFIG_HOME`` for the app: the machine's own themes never leak in."""
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
        """Start ``writers-factory project`` in a new tmux session called ``name``."""
        # tmux may hand its panes COLUMNS/LINES (80x24) that would win over the pane's real
        # size in the app's terminal-size lookup; the app must see the pane as it is
        command = ["env", "-u", "COLUMNS", "-u", "LINES"]
        if self.config_home is not None:
            command.append(f"XDG_CONFIG_HOME={self.config_home}")
        command += [str(BIN), str(project)]
        # remain-on-exit in the same tmux command, so even an app that exits at once keeps
        # its pane: its last screen and its exit status stay readable
        size = ["-x", str(WIDTH), "-y", str(HEIGHT)]
        keep = ["set-option", "-t", name, "remain-on-exit", "on"]
        self.tmux("new-session", "-d", "-s", name, *size, shlex.join(command), ";", *keep)
        self.pids.append(self.pane_pid(name))

    def pane_pid(self, name: str) -> int:
        return int(self.tmux("display-message", "-p", "-t", name, "#{pane_pid}"))

    def ended(self, name: str) -> bool:
        """Whether what runs in the pane has ended (the pane stays, showing its last screen)."""
        return self.tmux("display-message", "-p", "-t", name, "#{pane_dead}").strip() == "1"

    def exit_status(self, name: str) -> int | None:
        """How what ran in the pane ended: its exit status, or minus the signal that ended
        it (as ``subprocess`` reports it); ``None`` while it runs or while tmux cannot say
        (it may see the pane's terminal close before it learns the status)."""
        fields = "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}"
        dead, status, sig = self.tmux("display-message", "-p", "-t", name, fields).split("|")
        sig = sig.strip()
        if dead != "1":
            return None
        if sig:
            return -int(sig)
        return int(status) if status else None

    def screen(self, name: str) -> str:
        """What the pane shows now (trailing blank rows left out)."""
        return self.tmux("capture-pane", "-p", "-t", name).rstrip() + "\n"

    def styled_screen(self, name: str) -> str:
        """The screen with its colours and attributes (SGR escape sequences)."""
        return self.tmux("capture-pane", "-p", "-e", "-t", name)

    def type(self, name: str, text: str) -> None:
        """Word by word, like a writer, so the app sees many separate edits.

        Exactly ``text`` arrives: the spaces between words are sent with the word after them.
        """
        for i, word in enumerate(text.split(" ")):
            chunk = word if i == 0 else " " + word
            if chunk:
                self.tmux("send-keys", "-t", name, "-l", chunk)
                time.sleep(0.05)

    def keys(self, name: str, *keys: str) -> None:
        """tmux key names: ``Enter``, ``BSpace``, ``C-z``, ``F7``…"""
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


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for its parent (tmux) to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for(
    what: str,
    check: Callable[[], bool],
    timeout: float = 60,
    show: Callable[[], str] | None = None,
) -> None:
    """Poll ``check`` until it holds; past ``timeout`` fail, showing ``show()`` if given."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            seen = f"\n--- the terminal showed ---\n{show()}" if show is not None else ""
            raise AssertionError(f"timed out waiting for {what}{seen}")
        time.sleep(0.1)


_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
_ATTRIBUTE_OFF = {21: {1}, 22: {1, 2}, 23: {3}, 24: {4}, 25: {5, 6}, 27: {7}, 28: {8}, 29: {9}}


def cell_styles(styled: str) -> list[list[tuple[str, tuple[object, ...]]]]:
    """Each row of a ``styled_screen`` as (character, style) pairs.

    The style is the effective (foreground, background, attributes) after every SGR
    sequence so far, so two cells compare equal exactly when they look the same.
    """
    fg: object = None
    bg: object = None
    attrs: frozenset[int] = frozenset()
    rows = []
    for line in styled.split("\n"):
        row: list[tuple[str, tuple[object, ...]]] = []
        pos = 0
        for match in _SGR.finditer(line):
            row += [(ch, (fg, bg, attrs)) for ch in line[pos : match.start()]]
            pos = match.end()
            params = [int(p) if p.isdigit() else 0 for p in re.split("[;:]", match.group(1))]
            i = 0
            while i < len(params):
                p = params[i]
                if p in (38, 48):
                    size = 3 if params[i + 1 : i + 2] == [5] else 5
                    colour = tuple(params[i : i + size])
                    fg, bg = (colour, bg) if p == 38 else (fg, colour)
                    i += size
                    continue
                if p == 0:
                    fg, bg, attrs = None, None, frozenset()
                elif p == 39:
                    fg = None
                elif p == 49:
                    bg = None
                elif 30 <= p <= 37 or 90 <= p <= 97:
                    fg = p
                elif 40 <= p <= 47 or 100 <= p <= 107:
                    bg = p
                elif p in _ATTRIBUTE_OFF:
                    attrs = attrs - _ATTRIBUTE_OFF[p]
                else:
                    attrs = attrs | {p}
                i += 1
        row += [(ch, (fg, bg, attrs)) for ch in line[pos:]]
        rows.append(row)
    return rows
