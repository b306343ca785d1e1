"""``run_app`` in a real terminal (a pseudo-terminal), as the command line runs it."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.patience import PATIENCE

SCRIPT = (
    "import sys; from pathlib import Path; from writers_factory.tui.app import run_app; "
    "sys.exit(run_app(Path(sys.argv[1])))"
)


def read_until(fd: int, needle: bytes, limit: float) -> bytes:
    """Collect terminal output until ``needle`` shows up (or ``limit`` seconds pass)."""
    seen = b""
    deadline = time.monotonic() + limit
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_run_app_opens_the_project_and_quits_cleanly(project: Path) -> None:
    controller, terminal = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("TEXTUAL", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(project)],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        close_fds=True,
    )
    os.close(terminal)
    try:
        screen = read_until(controller, b"Creation", limit=PATIENCE)
        assert b"Creation" in screen, screen[-500:]
        lock = project / ".session" / "lock.json"
        deadline = time.monotonic() + PATIENCE
        while not lock.exists() and time.monotonic() < deadline:
            read_until(controller, b"\0", limit=0.1)  # keep the terminal drained
        assert lock.exists(), "a running workspace holds the project lock"
        os.write(controller, b"\x11")  # ctrl+q
        # keep reading while it closes: a full terminal buffer would block its last paint
        deadline = time.monotonic() + PATIENCE
        while proc.poll() is None and time.monotonic() < deadline:
            read_until(controller, b"\0", limit=0.1)
        assert proc.wait(timeout=1) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(controller)
    current = json.loads((project / ".session" / "current.json").read_text())
    assert current["clean_shutdown"] is True
    assert not (project / ".session" / "lock.json").exists()
