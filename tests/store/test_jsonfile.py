"""Life cycle of one .session file: corrupt set aside, prev restored, external edits kept."""

from __future__ import annotations

import asyncio
import errno
import gzip
import json
import os
import stat
from pathlib import Path

import pytest
from pydantic import Field

from writers_factory.store.base import durable
from writers_factory.store.base.durable import DurableWriteError
from writers_factory.store.base.events import Callbacks, ProblemKind, SaveMetadata, StoreProblem
from writers_factory.store.base.jsonfile import FileReadOnlyError, JsonFile
from writers_factory.store.base.model_base import StoreModel
from writers_factory.store.base.paths import SessionPaths
from writers_factory.store.base.serialisers import MAX_DOCUMENT_BYTES, Format


class Notes(StoreModel):
    KIND = "notes-test"
    items: list[str] = Field(default_factory=list)
    count: int = 0

    def item_count(self) -> int:
        return len(self.items)


@pytest.fixture
def paths(tmp_path: Path) -> SessionPaths:
    p = SessionPaths.for_project(tmp_path)
    p.root.mkdir()
    return p


def make(paths: SessionPaths, **kw: object) -> JsonFile[Notes]:
    return JsonFile(paths, paths.root / "notes.json", Notes, **kw)  # type: ignore[arg-type]


def saved(paths: SessionPaths, items: list[str]) -> JsonFile[Notes]:
    f = make(paths)
    f.load_sync()
    f.value.items = items
    f.mark_dirty()
    assert f.save_sync()
    return f


def test_missing_file_gives_defaults_without_problems(paths: SessionPaths) -> None:
    f = make(paths)
    assert f.load_sync() == Notes()
    assert f.problems == [] and not f.dirty


def test_not_dirty_means_no_write(paths: SessionPaths) -> None:
    f = saved(paths, ["a"])
    mtime = f.path.stat().st_mtime_ns
    assert not f.save_sync()
    f.mark_dirty()
    assert not f.save_sync()  # same bytes: nothing to write
    assert f.path.stat().st_mtime_ns == mtime


def test_corrupt_file_is_set_aside_and_previous_good_copy_restored(paths: SessionPaths) -> None:
    f = saved(paths, ["first"])
    f.value.items = ["first", "second"]
    f.mark_dirty()
    f.save_sync()
    f.path.write_text('{"items": ["first", "second", ')  # torn by hand
    g = make(paths)
    value = g.load_sync()
    assert value.items == ["first"]  # the previous good version
    [problem] = g.problems
    assert problem.kind is ProblemKind.CORRUPT
    assert problem.set_aside is not None and problem.set_aside.parent == paths.corrupt
    assert problem.set_aside.read_text() == '{"items": ["first", "second", '
    assert problem.restored_from == paths.prev_of(f.path)
    assert "notes.json" in problem.describe() and "invalid JSON" in problem.describe()


def test_invalid_shape_names_the_field(paths: SessionPaths) -> None:
    (paths.root / "notes.json").write_text(json.dumps({"schema_version": 1, "count": "many"}))
    g = make(paths)
    assert g.load_sync() == Notes()
    [problem] = g.problems
    assert "count" in problem.message
    assert "everything in it" in (problem.lost or "")
    assert list(paths.corrupt.iterdir())  # kept, never deleted


def test_unknown_fields_survive_a_rewrite(paths: SessionPaths) -> None:
    (paths.root / "notes.json").write_text(
        json.dumps({"schema_version": 1, "items": [], "added_by_newer": {"x": 1}})
    )
    f = make(paths)
    f.load_sync()
    f.value.count = 5
    f.mark_dirty()
    f.save_sync()
    on_disk = json.loads(f.path.read_text())
    assert on_disk["added_by_newer"] == {"x": 1} and on_disk["count"] == 5


def test_newer_schema_is_opened_read_only_and_never_downgraded(paths: SessionPaths) -> None:
    original = json.dumps({"schema_version": 99, "items": ["future"]})
    (paths.root / "notes.json").write_text(original)
    f = make(paths)
    f.load_sync()
    assert f.read_only and f.value.items == ["future"]
    assert f.problems[0].kind is ProblemKind.NEWER_VERSION
    assert not f.save_sync()  # nothing changed: nothing to refuse
    f.value.count = 1
    f.mark_dirty()
    with pytest.raises(FileReadOnlyError, match="newer Writers Factory") as info:
        f.save_sync()  # loud, naming the file: never a quiet False
    assert info.value.path == f.path and str(f.path) in str(info.value)
    assert isinstance(info.value, OSError)  # the TUI shows OSErrors from saves
    with pytest.raises(FileReadOnlyError):
        asyncio.run(f.save())
    assert (paths.root / "notes.json").read_text() == original


