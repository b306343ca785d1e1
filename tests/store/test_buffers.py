"""The disk side of buffers, on real files: conflicts are detected and never overwritten."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from writers_factory.store.base import digests, durable
from writers_factory.store.manuscript import buffers, encoded
from writers_factory.store.manuscript.buffers import (
    DiskState,
    FileBuffer,
    Outgoing,
    SaveConflict,
    my_copy_path,
    sha256_of,
)

NOW = datetime(2026, 11, 21, 14, 5)


def make(tmp_path: Path, text: str = "Once upon a time.\n") -> tuple[Path, FileBuffer, str]:
    file = tmp_path / "manuscript" / "chapter-1.md"
    file.parent.mkdir(parents=True)
    file.write_text(text, encoding="utf-8")
    buf, loaded = FileBuffer.load(file)
    return file, buf, loaded


def test_load_records_hash_and_mtime(tmp_path: Path) -> None:
    file, buf, text = make(tmp_path)
    assert text == "Once upon a time.\n"
    assert buf.base_sha256 == sha256_of(file.read_bytes())
    assert buf.base_mtime == file.stat().st_mtime
    assert buf.disk_state() is DiskState.UNCHANGED


def test_missing_file_loads_as_new_empty_buffer_and_saves(tmp_path: Path) -> None:
    file = tmp_path / "new.md"
    buf, text = FileBuffer.load(file)
    assert text == "" and buf.base_sha256 is None
    assert buf.disk_state() is DiskState.UNCHANGED
    written = buf.save("fresh")
    assert file.read_text() == "fresh" and written.data == b"fresh"


def test_non_utf8_file_is_refused_with_its_name(tmp_path: Path) -> None:
    file = tmp_path / "bad.md"
    file.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(OSError, match=r"bad\.md is not UTF-8"):
        FileBuffer.load(file)


def test_save_when_unchanged_writes_and_reports_bytes(tmp_path: Path) -> None:
    file, buf, _ = make(tmp_path)
    seen: list[tuple[Path, bytes]] = []
    written = buf.save("New text é\n", remember=lambda out: seen.append((out.path, out.data)))
    assert file.read_text(encoding="utf-8") == "New text é\n"
    assert written.data == "New text é\n".encode()
    assert seen == [(file, written.data)]
    # our own write is the new baseline: a second save is not a conflict
    assert buf.disk_state() is DiskState.UNCHANGED
    buf.save("Again\n")
    assert file.read_text() == "Again\n"


def _hashes() -> int:
    return sum(digests.calls_by_thread.values())


class Reads:
    """Counts the conflict check's reading: in-place compares, and whole reads of the file."""

    def __init__(self, patch: pytest.MonkeyPatch) -> None:
        self.compares = 0
        self.whole = 0
        holds, whole = buffers._holds, buffers._whole

        def comparing(file: io.FileIO, data: bytes) -> bool:
            self.compares += 1
            return holds(file, data)

        def reading(file: io.FileIO) -> bytes:
            self.whole += 1
            return whole(file)

        patch.setattr(buffers, "_holds", comparing)
        patch.setattr(buffers, "_whole", reading)


def test_a_save_hashes_once_and_hands_on_what_it_read(tmp_path: Path) -> None:
    """The conflict check compares the file in place with the bytes last read or written, so
    only the new bytes are hashed and no copy of the file is made; the hooks (known content,
    the words count) get that hash, the previous bytes and the text: they neither hash
    again, nor read the file again, nor decode the bytes back to text."""
    file, buf, loaded = make(tmp_path)
    told: list[Outgoing] = []
    before = _hashes()
    with pytest.MonkeyPatch.context() as patch:
        reads = Reads(patch)
        written = buf.save("Twice upon a time.\n", remember=told.append)
        again = buf.save("Thrice upon a time.\n")
    assert _hashes() - before == 2, "one hash a save: the new bytes"
    assert (reads.compares, reads.whole) == (2, 0), "compared in place, never read whole"
    assert told == [
        Outgoing(
            file,
            written.data,
            digests.Sha256(written.sha256),
            loaded.encode(),
            "Twice upon a time.\n",
        )
    ]
    assert written.sha256 == sha256_of(written.data)
    assert again.sha256 == sha256_of(again.data) == buf.base_sha256


