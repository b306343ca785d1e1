"""The one durable write path: atomic replace, retries, clear failure, leftovers."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from writers_factory.store.base import durable
from writers_factory.store.base.durable import (
    AlreadyThereError,
    DurabilityWarning,
    DurableWriteError,
    SymlinkedStateError,
    clean_leftovers,
    find_leftovers,
    is_temp_file,
    make_private_dir,
    with_retries,
    write_atomic,
    write_text_atomic,
)


def test_write_replaces_content_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_text_is_written_exactly(tmp_path: Path) -> None:
    target = tmp_path / "chapter.md"
    text = "Line one\r\nÉlise said “hello”\n\n"
    write_text_atomic(target, text)
    assert target.read_bytes() == text.encode("utf-8")


def test_existing_permissions_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "private.md"
    target.write_text("x")
    target.chmod(0o600)
    write_atomic(target, b"y")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_missing_folder_is_created(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "f.json"
    write_atomic(target, b"{}")
    assert target.read_bytes() == b"{}"


def test_transient_error_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real_write = os.write

    def flaky(fd: int, data: bytes | memoryview) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(errno.EIO, "I/O error")
        return real_write(fd, data)

    monkeypatch.setattr(durable.os, "write", flaky)
    target = tmp_path / "f.json"
    write_atomic(target, b"payload", sleep=lambda _s: None)
    assert target.read_bytes() == b"payload"
    assert calls["n"] == 2


def test_disk_full_fails_after_three_attempts_and_keeps_previous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f.json"
    write_atomic(target, b"previous")
    attempts = {"n": 0}

    def full(fd: int, data: bytes | memoryview) -> int:
        attempts["n"] += 1
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable.os, "write", full)
    slept: list[float] = []
    with pytest.raises(DurableWriteError) as info:
        write_atomic(target, b"new", sleep=slept.append)
    assert attempts["n"] == 3
    assert slept == list(durable.RETRY_DELAYS)
    assert info.value.errno == errno.ENOSPC
    assert "No space left" in str(info.value) and str(target) in str(info.value)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_permission_denied_injected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs as root too: the open of the temp file is refused as EACCES."""
    target = tmp_path / "f.json"
    write_atomic(target, b"old")
    real_open = os.open

    def refuse(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if str(path).endswith(durable.TEMP_MARK):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, mode)

    monkeypatch.setattr(durable.os, "open", refuse)
    with pytest.raises(DurableWriteError) as info:
        write_atomic(target, b"new", sleep=lambda _s: None)
    assert "Permission denied" in str(info.value)
    assert target.read_bytes() == b"old"


def test_leftovers_of_dead_writers_are_cleaned_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".f.json.{dead_pid}.abcd1234{durable.TEMP_MARK}"
    stale.write_bytes(b"half")
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        busy = tmp_path / f".g.json.{live.pid}.abcd1234{durable.TEMP_MARK}"
        busy.write_bytes(b"in flight")
        assert is_temp_file(stale) and is_temp_file(busy)
        assert find_leftovers([tmp_path]) == [stale]
        assert clean_leftovers([tmp_path]) == [stale]
        assert not stale.exists() and busy.exists()
    finally:
        live.kill()
        live.wait()