def test_file_edited_outside_is_set_aside_before_our_write(paths: SessionPaths) -> None:
    f = saved(paths, ["ours"])
    f.path.write_text(json.dumps({"schema_version": 1, "items": ["theirs"]}))
    f.value.items = ["ours", "more"]
    f.mark_dirty()
    f.save_sync()
    assert json.loads(f.path.read_text())["items"] == ["ours", "more"]
    problem = f.problems[-1]
    assert problem.kind is ProblemKind.EXTERNALLY_MODIFIED and problem.set_aside is not None
    assert json.loads(problem.set_aside.read_text())["items"] == ["theirs"]


def test_gzip_past_threshold_and_read_back_transparently(paths: SessionPaths) -> None:
    f = make(paths, compress_over=1000)
    f.load_sync()
    f.value.items = [f"entry {i}" for i in range(300)]
    f.mark_dirty()
    f.save_sync()
    raw = f.path.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    assert json.loads(gzip.decompress(raw))["items"][299] == "entry 299"
    g = make(paths, compress_over=1000)
    assert g.load_sync().items[0] == "entry 0"
    assert f.last_save is not None and f.last_save.format is Format.GZIP_JSON


def test_callbacks_receive_metadata(paths: SessionPaths) -> None:
    seen: list[SaveMetadata] = []
    loads: list[object] = []
    cb = Callbacks(on_save=[seen.append], on_load=[loads.append])
    f = make(paths, callbacks=cb)
    f.load_sync()
    f.value.items = ["a", "b", "c"]
    f.mark_dirty()
    f.save_sync()
    [meta] = seen
    assert meta.path == f.path and meta.items == 3 and meta.format is Format.JSON
    assert meta.size == f.path.stat().st_size
    make(paths, callbacks=cb).load_sync()
    assert len(loads) == 1


def test_failing_callback_does_not_break_a_save(paths: SessionPaths) -> None:
    def boom(_meta: SaveMetadata) -> None:
        raise RuntimeError("listener bug")

    f = make(paths, callbacks=Callbacks(on_save=[boom]))
    f.load_sync()
    f.value.count = 2
    f.mark_dirty()
    assert f.save_sync()


async def test_async_saves_are_serialised_and_debounced(paths: SessionPaths) -> None:
    f = make(paths)
    await f.load()
    saves: list[SaveMetadata] = []
    f.callbacks.on_save.append(saves.append)
    for i in range(50):
        f.value.count = i
        f.request_save(delay=0.05)
    await asyncio.sleep(0.3)
    assert len(saves) == 1
    assert json.loads(f.path.read_text())["count"] == 49
    f.value.count = 100
    f.mark_dirty()
    await asyncio.gather(f.save(), f.save(), f.save())
    assert json.loads(f.path.read_text())["count"] == 100
    assert len(saves) == 2


