"""The snapshot repository on real files: commits stock git reads, dedup, triggers, restore,
rollback chains, migration of the earlier versions/ copies, hostile input."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from writers_factory.store import Session
from writers_factory.store.manuscript.versions import save_version
from writers_factory.store.snapshots.capture import CapturedFile
from writers_factory.store.snapshots.migrate import migrate_versions
from writers_factory.store.snapshots.reading import (
    file_text,
    files_of,
    history_of,
    resolve,
    walk,
)
from writers_factory.store.snapshots.repository import SnapshotError
from writers_factory.store.snapshots.restore import (
    project_path,
    restore_file,
    rollback_session,
    session_files,
)
from writers_factory.store.snapshots.taker import Snapshotter
from writers_factory.store.snapshots.triggers import Trigger

GIT = shutil.which("git")


def git(project: Path, *args: str) -> str:
    assert GIT is not None
    repo = project / ".session" / "snapshots.git"
    out = subprocess.run(
        [GIT, f"--git-dir={repo}", *args], capture_output=True, text=True, check=True
    )
    return out.stdout


def make_project(tmp_path: Path) -> Path:
    project = tmp_path / "novel"
    (project / "manuscript").mkdir(parents=True)
    (project / "planning").mkdir()
    (project / "manuscript" / "chapter-01.md").write_text("It was a dark night.\n")
    (project / "manuscript" / "chapter-02.md").write_text("Morning came.\n")
    (project / "planning" / "outline.md").write_text("- beginning\n")
    Session(project).close_sync()
    return project


def test_first_snapshot_is_a_commit_stock_git_reads(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    info = Snapshotter(project).take(Trigger.SESSION_START)
    assert info is not None and info.parent is None
    assert info.meta.total_words == 5 + 2 + 1
    assert set(info.meta.changed) == {
        "manuscript/chapter-01.md",
        "manuscript/chapter-02.md",
        "planning/outline.md",
    }
    if GIT is not None:
        assert git(project, "rev-parse", "HEAD").strip() == info.id
        assert git(project, "show", "HEAD:manuscript/chapter-01.md") == "It was a dark night.\n"
        assert "current.json" in git(project, "ls-tree", "-r", "--name-only", "HEAD")
        git(project, "fsck", "--strict", "--no-dangling")
    assert not (project / ".git").exists()  # the project's own repository stays untouched


def test_autosave_records_only_when_the_book_changed_and_dedups(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    taker = Snapshotter(project)
    first = taker.take(Trigger.SESSION_START)
    assert first is not None
    (project / ".session" / "current.json").write_text("{}")  # session alone: no snapshot
    assert taker.take(Trigger.AUTOSAVE) is None
    (project / "manuscript" / "chapter-02.md").write_text("Morning came at last, grey.\n")
    second = taker.take(Trigger.AUTOSAVE)
    assert second is not None and second.parent == first.id
    assert set(second.meta.changed) == {"manuscript/chapter-02.md"}
    words = second.meta.changed["manuscript/chapter-02.md"]
    assert (words.words, words.added, words.removed) == (5, 3, 0)
    assert (
        files_of(taker.repository, first.id)["manuscript/chapter-01.md"]
        == files_of(taker.repository, second.id)["manuscript/chapter-01.md"]
    )
    # a fresh snapshotter (another process) sees the same head and the same rule
    assert Snapshotter(project).take(Trigger.AUTOSAVE) is None
    manual = Snapshotter(project).take(Trigger.MANUAL, message="end of part one")
    assert manual is not None and manual.meta.message == "end of part one"
    assert [i.meta.trigger for i in walk(taker.repository)] == [
        "manual",
        "autosave",
        "session-start",
    ]


def test_deleted_file_and_unsaved_text_overrides(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    taker = Snapshotter(project)
    taker.take(Trigger.SESSION_START)
    (project / "manuscript" / "chapter-02.md").unlink()
    gone = taker.take(Trigger.AUTOSAVE)
    assert gone is not None and gone.meta.changed["manuscript/chapter-02.md"].deleted
    on_screen = taker.take(
        Trigger.AI_REWRITE, overrides={"manuscript/chapter-01.md": "Unsaved words on screen.\n"}
    )
    assert on_screen is not None
    repo = taker.repository
    assert file_text(repo, on_screen.id, "manuscript/chapter-01.md") == "Unsaved words on screen.\n"
    history = history_of(repo, "manuscript/chapter-02.md")
    assert [i.meta.trigger for i in history] == ["autosave", "session-start"]
    assert file_text(repo, history[-1].id, "manuscript/chapter-02.md") == "Morning came.\n"


def test_restore_snapshots_the_present_first_and_never_rewrites_history(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    taker = Snapshotter(project)
    first = taker.take(Trigger.SESSION_START)
    assert first is not None
    chapter = project / "manuscript" / "chapter-01.md"
    chapter.write_text("A rewrite I will regret.\n")
    restored = restore_file(project, first.id[:8], "manuscript/chapter-01.md")
    assert chapter.read_text() == "It was a dark night.\n"
    assert restored.kept is not None and restored.kept.meta.trigger == "before-restore"
    repo = taker.repository
    assert file_text(repo, restored.kept.id, "manuscript/chapter-01.md") == (
        "A rewrite I will regret.\n"
    )
    ids = [i.id for i in walk(repo)]
    assert ids[-1] == first.id and restored.kept.id == ids[0]  # only ever moves forward
    # and the restore itself can be undone the same way
    restore_file(project, restored.kept.id, "manuscript/chapter-01.md")
    assert chapter.read_text() == "A rewrite I will regret.\n"


def test_paths_outside_the_book_are_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    Snapshotter(project).take(Trigger.MANUAL, message="x")
    for bad in ("../outside.md", ".session/current.json", "/etc/passwd", "manuscript"):
        with pytest.raises(SnapshotError):
            project_path(project, bad)
    (project / "manuscript" / "link").symlink_to(tmp_path)
    with pytest.raises(SnapshotError, match="outside the project"):
        project_path(project, "manuscript/link/x.md")
    with pytest.raises(SnapshotError, match="no snapshot"):
        resolve(Snapshotter(project).repository, "abcdef12")
    with pytest.raises(SnapshotError, match="not a snapshot id"):
        resolve(Snapshotter(project).repository, "not-an-id")


def test_rollback_chain_brings_back_stage_files_and_preferences(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    states = []
    for stage, opened in (
        ("writing", ["manuscript/chapter-01.md"]),
        ("enhancing", ["manuscript/chapter-02.md", "planning/outline.md"]),
        ("scoring", []),
    ):
        session = Session(project)
        session.set_stage(stage)
        for item in list(session.data.open_files):
            session.close_file(item.path)
        for path in opened:
            session.open_file(path, 3, 1)
        session.close_sync()
        info = Snapshotter(project).take(Trigger.MANUAL, message=stage)
        assert info is not None
        states.append(info)
    first = rollback_session(project, states[0].id)
    assert first.kept is not None and first.kept.meta.trigger == "before-rollback"
    data = json.loads((project / ".session" / "current.json").read_text())
    assert data["current_state"]["stage"] == "writing"
    assert [f["path"] for f in data["open_files"]] == ["manuscript/chapter-01.md"]
    # roll back the rollback: the state it replaced was recorded first
    again = rollback_session(project, first.kept.id)
    assert again.stage == "scoring" and again.open_files == []
    second = rollback_session(project, states[1].id)
    assert second.open_files == ["manuscript/chapter-02.md", "planning/outline.md"]
    triggers = [i.meta.trigger for i in walk(Snapshotter(project).repository)]
    assert triggers[:3] == ["before-rollback"] * 3


def test_rollback_refuses_a_snapshot_whose_session_file_does_not_match(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    taker = Snapshotter(project)
    info = taker.take(Trigger.MANUAL, message="state")
    assert info is not None
    meta = info.meta.model_copy(deep=True)
    meta.session_sha256 = {k: "0" * 64 for k in meta.session_sha256}
    with taker.repository.writing():
        bad = taker._commit(
            {p: CapturedFile(p, b, None) for p, b in files_of(taker.repository, info.id).items()},
            info.id,
            meta,
        )
    before = (project / ".session" / "current.json").read_bytes()
    with pytest.raises(SnapshotError, match="checksum"):
        session_files(taker, bad)
    with pytest.raises(SnapshotError, match="checksum"):
        rollback_session(project, bad)
    assert (project / ".session" / "current.json").read_bytes() == before


def test_a_damaged_object_is_named_not_used(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    taker = Snapshotter(project)
    info = taker.take(Trigger.MANUAL, message="x")
    assert info is not None
    blob = files_of(taker.repository, info.id)["manuscript/chapter-01.md"]
    loose = project / ".session" / "snapshots.git" / "objects" / blob[:2] / blob[2:]
    import zlib

    loose.chmod(0o600)
    loose.write_bytes(zlib.compress(b"blob 5\0evil!"))
    with pytest.raises(SnapshotError, match=r"checksum|damaged"):
        file_text(Snapshotter(project).repository, info.id, "manuscript/chapter-01.md")


def test_versions_are_migrated_once_and_removed_only_after(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    save_version(project, "manuscript/chapter-01.md", "The very first draft.\n")
    save_version(project, "manuscript/chapter-01.md", "The second draft.\n")
    taker = Snapshotter(project)
    assert migrate_versions(taker) == 2
    assert migrate_versions(taker) == 0
    repo = taker.repository
    infos = list(walk(repo))
    assert [i.meta.trigger for i in infos] == ["migrated-version"] * 3
    texts = [file_text(repo, i.id, "manuscript/chapter-01.md") for i in reversed(infos)]
    assert texts == ["The very first draft.\n", "The second draft.\n", "It was a dark night.\n"]
    assert infos[0].meta.total_words == 5 + 2 + 1  # counted afresh after migrated versions
    assert not [p for p in (project / ".session" / "versions").rglob("*") if p.is_file()]
    if GIT is not None:
        git(project, "fsck", "--strict")


def test_a_large_first_snapshot_is_one_pack_that_stock_git_and_a_new_reader_read(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path)
    for n in range(60):
        (project / "manuscript" / f"part-{n:02d}.md").write_text(f"Part {n} begins here.\n")
    info = Snapshotter(project).take(Trigger.SESSION_START)
    assert info is not None
    packs = list((project / ".session" / "snapshots.git" / "objects" / "pack").glob("*.pack"))
    assert len(packs) == 1 and packs[0].with_suffix(".idx").is_file()
    fresh = Snapshotter(project)  # another process: only the files on disk
    assert file_text(fresh.repository, info.id, "manuscript/part-07.md") == "Part 7 begins here.\n"
    (project / "manuscript" / "part-07.md").write_text("Part 7, rewritten.\n")
    second = fresh.take(Trigger.AUTOSAVE)
    assert second is not None and set(second.meta.changed) == {"manuscript/part-07.md"}
    if GIT is not None:
        git(project, "fsck", "--strict", "--no-dangling")
        assert git(project, "show", "HEAD~1:manuscript/part-07.md") == "Part 7 begins here.\n"


def test_total_words_follow_the_book_across_processes(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    Snapshotter(project).take(Trigger.SESSION_START)
    chapter = project / "manuscript" / "chapter-01.md"
    chapter.write_text("It was a dark and stormy night, and cold.\n")
    (project / "planning" / "outline.md").unlink()
    info = Snapshotter(project).take(Trigger.AUTOSAVE)  # a new process: totals from the parent
    assert info is not None
    assert info.meta.total_words == 9 + 2
    assert Snapshotter(project).take(Trigger.MANUAL, message="same").meta.total_words == 11  # type: ignore[union-attr]


def test_loose_objects_are_packed_with_deltas_that_stock_git_and_a_new_reader_read(
    tmp_path: Path,
) -> None:
    """Many small snapshots: their loose objects become one pack of deltas, smaller than the
    loose objects were, and every snapshot reads back exactly, by git and by a new reader."""
    from writers_factory.store.snapshots.repository import LOOSE_LIMIT

    project = make_project(tmp_path)
    chapters = [project / "manuscript" / f"chapter-{n:02d}.md" for n in range(1, 3)]
    for n in range(3, 40):
        chapters.append(project / "manuscript" / f"chapter-{n:02d}.md")
        chapters[-1].write_text(f"Chapter {n}.\n" + "The tide came in. " * 300 + "\n")
    taker = Snapshotter(project)
    assert taker.take(Trigger.SESSION_START) is not None
    objects = project / ".session" / "snapshots.git" / "objects"
    first_packs = set((objects / "pack").glob("*.pack"))
    expected: dict[str, str] = {}
    loose_bytes = 0
    for i in range(LOOSE_LIMIT // 4 + 2):  # about 4 objects a snapshot: one pack on the way
        chapter = chapters[i % 7]
        chapter.write_text(chapter.read_text() + f"A new line, the {i}th.\n")
        before = sum(p.stat().st_size for p in objects.glob("??/*"))
        info = taker.take(Trigger.AUTOSAVE)
        assert info is not None
        loose_bytes += max(0, sum(p.stat().st_size for p in objects.glob("??/*")) - before)
        expected[info.id] = chapter.read_text()
        expected[info.id + ":" + chapter.name] = chapter.name
    [packed_loose] = set((objects / "pack").glob("*.pack")) - first_packs
    fresh = Snapshotter(project).repository
    for ident in [k for k in expected if ":" not in k]:
        name = next(v for k, v in expected.items() if k.startswith(ident + ":"))
        assert file_text(fresh, ident, f"manuscript/{name}") == expected[ident]
    if GIT is not None:
        git(project, "fsck", "--strict", "--no-dangling")
        assert len(git(project, "log", "--format=%H").split()) == len(expected) // 2 + 1
        verified = git(project, "verify-pack", "-v", str(packed_loose))
        assert "chain length = 1" in verified  # deltas, each against the version before
    packed = packed_loose.stat().st_size
    assert packed < loose_bytes / 2


def test_a_fresh_snapshotter_holds_no_unchanged_file_while_comparing(tmp_path: Path) -> None:
    """An app's first snapshot (nothing cached yet) reads every file to hash it; the ones
    the parent snapshot has are let go at once, not held together (the whole book was:
    3.2 MB for a long novel, at every start). Bytes the interpreter allocates, counted by
    it, not the machine's memory."""
    import tracemalloc

    project = make_project(tmp_path)
    for n in range(40):
        (project / "manuscript" / f"part-{n:02d}.md").write_text("The tide came in. " * 2000)
    book = sum(p.stat().st_size for p in (project / "manuscript").iterdir())
    assert Snapshotter(project).take(Trigger.SESSION_START) is not None
    fresh = Snapshotter(project)
    tracemalloc.start()
    try:
        assert fresh.take(Trigger.SESSION_START) is None  # nothing changed
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < book / 4
    (project / "manuscript" / "part-07.md").write_text("The tide went out.\n")
    info = Snapshotter(project).take(Trigger.AUTOSAVE)
    assert info is not None and set(info.meta.changed) == {"manuscript/part-07.md"}
    words = info.meta.changed["manuscript/part-07.md"]
    assert (words.words, words.added, words.removed) == (4, 2, 7998)  # old text from the repo


