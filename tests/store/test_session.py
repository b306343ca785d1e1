"""Session: resume state, interrupted detection, second instances, migration."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.patience import PATIENCE
from writers_factory.store import Session
from writers_factory.store.base.events import ProblemKind
from writers_factory.store.session.lock import LockState, new_lock, read_lock, write_lock
from writers_factory.store.session.session import (
    FileReadOnlyError,
    ReadOnlySessionError,
    SessionTakenOverError,
)

FIXTURES = Path(__file__).parent / "fixtures"


async def test_state_round_trips(tmp_path: Path) -> None:
    session = Session(tmp_path)
    session.set_stage("writing")
    session.set_screen("scene_editor")
    session.set_breadcrumb(["Home", "Writing", "chapter-5.md"])
    session.open_file(tmp_path / "manuscript" / "chapter-5.md", 142, 23)
    session.open_file("planning/outline.md", 3, 0)
    session.close_file("planning/outline.md")
    session.set_model_preference("writing", "anthropic:claude-sonnet-4-5")
    assert session.has_changes()
    await session.save()
    assert not session.has_changes()
    await session.close()

    again = Session(tmp_path)
    assert again.current_stage == "writing"
    assert again.data.current_state.breadcrumb == ["Home", "Writing", "chapter-5.md"]
    [open_file] = again.data.open_files
    assert (open_file.path, open_file.cursor_line, open_file.cursor_col) == (
        "manuscript/chapter-5.md",
        142,
        23,
    )
    assert again.data.active_file == "manuscript/chapter-5.md"
    assert again.data.model_preferences == {"writing": "anthropic:claude-sonnet-4-5"}
    assert not again.was_interrupted()
    await again.close()


def test_unknown_stage_is_refused_with_the_choices(tmp_path: Path) -> None:
    session = Session(tmp_path)
    with pytest.raises(ValueError, match="creation, writing, enhancing, analyzing, scoring"):
        session.set_stage("drafting")


def test_a_batch_of_file_changes_is_kept_as_single_records_would_be(tmp_path: Path) -> None:
    """A burst is one update; strings are taken as project-relative, paths made so; only
    the newest FILE_CHANGES_KEPT records stay."""
    from writers_factory.store.session.models import FILE_CHANGES_KEPT

    session = Session(tmp_path)
    try:
        session.record_file_change("modified", tmp_path / "manuscript" / "one.md")
        session.record_file_changes(
            [("created", f"manuscript/new-{n}.md", None) for n in range(FILE_CHANGES_KEPT)]
            + [("moved", tmp_path / "planning" / "a.md", tmp_path / "planning" / "b.md")]
        )
        kept = session.data.file_changes
        assert len(kept) == FILE_CHANGES_KEPT
        assert kept[0].path == "manuscript/new-1.md"  # the oldest two are gone
        assert (kept[-1].kind, kept[-1].path, kept[-1].dest) == (
            "moved",
            "planning/a.md",
            "planning/b.md",
        )
        session.record_file_changes([])  # nothing: no update
    finally:
        session.close_sync()


def test_recent_queries_keep_the_last_ten(tmp_path: Path) -> None:
    session = Session(tmp_path)
    for i in range(13):
        session.add_recent_query(f"q{i}", "bible")
    assert [q.query for q in session.data.recent_queries] == [f"q{i}" for i in range(3, 13)]


async def test_session_without_close_is_interrupted(tmp_path: Path) -> None:
    session = Session(tmp_path)
    session.set_stage("writing")
    await session.save()
    del session  # a crash: no close()

    recovered = Session(tmp_path)
    assert recovered.was_interrupted()
    assert recovered.current_stage == "writing"
    assert recovered.previous is not None and not recovered.previous.clean_shutdown
    assert recovered.last_save_time is not None
    await recovered.close()
    assert not Session(tmp_path).was_interrupted()


def _holder(project: Path, ready: Path) -> subprocess.Popen[bytes]:
    code = textwrap.dedent(f"""
        import time, pathlib
        from writers_factory.store import Session
        s = Session(pathlib.Path({str(project)!r}))
        pathlib.Path({str(ready)!r}).write_text("ok")
        time.sleep(60)
    """)
    return subprocess.Popen([sys.executable, "-c", code])


def _wait_for(path: Path) -> None:
    import time

    deadline = time.monotonic() + PATIENCE
    while not path.exists():
        assert time.monotonic() < deadline, "helper process did not start"
        time.sleep(0.05)


def test_live_owner_means_second_instance_read_only(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    project = tmp_path / "novel"
    project.mkdir()
    proc = _holder(project, ready)
    try:
        _wait_for(ready)
        second = Session(project)
        assert second.other_instance is not None and second.other_instance.pid == proc.pid
        assert second.read_only and not second.was_interrupted()
        before = (project / ".session" / "current.json").read_bytes()
        second.set_stage("scoring")
        second.save_sync()
        assert (project / ".session" / "current.json").read_bytes() == before
        assert not second.takeover_possible  # it holds the OS lock: never taken over
        with pytest.raises(ReadOnlySessionError):
            second.take_over_lock()
    finally:
        proc.kill()
        proc.wait()
    # the owner is dead now (kill -9): the next start sees an interrupted session
    third = Session(project)
    assert third.was_interrupted() and third.other_instance is None
    assert third.lock_check.state is LockState.STALE


def test_lock_from_another_host_is_reported_and_caller_decides(tmp_path: Path) -> None:
    (tmp_path / ".session").mkdir()
    info = new_lock("2026-01-01-000000")
    info.host = "the-other-laptop"
    write_lock(tmp_path / ".session" / "lock.json", info)
    session = Session(tmp_path)
    assert session.foreign_lock is not None and session.foreign_lock.host == "the-other-laptop"
    assert session.read_only
    assert session.takeover_possible
    session.take_over_lock()
    assert not session.read_only and session.was_interrupted()
    lock = json.loads((tmp_path / ".session" / "lock.json").read_text())
    assert lock["pid"] == os.getpid()
    assert lock["taken_over_from"]["host"] == "the-other-laptop"
    assert lock["taken_over_from"]["pid"] == info.pid


def test_a_live_pid_with_no_start_time_and_no_os_lock_can_be_taken_over(
    tmp_path: Path,
) -> None:
    """Not read-only for ever: whoever holds no OS lock is no current Writers Factory."""
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=-1)
    try:
        (tmp_path / ".session").mkdir()
        info = new_lock("2026-01-01-000000")
        info.pid, info.process_start, info.process_created = other.pid, None, None
        write_lock(tmp_path / ".session" / "lock.json", info)
        session = Session(tmp_path)
        assert session.other_instance is not None and session.read_only
        assert session.takeover_possible
        session.take_over_lock()
        assert not session.read_only and session.other_instance is None
        taken, _ = read_lock(tmp_path / ".session" / "lock.json")
        assert taken is not None and taken.pid == os.getpid()
        assert taken.taken_over_from is not None and taken.taken_over_from.pid == other.pid
        session.close_sync()
    finally:
        assert other.stdin is not None
        other.stdin.close()
        other.wait(timeout=30)


def test_a_writer_taken_over_from_another_host_finds_out_and_writes_nothing(
    tmp_path: Path,
) -> None:
    session = Session(tmp_path)
    ours, _ = read_lock(session.paths.lock)
    assert ours is not None
    session.heartbeat()  # still ours: refreshed
    theirs = new_lock("2026-01-01-000000")
    theirs.host = "the-other-laptop"
    theirs.taken_over_from = ours.displaced(theirs.started_at)
    write_lock(session.paths.lock, theirs)
    lock_bytes = session.paths.lock.read_bytes()
    state = session.paths.current.read_bytes()
    session.set_stage("scoring")
    with pytest.raises(SessionTakenOverError, match="the-other-laptop"):
        session.save_sync()
    assert session.read_only and session.taken_over_by is not None
    with pytest.raises(SessionTakenOverError):
        session.heartbeat()
    session.close_sync()
    assert session.paths.lock.read_bytes() == lock_bytes  # their lock stays theirs
    assert session.paths.current.read_bytes() == state  # and their state too


def test_damaged_lock_is_set_aside_and_treated_as_interrupted(tmp_path: Path) -> None:
    (tmp_path / ".session").mkdir()
    (tmp_path / ".session" / "lock.json").write_text("garbage")
    session = Session(tmp_path)
    assert session.was_interrupted()
    [problem] = session.problems
    assert problem.kind is ProblemKind.LOCK and problem.set_aside is not None
    assert problem.set_aside.read_text() == "garbage"


def test_read_only_session_changes_nothing(tmp_path: Path) -> None:
    session = Session(tmp_path, read_only=True)
    assert not (tmp_path / ".session").exists()
    session.set_stage("writing")
    assert not session.save_sync()


def test_v0_layout_is_migrated_with_a_backup(tmp_path: Path) -> None:
    (tmp_path / ".session").mkdir()
    shutil.copy(FIXTURES / "current_v0.json", tmp_path / ".session" / "current.json")
    session = Session(tmp_path)
    assert session.current_stage == "writing"
    files = [(f.path, f.cursor_line, f.cursor_col) for f in session.data.open_files]
    assert files == [("manuscript/volume-2/chapter-5.md", 142, 23), ("planning/outline.md", 0, 0)]
    assert session.data.model_preferences == {"writing": "anthropic:claude-sonnet-4-5"}
    assert session.data.recent_queries[0].source == "bible"
    migrated = [p for p in session.problems if p.kind is ProblemKind.MIGRATED]
    assert migrated, session.problems
    backups = list((tmp_path / ".session" / "backups").iterdir())
    assert len(backups) == 1
    original = json.loads((backups[0] / "current.json").read_text())
    assert original["stage"] == "Writing"  # the backup holds the untouched v0 file
    on_disk = json.loads((tmp_path / ".session" / "current.json").read_text())
    assert on_disk["schema_version"] == 1


async def test_save_failure_reports_and_keeps_previous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from writers_factory.store.base import durable

    session = Session(tmp_path)
    errors: list[object] = []
    session.on_error(errors.append)
    before = (tmp_path / ".session" / "current.json").read_bytes()

    def full(fd: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable.os, "write", full)
    monkeypatch.setattr(durable, "RETRY_DELAYS", (0.0, 0.0))
    session.set_stage("analyzing")
    with pytest.raises(OSError):
        await session.save()
    assert session.has_changes()  # still dirty: the change is kept for the retry
    assert (tmp_path / ".session" / "current.json").read_bytes() == before
    assert errors and "No space left" in errors[-1].message  # type: ignore[attr-defined]
    monkeypatch.undo()
    assert await session.save()
    assert (
        json.loads((tmp_path / ".session" / "current.json").read_text())["current_state"]["stage"]
        == "analyzing"
    )


def test_killed_owner_not_yet_reaped_counts_as_dead(tmp_path: Path) -> None:
    """A zombie (killed, parent has not waited) must not look like a second instance."""
    import signal

    ready = tmp_path / "ready"
    project = tmp_path / "novel"
    project.mkdir()
    proc = _holder(project, ready)
    try:
        _wait_for(ready)
        os.kill(proc.pid, signal.SIGKILL)
        # do not wait(): the child stays a zombie until reaped
        import time

        deadline = time.monotonic() + PATIENCE
        stat = Path(f"/proc/{proc.pid}/stat")
        while stat.read_text().rsplit(")", 1)[1].split()[0] != "Z":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        session = Session(project)
        assert session.other_instance is None
        assert session.was_interrupted() and not session.read_only
        session.close_sync()
    finally:
        proc.wait()


def test_newer_current_json_makes_saving_fail_loudly_naming_it(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    root.mkdir()
    newer = json.dumps({"schema_version": 7, "session_id": "from-the-future"})
    (root / "current.json").write_text(newer)
    session = Session(tmp_path)  # opens: the manuscript stays editable
    assert not session.read_only
    [problem] = session.problems
    assert problem.kind is ProblemKind.NEWER_VERSION and problem.field == "schema_version"
    session.set_stage("scoring")
    with pytest.raises(FileReadOnlyError) as info:
        session.save_sync()
    assert info.value.path == root / "current.json"
    assert "newer Writers Factory" in str(info.value)
    assert isinstance(info.value, OSError)  # what tui/controllers/saving.py catches
    with pytest.raises(FileReadOnlyError):
        asyncio.run(session.save())
    session.close_sync()  # a clean close all the same: the lock goes, nothing is written
    assert not (root / "lock.json").exists()
    assert (root / "current.json").read_text() == newer
