"""Paths from disk state stay inside the project; links and permissions are respected.

Real files, real links and real permissions in temp folders. Every path the store reads
from a file (``current.json``, journal entries, trash, versions, workflow and conversation
records) is resolved with links followed and dropped, with a message naming the file and the
entry, when it leads outside the project; a chapter that is a link is saved through it; a
chapter the writer made read-only is never overwritten.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from writers_factory.ai.analysis import chapter_files
from writers_factory.ai.conversations import ConversationError, ConversationStore
from writers_factory.ai.workflows import find_unfinished, new_workflow, save_workflow_sync
from writers_factory.project import create_project
from writers_factory.store import Session
from writers_factory.store.base.paths import OutsideProjectError, inside_project
from writers_factory.store.manuscript import trash
from writers_factory.store.manuscript.buffers import (
    FileBuffer,
    ReadOnlyFileError,
    is_copy,
    text_sha256,
)
from writers_factory.store.manuscript.journal import Journal
from writers_factory.store.manuscript.recovery import assess_all
from writers_factory.store.manuscript.versions import list_versions, save_version

pytestmark = pytest.mark.reliability

SECRET = "the neighbour's notes\n"


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The usual umask, so a folder made without care would be 0755."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return create_project(tmp_path / "book", "Book", sample=True)


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A file beside the project that nothing of the project may read or write."""
    (tmp_path / "elsewhere").mkdir()
    notes = tmp_path / "elsewhere" / "notes.txt"
    notes.write_text(SECRET)
    return notes


CHAPTER = "manuscript/chapter-01.md"


# -- the one rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["../../elsewhere/notes.txt", "../elsewhere/notes.txt", "/etc/shadow", ".session/lock.json"],
)
def test_paths_leading_outside_are_refused_naming_where(project: Path, value: str) -> None:
    with pytest.raises(OutsideProjectError) as caught:
        inside_project(project, value, where="current.json › open_files[2]")
    assert str(caught.value).startswith(f"current.json › open_files[2]: {value} ")


def test_absolute_and_linked_paths(project: Path, elsewhere: Path) -> None:
    assert inside_project(project, project / CHAPTER) == (project / CHAPTER).resolve()
    (project / "manuscript" / "out.md").symlink_to(elsewhere)
    with pytest.raises(OutsideProjectError, match="leads outside the project"):
        inside_project(project, "manuscript/out.md")
    with pytest.raises(OutsideProjectError, match="leads outside the project"):
        inside_project(project, elsewhere)
    (project / "drafts").symlink_to(project / "manuscript")
    assert inside_project(project, "drafts/chapter-01.md") == (project / CHAPTER).resolve()


# -- current.json ----------------------------------------------------------------------------


def test_open_files_leading_outside_are_dropped_and_named(project: Path, elsewhere: Path) -> None:
    Session(project).close_sync()
    current = project / ".session" / "current.json"
    raw = json.loads(current.read_text())
    raw["open_files"] = [
        {"path": CHAPTER},
        {"path": "../../elsewhere/notes.txt"},
        {"path": str(elsewhere)},
        {"path": "/etc/shadow"},
        {"path": str(project / "planning" / "outline.md")},
    ]
    raw["active_file"] = "/etc/shadow"
    current.write_text(json.dumps(raw))
    session = Session(project)
    assert [f.path for f in session.data.open_files] == [CHAPTER, "planning/outline.md"]
    assert session.data.active_file == "planning/outline.md"
    said = [p.describe() for p in session.problems]
    assert (
        f"{current} › open_files[1]: ../../elsewhere/notes.txt leads outside the project "
        "— not opened"
    ) in said
    assert f"{current} › open_files[3]: /etc/shadow leads outside the project — not opened" in said
    assert any(f"open_files[2]: {elsewhere}" in s for s in said)
    assert any("active_file: /etc/shadow" in s for s in said)
    session.close_sync()
    kept = json.loads(current.read_text())
    assert [f["path"] for f in kept["open_files"]] == [CHAPTER, "planning/outline.md"]
    assert elsewhere.read_text() == SECRET


# -- journal, trash, versions, workflows, conversations ---------------------------------------


def test_a_journal_entry_leading_outside_is_never_offered(project: Path, elsewhere: Path) -> None:
    journal = Journal(project)
    journal.write(project / CHAPTER, "mine", text_sha256("x"))
    [file] = (project / ".session" / "journal").iterdir()
    raw = json.loads(file.read_text())
    raw["path"] = "../../elsewhere/notes.txt"
    file.write_text(json.dumps(raw))
    items, problems = assess_all(journal)
    assert items == []
    [problem] = problems
    assert problem.file == file
    assert "path: ../../elsewhere/notes.txt leads outside the project" in problem.describe()
    with pytest.raises(OutsideProjectError):
        journal.write(Path("../../elsewhere/notes.txt"), "x", None)
    assert elsewhere.read_text() == SECRET


