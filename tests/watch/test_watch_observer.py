"""The real watchdog observer on real folders: what the app is told, and when it is not."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from writers_factory.store.base.durable import temp_path_for, write_atomic
from writers_factory.watch import ChangeKind, FileChange, KnownContent, ProjectWatcher

FOLDERS = ("manuscript", "reference", "planning")


class Recorder:
    """Collects delivered batches and the thread each was delivered on."""

    def __init__(self) -> None:
        self.batches: list[list[FileChange]] = []
        self.threads: set[int] = set()

    def __call__(self, changes: list[FileChange]) -> None:
        self.threads.add(threading.get_ident())
        self.batches.append(list(changes))

    @property
    def changes(self) -> list[FileChange]:
        return [change for batch in self.batches for change in batch]

    def saw(
        self, kind: ChangeKind, path: Path, dest: Path | None = None, *, is_dir: bool = False
    ) -> bool:
        return FileChange(kind, path, dest, is_dir) in self.changes

    def paths(self) -> set[Path]:
        found: set[Path] = set()
        for change in self.changes:
            found.add(change.path)
            if change.dest is not None:
                found.add(change.dest)
        return found

    def __repr__(self) -> str:
        lines = [f"  {c.kind.value} {c.path} -> {c.dest}" for c in self.changes[-30:]]
        return "Recorder(last changes:\n" + "\n".join(lines) + ")"


async def wait_until(
    condition: Callable[[], bool], what: str, recorder: Recorder | None = None, timeout: float = 15
) -> None:
    """Poll until ``condition`` holds; generous timeout, never a fixed sleep-then-assert."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}; {recorder!r}")
        await asyncio.sleep(0.02)


def make_project(root: Path, folders: tuple[str, ...] = FOLDERS) -> Path:
    for name in folders:
        (root / name).mkdir(parents=True, exist_ok=True)
    return root


@asynccontextmanager
async def watching(
    root: Path, *, debounce: float = 0.1, known: KnownContent | None = None
) -> AsyncIterator[tuple[ProjectWatcher, Recorder, KnownContent]]:
    known = known if known is not None else KnownContent()
    recorder = Recorder()
    watcher = ProjectWatcher(root, known, recorder, debounce=debounce)
    await watcher.start()
    try:
        yield watcher, recorder, known
    finally:
        await asyncio.wait_for(watcher.stop(), 10)


async def sentinel(root: Path, recorder: Recorder, n: int = 0) -> Path:
    """Write a marker file and wait for it: every earlier event has been delivered by then.

    Events of one folder arrive in order and batches are delivered in order, so once the
    marker is seen, anything written before it that was going to be reported has been.
    """
    marker = root / "manuscript" / f"zz-marker-{n}.md"
    marker.write_text("marker")
    await wait_until(
        lambda: recorder.saw(ChangeKind.CREATED, marker), f"marker {marker.name}", recorder
    )
    return marker


# watchdog warns (harmlessly) when `mkdir -p` makes it add the same inotify watch twice.
pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")

C, M, D, MV = ChangeKind.CREATED, ChangeKind.MODIFIED, ChangeKind.DELETED, ChangeKind.MOVED


