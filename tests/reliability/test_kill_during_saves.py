"""SIGKILL a real process that saves in a loop; every file must parse and hold the last
acknowledged save. This proves no torn files after process crashes (not power loss)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from tests.reliability.harness import zygote
from writers_factory.store import Session
from writers_factory.store.verify import verify


def test_kill_9_never_leaves_a_torn_file(tmp_path: Path) -> None:
    rng = random.Random(20261121)
    project = tmp_path / "novel"
    project.mkdir()
    with zygote() as children:
        for n in range(5):
            child = children.spawn("session", project, tmp_path / f"ack-{n}.txt")
            child.wait_for("20 saves", lambda acks: len(acks) >= 20)
            time.sleep(rng.uniform(0.0, 0.2))
            child.kill()
            acknowledged = child.last_number()
            check_after_kill(project, acknowledged)


def check_after_kill(project: Path, acknowledged: int) -> None:
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
