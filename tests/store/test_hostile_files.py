"""Hostile and odd files in ``.session/`` never crash a loader: each is named (file and
field), set aside or opened read-only, and nothing else is lost."""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from writers_factory.store import Session, SessionHistory
from writers_factory.store.base.events import ProblemKind
from writers_factory.store.session import lock as locks
from writers_factory.store.verify import verify


def session_dir(project: Path) -> Path:
    folder = project / ".session"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def put(project: Path, name: str, value: object) -> Path:
    path = session_dir(project) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(value if isinstance(value, bytes) else json.dumps(value).encode())
    return path


# --------------------------------------------------------------------------- time zones
def test_naive_timestamps_in_lock_json_are_taken_as_utc(tmp_path: Path) -> None:
    put(
        tmp_path,
        "lock.json",
        {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "boot_time": "2020-01-01T00:00:00",
            "started_at": "2026-01-01T09:00:00",
            "heartbeat_at": "2026-01-01T09:05:00",
        },
    )
    info, problem = locks.read_lock(tmp_path / ".session" / "lock.json")
    assert info is not None and not problem
    assert info.heartbeat_at == datetime(2026, 1, 1, 9, 5, tzinfo=UTC)
    assert locks.check(tmp_path / ".session" / "lock.json").state is locks.LockState.STALE
    session = Session(tmp_path)  # no TypeError comparing naive and aware moments
    assert session.was_interrupted() and not session.read_only
    assert verify(tmp_path) is not None
    session.close_sync()


def test_naive_timestamps_in_current_json_are_taken_as_utc(tmp_path: Path) -> None:
    put(
        tmp_path,
        "current.json",
        {
            "schema_version": 1,
            "started_at": "2026-01-01T09:00:00+02:00",
            "last_activity": "2026-01-01T09:30:00",
            "recent_queries": [{"query": "q", "timestamp": "2026-01-01T09:10:00"}],
            "file_changes": [{"path": "a.md", "kind": "created", "at": "2026-01-01T09:20:00"}],
        },
    )
    session = Session(tmp_path)
    previous = session.previous
    assert previous is not None
    assert previous.last_activity.tzinfo is not None
    assert previous.recent_queries[0].timestamp.tzinfo is not None
    assert previous.file_changes[0].at.tzinfo is not None
    assert session.duration_minutes == 150.0  # 07:00Z to 09:30Z, not a TypeError
    session.close_sync()


def test_naive_moments_in_a_yearly_summary_do_not_break_the_rollover(tmp_path: Path) -> None:
    sessions = [
        {"session_id": f"s{i:02d}", "start_time": f"2025-01-{i + 1:02d}T10:00:00Z"}
        for i in range(21)
    ]
    put(
        tmp_path,
        "history.json",
        {
            "schema_version": 1,
            "sessions": sessions,
            "yearly": {"2025": {"sessions": 1, "first_start": "2025-01-05T00:00:00"}},
        },
    )
    history = SessionHistory(tmp_path / ".session")
    summary = history.yearly[2025]
    assert summary.sessions == 2
    assert summary.first_start == datetime(2025, 1, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00", "9999-12-31T23:59:59+00:00"])
def test_dates_no_one_records_are_named_not_crashed_on(tmp_path: Path, stamp: str) -> None:
    put(tmp_path, "current.json", {"schema_version": 1, "last_activity": stamp})
    session = Session(tmp_path)
    [problem] = [p for p in session.problems if p.kind is ProblemKind.CORRUPT]
    assert "last_activity" in problem.message
    assert problem.set_aside is not None and problem.set_aside.exists()
    session.close_sync()


def test_a_pid_too_large_for_the_os_is_a_damaged_lock_not_a_crash(tmp_path: Path) -> None:
    put(
        tmp_path,
        "lock.json",
        {
            "pid": 10**30,
            "host": socket.gethostname(),
            "started_at": "2026-01-01T09:00:00Z",
            "heartbeat_at": "2026-01-01T09:05:00Z",
        },
    )
    assert locks.check(tmp_path / ".session" / "lock.json").state is locks.LockState.UNREADABLE
    session = Session(tmp_path)
    [problem] = session.problems
    assert problem.kind is ProblemKind.LOCK and "pid" in problem.message
    assert session.was_interrupted() and not session.read_only
    session.close_sync()
