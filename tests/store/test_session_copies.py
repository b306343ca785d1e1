"""Conflict copies of ``.session/`` files (store/session_copies.py): a syncing tool kept both
machines' versions of a cost chunk and of the history; the merge takes every operation and
session once, trashes the copies, and keeps this project's single-state files."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from tests.patience import PATIENCE
from writers_factory.project import create_project
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.history.history import SessionHistory
from writers_factory.store.manuscript.trash import list_trash
from writers_factory.store.session.session import Session
from writers_factory.store.session_copies import find_session_copies, merge_session_copies
from writers_factory.store.verify import verify

MODEL = "anthropic:claude-sonnet-4-5"
COPY = "ops-000001 (Laptop's conflicted copy 2026-11-30).json"
HISTORY_COPY = "history.sync-conflict-20261130-101112-ABCDEF7.json"


def _log(project: Path, name: str, count: int) -> None:
    tracker = CostTracker(project / ".session")

    async def log() -> None:
        for n in range(count):
            await tracker.log_operation(f"rewrite-{name}", MODEL, 100 + n, 50)

    asyncio.run(log())


def _session(project: Path, session_id: str, day: int) -> None:
    history = SessionHistory(project / ".session")
    history.begin(session_id, datetime(2026, 11, day, 9, tzinfo=UTC))
    history.record_words(100 + day, 2)
    history.end(datetime(2026, 11, day, 10, tzinfo=UTC))
    history.save_sync()


def _ids(project: Path) -> list[str]:
    return [op.id for op in CostTracker(project / ".session", read_only=True).all_operations()]


def _synced_pair(tmp_path: Path) -> tuple[Path, Path]:
    """One project, copied to a second machine; each then writes on its own, in its own
    process."""
    desk = create_project(tmp_path / "desk", "desk", sample=True)
    Session(desk).close_sync()
    _log(desk, "both", 3)
    _session(desk, "2026-11-01-090000", 1)
    laptop = tmp_path / "laptop"
    shutil.copytree(desk, laptop)
    _log(desk, "desk", 4)
    _session(desk, "2026-11-02-090000", 2)
    # the other machine: another process, its own operations and session
    script = (
        "import sys\n"
        "from tests.store.test_session_copies import _log, _session\n"
        "from pathlib import Path\n"
        "_log(Path(sys.argv[1]), 'laptop', 5)\n"
        "_session(Path(sys.argv[1]), '2026-11-03-090000', 3)\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-c", script, str(laptop)], check=True, cwd=root, timeout=PATIENCE
    )
    # the syncing tool keeps the desk's files and the laptop's as conflict copies beside them
    costs = desk / ".session" / "costs"
    shutil.copyfile(laptop / ".session" / "costs" / "ops-000001.json", costs / COPY)
    shutil.copyfile(laptop / ".session" / "history.json", desk / ".session" / HISTORY_COPY)
    shutil.copyfile(
        laptop / ".session" / "current.json",
        desk / ".session" / "current (Laptop's conflicted copy 2026-11-30).json",
    )
    return desk, laptop


def test_cost_chunks_and_history_merge_without_duplicates_or_losses(tmp_path: Path) -> None:
    desk, laptop = _synced_pair(tmp_path)
    union = set(_ids(desk)) | set(_ids(laptop))
    assert len(union) == 3 + 4 + 5

    kinds = {c.copy: c.kind for c in find_session_copies(desk)}
    assert kinds == {
        f"costs/{COPY}": "costs",
        HISTORY_COPY: "history",
        "current (Laptop's conflicted copy 2026-11-30).json": "single",
    }
    # verify names them as notes, never as problems
    findings = verify(desk)
    assert not [f for f in findings if f.level == "problem"], findings
    assert sum("conflict copy" in f.message for f in findings if f.level == "note") == 3

    dry = merge_session_copies(desk)
    assert (dry.operations_added, dry.operations_already_here) == (5, 3)
    assert (dry.sessions_added, dry.sessions_already_here) == (1, 1)
    assert len(_ids(desk)) == 7 and find_session_copies(desk)  # nothing changed

    done = merge_session_copies(desk, apply=True)
    assert (done.operations_added, done.operations_already_here) == (5, 3)
    assert (done.sessions_added, done.sessions_already_here) == (1, 1)
    assert done.backup is not None and (desk / ".session" / "backups" / done.backup).is_dir()
    after = _ids(desk)
    assert Counter(after).most_common(1)[0][1] == 1  # no operation twice
    assert set(after) == union  # none lost
    sessions = [e.session_id for e in SessionHistory(desk / ".session", read_only=True).sessions]
    assert sorted(sessions) == ["2026-11-01-090000", "2026-11-02-090000", "2026-11-03-090000"]
    assert any("current.json holds one state" in note for note in done.notes)
    assert find_session_copies(desk) == []
    assert len(done.trashed) == 3
    trash = desk / ".session" / "trash"
    assert len([p for p in trash.rglob("*") if p.is_file()]) == 3
    assert list_trash(desk) == []  # the store's files are never offered for restore
    assert not [f for f in verify(desk) if f.level == "problem"]

    again = merge_session_copies(desk, apply=True)  # nothing left: nothing done
    assert again.copies == [] and again.backup is None


def test_a_copy_that_cannot_be_read_whole_is_left_where_it_is(tmp_path: Path) -> None:
    desk = create_project(tmp_path / "desk", "desk", sample=True)
    Session(desk).close_sync()
    _log(desk, "desk", 2)
    bad = desk / ".session" / "costs" / "ops-000001_conflict-20261130-101112.json"
    bad.write_text('{"schema_version": 1, "operations": [', encoding="utf-8")
    done = merge_session_copies(desk, apply=True)
    assert bad.is_file() and done.trashed == []
    assert any("left as it is" in note for note in done.notes)
    assert len(_ids(desk)) == 2


def test_a_store_that_cannot_be_written_keeps_the_copy(tmp_path: Path) -> None:
    """This project's costs opened read-only (a chunk from a newer version): the copy's
    operations cannot be added, so the copy stays, named; nothing else is lost."""
    desk, _ = _synced_pair(tmp_path)
    chunk = desk / ".session" / "costs" / "ops-000001.json"
    chunk.write_text(
        chunk.read_text(encoding="utf-8").replace('"schema_version": 1', '"schema_version": 99', 1),
        encoding="utf-8",
    )
    done = merge_session_copies(desk, apply=True)
    assert (desk / ".session" / "costs" / COPY).is_file()
    assert any(COPY in note and "not merged" in note for note in done.notes)
    assert done.sessions_added == 1  # the history copy merged all the same
