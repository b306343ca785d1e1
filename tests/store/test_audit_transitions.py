"""The transitions recorded in ``.session/audit.jsonl`` beyond stage and model changes:
lock take-overs, refused stages, migrations and rollbacks — each by a real change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.holding import held_open
from writers_factory.core.stages import InvalidStageError
from writers_factory.project import create_project
from writers_factory.store.audit.log import AuditLog
from writers_factory.store.audit.models import AuditRecord
from writers_factory.store.history.history import SessionHistory
from writers_factory.store.session.lock import hostname, new_lock, write_lock
from writers_factory.store.session.session import ReadOnlySessionError, Session
from writers_factory.store.snapshots.restore import rollback_session
from writers_factory.store.snapshots.taker import Snapshotter

FIXTURES = Path(__file__).parent / "fixtures"


def _records(project: Path, kind: str) -> list[AuditRecord]:
    records, bad = AuditLog(project / ".session").read()
    assert not bad
    return [r for r in records if r.kind == kind]


def test_a_take_over_from_a_live_process_without_the_os_lock_is_recorded(tmp_path: Path) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=-1)
    try:
        (tmp_path / ".session").mkdir()
        info = new_lock("2026-01-01-000000")
        info.pid, info.process_start, info.process_created = other.pid, None, None
        info.user = "ada"
        write_lock(tmp_path / ".session" / "lock.json", info)
        session = Session(tmp_path)
        session.take_over_lock()
        [record] = _records(tmp_path, "lock-takeover")
        assert record.ok and record.error is None
        assert record.from_ == f"process {other.pid} (ada@{hostname()})"
        assert record.to == f"process {os.getpid()} ({hostname()})"
        assert record.trigger and record.actor is not None
        session.close_sync()
    finally:
        assert other.stdin is not None
        other.stdin.close()
        other.wait(timeout=30)


def test_a_refused_take_over_is_recorded_with_its_error(tmp_path: Path) -> None:
    with held_open(tmp_path) as holder:
        second = Session(tmp_path)
        with pytest.raises(ReadOnlySessionError):
            second.take_over_lock()
        [record] = _records(tmp_path, "lock-takeover")
        assert not record.ok and record.error and "cannot be taken over" in record.error
        assert record.from_ is not None and str(holder.pid) in record.from_


def test_an_invalid_stage_is_refused_clearly_and_recorded(tmp_path: Path) -> None:
    session = Session(tmp_path)
    session.set_stage("writing")
    with pytest.raises(InvalidStageError) as refused:
        session.set_stage("publishing")
    assert "'publishing'" in str(refused.value) and "stays 'writing'" in str(refused.value)
    assert isinstance(refused.value, ValueError)
    assert session.current_stage == "writing"
    session.save_sync()
    stages = _records(tmp_path, "stage")
    assert [(r.from_, r.to, r.ok) for r in stages] == [
        ("creation", "writing", True),
        ("writing", "publishing", False),
    ]
    assert stages[-1].error == str(refused.value)
    session.close_sync()


def test_a_migration_is_recorded_once_with_both_schemas(tmp_path: Path) -> None:
    session_dir = tmp_path / ".session"
    session_dir.mkdir()
    shutil.copy(FIXTURES / "history_v0.json", session_dir / "history.json")
    history = SessionHistory(session_dir)
    history.save_sync()
    SessionHistory(session_dir)  # opened again: nothing more to upgrade, nothing recorded
    [record] = _records(tmp_path, "migration")
    assert record.ok
    assert record.from_ == "history.json schema 0" and record.to == "history.json schema 1"


def test_rollbacks_done_and_refused_are_recorded(tmp_path: Path) -> None:
    project = create_project(tmp_path / "novel", "Novel", sample=True)
    session = Session(project)
    session.set_stage("writing")
    session.close_sync()
    first = Snapshotter(project).take("manual", message="writing", force=True)
    assert first is not None
    session = Session(project)
    session.set_stage("scoring")
    session.close_sync()
    done = rollback_session(project, first.id[:10])
    with pytest.raises(ValueError):
        rollback_session(project, "not-a-snapshot")
    done_record, refused = _records(project, "rollback")
    assert done_record.ok and done_record.to == first.id
    assert done.kept is not None and done_record.from_ == done.kept.id
    assert not refused.ok and refused.to == "not-a-snapshot" and refused.error