def test_record_files_linked_outside_their_folder_are_not_read(
    project: Path, tmp_path: Path
) -> None:
    journal = Journal(project)
    journal.write(project / CHAPTER, "mine", None)
    [file] = (project / ".session" / "journal").iterdir()
    outside = tmp_path / "entry.json"
    file.rename(outside)
    file.symlink_to(outside)
    entries, [problem] = journal.entries()
    assert entries == [] and problem.file == file
    assert "leads outside the journal folder; not read" in problem.describe()
    record = new_workflow("enhance_chapter", {"chapter": "x", "path": CHAPTER}, "m")
    save_workflow_sync(project / ".session", record)
    stored = project / ".session" / "workflows" / f"{record.id}.json"
    stored.rename(tmp_path / "workflow.json")
    stored.symlink_to(tmp_path / "workflow.json")
    problems: list[str] = []
    assert find_unfinished(project / ".session", problems) == []
    assert problems == [f"{stored}: leads outside the workflows folder; not read"]


def test_a_journal_timestamp_without_zone_reads_as_utc(project: Path) -> None:
    journal = Journal(project)
    journal.write(project / CHAPTER, "mine", None, now=datetime(2026, 11, 1, 9, tzinfo=UTC))
    [file] = (project / ".session" / "journal").iterdir()
    raw = json.loads(file.read_text())
    raw["journaled_at"] = "2026-11-01T09:00:00"
    file.write_text(json.dumps(raw))
    [entry], _ = journal.entries()
    assert entry.journaled_at == datetime(2026, 11, 1, 9, tzinfo=UTC)


def test_trash_never_restores_from_or_to_outside(project: Path, elsewhere: Path) -> None:
    stored = trash.move_to_trash(project, Path(CHAPTER))
    stored.unlink()
    stored.symlink_to(elsewhere)  # a trash record that is a link to someone else's file
    [entry] = trash.list_trash(project)
    with pytest.raises(trash.TrashError, match="leads outside the trash — not restored"):
        trash.restore(project, entry)
    assert not (project / CHAPTER).exists()
    stored.unlink()
    stored.write_text("chapter one")
    manuscript = project / "manuscript"
    manuscript.rename(project / "old")
    manuscript.symlink_to(elsewhere.parent)  # its old folder now leads elsewhere
    with pytest.raises(trash.TrashError, match=f"› {CHAPTER}: {CHAPTER} leads outside"):
        trash.restore(project, entry)
    assert sorted(p.name for p in elsewhere.parent.iterdir()) == ["notes.txt"]


def test_trash_and_versions_are_private(project: Path) -> None:
    stored = trash.move_to_trash(project, Path(CHAPTER))
    trash_root = project / ".session" / "trash"
    for folder in (trash_root, stored.parent.parent, stored.parent):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    assert stored.stat().st_mode & 0o777 == 0o600
    version = save_version(project, "planning/outline.md", "an outline")
    assert version.parent.stat().st_mode & 0o777 == 0o700
    assert version.parent.parent.stat().st_mode & 0o777 == 0o700
    assert version.stat().st_mode & 0o777 == 0o600


def test_journal_set_aside_folders_are_private(project: Path) -> None:
    journal = Journal(project)
    journal.write(project / CHAPTER, "mine", None)
    kept = journal.set_aside_entry(project / CHAPTER)
    assert kept is not None
    assert kept.parent.stat().st_mode & 0o777 == 0o700
    assert kept.parent.parent.stat().st_mode & 0o777 == 0o700
    journal.write(project / CHAPTER, "more", None)
    moved = journal.set_aside()
    assert moved is not None
    assert (project / ".session" / "journal").stat().st_mode & 0o777 == 0o700


def test_a_version_that_is_a_link_outside_is_not_listed(project: Path, elsewhere: Path) -> None:
    kept = save_version(project, CHAPTER, "kept")
    (kept.parent / "20990101T000000.000000Z.md").symlink_to(elsewhere)
    assert [v.stored_at for v in list_versions(project, CHAPTER)] == [kept]