@pytest.mark.parametrize("where", [0, 5, 6, 7, 11, -1])
def test_a_same_size_change_anywhere_is_a_conflict_read_whole_once(
    tmp_path: Path, where: int
) -> None:
    """The in-place compare reads in chunks (three bytes here): a byte changed at a chunk's
    edge, inside one or in the last is found, and the file is then read whole, once, for
    the conflict's text; nothing is written."""
    file, buf, text = make(tmp_path, "Once upon a time.\n")
    theirs = bytearray(text.encode())
    theirs[where] = ord("#")
    file.write_bytes(bytes(theirs))  # in place: the same file, the same size
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(buffers, "CHECK_CHUNK", 3)
        reads = Reads(patch)
        with pytest.raises(SaveConflict) as caught:
            buf.save("Mine\n")
    assert (reads.compares, reads.whole) == (1, 1)
    assert caught.value.disk_text == theirs.decode()
    assert file.read_bytes() == bytes(theirs)


def test_a_file_grown_or_cut_is_a_conflict(tmp_path: Path) -> None:
    file, buf, text = make(tmp_path)
    for theirs in (text + "And then.\n", text[:-3]):
        file.write_text(theirs)
        with pytest.raises(SaveConflict):
            buf.save("Mine\n")
        assert file.read_text() == theirs


def test_a_save_hashes_its_bytes_on_a_helper_thread_while_writing(tmp_path: Path) -> None:
    """The hash runs beside the durable write (it releases the interpreter's lock), so it
    costs the save no time on a second core: none on the saving thread, and the hooks are
    told before the hash is asked for (the known-content record never waits for it)."""
    file, buf, _ = make(tmp_path)
    me = threading.get_ident()
    hashed_by: list[int] = []
    real = digests.sha256_marked

    def recording(data: bytes, *args: Any) -> tuple[str, digests.States]:
        hashed_by.append(threading.get_ident())
        return real(data, *args)

    told: list[Outgoing] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digests, "sha256_marked", recording)
        written = buf.save("A long chapter.\n" * 1000, remember=told.append)
    assert len(hashed_by) == 1 and hashed_by[0] != me
    assert told[0].sha256 == written.sha256 == sha256_of(file.read_bytes()) == buf.base_sha256


def test_a_save_writes_its_parts_and_joins_them_on_a_helper_thread(tmp_path: Path) -> None:
    """Counted, not timed: after an edit in the middle of a long chapter the saving thread
    writes the new bytes as their parts (kept bytes, the part encoded again) and joins
    nothing; the hashing thread joins them, and what the hooks are told, the file and the
    hash are all exactly the text encoded."""
    paragraph = "It was a dark and stormy night — the rain fell in torrents.\n\n"
    text = paragraph * 20_000
    file, buf, _ = make(tmp_path, text)
    buf.save(text + "The end.\n")
    middle = len(text) // 2
    edited = text[:middle] + "Then the wind rose. " + text[middle:] + "The end.\n"
    written_parts: list[int] = []
    real = durable._write_all

    def counting(fd: int, data: durable.Data) -> None:
        written_parts.append(1 if isinstance(data, bytes) else len(data))
        real(fd, data)

    told: list[Outgoing] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(durable, "_write_all", counting)
        written = buf.save(edited, remember=told.append)
    assert written_parts[0] >= 3, "the bytes before, the part encoded again, the bytes after"
    kept = buf._encoded
    assert kept is not None and kept.joined_on not in (None, threading.get_ident())
    assert file.read_bytes() == written.data == told[0].data == edited.encode("utf-8")
    assert written.sha256 == sha256_of(edited.encode("utf-8"))


