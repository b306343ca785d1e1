"""SIGKILL a real process that takes snapshots in a loop (a chapter changes before each):
after every kill, stock ``git log`` and ``git fsck`` accept the repository, the branch
points at a snapshot at least as new as the last acknowledged one, and the next snapshot
carries on from it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.patience import PATIENCE
from writers_factory.store.snapshots.reading import file_text, walk
from writers_factory.store.snapshots.taker import Snapshotter
from writers_factory.store.snapshots.triggers import Trigger

GIT = shutil.which("git")

WRITER = textwrap.dedent("""
    import sys, pathlib
    from writers_factory.store.snapshots.taker import Snapshotter
    project = pathlib.Path(sys.argv[1])
    start = int(sys.argv[2])
    ack = open(sys.argv[3], "a", buffering=1)
    taker = Snapshotter(project)
    i = start
    while True:
        i += 1
        for n in range(8):
            (project / "manuscript" / f"chapter-{n}.md").write_text(
                f"Draft {i} of chapter {n}.\\n" + "More words here. " * (40 + i % 7)
            )
        info = taker.take("autosave")
        ack.write(f"{i} {info.id}\\n")  # acknowledged only once take() returned
""")


def _acks(ack: Path) -> list[tuple[int, str]]:
    found = []
    for line in ack.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:
            found.append((int(parts[0]), parts[1]))
    return found


def test_kill_9_during_snapshots_leaves_a_repository_git_accepts(tmp_path: Path) -> None:
    assert GIT is not None, "stock git is what this test checks the repository with"
    rng = random.Random(20261201)
    project = tmp_path / "novel"
    (project / "manuscript").mkdir(parents=True)
    (project / ".session").mkdir()
    git_dir = f"--git-dir={project / '.session' / 'snapshots.git'}"
    step = 0
    rounds = 20
    for n in range(rounds):
        ack = tmp_path / f"ack-{n}.txt"
        ack.write_text("")
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(project), str(step), str(ack)])
        deadline = time.monotonic() + PATIENCE
        while len(_acks(ack)) < 2:
            assert proc.poll() is None, "the snapshot writer died on its own"
            assert time.monotonic() < deadline, "the snapshot writer made no progress"
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        acked = _acks(ack)
        step = acked[-1][0] + 2  # past the snapshot that may have been in flight

        fsck = subprocess.run([GIT, git_dir, "fsck", "--strict"], capture_output=True, text=True)
        assert fsck.returncode == 0, fsck.stdout + fsck.stderr
        log = subprocess.run(
            [GIT, git_dir, "log", "--format=%H"], capture_output=True, text=True, check=True
        )
        history = log.stdout.split()
        assert acked[-1][1] in history  # nothing acknowledged was lost
        assert history.index(acked[-1][1]) <= 1  # the branch is at it, or at the one in flight

    taker = Snapshotter(project)
    (project / "manuscript" / "chapter-0.md").write_text("After the storm.\n")
    info = taker.take(Trigger.MANUAL, message="after the kills")
    assert info is not None
    assert file_text(taker.repository, info.id, "manuscript/chapter-0.md") == "After the storm.\n"
    assert len(list(walk(taker.repository))) >= rounds * 2
    assert not list((project / ".session" / "snapshots.git").rglob("*.wf-tmp"))
    subprocess.run([GIT, git_dir, "fsck", "--strict"], check=True, capture_output=True)
