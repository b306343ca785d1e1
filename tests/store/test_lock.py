"""The project lock: one atomic owner (the OS lock), liveness checks for what it cannot see."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.patience import PATIENCE
from writers_factory.store import Session
from writers_factory.store.base.events import ProblemKind
from writers_factory.store.base.processes import pid_alive, process_created
from writers_factory.store.session import lock as locks
from writers_factory.store.session.lock import LockState, new_lock, write_lock


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A live process that is not a Writers Factory (holds no OS lock)."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


OLD_BEAT = timedelta(minutes=15)
"""Longer than STALE_AFTER, yet after the last boot (an older one is stale for that alone)."""


@pytest.fixture(autouse=True)
def _booted_long_enough() -> None:
    booted = locks.boot_time()
    if booted is not None and datetime.now(UTC) - booted < OLD_BEAT + timedelta(minutes=1):
        pytest.skip("this machine booted too recently for an old heartbeat after the boot")


def lock_of(pid: int, *, beat: timedelta, created: float | None) -> locks.LockInfo:
    info = new_lock("2026-01-01-000000")
    info.pid = pid
    info.process_created = created
    info.heartbeat_at = datetime.now(UTC) - beat
    info.started_at = info.heartbeat_at
    return info


def test_live_pid_without_start_time_and_an_old_heartbeat_is_stale(
    tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    path = tmp_path / ".session" / "lock.json"
    write_lock(path, lock_of(sleeper.pid, beat=OLD_BEAT, created=None))
    verdict = locks.check(path)
    assert verdict.state is LockState.STALE
    assert "has not refreshed the lock for 15 minutes" in verdict.reason
    session = Session(tmp_path)  # not read-only for ever
    assert not session.read_only and session.was_interrupted()
    session.close_sync()


def test_live_pid_without_start_time_and_a_fresh_heartbeat_is_live(
    tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    path = tmp_path / ".session" / "lock.json"
    write_lock(path, lock_of(sleeper.pid, beat=timedelta(seconds=20), created=None))
    assert locks.check(path).state is LockState.LIVE
    session = Session(tmp_path)
    assert session.read_only and session.other_instance is not None
    assert session.other_instance.pid == sleeper.pid
    assert locks.check(path, now=datetime.now(UTC) + locks.STALE_AFTER).state is LockState.STALE


def test_matching_creation_times_decide_whatever_the_heartbeat(
    tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    created = process_created(sleeper.pid)
    assert created is not None  # psutil knows it on every system
    path = tmp_path / ".session" / "lock.json"
    write_lock(path, lock_of(sleeper.pid, beat=OLD_BEAT, created=created))
    assert locks.check(path).state is LockState.LIVE
    write_lock(path, lock_of(sleeper.pid, beat=timedelta(seconds=1), created=created + 5))
    verdict = locks.check(path)
    assert verdict.state is LockState.STALE and "another program now" in verdict.reason


def test_a_lock_written_by_an_older_version_is_judged_by_its_heartbeat(
    tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    # older versions wrote Linux start ticks only: not comparable, so the heartbeat decides
    path = tmp_path / ".session" / "lock.json"
    old = lock_of(sleeper.pid, beat=timedelta(seconds=20), created=None)
    old.process_start = 123456
    write_lock(path, old)
    assert locks.check(path).state is LockState.LIVE
    old.heartbeat_at = datetime.now(UTC) - OLD_BEAT
    write_lock(path, old)
    assert locks.check(path).state is LockState.STALE


def test_a_new_lock_names_this_process_by_its_creation_time(tmp_path: Path) -> None:
    info = new_lock("2026-01-01-000000")
    assert info.pid == os.getpid() and info.process_start is None
    assert info.process_created == process_created(os.getpid())
    assert info.boot_time is not None and info.boot_time < datetime.now(UTC)


HOLDER = textwrap.dedent("""
    import sys, time, pathlib
    from writers_factory.store import Session
    project, ready, close = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
    session = Session(project)
    if close == "close":
        session.close_sync()
    ready.write_text(str(session.read_only))
    time.sleep(60)
""")


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[bytes]]]:
    project = tmp_path / "novel"
    project.mkdir()
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(project), str(ready), "keep"])
    try:
        deadline = time.monotonic() + PATIENCE
        while not ready.exists():
            assert time.monotonic() < deadline
            time.sleep(0.02)
        yield project, proc
    finally:
        proc.kill()
        proc.wait()


def test_the_os_lock_decides_even_when_lock_json_names_a_dead_owner(
    holder: tuple[Path, subprocess.Popen[bytes]],
) -> None:
    """lock.json may lag behind (the winner has not written it yet): the OS lock does not."""
    project, _proc = holder
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    lock = project / ".session" / "lock.json"
    info = json.loads(lock.read_text())
    info["pid"] = int(dead.stdout)
    lock.write_text(json.dumps(info))
    assert locks.check(lock).state is LockState.STALE  # the liveness checks alone are fooled
    started = time.monotonic()
    session = Session(project)
    assert session.read_only and not session.was_interrupted()
    assert time.monotonic() - started < 10
    assert any(
        p.kind is ProblemKind.LOCK and "another Writers Factory" in p.message
        for p in session.problems
    )
    assert json.loads(lock.read_text())["pid"] == int(dead.stdout)  # nothing written


def test_a_clean_close_lets_the_next_start_in_while_the_first_process_lives(
    tmp_path: Path,
) -> None:
    project = tmp_path / "novel"
    project.mkdir()
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(project), str(ready), "close"])
    try:
        deadline = time.monotonic() + PATIENCE
        while not ready.exists():
            assert time.monotonic() < deadline
            time.sleep(0.02)
        session = Session(project)
        assert not session.read_only and not session.was_interrupted()
        session.close_sync()
    finally:
        proc.kill()
        proc.wait()


def test_a_second_session_in_the_same_process_shares_the_os_lock(tmp_path: Path) -> None:
    first = Session(tmp_path)
    second = Session(tmp_path)  # as before: this very process's lock is taken over
    assert not second.read_only and second.was_interrupted()
    first.close_sync()
    assert locks.holds_os_lock(tmp_path / ".session" / "lock.json")
    second.close_sync()
    assert not locks.holds_os_lock(tmp_path / ".session" / "lock.json")


def test_the_os_lock_file_is_private(tmp_path: Path) -> None:
    session = Session(tmp_path)
    flock = tmp_path / ".session" / locks.OS_LOCK_NAME
    assert flock.exists() and (flock.stat().st_mode & 0o777) == 0o600
    session.close_sync()
    assert flock.exists()  # never removed: see the module docstring
    assert not (tmp_path / ".session" / "lock.json").exists()


def test_process_checks_see_a_live_a_dead_and_an_impossible_pid() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert pid_alive(proc.pid)
        assert process_created(proc.pid) is not None
    finally:
        proc.kill()
    # killed but not yet reaped: a zombie is gone (its files may be reclaimed)
    deadline = time.monotonic() + PATIENCE
    while pid_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.01)  # the signal is delivered asynchronously
    assert not pid_alive(proc.pid)  # a zombie: nobody has reaped it yet
    proc.wait()
    assert not pid_alive(proc.pid) and process_created(proc.pid) is None
    assert not pid_alive(0) and not pid_alive(-5) and not pid_alive(2**31 - 1)
    assert pid_alive(os.getpid())
