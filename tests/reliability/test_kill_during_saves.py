"""SIGKILL a real process that saves in a loop; every file must parse and hold the last
acknowledged save. This proves no torn files after process crashes (not power loss)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from writers_factory.store import Session
from writers_factory.store.verify import verify

WRITER = textwrap.dedent("""
    import asyncio, sys, pathlib
    from writers_factory.store import Session
    project = pathlib.Path(sys.argv[1])
    ack = open(sys.argv[2], "a", buffering=1)

    async def main():
        session = Session(project)
        i = 0
        while True:
            i += 1
            session.set_breadcrumb(["Home", "Writing", f"step-{i}"])
            session.open_file(f"manuscript/chapter-{i % 7}.md", i, i % 80)
            await session.save()
            ack.write(f"{i}\\n")  # acknowledged only after save() returned
    asyncio.run(main())
""")


def _last_ack(ack: Path) -> int:
    lines = [line for line in ack.read_text().splitlines() if line.strip()]
    return int(lines[-1]) if lines else 0


def test_kill_9_never_leaves_a_torn_file(tmp_path: Path) -> None:
    rng = random.Random(20261121)
    project = tmp_path / "novel"
    project.mkdir()
    for _round in range(5):
        ack = tmp_path / "ack.txt"
        ack.write_text("")
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(project), str(ack)])
        deadline = time.monotonic() + 30
        while _last_ack(ack) < 20:
            assert proc.poll() is None, "writer died on its own"
            assert time.monotonic() < deadline, "writer made no progress"
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.2))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        acknowledged = _last_ack(ack)

        current = project / ".session" / "current.json"
        data = json.loads(current.read_text())  # parses: never torn
        step = int(data["current_state"]["breadcrumb"][-1].removeprefix("step-"))
        # holds the last acknowledged save (or the one in flight when killed)
        assert step in (acknowledged, acknowledged + 1)
        for path in (project / ".session").rglob("*.json"):
            json.loads(path.read_text())
        problems = [f for f in verify(project) if "interrupted session" not in f.message]
        assert problems == [] or all("temp file" in f.message for f in problems)
        session = Session(project)
        assert session.was_interrupted() and session.problems == []
        session.close_sync()
