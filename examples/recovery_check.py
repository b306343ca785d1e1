"""The recovery check at start-up, after a real crash.

A child process opens the project, records a stage and an open file, journals text the
writer typed and never saved, and is killed with SIGKILL. Opening the project again finds
the session interrupted and the unsaved text in the journal, compared with its file.

Run: ``python examples/recovery_check.py PROJECT``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from writers_factory.store import Session
from writers_factory.store.manuscript.journal import Journal
from writers_factory.store.manuscript.recovery import assess_all

CHAPTER = "manuscript/chapter-01.md"

WRITER = """
import os, signal, sys
from pathlib import Path
from writers_factory.store import Session
from writers_factory.store.manuscript.buffers import text_sha256
from writers_factory.store.manuscript.journal import Journal

project, chapter = Path(sys.argv[1]), sys.argv[2]
session = Session(project)
session.set_stage("enhancing")
session.open_file(chapter, 4, 0)
session.save_sync()
on_disk = (project / chapter).read_text(encoding="utf-8")
Journal(project).write(project / chapter, on_disk + "The lamp went out.\\n", text_sha256(on_disk))
os.kill(os.getpid(), signal.SIGKILL)  # the crash: nothing is closed, nothing said
"""


def crash(project: Path) -> int:
    child = subprocess.run([sys.executable, "-c", WRITER, str(project), CHAPTER], check=False)
    return child.returncode


def startup_check(project: Path) -> Session:
    """What the interface asks before it restores anything."""
    session = Session(project)
    if session.other_instance is not None:
        print("another window has this project open: offer read-only")
    if session.was_interrupted():
        print("Previous session was interrupted")
        saved = session.last_save_time
        print("  last saved:", "never" if saved is None else f"{saved:%Y-%m-%d %H:%M:%S} UTC")
        print(f"  duration: {session.duration_minutes:.1f} minutes")
        print("  stage:", session.current_stage, "| file:", session.data.active_file)
    assessments, problems = assess_all(Journal(project))
    for found in assessments:
        print(f"  unsaved text in {found.entry.path}: {found.diff.describe()}")
        print(f"  newer: {found.newer.value}; proposed: {found.default}")
    for problem in problems:
        print("  journal problem:", problem.describe())
    return session


if __name__ == "__main__":
    project = Path(sys.argv[1])
    print("writer exit status:", crash(project))
    startup_check(project).close_sync()
