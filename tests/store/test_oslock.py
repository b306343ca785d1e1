"""The store's one OS lock: exclusive between processes, released by the system when its
holder is killed, and the three users (owner, costs, snapshots) all go through it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from writers_factory.store.base import oslock
from writers_factory.store.costs.errors import CostsBusyError
from writers_factory.store.costs.lock import CostsLock
from writers_factory.store.snapshots.repository import LOCK_NAME, SnapshotRepository

HOLDER = """
import sys
from pathlib import Path
from writers_factory.store.base import oslock
fd = oslock.open_lock_file(Path(sys.argv[1]))
oslock.lock(fd)
print("held", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """Another process that holds the lock on ``tmp_path/the.lock`` until killed."""
    path = tmp_path / "the.lock"
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    yield child, path
    if child.poll() is None:
        child.kill()
    child.wait()


def test_held_by_another_process_until_it_is_killed(
    holder: tuple[subprocess.Popen[str], Path],
) -> None:
    child, path = holder
    fd = oslock.open_lock_file(path)
    try:
        assert not oslock.try_lock(fd)
        with pytest.raises(oslock.LockWaitTimeout) as caught:
            oslock.lock(fd, timeout=0.05, path=path)
        assert caught.value.waited >= 0.05 and str(path) in str(caught.value)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert oslock.try_lock(fd)  # the system dropped the dead holder's lock
        oslock.unlock(fd)
        oslock.lock(fd)  # and a blocking take returns at once
    finally:
        os.close(fd)


def test_two_opens_in_one_process_exclude_each_other(tmp_path: Path) -> None:
    path = tmp_path / "the.lock"
    first, second = oslock.open_lock_file(path), oslock.open_lock_file(path)
    try:
        assert oslock.try_lock(first)
        assert not oslock.try_lock(second)
        oslock.unlock(first)
        assert oslock.try_lock(second)
    finally:
        os.close(first)
        os.close(second)
    assert (path.stat().st_mode & 0o777) == 0o600


def test_costs_lock_waits_then_says_busy(tmp_path: Path) -> None:
    session = tmp_path / ".session"
    session.mkdir()
    path = session / "costs" / ".lock"
    first, second = CostsLock(path), CostsLock(path, wait=0.05)
    with first.held(), pytest.raises(CostsBusyError) as caught, second.held():
        pass
    assert str(path) in str(caught.value)
    with CostsLock(path, wait=0.05).held():  # released when the first let go
        pass


def test_snapshot_writers_take_the_same_lock(tmp_path: Path) -> None:
    repository = SnapshotRepository(tmp_path / ".session")
    with repository.writing():
        fd = oslock.open_lock_file(repository.path / LOCK_NAME)
        try:
            assert not oslock.try_lock(fd)
        finally:
            os.close(fd)
