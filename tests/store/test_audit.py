"""``.session/audit.jsonl``: appended durably, rotated, read back; written by real changes."""

from __future__ import annotations

import asyncio
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from writers_factory.cli import main
from writers_factory.project import create_project
from writers_factory.store.audit.log import AuditLog
from writers_factory.store.backups.store import BackupStore, DamagedBackupError
from writers_factory.store.session.session import Session


def test_records_append_rotate_and_read_back(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / ".session", rotate_bytes=400)
    for n in range(6):
        log.record("model", from_=f"m{n}", to=f"m{n + 1}", trigger="test", actor="writer")
    log.record("save-failed", to="manuscript/a.md", error="disk full")
    assert len(log.files()) > 1  # rotated, the old files kept
    records, bad = log.read()
    assert [r.to for r in records][:6] == [f"m{n + 1}" for n in range(6)]
    assert records[-1].ok is False and records[-1].error == "disk full"
    assert not bad
    line = json.loads(log.path.read_text().splitlines()[-1])
    assert line["from"] is None and line["schema_version"] == 1
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


def test_a_torn_last_line_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / ".session")
    log.record("stage", from_="creation", to="writing")
    with open(log.path, "ab") as handle:
        handle.write(b'{"schema_version":1,"at":"2026-')  # a crash mid-line
    records, bad = log.read()
    assert len(records) == 1 and len(bad) == 1 and "line 2" in bad[0].describe()
    log.record("stage", from_="writing", to="enhancing")  # appending goes on


def test_since_filters(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / ".session")
    now = datetime.now(UTC)
    log.record("stage", to="writing", at=now - timedelta(days=3))
    log.record("stage", to="enhancing", at=now)
    records, _ = log.read(now - timedelta(days=1))
    assert [r.to for r in records] == ["enhancing"]


def test_a_link_in_place_of_the_log_is_refused(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    root.mkdir()
    (root / "audit.jsonl").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OSError):
        AuditLog(root).record("stage", to="writing")
    assert not (tmp_path / "elsewhere").exists()


def test_stage_and_model_changes_and_restores_reach_the_log_and_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = create_project(tmp_path / "novel", "Novel", sample=True)
    session = Session(project)
    session.set_stage("writing")
    session.set_model_preference("writing", "openai:gpt-4o")
    assert not (project / ".session" / "audit.jsonl").exists()  # the setters touch no disk
    asyncio.run(session.save())
    asyncio.run(session.close())
    store = BackupStore(project, tmp_path / "backups")
    record = store.create("manual")
    assert record is not None
    store.restore(record.backup_id)
    archive = store.find(record.backup_id).archive
    archive.write_bytes(archive.read_bytes()[:-10])
    with pytest.raises(DamagedBackupError):
        store.restore(record.backup_id)

    assert main(["session", "log", "--project", str(project), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)["records"]
    kinds = [(r["kind"], r["from"], r["to"], r["ok"]) for r in records]
    assert kinds[0] == ("stage", "creation", "writing", True)
    assert kinds[1] == ("model", None, "openai:gpt-4o", True)
    assert kinds[2][0] == "restore" and kinds[2][2] == record.backup_id and kinds[2][3]
    assert kinds[2][1] and kinds[2][1].endswith("before-restore")
    assert kinds[3][0] == "restore" and kinds[3][3] is False
    tomorrow = (datetime.now() + timedelta(days=1)).date().isoformat()
    assert main(["session", "log", "--project", str(project), "--since", tomorrow]) == 0
    assert "No transitions recorded" in capsys.readouterr().out
    assert main(["session", "log", "--project", str(project)]) == 0
    assert "creation → writing" in capsys.readouterr().out
    assert main(["session", "log", "--project", str(project), "--since", "yesterday"]) == 2