def test_a_save_with_no_helper_thread_left_hashes_its_parts_itself(tmp_path: Path) -> None:
    """At interpreter exit no helper thread takes the hash: the saving thread joins the
    parts and hashes them itself, at once (it waited for its own write before)."""
    from concurrent.futures import ThreadPoolExecutor

    paragraph = "The lamp burned low over the harbour.\n\n"
    file, buf, _ = make(tmp_path, paragraph * 5_000)
    buf.save(paragraph * 5_000 + "The end.\n")
    gone = ThreadPoolExecutor(max_workers=1)
    gone.shutdown()
    edited = paragraph * 2_500 + "Gulls. " + paragraph * 2_500 + "The end.\n"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digests, "helpers", lambda: gone)
        written = buf.save(edited)
    assert file.read_bytes() == written.data == edited.encode("utf-8")
    assert written.sha256 == sha256_of(edited.encode("utf-8"))


def test_a_save_after_an_edit_hashes_only_from_the_mark_before_it(tmp_path: Path) -> None:
    """Counted in bytes hashed, not timed: a sentence typed near the end of a long chapter
    hashes about one stretch between marks again, and the hash is the whole file's."""
    paragraph = "It was a dark and stormy night — the rain fell in torrents.\n\n"
    text = paragraph * 20_000
    _, buf, _ = make(tmp_path, text)
    buf.save(text + "The end.\n")
    hashed: list[int] = []
    real = digests.sha256_marked

    def counting(
        data: bytes, marks: Sequence[int], resume: digests.States | None, kept: int
    ) -> tuple[str, digests.States]:
        start = max((at for at in (resume or {}) if at <= kept), default=0)
        hashed.append(len(data) - start)
        return real(data, marks, resume, kept)

    edited = text[:-100] + "Then the wind rose. " + text[-100:] + "The end.\n"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digests, "sha256_marked", counting)
        written = buf.save(edited)
        assert written.sha256 == sha256_of(edited.encode())
    [again] = hashed
    most = 3 * 2 * encoded.STEP + 200  # a stretch of up to 2 STEP characters, 3 bytes each
    assert again <= most, f"hashed {again} of {len(written.data)} bytes again"


def test_a_change_of_the_same_length_is_a_conflict(tmp_path: Path) -> None:
    file, buf, text = make(tmp_path)
    file.write_text(text.swapcase())
    assert len(text.swapcase().encode()) == len(text.encode())
    with pytest.raises(SaveConflict):
        buf.save("Mine\n")
    assert file.read_text() == text.swapcase()


def test_a_hash_set_from_outside_is_what_the_check_compares(tmp_path: Path) -> None:
    """A caller that read the file itself (a reload) sets the hash it found: the bytes held
    from before no longer stand for the file, and the check compares hashes."""
    file, buf, _ = make(tmp_path)
    file.write_text("Reloaded\n")
    buf.base_sha256 = sha256_of(b"Reloaded\n")
    assert buf.disk_state() is DiskState.UNCHANGED
    buf.save("Mine after the reload\n")
    assert file.read_text() == "Mine after the reload\n"


def test_outside_change_is_a_conflict_and_nothing_is_written(tmp_path: Path) -> None:
    file, buf, _ = make(tmp_path)
    file.write_text("Theirs\n")
    assert buf.disk_state() is DiskState.CHANGED_OUTSIDE
    with pytest.raises(SaveConflict) as caught:
        buf.save("Mine\n")
    assert caught.value.state is DiskState.CHANGED_OUTSIDE
    assert caught.value.disk_text == "Theirs\n"
    assert file.read_text() == "Theirs\n"


def test_outside_rewrite_with_identical_bytes_is_not_a_conflict(tmp_path: Path) -> None:
    file, buf, text = make(tmp_path)
    file.write_text(text)
    os.utime(file, (1, 1))
    assert buf.disk_state() is DiskState.UNCHANGED


def test_deleted_file_is_a_conflict(tmp_path: Path) -> None:
    file, buf, _ = make(tmp_path)
    file.unlink()
    assert buf.disk_state() is DiskState.DELETED
    with pytest.raises(SaveConflict) as caught:
        buf.save("Mine\n")
    assert caught.value.state is DiskState.DELETED
    assert not file.exists()


