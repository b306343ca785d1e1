"""Another process with a project open: its session, its lock, until the block ends.

Several tests need the app's hold on a project from a process of its own (a lock held by
this process is its own, and counts for nothing); one way to make it, and to end it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.patience import PATIENCE

HOLDER = (
    "import sys\n"
    "from writers_factory.store.session.session import Session\n"
    "s = Session(sys.argv[1])\n"
    "print('open', flush=True)\n"
    "sys.stdin.read()\n"
    "s.close_sync()\n"
)


@contextmanager
def held_open(project: Path) -> Iterator[subprocess.Popen[str]]:
    """``project`` open in another process for the block (it closes cleanly at the end)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        yield holder
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        try:
            holder.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            holder.kill()
            holder.wait()
