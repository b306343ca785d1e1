"""Opening a project whose .session/ cannot or must not be written: read-only, with a
message naming why, never a traceback (Session, Preferences, SessionHistory, the CLI)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from writers_factory.store import Preferences, Session, SessionHistory
from writers_factory.store.base.events import ProblemKind

VIEWS = ("show", "history", "costs", "preferences", "verify")


AS_USER_CLI = textwrap.dedent("""
    import io, os, sys, contextlib, tempfile, pathlib
    from writers_factory.cli import main
    # warm up as root: Python here lives in root's home, which the user cannot read, so
    # every module the command will import is imported before privileges are dropped
    warm = pathlib.Path(tempfile.mkdtemp())
    (warm / ".session").mkdir()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for view in ("show", "history", "costs", "preferences", "verify"):
            main(["session", view, "--project", str(warm), "--json"])
            main(["session", view, "--project", str(warm)])
    user = int(sys.argv[1])
    os.setgid(user)
    os.setuid(user)
    sys.exit(main(sys.argv[2:]))
""")


def wf(*args: str, user: int | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "writers_factory.cli", *args]
    if user is not None:
        command = [sys.executable, "-c", AS_USER_CLI, str(user), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def assert_cli_answers_without_traceback(project: Path, user: int | None = None) -> None:
    for view in VIEWS:
        result = wf("session", view, "--project", str(project), "--json", user=user)
        assert "Traceback" not in result.stderr, (view, result.stderr)
        assert result.returncode in (0, 1, 2), (view, result.returncode, result.stderr)
        json.loads(result.stdout)


def opened_state(project: Path) -> Path:
    session = Session(project)
    session.set_stage("writing")
    session.close_sync()
    return project / ".session"


# --------------------------------------------------------------------------- symbolic links
def test_a_symlinked_session_folder_opens_read_only_naming_it(tmp_path: Path) -> None:
    elsewhere = tmp_path / "synced" / "state"
    elsewhere.mkdir(parents=True)
    project = tmp_path / "novel"
    project.mkdir()
    (project / ".session").symlink_to(elsewhere)
    session = Session(project)
    assert session.read_only
    [problem] = [p for p in session.problems if p.kind is ProblemKind.LINKED]  # said once
    assert problem.path == project / ".session" and "symbolic link" in problem.message
    session.set_stage("scoring")
    assert not session.save_sync()
    session.close_sync()
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    assert Preferences(project / ".session").read_only
    assert SessionHistory(project / ".session").read_only


@pytest.mark.parametrize("name", ["current.json", "lock.json"])
def test_a_symlinked_state_file_opens_the_session_read_only(tmp_path: Path, name: str) -> None:
    root = opened_state(tmp_path / "novel")
    outside = tmp_path / "outside.json"
    outside.write_text('{"pid": 1}')
    (root / name).unlink(missing_ok=True)
    (root / name).symlink_to(outside)
    session = Session(tmp_path / "novel")
    assert session.read_only
    assert any(p.kind is ProblemKind.LINKED and name in str(p.path) for p in session.problems)
    session.close_sync()
    assert outside.read_text() == '{"pid": 1}' and (root / name).is_symlink()


@pytest.mark.parametrize("name", ["preferences.json", "history.json"])
def test_a_symlinked_preferences_or_history_is_read_only(tmp_path: Path, name: str) -> None:
    root = tmp_path / ".session"
    root.mkdir()
    outside = tmp_path / "outside.json"
    outside.write_text('{"schema_version": 1}')
    (root / name).symlink_to(outside)
    part = Preferences(root) if name == "preferences.json" else SessionHistory(root)
    assert part.read_only
    assert [p.kind for p in part.problems] == [ProblemKind.LINKED]


# --------------------------------------------------------------------------- not writable
def test_a_plain_file_named_session_opens_read_only(tmp_path: Path) -> None:
    (tmp_path / ".session").write_text("the writer's notes")
    session = Session(tmp_path)
    assert session.read_only
    [problem] = [p for p in session.problems if p.kind is ProblemKind.NOT_WRITABLE]
    assert problem.path == tmp_path / ".session" and "cannot be written" in problem.message
    session.close_sync()
    Preferences(tmp_path / ".session")
    SessionHistory(tmp_path / ".session")
    assert (tmp_path / ".session").read_text() == "the writer's notes"
    assert_cli_answers_without_traceback(tmp_path)


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path]:
    mount = Path(tempfile.mkdtemp(prefix="wf-tmpfs-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        mount.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def fill(folder: Path) -> None:
    with open(folder / "filler", "wb") as filler, contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()
    for i in range(10_000):  # the last pages and inodes too
        try:
            (folder / f"f{i}").write_bytes(b"x")
        except OSError:
            break


def test_a_full_disk_at_start_opens_read_only_with_a_message(tmp_path: Path) -> None:
    with tmpfs("2m") as mount:
        project = mount / "novel"
        root = opened_state(project)
        before = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
        fill(mount)
        session = Session(project)
        assert session.read_only
        [problem] = [p for p in session.problems if p.kind is ProblemKind.NOT_WRITABLE]
        assert "No space left" in problem.message
        assert session.current_stage == "writing"  # the state is there to see
        session.close_sync()
        Preferences(root)
        SessionHistory(root)
        assert_cli_answers_without_traceback(project)
        after = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
        assert after == before  # nothing lost, nothing half-written
        assert not (root / "lock.json").exists()  # no lock of ours left behind


def test_a_read_only_filesystem_at_start_opens_read_only(tmp_path: Path) -> None:
    with tmpfs("4m") as mount:
        project = mount / "novel"
        opened_state(project)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        session = Session(project)
        assert session.read_only
        [problem] = [p for p in session.problems if p.kind is ProblemKind.NOT_WRITABLE]
        assert "Read-only file system" in problem.message
        Preferences(project / ".session")
        SessionHistory(project / ".session")
        assert_cli_answers_without_traceback(project)


# --------------------------------------------------------------------------- permissions
NOBODY = 65534
AS_NOBODY = textwrap.dedent("""
    import json, os, sys, pathlib, tempfile
    from writers_factory.store import Preferences, Session, SessionHistory
    warm = pathlib.Path(tempfile.mkdtemp())  # import everything first (see AS_USER_CLI)
    Session(warm).close_sync()
    Preferences(warm / ".session"), SessionHistory(warm / ".session")
    os.setgid(65534); os.setuid(65534)
    project = pathlib.Path(sys.argv[1])
    session = Session(project)
    prefs = Preferences(project / ".session")
    history = SessionHistory(project / ".session")
    print(json.dumps({
        "read_only": session.read_only,
        "problems": [[p.kind.value, str(p.path), p.message] for p in session.problems],
        "prefs": [prefs.read_only, [[p.kind.value, p.message] for p in prefs.problems]],
        "history": [history.read_only, [p.kind.value for p in history.problems]],
    }))