def test_keep_mine_overwrites_after_choice(tmp_path: Path) -> None:
    file, buf, _ = make(tmp_path)
    file.write_text("Theirs\n")
    buf.keep_mine("Mine\n")
    assert file.read_text() == "Mine\n"
    assert buf.disk_state() is DiskState.UNCHANGED


def test_keep_mine_recreates_a_deleted_file(tmp_path: Path) -> None:
    file, buf, _ = make(tmp_path)
    file.unlink()
    buf.keep_mine("Mine\n")
    assert file.read_text() == "Mine\n"


def test_take_theirs_reloads_and_becomes_baseline(tmp_path: Path) -> None:
    file, buf, _ = make(tmp_path)
    file.write_text("Theirs\n")
    assert buf.take_theirs() == "Theirs\n"
    assert file.read_text() == "Theirs\n"
    buf.save("Later mine\n")  # no conflict any more
    assert file.read_text() == "Later mine\n"


def test_take_theirs_of_deleted_file_returns_none(tmp_path: Path) -> None:
    file, buf, _ = make(tmp_path)
    file.unlink()
    assert buf.take_theirs() is None
    assert not file.exists()


def test_keep_both_writes_sibling_and_leaves_theirs(tmp_path: Path) -> None:
    file, buf, _ = make(tmp_path)
    file.write_text("Theirs\n")
    written, theirs = buf.keep_both("Mine\n", NOW)
    assert written.path == file.with_name("chapter-1 (my copy 2026-11-21 1405).md")
    assert written.path.read_text() == "Mine\n"
    assert file.read_text() == "Theirs\n"
    assert theirs == "Theirs\n"
    assert buf.disk_state() is DiskState.UNCHANGED


def test_keep_both_never_replaces_an_existing_copy(tmp_path: Path) -> None:
    file, buf, _ = make(tmp_path)
    first = my_copy_path(file, NOW)
    first.write_text("an earlier copy\n")
    file.write_text("Theirs\n")
    written, _ = buf.keep_both("Mine\n", NOW)
    assert written.path == file.with_name("chapter-1 (my copy 2026-11-21 1405) 2.md")
    assert first.read_text() == "an earlier copy\n"
    assert written.path.read_text() == "Mine\n"


def test_failed_write_leaves_file_and_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file, buf, text = make(tmp_path)
    base = buf.base_sha256

    def disk_full(path: Path, data: bytes, mode: int | None, **_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable, "_write_once", disk_full)
    with pytest.raises(durable.DurableWriteError, match="No space left"):
        buf.save("Mine\n")
    assert file.read_text() == text
    assert buf.base_sha256 == base
    monkeypatch.undo()
    buf.save("Mine\n")  # retry works, no conflict with ourselves
    assert file.read_text() == "Mine\n"


def test_copies_of_a_projects_file_go_to_planning_copies(tmp_path: Path) -> None:
    """In ``manuscript/`` a copy was counted as a chapter; ``planning/copies/`` is the writer's
    folder (shown, watched, snapshotted, backed up) where nothing counts."""
    from writers_factory.store.manuscript.buffers import COPIES_FOLDER, is_copy

    file = tmp_path / "manuscript" / "chapter-1.md"
    file.parent.mkdir(parents=True)
    file.write_text("Once.\n", encoding="utf-8")
    buf, _ = FileBuffer.load(file, project=tmp_path)
    file.write_text("Theirs\n")
    written, theirs = buf.keep_both("Mine\n", NOW)
    assert written.path == tmp_path / COPIES_FOLDER / "chapter-1 (my copy 2026-11-21 1405).md"
    assert written.path.read_text() == "Mine\n" and theirs == "Theirs\n"
    assert is_copy(written.path)
    assert sorted(p.name for p in file.parent.iterdir()) == ["chapter-1.md"]


def _stat_of(file: Path) -> tuple[int, int, int]:
    found = file.stat()
    return found.st_size, found.st_mtime_ns, found.st_ino


def _other_process(code: str, *args: str) -> None:
    """Run ``code`` in another Python process (a sync tool, another editor)."""
    subprocess.run([sys.executable, "-c", code, *args], check=True, timeout=60)