def test_looking_for_leftovers_lists_each_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every session open looks through the whole ``.session/`` (hundreds of the costs'
    chunk files, the snapshots' repository): each folder is listed once, not twice as the
    recursive glob did, and a leftover at any depth, or a folder so named, is found."""
    folders = [tmp_path / "costs", tmp_path / "snapshots.git" / "objects" / "ab", tmp_path / "e"]
    for folder in folders:
        folder.mkdir(parents=True)
        for n in range(20):
            (folder / f"chunk-{n}.json").write_bytes(b"{}")
    deep = folders[1] / f".obj.x.abcd1234{durable.TEMP_MARK}"  # no writer's pid: a leftover
    deep.write_bytes(b"half")
    odd = tmp_path / "e" / f"d{durable.TEMP_MARK}"
    odd.mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "costs")  # not followed: listed under costs
    listed: list[str] = []
    scandir = os.scandir

    def counting(path: Any = ".") -> Any:
        listed.append(str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", counting)
    assert sorted(find_leftovers([tmp_path])) == sorted([deep, odd])
    folder_count = len({tmp_path, *folders, folders[1].parent, folders[1].parent.parent, odd})
    assert len(listed) == len(set(listed)) == folder_count


# --------------------------------------------------------------------------- private state
@pytest.fixture(params=[0o000, 0o002, 0o022, 0o077])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_session_files_are_0600_in_0700_folders_whatever_the_umask(
    tmp_path: Path, umask: int
) -> None:
    target = tmp_path / "novel" / ".session" / "costs" / "ops-000001.json"
    write_atomic(target, b"{}")
    assert mode_of(target) == 0o600
    assert mode_of(target.parent) == 0o700
    assert mode_of(tmp_path / "novel" / ".session") == 0o700
    write_atomic(target, b"{ }")  # a rewrite stays private too
    assert mode_of(target) == 0o600


def test_an_existing_world_readable_session_file_becomes_private_when_rewritten(
    tmp_path: Path,
) -> None:
    target = tmp_path / ".session" / "current.json"
    target.parent.mkdir()
    target.write_bytes(b"{}")
    target.chmod(0o644)
    write_atomic(target, b'{"a": 1}')
    assert mode_of(target) == 0o600


def test_manuscript_files_keep_their_own_mode(tmp_path: Path, umask: int) -> None:
    chapter = tmp_path / "manuscript" / "chapter-1.md"
    chapter.parent.mkdir()
    chapter.write_text("old")
    chapter.chmod(0o664)
    write_atomic(chapter, b"new")
    assert mode_of(chapter) == 0o664
    fresh = tmp_path / "manuscript" / "chapter-2.md"
    write_atomic(fresh, b"new")
    assert mode_of(fresh) == 0o666 & ~umask  # like any file the writer's tools create


def test_private_can_be_asked_for_explicitly(tmp_path: Path) -> None:
    target = tmp_path / "secret.json"
    write_atomic(target, b"{}", private=True)
    assert mode_of(target) == 0o600


def test_make_private_dir_creates_0700_and_syncs_each_new_folders_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: int
) -> None:
    synced: list[Path] = []
    real = durable.fsync_dir

    def record(folder: Path) -> None:
        synced.append(Path(folder))
        real(folder)

    monkeypatch.setattr(durable, "fsync_dir", record)
    project = tmp_path / "novel"
    project.mkdir()
    folder = make_private_dir(project / ".session" / "versions" / "chapter-1")
    assert folder.is_dir()
    for new in (project / ".session", project / ".session" / "versions", folder):
        assert mode_of(new) == 0o700
        assert new.parent in synced
    assert mode_of(project) != 0o700 or umask == 0o077  # the project folder is the writer's


def test_make_private_dir_tightens_an_existing_session_folder(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    (root / "journal").mkdir(parents=True)
    root.chmod(0o755)
    (root / "journal").chmod(0o755)
    make_private_dir(root / "journal")
    assert mode_of(root) == 0o700 and mode_of(root / "journal") == 0o700


# --------------------------------------------------------------------------- symbolic links
def test_a_symlinked_session_folder_is_not_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = tmp_path / "novel"
    project.mkdir()
    (project / ".session").symlink_to(elsewhere)
    with pytest.raises(SymlinkedStateError) as info:
        write_atomic(project / ".session" / "current.json", b"{}", sleep=pytest.fail)
    assert str(project / ".session") in str(info.value) and "symbolic link" in str(info.value)
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_session_file_is_not_written_through_nor_replaced(tmp_path: Path) -> None:
    outside = tmp_path / "notes.txt"
    outside.write_text("the writer's own notes")
    root = tmp_path / "novel" / ".session"
    root.mkdir(parents=True)
    (root / "preferences.json").symlink_to(outside)
    with pytest.raises(SymlinkedStateError, match=r"preferences\.json"):
        write_atomic(root / "preferences.json", b"{}", sleep=pytest.fail)
    assert (root / "preferences.json").is_symlink()
    assert outside.read_text() == "the writer's own notes"
    with pytest.raises(SymlinkedStateError):
        make_private_dir(root / "preferences.json" / "x")


def test_a_symlinked_folder_inside_session_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = tmp_path / ".session"
    root.mkdir()
    (root / "costs").symlink_to(elsewhere)
    with pytest.raises(SymlinkedStateError, match="costs"):
        write_atomic(root / "costs" / "ops-000001.json", b"{}")
    assert list(elsewhere.iterdir()) == []


# --------------------------------------------------------------------------- folder fsync
@pytest.mark.parametrize("code", [errno.EIO, errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_folder_fsync_failing_after_the_rename_is_a_warning_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    target = tmp_path / "f.json"
    write_atomic(target, b"old")
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(durable.os, "fsync", fsync)
    warned: list[DurabilityWarning] = []
    result = write_atomic(target, b"new", sleep=pytest.fail, on_warning=warned.append)
    assert target.read_bytes() == b"new"
    assert result is not None and warned == [result]
    assert result.path == target and result.cause.errno == code
    assert "was saved" in result.describe() and "power cut" in result.describe()
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_retries_are_named_by_the_file_the_writer_knows(tmp_path: Path) -> None:
    calls: list[int] = []

    def keep_previous() -> None:
        calls.append(1)
        raise OSError(errno.EIO, "Input/output error", str(tmp_path / "prev" / "current.json"))

    with pytest.raises(DurableWriteError) as info:
        with_retries(
            tmp_path / "current.json",
            keep_previous,
            step="keep the previous copy of",
            sleep=lambda _s: None,
        )
    assert len(calls) == 3
    assert str(info.value.path) == str(tmp_path / "current.json")
    assert "keep the previous copy of" in str(info.value) and "prev/" not in str(info.value)


def test_parts_are_written_in_order_however_many_and_however_short_the_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes given as parts land as their join, even when the system writes a few bytes at
    a time and more parts than one call takes."""
    parts: list[bytes | memoryview] = [
        memoryview(b"%04d," % n)[1:] if n % 3 else b"%04d;" % n for n in range(1_500)
    ]
    parts.insert(7, b"")
    calls: list[int] = []

    def short(fd: int, buffers: Any) -> int:  # a few bytes from the start of the first two
        calls.append(len(buffers))
        return os.write(fd, b"".join(bytes(buffer) for buffer in list(buffers)[:2])[:5])

    monkeypatch.setattr(os, "writev", short)
    target = tmp_path / "parts.md"
    write_atomic(target, parts)
    assert target.read_bytes() == b"".join(parts)
    assert max(calls) <= 1024, "never more parts at once than the system takes"


def test_create_only_makes_the_file_whole_and_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "chapter.md"
    seen_before_named: list[bool] = []
    write_atomic(
        target,
        [b"# One\n", b"The light.\n"],
        create_only=True,
        before_replace=lambda: seen_before_named.append(target.exists()),
    )
    assert target.read_bytes() == b"# One\nThe light.\n"
    assert seen_before_named == [False], "named only once its bytes are on disk"
    assert [p.name for p in tmp_path.iterdir()] == ["chapter.md"], "no temp file left"

    slept: list[float] = []
    with pytest.raises(AlreadyThereError):
        write_atomic(target, b"other", create_only=True, sleep=slept.append)
    assert target.read_bytes() == b"# One\nThe light.\n"
    assert slept == [], "not retried: the name is taken, nothing transient"
    assert [p.name for p in tmp_path.iterdir()] == ["chapter.md"]


def test_create_only_takes_a_link_at_the_path_as_taken(tmp_path: Path) -> None:
    """Even a link to nothing: the file is not made through it, nor where it points."""
    link = tmp_path / "chapter.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(AlreadyThereError):
        write_atomic(link, b"text", create_only=True)
    assert link.is_symlink() and not (tmp_path / "elsewhere.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chapter.md"]


@pytest.mark.parametrize("code", [errno.EPERM, errno.EOPNOTSUPP])
def test_create_only_without_hard_links_claims_the_name_then_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """A filesystem without hard links (FAT, some shares) refuses ``link``: the name is
    claimed (made only if absent) and replaced, still never over another file."""

    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(durable.os, "link", no_links)
    target = tmp_path / "chapter.md"
    write_atomic(target, b"whole", create_only=True)
    assert target.read_bytes() == b"whole"
    with pytest.raises(AlreadyThereError):
        write_atomic(target, b"other", create_only=True)
    assert target.read_bytes() == b"whole"
    assert [p.name for p in tmp_path.iterdir()] == ["chapter.md"]