""")


@pytest.fixture
def shared_project() -> Iterator[Path]:
    """A project another user can reach (pytest's tmp_path is root's alone)."""
    if not hasattr(os, "setuid") or os.geteuid() != 0:
        pytest.skip("needs root to drop privileges to an unprivileged user")
    base = Path(tempfile.mkdtemp(prefix="wf-shared-"))
    base.chmod(0o755)
    try:
        yield base / "novel"
    finally:
        subprocess.run(["rm", "-rf", str(base)], check=False)


def as_nobody(project: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", AS_NOBODY, str(project)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_a_session_folder_the_user_cannot_write_opens_read_only(shared_project: Path) -> None:
    """Root ignores permission bits, so the opener drops to 'nobody' (setuid)."""
    root = opened_state(shared_project)
    shared_project.chmod(0o755)
    root.chmod(0o755)  # readable, not writable, by others
    for file in root.iterdir():
        file.chmod(0o644)
    result = as_nobody(shared_project)
    assert result["read_only"] is True
    kinds = [kind for kind, _path, _message in result["problems"]]  # type: ignore[union-attr]
    assert "not-writable" in kinds
    assert_cli_answers_without_traceback(shared_project, user=NOBODY)


def test_an_unreadable_state_file_opens_that_part_read_only(shared_project: Path) -> None:
    root = opened_state(shared_project)
    shared_project.chmod(0o755)
    root.chmod(0o777)  # the folder is writable, only the files are unreadable
    for name in ("current.json", "preferences.json", "history.json"):
        (root / name).write_text('{"schema_version": 1}') if not (root / name).exists() else None
        (root / name).chmod(0o000)
    before = {name: (root / name).read_bytes() for name in ("current.json", "preferences.json")}
    result = as_nobody(shared_project)
    problems = result["problems"]
    assert any(
        kind == "unreadable" and path.endswith("current.json")  # type: ignore[union-attr]
        for kind, path, _message in problems
    )  # type: ignore[union-attr]
    assert result["prefs"][0] is True  # type: ignore[index]
    assert result["prefs"][1][0][0] == "unreadable"  # type: ignore[index]
    assert "Permission denied" in result["prefs"][1][0][1]  # type: ignore[index]
    assert result["history"] == [True, ["unreadable"]]
    assert {n: (root / n).read_bytes() for n in before} == before  # never overwritten
    assert_cli_answers_without_traceback(shared_project, user=NOBODY)