async def test_create_modify_delete_a_file_on_the_loop_thread(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    chapter = root / "manuscript" / "chapter-1.md"
    async with watching(root) as (_, rec, _known):
        chapter.write_text("It was a dark night.")
        await wait_until(lambda: rec.saw(C, chapter), "created", rec)
        with chapter.open("a") as handle:
            handle.write(" And stormy.")
        await wait_until(lambda: rec.saw(M, chapter), "modified", rec)
        chapter.unlink()
        await wait_until(lambda: rec.saw(D, chapter), "deleted", rec)
    assert rec.threads == {threading.get_ident()}
    assert all(change.path.is_absolute() for change in rec.changes)


async def test_a_renamed_file_is_reported_as_a_move(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    old, new = root / "manuscript" / "draft.md", root / "manuscript" / "chapter-2.md"
    old.write_text("words")
    async with watching(root) as (_, rec, _known):
        old.rename(new)
        await wait_until(lambda: rec.saw(MV, old, new), "move", rec)
    assert not rec.saw(D, old) and not rec.saw(C, new)


async def test_a_renamed_folder_moves_its_files_and_stays_watched(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    part, renamed = root / "manuscript" / "part1", root / "manuscript" / "part-one"
    part.mkdir()
    (part / "scene.md").write_text("scene")
    async with watching(root) as (_, rec, _known):
        part.rename(renamed)
        await wait_until(lambda: rec.saw(MV, part, renamed, is_dir=True), "folder move", rec)
        await wait_until(
            lambda: rec.saw(MV, part / "scene.md", renamed / "scene.md"), "file moved along", rec
        )
        (renamed / "scene.md").write_text("scene, revised")
        await wait_until(lambda: rec.saw(M, renamed / "scene.md"), "edit after rename", rec)


async def test_a_move_between_watched_folders_is_deleted_then_created(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    notes = root / "planning" / "notes.md"
    notes.write_text("notes")
    async with watching(root) as (_, rec, _known):
        notes.rename(root / "reference" / "notes.md")
        await wait_until(lambda: rec.saw(D, notes), "gone from planning", rec)
        await wait_until(lambda: rec.saw(C, root / "reference" / "notes.md"), "in reference", rec)


async def test_a_burst_of_1000_writes_arrives_in_few_batches_and_complete(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    burst = root / "manuscript" / "burst"

    expected: set[Path] = set()

    def write_burst() -> None:
        for i in range(1000):
            folder = burst / f"part-{i % 20:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"scene-{i:04d}.md").write_text(f"scene {i}")
            expected.add(folder / f"scene-{i:04d}.md")
            if i % 10 == 9:  # written again (or re-created): the final state must show it
                again = burst / f"part-{(i - 5) % 20:02d}" / f"scene-{i - 5:04d}.md"
                again.write_text(f"scene {i - 5}, revised")
                expected.add(again)
            if i % 7 == 6:  # created then deleted: nothing, or created and later deleted
                (folder / f"scene-{i:04d}.md").unlink()
                expected.discard(folder / f"scene-{i:04d}.md")

    view: dict[Path, bool] = {}  # what the app believes exists: path -> is a folder

    def on_disk() -> set[Path]:
        return {p for p in burst.rglob("*")}

    async with watching(root, debounce=0.25) as (_, rec, _known):
        await asyncio.to_thread(write_burst)
        seen = 0

        def caught_up() -> bool:
            nonlocal seen
            for change in rec.changes[seen:]:
                if change.kind is C:
                    assert change.path not in view, change
                    view[change.path] = change.is_directory
                elif change.kind is M:
                    assert change.path in view, change
                elif change.kind is D:
                    view.pop(change.path, None)
                else:
                    raise AssertionError(f"no moves in this burst: {change}")
            seen = len(rec.changes)
            return set(view) - {burst} == on_disk()

        await wait_until(caught_up, "every file's final state", rec, timeout=30)
    assert {p for p in view if not view[p]} == expected
    assert len(expected) > 850
    assert len(rec.batches) <= 60, f"{len(rec.batches)} batches for 1000 writes"


async def test_own_write_is_ignored_by_content_but_a_different_write_is_reported(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path)
    chapter, fresh = root / "manuscript" / "chapter-3.md", root / "manuscript" / "new.md"
    chapter.write_text("draft")
    async with watching(root) as (_, rec, known):
        known.remember(chapter, b"saved by the app")
        await asyncio.to_thread(write_atomic, chapter, b"saved by the app")
        known.remember(fresh, b"a new scene from the app")
        await asyncio.to_thread(write_atomic, fresh, b"a new scene from the app")
        await sentinel(root, rec)
        assert chapter not in rec.paths() and fresh not in rec.paths(), rec

        known.remember(chapter, b"saved again by the app")
        await asyncio.to_thread(write_atomic, chapter, b"saved again by the app")
        chapter.write_bytes(b"changed in another editor right after")
        await wait_until(lambda: rec.saw(M, chapter), "the other editor's change", rec)
        # Same bytes as ours written by someone else count as ours: nothing new to read.
        chapter.write_bytes(b"saved again by the app")
        await sentinel(root, rec, 1)
        assert rec.changes.count(FileChange(M, chapter)) == 1, rec


async def test_swap_backup_and_temp_files_are_ignored(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    manuscript = root / "manuscript"
    chapter = manuscript / "chapter.md"
    chapter.write_text("v1")
    litter = [
        ".chapter.md.swp",
        ".chapter.md.swx",
        "chapter.md~",
        ".#chapter.md",
        "#chapter.md#",
        "x.tmp",
        ".DS_Store",
        "big.part",
    ]
    async with watching(root) as (_, rec, _known):
        for name in litter:
            (manuscript / name).write_text("litter")
            (manuscript / name).write_text("litter again")
        for name in litter:
            (manuscript / name).unlink()
        ours = temp_path_for(chapter)
        ours.write_text("half-written")
        ours.unlink()
        # A save the way vim does it: probe file, backup by rename, write, drop the backup.
        (manuscript / "4913").write_text("")
        (manuscript / "4913").unlink()
        chapter.rename(manuscript / "chapter.md~")
        chapter.write_text("v2")
        (manuscript / "chapter.md~").unlink()
        marker = await sentinel(root, rec)
    assert rec.paths() <= {chapter, marker}, rec
    assert rec.saw(M, chapter) or (rec.saw(D, chapter) and rec.saw(C, chapter)), rec


async def test_the_session_folder_is_never_reported(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / ".session").mkdir()
    async with watching(root) as (_, rec, _known):
        (root / ".session" / "current.json").write_text("{}")
        (root / "manuscript" / ".session").mkdir()
        (root / "manuscript" / ".session" / "current.json").write_text("{}")
        marker = await sentinel(root, rec)
    assert rec.paths() == {marker}, rec


async def test_a_watched_folder_deleted_and_recreated_is_watched_again(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    planning = root / "planning"
    (planning / "outline.md").write_text("outline")
    async with watching(root) as (_, rec, _known):
        shutil.rmtree(planning)
        await wait_until(lambda: rec.saw(D, planning, is_dir=True), "folder deleted", rec)
        planning.mkdir()
        (planning / "beats.md").write_text("beats")  # may land before the new watch
        await wait_until(lambda: rec.saw(C, planning, is_dir=True), "folder created", rec)
        await wait_until(lambda: rec.saw(C, planning / "beats.md"), "file in it", rec)
        (planning / "later.md").write_text("later")
        await wait_until(lambda: rec.saw(C, planning / "later.md"), "later file", rec)
        (planning / "beats.md").write_text("beats, revised")
        await wait_until(lambda: rec.saw(M, planning / "beats.md"), "edit in new folder", rec)


async def test_a_folder_missing_at_start_is_watched_once_created(tmp_path: Path) -> None:
    root = make_project(tmp_path, ("manuscript",))
    reference = root / "reference"
    async with watching(root) as (_, rec, _known):
        reference.mkdir()
        (reference / "people.md").write_text("people")
        await wait_until(lambda: rec.saw(C, reference / "people.md"), "file in new folder", rec)
        (reference / "places.md").write_text("places")
        await wait_until(lambda: rec.saw(C, reference / "places.md"), "second file", rec)
    assert rec.saw(C, reference, is_dir=True)


async def test_a_failing_callback_does_not_stop_the_watcher(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    calls: list[list[FileChange]] = []

    def fragile(changes: list[FileChange]) -> None:
        calls.append(changes)
        if len(calls) == 1:
            raise RuntimeError("the app stumbled")

    watcher = ProjectWatcher(root, KnownContent(), fragile, debounce=0.05)
    await watcher.start()
    try:
        (root / "manuscript" / "one.md").write_text("1")
        await wait_until(lambda: len(calls) == 1, "first batch")
        (root / "manuscript" / "two.md").write_text("2")
        await wait_until(
            lambda: any(c.path.name == "two.md" for batch in calls for c in batch), "second"
        )
    finally:
        await watcher.stop()


# -- lifecycle ----------------------------------------------------------------------------


def _our_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads started since ``before``, leaving out the loop's own executor workers."""
    return [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and not t.name.startswith("asyncio")
    ]


async def test_stop_is_quick_idempotent_and_leaves_no_threads_behind(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    before = set(threading.enumerate())
    rec = Recorder()
    watcher = ProjectWatcher(root, KnownContent(), rec, debounce=0.05)
    await watcher.start()
    started = _our_threads(before)
    assert started, "the observer runs on its own threads"
    assert all(t.daemon for t in started), [t for t in started if not t.daemon]
    (root / "manuscript" / "a.md").write_text("a")
    await wait_until(lambda: rec.saw(C, root / "manuscript" / "a.md"), "a.md", rec)

    await asyncio.wait_for(watcher.stop(), 5)
    await asyncio.wait_for(watcher.stop(), 5)
    assert not watcher.running
    assert _our_threads(before) == []

    # Written while stopped: never reported. Start again: watching works as before.
    (root / "manuscript" / "while-stopped.md").write_text("unseen")
    await watcher.start()
    try:
        (root / "manuscript" / "b.md").write_text("b")
        await wait_until(lambda: rec.saw(C, root / "manuscript" / "b.md"), "b.md", rec)
        assert root / "manuscript" / "while-stopped.md" not in rec.paths()
    finally:
        await asyncio.wait_for(watcher.stop(), 5)
    assert _our_threads(before) == []


async def test_stop_delivers_changes_still_waiting_for_the_debounce(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    rec = Recorder()
    watcher = ProjectWatcher(root, KnownContent(), rec, debounce=60)
    await watcher.start()
    try:
        (root / "planning" / "last-minute.md").write_text("saved just before quitting")
        await wait_until(lambda: watcher.pending == 1, "the change to be seen", rec)
        assert rec.batches == []
    finally:
        await asyncio.wait_for(watcher.stop(), 5)
    assert rec.batches == [[FileChange(C, root / "planning" / "last-minute.md")]]


async def test_bad_project_or_folder_names_are_refused_clearly(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-project"
    watcher = ProjectWatcher(missing, KnownContent(), Recorder())
    try:
        await watcher.start()
    except FileNotFoundError as exc:
        assert str(missing) in str(exc)
    else:
        raise AssertionError("a missing project folder must be refused")
    assert not watcher.running
    try:
        ProjectWatcher(tmp_path, KnownContent(), Recorder(), folders=("manuscript", "../up"))
    except ValueError as exc:
        assert "../up" in str(exc)
    else:
        raise AssertionError("a folder outside the project must be refused")


async def test_overlapping_starts_and_stops_leave_one_clean_state(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    before = set(threading.enumerate())
    rec = Recorder()
    watcher = ProjectWatcher(root, KnownContent(), rec, debounce=0.05)
    await asyncio.gather(watcher.start(), watcher.start())
    (root / "manuscript" / "once.md").write_text("once")
    await wait_until(lambda: rec.saw(C, root / "manuscript" / "once.md"), "once.md", rec)
    await sentinel(root, rec)
    # One observer, not two: the file was reported exactly once.
    assert rec.changes.count(FileChange(C, root / "manuscript" / "once.md")) == 1
    await asyncio.wait_for(asyncio.gather(watcher.stop(), watcher.stop()), 10)
    assert not watcher.running
    assert _our_threads(before) == []
