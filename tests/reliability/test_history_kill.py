"""SIGKILL a real process that records a session and saves history.json in a loop, the
way the app does at each auto-save. After the kill the session's entry is on disk with the
numbers of the last acknowledged save (or the one in flight), and every file parses."""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.reliability.harness import zygote
from writers_factory.store import SessionHistory
from writers_factory.store.base.serialisers import loads


def test_kill_9_keeps_the_running_sessions_entry(tmp_path: Path) -> None:
    rng = random.Random(20261121)
    root = tmp_path / "novel" / ".session"
    root.mkdir(parents=True)
    rounds = 3
    with zygote() as children:
        for n in range(rounds):
            child = children.spawn("history", root.parent, tmp_path / f"ack-{n}.txt", f"run-{n}")
            child.wait_for("15 saves", lambda acks: len(acks) >= 15)
            time.sleep(rng.uniform(0.0, 0.15))
            child.kill()
            check_after_kill(root, n, child.last_number())
    history = SessionHistory(root)
    history.begin("after-crash", datetime.now(UTC))
    history.save_sync()
    raw = json.loads((root / "history.json").read_text())
    assert [s["session_id"] for s in raw["sessions"]] == [
        *(f"run-{i}" for i in range(rounds)),
        "after-crash",
    ]
    assert [s["interrupted"] for s in raw["sessions"]] == [True] * rounds + [False]


def check_after_kill(root: Path, n: int, acknowledged: int) -> None:
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