def test_a_same_size_edit_with_the_old_times_put_back_is_a_conflict(tmp_path: Path) -> None:
    """A hand edit of the same size right after our save, its modification time then set
    back to ours (as ``touch -m -d`` or a tool keeping times does): size, time and inode all
    say "unchanged", the bytes do not, and the bytes decide."""
    file, buf, _ = make(tmp_path)
    buf.save("Mine, saved.\n")
    size, mtime_ns, inode = _stat_of(file)
    _other_process(
        "import os, sys; p = sys.argv[1]; f = open(p, 'r+b'); f.write(b'Thei'); f.close(); "
        "os.utime(p, ns=(int(sys.argv[2]), int(sys.argv[2])))",
        str(file),
        str(mtime_ns),
    )
    assert _stat_of(file) == (size, mtime_ns, inode)
    with pytest.raises(SaveConflict) as caught:
        buf.save("Mine, again.\n")
    assert caught.value.disk_text == "Thei, saved.\n"
    assert file.read_text() == "Thei, saved.\n"


def test_a_file_replaced_by_a_sync_tool_with_the_same_size_is_a_conflict(tmp_path: Path) -> None:
    """A sync tool writes its version beside the file and renames it over ours, keeping our
    modification time: same size, same time; theirs is kept, never overwritten."""
    file, buf, _ = make(tmp_path)
    buf.save("Mine, saved.\n")
    _, mtime_ns, _ = _stat_of(file)
    _other_process(
        "import os, sys; p = sys.argv[1]; t = p + '.sync'; "
        "open(t, 'wb').write(b'Sync, saved.\\n'); "
        "os.utime(t, ns=(int(sys.argv[2]), int(sys.argv[2]))); os.replace(t, p)",
        str(file),
        str(mtime_ns),
    )
    assert file.stat().st_size == len(b"Mine, saved.\n")
    with pytest.raises(SaveConflict):
        buf.save("Mine, again.\n")
    assert file.read_text() == "Sync, saved.\n"


def test_saves_in_quick_succession_each_check_the_bytes(tmp_path: Path) -> None:
    """Twenty saves within the same second, another process changing one byte in place in
    between: every save compares the file (one in-place compare each), none trusts a time."""
    file, buf, _ = make(tmp_path, "Once upon a time.\n")
    with pytest.MonkeyPatch.context() as patch:
        reads = Reads(patch)
        for n in range(20):
            buf.save(f"Version {n:02d}.\n")
    assert reads.compares == 20
    _other_process("import sys; f = open(sys.argv[1], 'r+b'); f.write(b'v'); f.close()", str(file))
    with pytest.raises(SaveConflict):
        buf.save("Version 20.\n")
    assert file.read_text() == "version 19.\n"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_a_forked_child_saves_with_helper_threads_of_its_own(tmp_path: Path) -> None:
    """A process forked after saves (the kill tests fork writing children) has none of the
    parent's helper threads: its saves get new ones instead of waiting for ever."""
    file, buf, _ = make(tmp_path)
    buf.save("The parent's save.\n")
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports by its exit status
        signal.alarm(30)  # a save waiting for ever ends the child, and the test fails
        try:
            child_buf = FileBuffer.load(file)[0]
            written = child_buf.save("The child's save.\n")
            os._exit(0 if written.sha256 == sha256_of(b"The child's save.\n") else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert file.read_text() == "The child's save.\n"


def test_a_conflict_found_while_writing_leaves_no_trace_and_tells_no_hook(tmp_path: Path) -> None:
    """The check runs while the new bytes are written beside the file: on a conflict the
    temp file is removed, the file keeps their text, and the hooks were never told."""
    file, buf, _ = make(tmp_path)
    file.write_text("Theirs\n")
    told: list[Outgoing] = []
    with pytest.raises(SaveConflict):
        buf.save("Mine\n", remember=told.append)
    assert told == []
    assert file.read_text() == "Theirs\n"
    assert sorted(p.name for p in file.parent.iterdir()) == ["chapter-1.md"]
