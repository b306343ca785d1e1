"""Faults injected at each step of the durable path, through the public API.

Each step (write, fsync of the file, rename, fsync of the folder, the keep-previous rename)
fails with EIO, ENOSPC, EACCES or EROFS, once (a transient fault: retried, saved) or for
good (the save fails naming ``current.json``, the previous file intact and parsing, the
change kept in memory and saved once the fault is gone, with no false "changed outside").
A folder fsync failing after the rename is different: the write landed, so it is a saved
write with one durability warning. The OS cannot be made to fail on demand, so the calls
are replaced where durable.py looks them up; a real full disk follows, on a small tmpfs.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from writers_factory.store import Preferences, Session, SessionHistory
from writers_factory.store.base import durable
from writers_factory.store.base.durable import DurableWriteError
from writers_factory.store.base.events import ProblemKind, StoreProblem

CODES = [errno.EIO, errno.ENOSPC, errno.EACCES, errno.EROFS]
STEPS = ["write", "fsync-file", "replace", "fsync-folder", "keep-previous"]


class Fault:
    """Fails one step ``times`` times (or always) with ``code``."""

    def __init__(self, step: str, code: int, times: int, target: Path) -> None:
        self.step, self.code, self.left, self.target = step, code, times, target
        self.hits = 0

    def fire(self) -> None:
        if self.left == 0:
            return
        self.left -= 1
        self.hits += 1
        raise OSError(self.code, os.strerror(self.code))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_write, real_fsync, real_replace = os.write, os.fsync, os.replace
        target = str(self.target)
        prev = f"{os.sep}prev{os.sep}"

        def write(fd: int, data: Any) -> int:
            if self.step == "write":
                self.fire()
            return real_write(fd, data)

        def fsync(fd: int) -> None:
            is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
            if (self.step == "fsync-folder" and is_dir) or (
                self.step == "fsync-file" and not is_dir
            ):
                self.fire()
            real_fsync(fd)

        def replace(src: Any, dst: Any) -> None:
            if (self.step == "replace" and str(dst) == target) or (
                self.step == "keep-previous" and prev in str(dst)
            ):
                self.fire()
            real_replace(src, dst)

        monkeypatch.setattr(durable.os, "write", write)
        monkeypatch.setattr(durable.os, "fsync", fsync)
        monkeypatch.setattr(durable.os, "replace", replace)
        monkeypatch.setattr(durable, "RETRY_DELAYS", (0.0, 0.0))


def stage_on_disk(project: Path) -> str:
    data = json.loads((project / ".session" / "current.json").read_text())
    return str(data["current_state"]["stage"])


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[Session, list[StoreProblem]]]:
    s = Session(tmp_path)
    s.set_stage("writing")
    assert s.save_sync()
    errors: list[StoreProblem] = []
    s.on_error(errors.append)
    yield s, errors
    with contextlib.suppress(OSError):
        s.close_sync()


@pytest.mark.parametrize("code", CODES, ids=errno.errorcode.get)
@pytest.mark.parametrize("step", STEPS)
def test_a_transient_fault_at_any_step_is_retried_and_saved(
    session: tuple[Session, list[StoreProblem]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
    code: int,
) -> None:
    s, errors = session
    fault = Fault(step, code, 1, s.paths.current)
    fault.install(monkeypatch)
    s.set_stage("scoring")
    assert s.save_sync()
    assert fault.hits == 1 and stage_on_disk(tmp_path) == "scoring"
    expected = [ProblemKind.DURABILITY] if step == "fsync-folder" else []
    assert [p.kind for p in errors] == expected
    assert not s.paths.corrupt.exists()
    assert durable.find_leftovers([s.paths.root]) == []


@pytest.mark.parametrize("code", CODES, ids=errno.errorcode.get)
@pytest.mark.parametrize("step", [s for s in STEPS if s != "fsync-folder"])
def test_a_lasting_fault_fails_the_save_naming_the_file_and_keeps_everything(
    session: tuple[Session, list[StoreProblem]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
    code: int,
) -> None:
    s, errors = session
    Fault(step, code, -1, s.paths.current).install(monkeypatch)
    s.set_stage("scoring")
    with pytest.raises(DurableWriteError) as info:
        s.save_sync()
    assert info.value.path == s.paths.current and info.value.errno == code
    assert f"prev{os.sep}" not in str(info.value)
    assert stage_on_disk(tmp_path) == "writing"  # the previous file, intact and parsing
    assert errors[-1].kind is ProblemKind.WRITE_FAILED and errors[-1].path == s.paths.current
    assert s.has_changes()
    assert durable.find_leftovers([s.paths.root]) == []
    monkeypatch.undo()
    assert s.save_sync() and stage_on_disk(tmp_path) == "scoring"
    assert not s.paths.corrupt.exists()  # no false "changed outside"


@pytest.mark.parametrize("code", CODES, ids=errno.errorcode.get)
def test_a_lasting_folder_fsync_fault_is_a_warning_and_saves_go_on(
    session: tuple[Session, list[StoreProblem]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
) -> None:
    s, errors = session
    Fault("fsync-folder", code, -1, s.paths.current).install(monkeypatch)
    stages = ["scoring", "analyzing", "enhancing"] * 20
    for stage in stages:
        s.set_stage(stage)
        assert s.save_sync()
    assert stage_on_disk(tmp_path) == stages[-1]
    assert [p.kind for p in errors] == [ProblemKind.DURABILITY]
    assert not s.paths.corrupt.exists()
    monkeypatch.undo()
    s.set_stage("writing")
    assert s.save_sync() and not s.paths.corrupt.exists()


# --------------------------------------------------------------------------- a real full disk
@contextlib.contextmanager
def small_tmpfs(size: str = "3m") -> Iterator[Path]:
    mount = Path(tempfile.mkdtemp(prefix="wf-full-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        mount.rmdir()
        pytest.skip(f"mounting a small tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def fill(folder: Path) -> Callable[[], None]:
    """Fill the filesystem to the last page; returns what frees it again."""
    made: list[Path] = []
    size = 1 << 16
    tag = len(list(folder.glob("filler-*")))
    while size >= 1:  # ever smaller files take the last pages (a failed one is removed)
        path = folder / f"filler-{tag}-{len(made)}"
        try:
            with open(path, "wb") as out:
                out.write(b"\0" * size)
            made.append(path)
        except OSError:
            with contextlib.suppress(OSError):
                path.unlink()
            size //= 2

    def free() -> None:
        for path in made:
            path.unlink()

    return free


def test_a_real_full_disk_fails_saves_cleanly_and_they_succeed_once_space_returns() -> None:
    with small_tmpfs() as mount:
        project = mount / "novel"
        session = Session(project)
        prefs = Preferences(project / ".session")
        history = SessionHistory(project / ".session")
        history.begin(session.session_id, session.data.started_at)
        session.set_stage("writing")
        assert session.save_sync() and history.save_sync()
        root = project / ".session"
        before = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
        session.set_stage("scoring")
        # each change is larger than the page a replaced prev/ copy gives back
        session.set_breadcrumb(["Home", "x" * 20_000])
        history.record_file_created("manuscript/" + "c" * 20_000 + ".md")
        prefs.set_theme("t" * 20_000)
        frees = []
        for save in (session.save_sync, history.save_sync, prefs.save_sync):
            frees.append(fill(mount))  # a failed save frees its temp file's pages: refill
            with pytest.raises(DurableWriteError) as info:
                save()
            assert info.value.errno == errno.ENOSPC and "No space left" in str(info.value)
        after = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
        assert after == before  # every file as it was, and parsing
        for name, data in after.items():
            if name.endswith(".json"):
                json.loads(data)
        assert durable.find_leftovers([root]) == []
        for free in frees:
            free()
        assert session.save_sync() and history.save_sync() and prefs.save_sync()
        assert stage_on_disk(project) == "scoring"
        assert not (root / "corrupt").exists()
        session.close_sync()
