"""Hostile and odd files in ``.session/`` never crash a loader: each is named (file and
field), set aside or opened read-only, and nothing else is lost."""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from writers_factory.store import Preferences, Session, SessionHistory
from writers_factory.store.base.events import ProblemKind
from writers_factory.store.preferences.preferences import PreferenceError
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


# --------------------------------------------------------------------------- every loader
VALID: dict[str, dict[str, object]] = {
    "current.json": {"schema_version": 1, "open_files": [{"path": "a.md", "cursor_line": 3}]},
    "lock.json": {
        "pid": 999_999,
        "host": socket.gethostname(),
        "started_at": "2026-01-01T09:00:00Z",
        "heartbeat_at": "2026-01-01T09:05:00Z",
    },
    "history.json": {
        "schema_version": 1,
        "sessions": [{"session_id": "s1", "start_time": "2026-01-01T09:00:00Z", "words_added": 5}],
    },
    "preferences.json": {"schema_version": 2, "budget": {"daily_limit": "5.00"}, "theme": "nord"},
}
BIG_INT_AT = {
    "current.json": ("open_files", 0, "cursor_line"),
    "lock.json": ("pid",),
    "history.json": ("sessions", 0, "words_added"),
    "preferences.json": ("budget", "daily_limit"),
}
BIG = 10**4999  # 5,000 digits


def with_value(name: str, path: tuple[str | int, ...], value: object) -> bytes:
    doc = json.loads(json.dumps(VALID[name]))
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    import sys

    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return json.dumps(doc).encode()
    finally:
        sys.set_int_max_str_digits(old)


def nested(levels: int) -> dict[str, object]:
    value: dict[str, object] = {"leaf": True}
    for _ in range(levels):
        value = {"deeper": value}
    return value


def gzip_bomb(expanded: int) -> bytes:
    """Valid gzip of a valid JSON document (``[`` spaces ``]``) of ``expanded`` bytes."""
    import zlib

    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [squeeze.compress(b"[")]
    block = b" " * (1 << 20)
    for _ in range(expanded >> 20):
        parts.append(squeeze.compress(block))
    parts.append(squeeze.compress(b"]") + squeeze.flush())
    return b"".join(parts)


def hostile(name: str, case: str) -> bytes | None:
    if case == "huge-int":
        return with_value(name, BIG_INT_AT[name], BIG)
    if case == "deep":
        return with_value(name, ("unknown",), nested(300))
    if case == "gzip-bomb":
        return gzip_bomb(200 << 20)
    if case == "bom":
        return b"\xef\xbb\xbf" + json.dumps(VALID[name], indent=2).encode()
    return None  # "folder", "pipe": made below


def open_part(project: Path, name: str) -> tuple[list[str], bool]:
    """Open the loader that owns ``name``; its problems as text, and whether it is read-only."""
    if name in ("current.json", "lock.json"):
        session = Session(project)
        try:
            return [p.describe() for p in session.problems], session.read_only
        finally:
            session.close_sync()
    if name == "history.json":
        history = SessionHistory(project / ".session")
        return [p.describe() for p in history.problems], history.read_only
    prefs = Preferences(project / ".session")
    return [p.describe() for p in prefs.problems], prefs.read_only


CASES = ["huge-int", "deep", "folder", "pipe", "gzip-bomb"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name", list(VALID))
def test_every_loader_names_the_file_and_field_and_loses_nothing(
    tmp_path: Path, name: str, case: str
) -> None:
    root = session_dir(tmp_path)
    bystanders = {}
    for other, doc in VALID.items():
        if other not in (name, "lock.json"):
            bystanders[other] = put(tmp_path, other, doc).read_bytes()
    target = root / name
    data = hostile(name, case)
    if case == "folder":
        target.mkdir()
        (target / "kept.txt").write_text("inside")
    elif case == "pipe":
        os.mkfifo(target)
    else:
        assert data is not None
        target.write_bytes(data)

    findings = [f.describe() for f in verify(tmp_path) if name in str(f.path)]
    assert findings, f"verify said nothing about {name}"
    problems, _read_only = open_part(tmp_path, name)
    about = [p for p in problems if name in p]
    assert about, f"nothing names {name}: {problems}"
    if case == "huge-int":
        field = ".".join(str(p) for p in BIG_INT_AT[name])
        assert any(field in p and "5000 digits" in p for p in about), about
        assert any(field in f for f in findings), findings
    if case == "deep":
        assert any("unknown.deeper" in p and "nested" in p for p in about), about
    if case == "gzip-bomb":
        assert any("expands to more than" in p for p in about), about
    if case == "folder":
        kept = list((root / "corrupt").glob(f"{name}.*"))
        assert [(k / "kept.txt").read_text() for k in kept] == ["inside"]
    elif case != "pipe":
        assert data in [p.read_bytes() for p in (root / "corrupt").glob(f"{name}.*")]
    for other, before in bystanders.items():
        if other != name and (root / other).exists():
            assert (root / other).read_bytes() == before or other == "current.json"


@pytest.mark.parametrize("name", list(VALID))
def test_a_byte_order_mark_from_a_hand_edit_is_accepted_everywhere(
    tmp_path: Path, name: str
) -> None:
    put(tmp_path, name, hostile(name, "bom"))
    assert not [f for f in verify(tmp_path) if name in str(f.path) and f.level == "problem"]
    problems, _read_only = open_part(tmp_path, name)
    assert not [p for p in problems if name in p], problems
    assert not (tmp_path / ".session" / "corrupt").exists()
    if name == "preferences.json":
        assert Preferences(tmp_path / ".session").data.theme == "nord"


def test_a_one_megabyte_gzip_history_expanding_to_a_gigabyte_is_refused_fast(
    tmp_path: Path,
) -> None:
    import resource
    import time

    bomb = gzip_bomb(1 << 30)
    assert len(bomb) < (1 << 20) + (1 << 19)
    put(tmp_path, "history.json", bomb)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    history = SessionHistory(tmp_path / ".session")
    elapsed = time.monotonic() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    [problem] = history.problems
    assert "expands to more than 64 MB" in problem.message
    assert problem.set_aside is not None and problem.set_aside.read_bytes() == bomb
    assert elapsed < 10 and grown_mb < 200, (elapsed, grown_mb)
    history.begin("s", datetime.now(UTC))
    assert history.save_sync()  # the part works on, from defaults


def test_a_lone_surrogate_in_current_json_is_set_aside_not_a_traceback(tmp_path: Path) -> None:
    data = b'{"schema_version": 1, "project_name": "\\ud800", "recent_queries": []}'
    put(tmp_path, "current.json", data)
    session = Session(tmp_path)  # used to raise UnicodeEncodeError from its first save
    [problem] = session.problems
    assert problem.field == "project_name" and "surrogate" in problem.message
    assert problem.set_aside is not None and problem.set_aside.read_bytes() == data
    session.close_sync()


@pytest.mark.parametrize("why", ["newer", "linked"])
def test_changing_read_only_preferences_says_why(tmp_path: Path, why: str) -> None:
    root = session_dir(tmp_path)
    if why == "newer":
        put(tmp_path, "preferences.json", {"schema_version": 5, "theme": "nord"})
    else:
        outside = tmp_path / "outside.json"
        outside.write_text('{"theme": "nord"}')
        (root / "preferences.json").symlink_to(outside)
    prefs = Preferences(root)
    with pytest.raises(PreferenceError) as info:
        prefs.set_theme("dracula")
    message = str(info.value)
    assert str(root / "preferences.json") in message
    assert ("newer Writers Factory" if why == "newer" else "symbolic link") in message
