"""``writers-factory session export`` / ``session import``: real projects, real archives, the
real command in its own process where the hand-off between two projects is the point."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from writers_factory.cli import main
from writers_factory.project import create_project
from writers_factory.store.audit.log import AuditLog
from writers_factory.store.backups.project import store_for
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.history.history import SessionHistory
from writers_factory.store.session.session import Session

MODEL = "anthropic:claude-sonnet-4-5"
HOLD = (
    "import sys\n"
    "from writers_factory.store.session.session import Session\n"
    "s = Session(sys.argv[1]); print('open', flush=True); sys.stdin.read(); s.close_sync()\n"
)


def _project(root: Path, name: str, operations: int, session_id: str) -> Path:
    project = create_project(root / name, name, sample=True)
    session = Session(project)
    session.close_sync()
    tracker = CostTracker(project / ".session")

    async def log() -> None:
        for n in range(operations):
            await tracker.log_operation(f"rewrite-{name}", MODEL, 100 + n, 50)

    asyncio.run(log())
    history = SessionHistory(project / ".session")
    history.begin(session_id, datetime(2026, 11, 1, 9, tzinfo=UTC))
    history.record_words(120, 3)
    history.end(datetime(2026, 11, 1, 10, tzinfo=UTC))
    history.save_sync()
    return project


def _cli(*argv: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    done = subprocess.run(
        [sys.executable, "-m", "writers_factory.cli", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, json.loads(done.stdout)


def _ops(project: Path) -> list[str]:
    return [op.id for op in CostTracker(project / ".session", read_only=True).all_operations()]


def test_export_from_one_project_import_into_another_merges_without_duplicates(
    tmp_path: Path,
) -> None:
    first = _project(tmp_path, "first", 3, "2026-11-01-090000")
    second = _project(tmp_path, "second", 2, "2026-11-02-090000")
    archive = tmp_path / "first-session.zip"

    code, exported = _cli("session", "export", str(archive), "--project", str(first), "--json")
    assert code == 0 and exported["files"] >= 3
    names = zipfile.ZipFile(archive).namelist()
    assert "manifest.json" in names and "project/.session/costs.json" in names
    assert not any("lock" in n or "snapshots.git" in n for n in names)

    before = set(_ops(second))
    code, report = _cli("session", "import", str(archive), "--project", str(second), "--json")
    assert code == 0, report
    assert report["operations"] == {"added": 3, "already_here": 0}
    assert report["sessions"] == {"added": 1, "already_here": 0}
    assert report["safety_backup"]
    assert store_for(second).find(report["safety_backup"]).record is not None
    merged = _ops(second)
    assert len(merged) == len(set(merged)) == 5
    assert before | set(_ops(first)) == set(merged)
    ids = [s.session_id for s in SessionHistory(second / ".session", read_only=True).sessions]
    assert {"2026-11-01-090000", "2026-11-02-090000"} <= set(ids)

    # the same archive again: nothing added, nothing counted twice
    code, again = _cli("session", "import", str(archive), "--project", str(second), "--json")
    assert code == 0
    assert again["operations"] == {"added": 0, "already_here": 3}
    assert again["sessions"] == {"added": 0, "already_here": 1}
    assert len(_ops(second)) == 5
    tracker = CostTracker(second / ".session", read_only=True)
    assert tracker.operations_count == 5

    records, _bad = AuditLog(second / ".session").read()
    imports = [r for r in records if r.kind == "import"]
    assert len(imports) == 2 and all(r.ok for r in imports)
    assert imports[0].from_ == str(archive) and "merge" in (imports[0].to or "")


def test_a_conflicting_session_keeps_this_projects_entry_and_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _project(tmp_path, "first", 1, "2026-11-01-090000")
    second = _project(tmp_path, "second", 0, "2026-11-01-090000")
    history = SessionHistory(second / ".session")
    history.begin("2026-11-01-090000", datetime(2026, 11, 1, 9, tzinfo=UTC))
    history.record_words(7, 0)
    history.save_sync()
    archive = tmp_path / "a.zip"
    assert main(["session", "export", str(archive), "--project", str(first)]) == 0
    capsys.readouterr()
    assert main(["session", "import", str(archive), "--project", str(second), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert any("2026-11-01-090000" in c for c in report["conflicts"])
    kept = SessionHistory(second / ".session", read_only=True).sessions
    assert [s.words_added for s in kept if s.session_id == "2026-11-01-090000"] == [127]


def test_a_flipped_byte_is_refused_file_by_file_and_nothing_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _project(tmp_path, "first", 2, "2026-11-01-090000")
    second = _project(tmp_path, "second", 1, "2026-11-02-090000")
    archive = tmp_path / "a.zip"
    assert main(["session", "export", str(archive), "--project", str(first)]) == 0
    # flip one byte inside the stored content of costs.json (not the zip's own headers)
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo("project/.session/costs.json")
    raw = bytearray(archive.read_bytes())
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5
    raw[at] ^= 0x01
    archive.write_bytes(bytes(raw))
    session = second / ".session"
    before = {p: p.read_bytes() for p in session.rglob("*") if p.is_file()}
    backups_before = len(store_for(second).entries())
    capsys.readouterr()
    assert main(["session", "import", str(archive), "--project", str(second), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] is False
    assert [p["file"] for p in out["problems"]] == [".session/costs.json"]
    after = {
        p: p.read_bytes() for p in session.rglob("*") if p.is_file() and p.name != "audit.jsonl"
    }
    assert after == {p: b for p, b in before.items() if p.name != "audit.jsonl"}
    assert len(store_for(second).entries()) == backups_before
    records, _ = AuditLog(session).read()
    assert records[-1].kind == "import" and not records[-1].ok


def test_an_invalid_model_is_refused_before_anything_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _project(tmp_path, "first", 1, "2026-11-01-090000")
    second = _project(tmp_path, "second", 1, "2026-11-02-090000")
    # a well-formed archive (checksums right) whose history.json breaks its model
    (first / ".session" / "history.json").write_text(
        json.dumps({"schema_version": 1, "sessions": [{"session_id": 3}]})
    )
    archive = tmp_path / "a.zip"
    assert main(["session", "export", str(archive), "--project", str(first)]) == 0
    capsys.readouterr()
    history = (second / ".session" / "history.json").read_bytes()
    assert main(["session", "import", str(archive), "--project", str(second)]) == 1
    out = capsys.readouterr().out
    assert ".session/history.json" in out and "nothing was changed" in out
    assert (second / ".session" / "history.json").read_bytes() == history


def test_replace_takes_the_archives_session_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _project(tmp_path, "first", 2, "2026-11-01-090000")
    second = _project(tmp_path, "second", 3, "2026-11-02-090000")
    archive = tmp_path / "a.zip"
    assert main(["session", "export", str(archive), "--project", str(first)]) == 0
    capsys.readouterr()
    code = main(
        ["session", "import", str(archive), "--replace", "--project", str(second), "--json"]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mode"] == "replace" and ".session/costs.json" in report["replaced"]
    assert sorted(_ops(second)) == sorted(_ops(first))
    assert CostTracker(second / ".session", read_only=True).operations_count == 2


def test_import_is_refused_while_the_project_is_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _project(tmp_path, "first", 1, "2026-11-01-090000")
    second = _project(tmp_path, "second", 1, "2026-11-02-090000")
    archive = tmp_path / "a.zip"
    assert main(["session", "export", str(archive), "--project", str(first)]) == 0
    capsys.readouterr()
    holder = subprocess.Popen(  # another process has the project open
        [sys.executable, "-c", HOLD, str(second)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert main(["session", "import", str(archive), "--project", str(second)]) == 2
        assert "close it, then import" in capsys.readouterr().err
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
    assert len(_ops(second)) == 1


def test_old_operations_get_a_stable_id_from_their_content(tmp_path: Path) -> None:
    """Operations written before ids existed: the same id every read, nothing rewritten."""
    project = _project(tmp_path, "first", 2, "2026-11-01-090000")
    chunk = project / ".session" / "costs" / "ops-000001.json"
    plain = json.loads(chunk.read_text())
    for op in plain["operations"]:
        del op["id"]
    chunk.write_text(json.dumps(plain, indent=2))
    on_disk = chunk.read_bytes()
    first = _ops(project)
    assert first == _ops(project) and len(set(first)) == 2
    assert all(i.startswith("d-") for i in first)
    assert chunk.read_bytes() == on_disk