async def test_a_slow_async_save_never_lands_over_a_newer_sync_save(
    paths: SessionPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quit saves synchronously while an auto-save may still be on its way to the disk."""
    import threading

    f = make(paths)
    f.load_sync()
    release = threading.Event()
    entered = threading.Event()
    real_write = f._write

    def late_write(plain: dict[str, object], generation: int) -> bool:
        if plain["count"] == 1:  # the older snapshot is held back in its thread
            entered.set()
            release.wait(5)
        return real_write(plain, generation)

    monkeypatch.setattr(f, "_write", late_write)
    f.value.count = 1
    f.mark_dirty()
    older = asyncio.create_task(f.save())
    while not entered.is_set():
        await asyncio.sleep(0.01)
    f.value.count = 2
    f.mark_dirty()
    assert f.save_sync()  # the newer state lands first
    release.set()
    assert await older is False  # the older snapshot is dropped, not written over it
    assert json.loads(f.path.read_text())["count"] == 2


# --------------------------------------------------------------------------- faults
def _fail_folder_fsync(monkeypatch: pytest.MonkeyPatch, code: int = errno.EIO) -> None:
    real = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(code, os.strerror(code))
        real(fd)

    monkeypatch.setattr(durable.os, "fsync", fsync)


def test_folder_fsync_failing_after_the_rename_counts_as_saved(
    paths: SessionPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case: 57 of 60 later saves conflicted. Now none does, and one warning."""
    f = saved(paths, ["first"])
    errors: list[StoreProblem] = []
    f.callbacks.on_error.append(errors.append)
    _fail_folder_fsync(monkeypatch)
    for i in range(60):
        f.value.count = i + 1
        f.mark_dirty()
        assert f.save_sync() is True
        assert not f.dirty
    assert json.loads(f.path.read_text())["count"] == 60
    assert not paths.corrupt.exists()  # nothing set aside as "edited outside"
    assert [p.kind for p in errors] == [ProblemKind.DURABILITY]  # one warning, not sixty
    assert "was saved" in errors[0].message
    monkeypatch.undo()
    f.value.count = 61
    f.mark_dirty()
    assert f.save_sync() and not paths.corrupt.exists()


def _fail_renames_into_prev(monkeypatch: pytest.MonkeyPatch, times: int) -> list[str]:
    real = os.replace
    seen: list[str] = []

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if f"{os.sep}prev{os.sep}" in str(dst) and len(seen) < times:
            seen.append(str(dst))
            raise OSError(errno.EIO, "Input/output error", str(dst))
        real(src, dst)

    monkeypatch.setattr(durable.os, "replace", replace)
    monkeypatch.setattr(durable, "RETRY_DELAYS", (0.0, 0.0))
    return seen


def test_keep_previous_rename_failure_is_retried(
    paths: SessionPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = saved(paths, ["one"])
    failed = _fail_renames_into_prev(monkeypatch, times=2)
    f.value.items = ["two"]
    f.mark_dirty()
    assert f.save_sync()
    assert len(failed) == 2
    assert json.loads(f.path.read_text())["items"] == ["two"]
    assert json.loads(paths.prev_of(f.path).read_text())["items"] == ["one"]
    assert not list(paths.prev.glob(f"*{durable.TEMP_MARK}"))


def test_keep_previous_failing_for_good_names_the_file_not_its_prev_copy(
    paths: SessionPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = saved(paths, ["one"])
    errors: list[StoreProblem] = []
    f.callbacks.on_error.append(errors.append)
    _fail_renames_into_prev(monkeypatch, times=99)
    f.value.items = ["two"]
    f.mark_dirty()
    with pytest.raises(DurableWriteError) as info:
        f.save_sync()
    assert info.value.path == f.path
    assert str(f.path) in str(info.value) and f"prev{os.sep}" not in str(info.value)
    assert errors[-1].path == f.path and errors[-1].kind is ProblemKind.WRITE_FAILED
    assert json.loads(f.path.read_text())["items"] == ["one"]  # intact
    assert f.dirty  # kept for the next try


# --------------------------------------------------------------------------- odd files
def test_a_folder_where_the_file_belongs_is_set_aside(paths: SessionPaths) -> None:
    (paths.root / "notes.json").mkdir()
    (paths.root / "notes.json" / "inside.txt").write_text("kept")
    f = make(paths)
    assert f.load_sync() == Notes()
    [problem] = f.problems
    assert problem.kind is ProblemKind.CORRUPT and "folder" in problem.message
    assert problem.set_aside is not None
    assert (problem.set_aside / "inside.txt").read_text() == "kept"  # nothing lost
    f.value.items = ["new"]
    f.mark_dirty()
    assert f.save_sync()  # the part stays writable


def test_a_pipe_where_the_file_belongs_never_blocks(paths: SessionPaths) -> None:
    os.mkfifo(paths.root / "notes.json")
    f = make(paths)
    assert f.load_sync() == Notes()
    assert f.problems[0].kind is ProblemKind.CORRUPT and not f.read_only


def test_a_symlinked_file_is_read_but_never_written_through(
    paths: SessionPaths, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"schema_version": 1, "items": ["theirs"]}))
    (paths.root / "notes.json").symlink_to(outside)
    f = make(paths)
    assert f.load_sync().items == ["theirs"]
    assert f.read_only
    [problem] = f.problems
    assert problem.kind is ProblemKind.LINKED and "symbolic link" in problem.message
    f.value.items = ["ours"]
    f.mark_dirty()
    with pytest.raises(FileReadOnlyError, match="symbolic link"):
        f.save_sync()
    assert (paths.root / "notes.json").is_symlink()
    assert json.loads(outside.read_text())["items"] == ["theirs"]


def test_a_file_larger_than_any_of_ours_is_set_aside_unread(paths: SessionPaths) -> None:
    with open(paths.root / "notes.json", "wb") as huge:
        huge.truncate(MAX_DOCUMENT_BYTES + 10)  # sparse: costs no disk
    f = make(paths)
    assert f.load_sync() == Notes()
    assert f.problems[0].kind is ProblemKind.CORRUPT and "too large" in f.problems[0].message


@pytest.mark.parametrize("mode", ["raise", "read-only"])
def test_an_unreadable_file_raises_or_opens_read_only_as_the_owner_chose(
    paths: SessionPaths, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    f = saved(paths, ["kept"])
    saved(paths, ["kept", "newer"])  # prev/ now holds ["kept"]
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == f.path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    g = make(paths, unreadable=mode)
    if mode == "raise":  # the costs side names and counts what it could not read itself
        with pytest.raises(PermissionError):
            g.load_sync()
        return
    assert g.load_sync().items == ["kept"]  # the last good copy, to look at
    assert g.read_only and [p.kind for p in g.problems] == [ProblemKind.UNREADABLE]
    assert "Permission denied" in g.problems[0].message
    g.value.items = ["mine"]
    g.mark_dirty()
    with pytest.raises(FileReadOnlyError, match="cannot be read"):
        g.save_sync()
    monkeypatch.undo()
    assert json.loads(f.path.read_text())["items"] == ["kept", "newer"]  # never overwritten
