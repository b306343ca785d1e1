"""The one durable write path: atomic replace, retries, clear failure, leftovers."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from writers_factory.store.base import durable
from writers_factory.store.base.durable import (
    DurableWriteError,
    clean_leftovers,
    find_leftovers,
    is_temp_file,
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
