"""SIGKILL a real process that records a session and saves history.json in a loop, the
way the app does at each auto-save. After the kill the session's entry is on disk with the
numbers of the last acknowledged save (or the one in flight), and every file parses."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

from writers_factory.store import SessionHistory
from writers_factory.store.base.serialisers import loads

WRITER = textwrap.dedent("""
    import asyncio, sys, pathlib
    from datetime import datetime, UTC
    from decimal import Decimal
    from writers_factory.store import SessionHistory
    root = pathlib.Path(sys.argv[1])
    session_id = sys.argv[2]
    ack = open(sys.argv[3], "a", buffering=1)

    async def main():
        history = SessionHistory(root)
        history.begin(session_id, datetime.now(UTC))
        i = 0
        while True:
            i += 1
            history.record_words(10, 1)
            history.record_file_modified(f"manuscript/chapter-{i % 5}.md")
            if i % 3 == 0:
                history.record_operation("scene_generation", Decimal("0.01"))
            await history.save()
            ack.write(f"{i}\\n")  # acknowledged only after save() returned
    asyncio.run(main())
""")


def _last_ack(ack: Path) -> int:
    lines = [line for line in ack.read_text().splitlines() if line.strip()]
    return int(lines[-1]) if lines else 0


def test_kill_9_keeps_the_running_sessions_entry(tmp_path: Path) -> None:
    rng = random.Random(20261121)
    root = tmp_path / "novel" / ".session"
    root.mkdir(parents=True)
    rounds = 3
    for n in range(rounds):
        ack = tmp_path / f"ack-{n}.txt"
        ack.write_text("")
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(root), f"run-{n}", str(ack)])
        deadline = time.monotonic() + 30
        while _last_ack(ack) < 15:
            assert proc.poll() is None, "writer died on its own"
            assert time.monotonic() < deadline, "writer made no progress"
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        acknowledged = _last_ack(ack)

        for path in root.rglob("*.json"):  # every file parses: nothing torn
            loads(path.read_bytes())
        assert not (root / "corrupt").exists()

        history = SessionHistory(root)
        assert history.problems == []
        entries = {e.session_id: e for e in history.sessions}
        assert sorted(entries) == [f"run-{i}" for i in range(n + 1)]
        entry = entries[f"run-{n}"]
        steps = entry.words_added // 10
        assert steps in (acknowledged, acknowledged + 1)  # last save, or the one in flight
        assert entry.words_removed == steps
        assert entry.operations_count.get("scene_generation", 0) == steps // 3
        assert entry.end_time is None and entry.last_activity is not None
        assert len(entry.files_modified) == min(steps, 5)
        assert not entry.interrupted  # nobody has opened the project since the crash...
        # ...but each earlier killed run was marked when the next one began
        assert all(entries[f"run-{i}"].interrupted for i in range(n))

    history = SessionHistory(root)
    history.begin("after-crash", datetime.now(UTC))
    history.save_sync()
    raw = json.loads((root / "history.json").read_text())
    assert [s["session_id"] for s in raw["sessions"]] == [
        *(f"run-{i}" for i in range(rounds)),
        "after-crash",
    ]
    assert [s["interrupted"] for s in raw["sessions"]] == [True] * rounds + [False]