def test_an_incremental_snapshot_looks_up_only_its_new_objects_on_disk(tmp_path: Path) -> None:
    """An auto-save's snapshot with one chapter changed runs beside the writer's typing: it
    looked every file of the book up in the repository again (a stat and a pack search per
    chapter, each holding the interpreter lock). Objects never leave a repository, so what
    was found once is known; only the new blob, trees and commit are looked for."""
    project = make_project(tmp_path)
    for n in range(40):
        (project / "manuscript" / f"part-{n:02d}.md").write_text(f"Part {n} begins.\n")
    assert Snapshotter(project).take(Trigger.SESSION_START) is not None
    snapshotter = Snapshotter(project)  # the next run of the app: the book is in the repository
    (project / "manuscript" / "part-07.md").write_text("Part 7 begins again.\n")
    assert snapshotter.take(Trigger.AUTOSAVE) is not None  # the first pass finds every file
    repository = snapshotter.repository
    for n in (11, 23):
        (project / "manuscript" / f"part-{n:02d}.md").write_text(f"Part {n}, rewritten.\n")
        before = repository.disk_lookups
        info = snapshotter.take(Trigger.AUTOSAVE)
        assert info is not None and set(info.meta.changed) == {f"manuscript/part-{n:02d}.md"}
        # the new blob, the manuscript and root trees, the commit (a 46-file book: 46 before)
        assert repository.disk_lookups - before <= 8
    fresh = Snapshotter(project)  # what was written is what a new reader finds
    assert file_text(fresh.repository, repository.head() or "", "manuscript/part-23.md") == (
        "Part 23, rewritten.\n"
    )
