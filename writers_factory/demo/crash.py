"""A writer that is killed: a child process opens the project, writes, journals unsaved
text, says it is ready, and waits for the SIGKILL the demo sends it.

Run as ``python -m writers_factory.demo.crash PROJECT CHAPTER``; it prints ``ready`` once
its state is on disk and then waits, so the kill lands mid-session for certain, never
before the writer has written or after it has closed.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

UNSAVED = (
    "\nElizabeth had not yet closed the book when the rain began again, and she "
    "resolved to finish the letter before the candle was out.\n"
)
"""What the killed writer typed and never saved: the journal holds it."""


@dataclass(frozen=True)
class Crash:
    """What the demo saw of the kill."""

    pid: int
    returncode: int
    """``-9``: the child died by SIGKILL, without a chance to close anything."""


def _child(project: Path, chapter: str) -> None:
    from writers_factory.store.manuscript.buffers import text_sha256
    from writers_factory.store.manuscript.journal import Journal
    from writers_factory.store.session.session import Session

    session = Session(project)
    session.set_stage("enhancing")
    session.set_screen("editor")
    on_disk = (project / chapter).read_text(encoding="utf-8")
    lines = on_disk.count("\n")
    session.open_file(chapter, lines, 0)
    session.save_sync()
    Journal(project).write(
        project / chapter,
        on_disk + UNSAVED,
        text_sha256(on_disk),
        document="demo",
        revision=1,
        cursor=(lines + 2, 0),
    )
    print("ready", flush=True)
    sys.stdin.read()  # until killed: the parent never closes our stdin first


def kill_mid_session(project: Path, chapter: str, timeout: float = 120) -> Crash:
    """Start the writer, wait until it says ``ready``, then SIGKILL it."""
    child = subprocess.Popen(
        [sys.executable, "-m", "writers_factory.demo.crash", str(project), chapter],
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"the demo's writer process did not start (it said {line!r})")
        child.kill()  # SIGKILL: no handler runs, nothing is closed or saved
        returncode = child.wait(timeout)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return Crash(child.pid, returncode)


if __name__ == "__main__":
    _child(Path(sys.argv[1]), sys.argv[2])