def test_a_workflow_target_leading_outside_is_refused(project: Path) -> None:
    record = new_workflow("enhance_chapter", {"chapter": "x", "path": "../../x.md"}, "m")
    save_workflow_sync(project / ".session", record)
    with pytest.raises(OutsideProjectError) as caught:
        record.target_in(project)
    assert str(caught.value) == (
        f"workflows/{record.id}.json › inputs.path: ../../x.md leads outside the project"
    )
    record.inputs["path"] = CHAPTER
    assert record.target_in(project) == Path(CHAPTER)


def test_a_conversation_file_linked_outside_is_not_read(project: Path, tmp_path: Path) -> None:
    store = ConversationStore(project / ".session")
    conv = store.new("talk", "writing", "m")
    outside = tmp_path / "conversation.json"
    store.path_of(conv.id).rename(outside)
    store.path_of(conv.id).symlink_to(outside)
    with pytest.raises(ConversationError, match="leads outside the conversations folder"):
        ConversationStore(project / ".session").open(conv.id)
    assert ConversationStore(project / ".session").list() == []


# -- chapters that are links, chapters made read-only ----------------------------------------


def test_a_linked_chapter_is_saved_through_its_link(project: Path) -> None:
    target = project / "drafts" / "real.md"
    target.parent.mkdir()
    target.write_text("old")
    link = project / "manuscript" / "linked.md"
    link.symlink_to(Path("../drafts/real.md"))
    buffer, text = FileBuffer.load(link, project=project)
    assert (text, buffer.read_only_reason) == ("old", None)
    buffer.save("new words")
    assert link.is_symlink() and os.readlink(link) == "../drafts/real.md"
    assert target.read_text() == "new words"
    buffer.save("newer words")  # the hash follows the target: no false conflict
    assert target.read_text() == "newer words"


def test_a_chapter_linked_outside_is_read_only(project: Path, elsewhere: Path) -> None:
    link = project / "manuscript" / "borrowed.md"
    link.symlink_to(elsewhere)
    buffer, text = FileBuffer.load(link, project=project)
    assert text == SECRET
    assert buffer.read_only_reason is not None
    assert "manuscript/borrowed.md" in buffer.read_only_reason
    assert "leads outside the project; opened read-only" in buffer.read_only_reason
    with pytest.raises(OutsideProjectError):
        buffer.save("typed over it")
    assert link.is_symlink() and elsewhere.read_text() == SECRET


def test_a_read_only_chapter_is_not_overwritten_and_a_copy_is_not_a_chapter(
    project: Path,
) -> None:
    chapter = project / CHAPTER
    before = chapter.read_text()
    os.chmod(chapter, 0o444)
    buffer, _ = FileBuffer.load(chapter, project=project)
    with pytest.raises(ReadOnlyFileError, match=f"{chapter} is read-only"):
        buffer.save("new words")
    with pytest.raises(ReadOnlyFileError):
        buffer.keep_mine("new words")
    assert chapter.read_text() == before and chapter.stat().st_mode & 0o777 == 0o444
    copy = buffer.write_copy("new words", datetime(2026, 12, 1, 21, 5))
    copies = project / "planning" / "copies"
    assert copy.path == copies / "chapter-01 (my copy 2026-12-01 2105).md"
    assert copy.path.read_text() == "new words" and is_copy(copy.path)
    again = buffer.write_copy("more", datetime(2026, 12, 1, 21, 5))
    assert again.path.name == "chapter-01 (my copy 2026-12-01 2105) 2.md" and is_copy(again.path)
    assert chapter_files(project / "manuscript") == [chapter]


def test_no_copy_is_written_into_a_folder_linked_outside(project: Path, elsewhere: Path) -> None:
    (project / "shared").symlink_to(elsewhere.parent)
    buffer, _ = FileBuffer.load(project / "shared" / "notes.txt", project=project)
    assert buffer.read_only_reason is not None
    copy = buffer.write_copy("mine", datetime(2026, 12, 1, 21, 5))  # into planning/copies/
    assert copy.path.parent == project / "planning" / "copies"
    assert sorted(p.name for p in elsewhere.parent.iterdir()) == ["notes.txt"]
    # the copies folder itself linked outside: refused, nothing written there
    for old in copy.path.parent.iterdir():
        old.unlink()
    copy.path.parent.rmdir()
    copy.path.parent.symlink_to(elsewhere.parent)
    with pytest.raises(OutsideProjectError, match="leads outside the project"):
        buffer.write_copy("mine", datetime(2026, 12, 1, 21, 5))
    assert sorted(p.name for p in elsewhere.parent.iterdir()) == ["notes.txt"]
