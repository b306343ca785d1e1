"""What the recovery question is told about each entry: relation, preview, large removals."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from writers_factory.store.manuscript.buffers import text_sha256
from writers_factory.store.manuscript.journal import Journal, JournalEntry
from writers_factory.store.manuscript.recovery import (
    Newer,
    Side,
    assess,
    assess_all,
    preview,
)

T0 = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
CHAPTER = "manuscript/chapter-03.md"
LONG = "".join(f"Line {n} of the chapter, as the keeper wrote it.\n" for n in range(40))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "manuscript").mkdir()
    (tmp_path / CHAPTER).write_text(LONG)
    return tmp_path


def entry(text: str, base: str | None = text_sha256(LONG)) -> JournalEntry:
    return JournalEntry(path=CHAPTER, text=text, base_sha256=base, journaled_at=T0)


def test_typed_on_top_of_the_file_is_proposed(project: Path) -> None:
    result = assess(project, entry(LONG + "The sea rose.\n"))
    assert result.newer is Newer.JOURNAL and result.default is Side.UNSAVED
    assert result.removal_warning() is None
    assert result.preview.line == 41 and result.preview.unsaved == ["The sea rose."]
    assert result.preview.disk == []


def test_a_large_removal_is_said_in_words_and_not_proposed(project: Path) -> None:
    result = assess(project, entry("x"))  # select all, one letter
    assert result.newer is Newer.JOURNAL
    assert result.removal_warning() == "removes 100% of chapter-03.md"
    assert result.default is Side.DISK
    # up to a fifth is ordinary editing
    fifth = LONG.splitlines(keepends=True)
    kept = "".join(fifth[: len(fifth) - len(fifth) // 5 + 1])
    assert assess(project, entry(kept)).removal_warning() is None
    half = "".join(fifth[: len(fifth) // 2])
    warning = assess(project, entry(half)).removal_warning()
    assert warning is not None and warning.startswith("removes 5") and "chapter-03.md" in warning


def test_the_file_changed_since_the_base_shows_both_and_proposes_neither(project: Path) -> None:
    (project / CHAPTER).write_text(LONG.replace("Line 3 ", "Line three "))
    result = assess(project, entry(LONG.replace("Line 3 ", "Line 3b ")))
    assert result.newer is Newer.FILE and result.both_shown and result.default is None
    assert result.preview.line == 4
    assert result.preview.disk == ["Line three of the chapter, as the keeper wrote it."]
    assert result.preview.unsaved == ["Line 3b of the chapter, as the keeper wrote it."]


def test_preview_shows_at_most_three_lines_a_side_and_names_blank_lines() -> None:
    shown = preview("a\nb\n", "a\n\nx\ny\nz\nw\n")
    assert shown.line == 2
    assert shown.unsaved == ["(blank line)", "x", "y"]
    assert preview("same\n", "same\n").line == 0


def test_assess_all_reads_every_entry(project: Path) -> None:
    journal = Journal(project)
    journal.write(project / CHAPTER, LONG, text_sha256(LONG))
    journal.write(project / "manuscript" / "new.md", "fresh", None)
    items, problems = assess_all(journal)
    assert problems == []
    assert [(a.entry.path, a.newer) for a in items] == [
        (CHAPTER, Newer.SAME),
        ("manuscript/new.md", Newer.FILE_MISSING),
    ]
