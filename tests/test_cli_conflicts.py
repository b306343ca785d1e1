"""``writers-factory session conflicts [--merge]``, and conflict copies never counted as
chapters anywhere the manuscript is listed (reading order, compile, the analysis)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from writers_factory.ai.analysis.manuscript import chapter_files
from writers_factory.cli import main
from writers_factory.compile.plan import plan_book
from writers_factory.project import create_project
from writers_factory.store.manuscript.order import read_manuscript
from writers_factory.store.session.session import Session

COPIES = [
    "chapter-01 (Some Host's conflicted copy 2026-11-30).md",
    "chapter-01.sync-conflict-20261130-101112-ABCDEF7.md",
    "chapter-01-DESKTOP-AB12CD3.md",
    "chapter-01 (conflicted copy 2026-11-30 101112).md",
    "chapter-01_conflict-20261130-101112.md",
    "chapter-01 (1).md",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    made = create_project(tmp_path / "book", "book")
    folder = made / "manuscript"
    (folder / "chapter-01.md").write_text("# One\n\nThe first words.\n", encoding="utf-8")
    (folder / "chapter-02.md").write_text("# Two\n\nMore words.\n", encoding="utf-8")
    (folder / "chapter-02 (3).md").write_text("# Two, again?\n", encoding="utf-8")
    for name in COPIES:
        (folder / name).write_text("# One\n\nThe other machine's words.\n", encoding="utf-8")
    return made


def test_a_conflict_copy_is_never_a_chapter(project: Path) -> None:
    folder = project / "manuscript"
    expected = ["chapter-01.md", "chapter-02.md"]
    assert read_manuscript(folder).relative == expected
    assert [p.name for p in chapter_files(folder)] == expected
    plan = plan_book(project)
    assert len(plan.book.chapters) == 2
    # without its original beside it, a numbered or host-named file is the writer's chapter
    (folder / "chapter-01.md").unlink()
    names = read_manuscript(folder).relative
    assert "chapter-01 (1).md" in names and "chapter-01-DESKTOP-AB12CD3.md" in names
    assert "chapter-01_conflict-20261130-101112.md" not in names


def test_the_command_lists_then_merges(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Session(project).close_sync()
    session = project / ".session"
    shutil.copyfile(session / "current.json", session / "current_conflict-20261130-101112.json")
    assert main(["session", "conflicts", "--project", str(project), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {c["copy"] for c in listed["files"]} == {f"manuscript/{n}" for n in COPIES} | {
        "manuscript/chapter-02 (3).md"
    }
    assert listed["session"]["applied"] is False
    assert [c["kind"] for c in listed["session"]["copies"]] == ["single"]
    assert (session / "current_conflict-20261130-101112.json").is_file()  # a dry run

    assert main(["session", "conflicts", "--merge", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "current.json" in out and "backup first" in out
    assert not (session / "current_conflict-20261130-101112.json").exists()
    # the writer's folders are never merged by the command: that is the writer's choice
    assert (project / "manuscript" / COPIES[0]).is_file()


def test_copies_are_found_in_the_writers_folders_only(project: Path) -> None:
    from writers_factory.store.sync_copies import copies_among, find_copies

    hidden = project / "manuscript" / ".drafts"
    hidden.mkdir()
    (hidden / "x_conflict-20261130-101112.md").write_text("hidden", encoding="utf-8")
    (project / "output" / "book_conflict-20261130-101112.md").parent.mkdir(exist_ok=True)
    (project / "output" / "book_conflict-20261130-101112.md").write_text("x", encoding="utf-8")
    note = project / "reference" / "characters.sync-conflict-20261130-101112-ABCDEF7.md"
    note.write_text("the other machine's cast", encoding="utf-8")
    (project / "reference" / "linked_conflict-20261130-101112.md").symlink_to(note)
    found = {c.copy: c.original for c in find_copies(project)}
    assert found[note.relative_to(project).as_posix()] == "reference/characters.md"
    assert not any(".drafts" in c or c.startswith("output/") or "linked" in c for c in found)
    assert len(found) == len(COPIES) + 2  # chapter-02 (3).md beside chapter-02.md
    arrived = [note, project / "manuscript" / "chapter-02.md", hidden / "x.md", project / "x"]
    assert [c.copy for c in copies_among(project, arrived)] == [
        note.relative_to(project).as_posix()
    ]
