"""Two processes logging to one project at the same instant: every operation either process
acknowledged is on disk exactly once afterwards, the totals count them all, and nothing is
set aside as corrupt or edited outside.

Each worker records the id of every operation ``log_operation`` returned for in its own
fsynced file; the workers open their trackers, wait at a barrier, then log as fast as they
can into chunks of 8 (so chunks fill and roll over while the other process appends).
``WF_COST_ROUNDS`` raises the number of rounds (``make reliability`` runs more).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.patience import PATIENCE
from tests.reliability.tally import record
from writers_factory.store import CostTracker

ROUNDS = int(os.environ.get("WF_COST_ROUNDS", "4"))
PER_PROCESS = 24

WORKER = r"""
import asyncio, os, sys, time
from pathlib import Path
from writers_factory.store.costs import chunks
from writers_factory.store.costs.tracker import CostTracker

chunks.CHUNK_SIZE = 8
root, name, count, ready, go, acks, open_late = sys.argv[1:]
count, open_late = int(count), open_late == "1"
tracker = None if open_late else CostTracker(Path(root))
Path(ready).touch()
while not os.path.exists(go):
    time.sleep(0.0005)
fd = os.open(acks, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

async def main() -> None:
    global tracker
    if tracker is None:
        tracker = CostTracker(Path(root))
    for i in range(count):
        key = f"{name}-k{i}" if i % 3 == 0 else None
        record = await tracker.log_operation(f"{name}-{i}", "ollama:llama3.2", i, 1, key=key)
        assert record.operation == f"{name}-{i}", record
        os.write(fd, f"{name}-{i}\n".encode())
        os.fsync(fd)

asyncio.run(main())
"""


def on_disk(root: Path) -> list[str]:
    """Every operation name in every chunk file, read directly."""
    names: list[str] = []
    for chunk in sorted((root / "costs").glob("ops-*.json")):
        names.extend(op["operation"] for op in json.loads(chunk.read_text())["operations"])
    return names


def race(root: Path, round_no: int, *, open_late: bool) -> list[str]:
    """Two workers log at once; returns the ids both acknowledged."""
    work = root.parent / f"round-{round_no}"
    work.mkdir()
    go = work / "go"
    workers = []
    for name in ("a", "b"):
        tag = f"{name}{round_no}"
        args = [
            str(root),
            tag,
            str(PER_PROCESS),
            str(work / f"{tag}.ready"),
            str(go),
            str(work / f"{tag}.acks"),
            "1" if open_late else "0",
        ]
        workers.append(
            subprocess.Popen(
                [sys.executable, "-c", WORKER, *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    deadline = time.monotonic() + PATIENCE
    while not all((work / f"{n}{round_no}.ready").exists() for n in "ab"):
        assert time.monotonic() < deadline, "workers did not start"
        assert all(w.poll() is None for w in workers), [w.communicate() for w in workers]
        time.sleep(0.01)
    go.touch()  # the barrier: both start logging now
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    acked: list[str] = []
    for name in "ab":
        acked.extend((work / f"{name}{round_no}.acks").read_text().split())
    return acked


def old_history(root: Path, chunks: int = 12, size: int = 8) -> list[str]:
    """Chunks of operations from months ago, with no summary yet: the first process to
    start builds it (under the lock), and old chunks get folded while both are writing."""
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from writers_factory.store.base.durable import write_atomic
    from writers_factory.store.base.serialisers import dumps
    from writers_factory.store.costs.models import OperationChunk, OperationRecord, chunk_name

    start = datetime.now(UTC) - timedelta(days=120)
    names: list[str] = []
    for number in range(1, chunks + 1):
        records = []
        for i in range(size):
            names.append(f"old-{number}-{i}")
            records.append(
                OperationRecord(
                    timestamp=start + timedelta(days=number, minutes=i),
                    operation=names[-1],
                    model="ollama:llama3.2",
                    input_tokens=1,
                    output_tokens=1,
                    cost=Decimal(0),
                    session_id="old",
                )
            )
        plain = OperationChunk(operations=records).model_dump(mode="json")
        write_atomic(root / chunk_name(number), dumps(plain))
    return names


@pytest.mark.slow
def test_two_processes_logging_at_once_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "novel" / ".session"
    root.mkdir(parents=True)
    acknowledged: list[str] = old_history(root)
    history = len(acknowledged)
    for round_no in range(ROUNDS):
        acknowledged += race(root, round_no, open_late=round_no % 2 == 1)
        names = on_disk(root)
        counts = Counter(names)
        missing = [a for a in acknowledged if counts[a] == 0]
        twice = [n for n, c in counts.items() if c > 1]
        record(failed=int(bool(missing or twice)), lost=len(missing))  # make reliability's table
        assert not missing and not twice, (round_no, missing, twice)
        assert len(names) == len(acknowledged) == history + PER_PROCESS * 2 * (round_no + 1)
        assert not (root / "corrupt").exists(), sorted(os.listdir(root / "corrupt"))
        tracker = CostTracker(root)
        assert tracker.problems == [], [p.describe() for p in tracker.problems]
        assert tracker.operations_count == len(acknowledged)
        assert sorted(r.operation for r in tracker.recent(len(names))) == sorted(names)
        summary = json.loads((root / "costs.json").read_text())
        assert summary["operations_count"] == len(acknowledged)
        assert len(summary["sealed"]["chunks"]) == 12  # the old chunks, folded once
