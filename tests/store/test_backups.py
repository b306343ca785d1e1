"""Backups are written through the durable path: private, fsynced, links never followed."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from writers_factory.store import Preferences
from writers_factory.store.base import durable
from writers_factory.store.base.backups import backup_file, backup_session
from writers_factory.store.base.durable import DurableWriteError
from writers_factory.store.base.events import ProblemKind
from writers_factory.store.base.paths import SessionPaths

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def paths(tmp_path: Path) -> SessionPaths:
    p = SessionPaths.for_project(tmp_path / "novel")
    (p.root / "costs").mkdir(parents=True)
    (p.root / "current.json").write_text('{"schema_version": 1}')
    (p.root / "costs" / "ops-000001.json").write_text('{"operations": []}')
    return p


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_backup_is_private_whatever_the_umask(paths: SessionPaths) -> None:
    old = os.umask(0)
    try:
        dest = backup_session(paths, "before-migration")
        single = backup_file(paths, paths.current, "before-rewrite")
    finally:
        os.umask(old)
    assert (dest / "current.json").read_text() == '{"schema_version": 1}'
    assert (dest / "costs" / "ops-000001.json").read_text() == '{"operations": []}'
    for folder in (paths.backups, dest, dest / "costs"):
        assert mode_of(folder) == 0o700
    for file in (dest / "current.json", dest / "costs" / "ops-000001.json", single):
        assert mode_of(file) == 0o600


def test_every_backup_file_is_fsynced(paths: SessionPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(durable.os, "fsync", fsync)
    dest = backup_session(paths, "check")
    files = [str(p) for p in dest.rglob("*") if p.is_file()]
    # each file's bytes (through its temp name) and each folder the copies landed in
    assert sum(durable.TEMP_MARK in s for s in synced) == len(files) == 2
    assert str(dest) in synced and str(dest / "costs") in synced and str(paths.backups) in synced


def test_a_full_disk_during_a_backup_is_a_durable_write_error(
    paths: SessionPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable.os, "write", full)
    monkeypatch.setattr(durable, "RETRY_DELAYS", (0.0, 0.0))
    with pytest.raises(DurableWriteError, match="No space left"):
        backup_session(paths, "before-migration")


def test_links_inside_session_are_not_followed_into_a_backup(
    paths: SessionPaths, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "shadow").write_text("not the writer's")
    (paths.root / "workflows").symlink_to(secret)
    (paths.root / "notes.json").symlink_to(secret / "shadow")
    dest = backup_session(paths, "check")
    assert sorted(p.name for p in dest.iterdir()) == ["costs", "current.json"]


def test_a_migration_that_cannot_back_up_opens_read_only_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / ".session"
    root.mkdir()
    shutil.copy(FIXTURES / "preferences_v0.json", root / "preferences.json")
    before = (root / "preferences.json").read_bytes()

    def full(fd: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable.os, "write", full)
    monkeypatch.setattr(durable, "RETRY_DELAYS", (0.0, 0.0))
    prefs = Preferences(root)
    assert prefs.read_only
    [problem] = [p for p in prefs.problems if p.kind is ProblemKind.NOT_WRITABLE]
    assert "could not be backed up" in problem.message and "No space left" in problem.message
    assert (root / "preferences.json").read_bytes() == before
    assert json.loads(before)  # still the writer's v0 file, untouched
