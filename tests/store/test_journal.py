"""The recovery journal on real files: write, read, discard by revision, set aside."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from writers_factory.store.manuscript.buffers import text_sha256
from writers_factory.store.manuscript.journal import Journal
from writers_factory.store.manuscript.recovery import Newer, assess, diff_size

T0 = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "chapter-1.md").write_text("Line one.\n")
    return tmp_path


def test_write_then_read_back(project: Path) -> None:
    journal = Journal(project)
    chapter = project / "manuscript" / "chapter-1.md"
    journal.write(chapter, "Line one.\nLine two.\n", text_sha256("Line one.\n"), cursor=(1, 9))
    entries, problems = journal.entries()
    assert problems == []
    [entry] = entries
    assert entry.path == "manuscript/chapter-1.md"
    assert entry.text == "Line one.\nLine two.\n"
    assert entry.base_sha256 == text_sha256("Line one.\n")
    assert (entry.cursor_line, entry.cursor_col) == (1, 9)
    assert journal.get(chapter) == entry
    # human-readable JSON with a schema version, in .session/journal/
    [file] = list((project / ".session" / "journal").iterdir())
    raw = json.loads(file.read_text())
    assert raw["schema_version"] == 2 and raw["text"] == "Line one.\nLine two.\n"
    assert "chapter-1.md" in file.name


def test_later_write_replaces_earlier(project: Path) -> None:
    journal = Journal(project)
    chapter = project / "manuscript" / "chapter-1.md"
    journal.write(chapter, "a", None)
    journal.write(chapter, "ab", None)
    entries, _ = journal.entries()
    assert [e.text for e in entries] == ["ab"]


def test_paths_that_collide_as_slugs_get_separate_entries(project: Path) -> None:
    journal = Journal(project)
    journal.write(project / "a b.md", "one", None)
    journal.write(project / "a_b.md", "two", None)
    entries, _ = journal.entries()
    assert sorted(e.text for e in entries) == ["one", "two"]


def test_file_outside_project_is_refused(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = tmp_path_factory.mktemp("elsewhere") / "x.md"
    with pytest.raises(ValueError, match="outside the project"):
        Journal(project).write(other, "x", None)


def test_a_save_discards_entries_at_or_below_its_revision_only(project: Path) -> None:
    journal = Journal(project)
    chapter = project / "manuscript" / "chapter-1.md"
    journal.write(chapter, "typed after the save began", None, document="d1", revision=7)
    assert journal.discard_through(chapter, "d1", 6) is False  # the save was of revision 6
    assert journal.get(chapter) is not None
    assert journal.discard_through(chapter, "other", 9) is False  # another document's entry
    assert journal.get(chapter) is not None
    assert journal.discard_through(chapter, "d1", 7) is True
    assert journal.get(chapter) is None
    assert journal.discard_through(chapter, "d1", 8) is False  # nothing left


def test_a_write_that_lands_after_the_save_of_its_revision_is_refused(project: Path) -> None:
    """The thread writing revision 5 may finish after the save of revision 5 discarded:
    the old text must not come back as an entry."""
    journal = Journal(project)
    chapter = project / "manuscript" / "chapter-1.md"
    journal.discard_through(chapter, "d1", 5)
    assert journal.write(chapter, "older", None, document="d1", revision=5) is None
    assert journal.write(chapter, "older", None, document="d1", revision=4) is None
    assert journal.get(chapter) is None
    assert journal.write(chapter, "newer", None, document="d1", revision=6) is not None
    assert journal.write(chapter, "another doc", None, document="d2", revision=1) is not None


def test_version_1_entries_read_with_no_document_and_revision_0(project: Path) -> None:
    journal = Journal(project)
    journal.folder.mkdir(parents=True)
    journal.entry_file(Path("manuscript/chapter-1.md")).write_text(
        json.dumps(
            {
                "schema_version": 1,
                "path": "manuscript/chapter-1.md",
                "text": "old",
                "journaled_at": T0.isoformat(),
            }
        )
    )
    entry = journal.get(Path("manuscript/chapter-1.md"))
    assert entry is not None and (entry.document, entry.revision) == ("", 0)
    assert journal.discard_through(Path("manuscript/chapter-1.md"), "", 0) is True


def test_unreadable_entries_are_reported_with_file_and_field_and_left_alone(
    project: Path,
) -> None:
    journal = Journal(project)
    journal.write(project / "manuscript" / "chapter-1.md", "good", None)
    bad_json = journal.folder / "broken.json"
    bad_json.write_text("{not json")
    missing_field = journal.folder / "nofield.json"
    missing_field.write_text(
        json.dumps({"schema_version": 1, "path": "x.md", "journaled_at": T0.isoformat()})
    )
    newer = journal.folder / "future.json"
    newer.write_text(
        json.dumps(
            {"schema_version": 99, "path": "y.md", "text": "t", "journaled_at": T0.isoformat()}
        )
    )
    entries, problems = journal.entries()
    assert [e.text for e in entries] == ["good"]
    messages = {p.file.name: p.message for p in problems}
    assert "invalid JSON" in messages["broken.json"]
    assert "field text" in messages["nofield.json"]
    assert "schema_version" in messages["future.json"]
    assert bad_json.exists() and missing_field.exists() and newer.exists()


def test_assess_journal_newer_with_diff_size(project: Path) -> None:
    journal = Journal(project)
    chapter = project / "manuscript" / "chapter-1.md"
    os.utime(chapter, ((T0 - timedelta(minutes=5)).timestamp(),) * 2)
    entry = journal.write(chapter, "Line one.\nLine two!\n", text_sha256("Line one.\n"), now=T0)
    assert entry is not None
    result = assess(project, entry)
    assert result.newer is Newer.JOURNAL
    assert result.diff.added == len("Line two!\n") and result.diff.removed == 0
    assert result.diff.describe() == "+10 −0 characters"


def test_assess_file_changed_since_the_entrys_base(project: Path) -> None:
    journal = Journal(project)
    chapter = project / "manuscript" / "chapter-1.md"
    entry = journal.write(chapter, "Old draft\n", text_sha256("Line one.\n"), now=T0)
    assert entry is not None
    chapter.write_text("Saved elsewhere later\n")
    # the file's time says nothing: an older mtime (a copy, a sync tool) changes nothing
    os.utime(chapter, ((T0 - timedelta(days=5)).timestamp(),) * 2)
    result = assess(project, entry)
    assert result.newer is Newer.FILE and result.both_shown and result.default is None
    chapter.unlink()
    assert assess(project, entry).newer is Newer.FILE_DELETED


def test_assess_same_and_missing(project: Path) -> None:
    journal = Journal(project)
    chapter = project / "manuscript" / "chapter-1.md"
    same = journal.write(chapter, "Line one.\n", None, now=T0)
    assert same is not None
    assert assess(project, same).newer is Newer.SAME
    assert assess(project, same).diff.describe() == "no difference"
    gone = journal.write(project / "manuscript" / "gone.md", "only here", None, now=T0)
    assert gone is not None
    result = assess(project, gone)
    assert result.newer is Newer.FILE_MISSING and result.diff.added == len("only here")
    assert result.default == "unsaved"


def test_diff_size_counts_changed_characters_inside_lines() -> None:
    size = diff_size("The cat sat.\nEnd.\n", "The dog sat.\nEnd.\n")
    assert (size.added, size.removed) == (3, 3)


def test_set_aside_moves_everything_and_deletes_nothing(project: Path) -> None:
    journal = Journal(project)
    journal.write(project / "manuscript" / "chapter-1.md", "unsaved words", None)
    (journal.folder / "broken.json").write_text("{not json")
    before = {f.name: f.read_bytes() for f in journal.folder.iterdir()}
    target = journal.set_aside(T0)
    assert target is not None
    assert target.parent == project / ".session" / "recovered"
    assert {f.name: f.read_bytes() for f in target.iterdir()} == before
    assert journal.entries() == ([], [])
    assert journal.folder.is_dir()
    # a second set-aside with nothing in the journal does nothing
    assert journal.set_aside(T0) is None
    # and a later one at the same instant gets its own folder
    journal.write(project / "manuscript" / "chapter-1.md", "more", None)
    second = journal.set_aside(T0)
    assert second is not None and second != target and target.exists()


def test_has_entries(project: Path) -> None:
    journal = Journal(project)
    assert not journal.has_entries()
    journal.write(project / "manuscript" / "chapter-1.md", "x", None)
    assert journal.has_entries()


def test_set_aside_one_entry_keeps_its_bytes(project: Path) -> None:
    journal = Journal(project)
    chapter = project / "manuscript" / "chapter-1.md"
    journal.write(chapter, "mine, not chosen", None)
    journal.write(project / "manuscript" / "other.md", "still pending", None)
    original = journal.entry_file(chapter).read_bytes()
    moved = journal.set_aside_entry(chapter, T0)
    assert moved is not None and moved.read_bytes() == original
    assert moved.parent.parent == project / ".session" / "recovered"
    assert [e.text for e in journal.entries()[0]] == ["still pending"]
    assert journal.set_aside_entry(chapter, T0) is None


def test_move_entry_follows_a_rename(project: Path) -> None:
    journal = Journal(project)
    old = project / "manuscript" / "chapter-1.md"
    new = project / "manuscript" / "prologue.md"
    journal.write(old, "unsaved words", "abc", document="d1", revision=3, cursor=(3, 4), now=T0)
    journal.discard_through(old, "d1", 2)
    assert journal.move_entry(old, new) is True
    assert journal.get(old) is None
    moved = journal.get(new)
    assert moved is not None
    assert (moved.text, moved.base_sha256, moved.cursor_line, moved.journaled_at) == (
        "unsaved words",
        "abc",
        3,
        T0,
    )
    assert (moved.document, moved.revision) == ("d1", 3)
    assert journal.move_entry(old, new) is False
    # what was discarded under the old name stays discarded under the new one
    assert journal.write(new, "stale", None, document="d1", revision=2) is None
