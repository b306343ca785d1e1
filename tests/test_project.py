"""Projects: creation from the template, recognising one, file actions, the trash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from writers_factory.project import (
    ProjectError,
    check_file_name,
    create_project,
    default_title,
    is_project,
    new_file,
    not_a_project_message,
    rename_file,
    writable_folder,
)
from writers_factory.store.manuscript import trash


def tree_state(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every entry under ``folder`` with its bytes and mtime, to prove nothing changed."""
    state: dict[str, tuple[bytes | None, int]] = {}
    for path in sorted(folder.rglob("*")):
        data = path.read_bytes() if path.is_file() else None
        state[path.relative_to(folder).as_posix()] = (data, path.stat().st_mtime_ns)
    return state


def test_create_project_copies_the_template(tmp_path: Path) -> None:
    dest = create_project(tmp_path / "the-lighthouse", "The Lighthouse Keeper", sample=True)
    assert dest == tmp_path / "the-lighthouse"
    for folder in ("manuscript", "reference", "planning", "output/reports"):
        assert (dest / folder).is_dir(), folder
    for file in (
        "manuscript/chapter-01.md",
        "reference/characters.md",
        "reference/setting.md",
        "planning/outline.md",
        "GUIDE.md",
    ):
        assert (dest / file).is_file(), file
    assert (dest / ".gitignore").read_text().splitlines() == [".session/"]
    guide = (dest / "GUIDE.md").read_text()
    assert guide.startswith("# The Lighthouse Keeper")
    assert "ctrl+s" in guide and "recovery journal" in guide and ".session/trash/" in guide
    assert (dest / "manuscript/chapter-01.md").read_text().startswith("# The Lighthouse Keeper\n")
    assert "{title}" not in guide
    assert is_project(dest)
    assert not list(dest.rglob("*.wf-tmp"))


def test_a_new_project_has_its_title_and_an_empty_first_chapter(tmp_path: Path) -> None:
    """``new DIR --title T``: the title is T everywhere it is recorded (it was the folder's
    name in the session), and the first chapter is empty, ready for the writer's own story
    (it was the sample's lighthouse story)."""
    from writers_factory.store import Session

    dest = create_project(tmp_path / "book-2", "Salt and Iron")
    assert (dest / "manuscript" / "chapter-01.md").read_text() == "# Chapter 1\n\n"
    assert sorted(p.name for p in (dest / "manuscript").iterdir()) == ["chapter-01.md"]
    for file in dest.rglob("*.md"):
        assert "lighthouse" not in file.read_text().lower(), file
        assert "keeper" not in file.read_text().lower(), file
    assert (dest / "GUIDE.md").read_text().startswith("# Salt and Iron")
    session = Session(dest)
    assert session.data.project_name == "Salt and Iron"
    assert not session.was_interrupted()
    session.close_sync()
    assert not list(dest.rglob("*.wf-tmp"))


def test_title_defaults_to_the_folder_name(tmp_path: Path) -> None:
    dest = create_project(tmp_path / "salt_and-iron")
    assert (dest / "GUIDE.md").read_text().startswith("# Salt And Iron")
    assert default_title(Path("")) == "Untitled"


def test_create_project_accepts_an_empty_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert is_project(create_project(tmp_path / "empty"))


def test_create_project_refuses_a_non_empty_folder_and_changes_nothing(tmp_path: Path) -> None:
    dest = tmp_path / "novel"
    dest.mkdir()
    (dest / "notes.txt").write_text("my notes")
    before = tree_state(dest)
    with pytest.raises(ProjectError, match="already exists and is not empty"):
        create_project(dest)
    assert tree_state(dest) == before


def test_create_project_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "novel").write_text("x")
    with pytest.raises(ProjectError, match="is a file"):
        create_project(tmp_path / "novel")


def test_not_a_project_message_explains_and_touches_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("dear")
    before = tree_state(folder)
    message = not_a_project_message(folder)
    assert not is_project(folder)
    assert f"{folder} is not a Writers Factory project" in message
    assert "no manuscript/ folder" in message
    assert "writers-factory new DIR" in message
    assert f"writers-factory new {folder / 'my-novel'}" in message
    assert tree_state(folder) == before
    assert not (folder / ".session").exists()


def test_not_a_project_message_for_an_empty_folder_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "new novel"
    folder.mkdir()
    message = not_a_project_message(folder)
    assert f"writers-factory new '{folder}'" in message, "quoted for the shell"
    assert list(folder.iterdir()) == []


def test_not_a_project_message_for_missing_and_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert f"{missing} does not exist" in not_a_project_message(missing)
    assert f"writers-factory new {missing}" in not_a_project_message(missing)
    assert not missing.exists()
    file = tmp_path / "chapter.md"
    file.write_text("x")
    assert "is a file" in not_a_project_message(file)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("chapter-2", "chapter-2.md"), (" notes.txt ", "notes.txt"), ("a b.md", "a b.md")],
)
def test_check_file_name_accepts(name: str, expected: str) -> None:
    assert check_file_name(name) == expected


@pytest.mark.parametrize("name", ["", "  ", "a/b.md", "..", ".hidden.md", "a\\b"])
def test_check_file_name_refuses(name: str) -> None:
    with pytest.raises(ProjectError):
        check_file_name(name)


def test_new_file_only_inside_the_writers_folders(tmp_path: Path) -> None:
    project = create_project(tmp_path / "p")
    assert writable_folder(project, project / "output") == project / "manuscript"
    assert writable_folder(project, tmp_path) == project / "manuscript"
    assert writable_folder(project, project / "planning") == project / "planning"
    assert writable_folder(project, project / "planning" / ".." / "..") == project / "manuscript"
    created = new_file(project, project / ".session", "escape")
    assert created == project / "manuscript" / "escape.md"
    assert created.read_text() == ""
    with pytest.raises(ProjectError, match="already exists"):
        new_file(project, project / "manuscript", "escape.md")


def test_rename_file_never_replaces(tmp_path: Path) -> None:
    project = create_project(tmp_path / "p")
    one = project / "manuscript" / "chapter-01.md"
    two = project / "manuscript" / "chapter-02.md"
    two.write_text("second")
    original = one.read_text()
    with pytest.raises(ProjectError, match="already exists"):
        rename_file(project, one, "chapter-02.md")
    assert two.read_text() == "second" and one.read_text() == original
    moved = rename_file(project, one, "opening")
    assert moved == project / "manuscript" / "opening.md"
    assert moved.read_text() == original and not one.exists()
    assert rename_file(project, moved, "opening.md") == moved


def test_trash_moves_lists_and_restores(tmp_path: Path) -> None:
    project = create_project(tmp_path / "p")
    chapter = project / "manuscript" / "chapter-01.md"
    os.chmod(chapter, 0o640)
    data = chapter.read_bytes()
    stored = trash.move_to_trash(project, Path("manuscript/chapter-01.md"))
    assert not chapter.exists()
    assert stored.read_bytes() == data
    assert stored.is_relative_to(project / ".session" / "trash")
    assert stored.relative_to(project / ".session" / "trash").parts[1:] == (
        "manuscript",
        "chapter-01.md",
    )
    assert stored.stat().st_mode & 0o777 == 0o600, "the trash is private, like .session"
    outline = project / "planning" / "outline.md"
    trash.move_to_trash(project, outline)  # absolute paths work too
    entries = trash.list_trash(project)
    assert [e.relative_path.as_posix() for e in entries] == [
        "planning/outline.md",
        "manuscript/chapter-01.md",
    ], "newest first"
    back = trash.restore(project, entries[1])
    assert back == chapter and chapter.read_bytes() == data
    assert [e.relative_path.as_posix() for e in trash.list_trash(project)] == [
        "planning/outline.md",
    ]


def test_restore_never_overwrites_a_new_file(tmp_path: Path) -> None:
    project = create_project(tmp_path / "p")
    chapter = project / "manuscript" / "chapter-01.md"
    old = chapter.read_bytes()
    trash.move_to_trash(project, chapter)
    chapter.write_text("a new chapter one")
    back = trash.restore(project, trash.list_trash(project)[0])
    assert back == project / "manuscript" / "chapter-01 (restored).md"
    assert back.read_bytes() == old
    assert chapter.read_text() == "a new chapter one"


def test_restore_lands_beside_a_link_left_at_the_old_path(tmp_path: Path) -> None:
    """A link where the chapter was, even one to nothing, is left as it is: the chapter
    comes back beside it (before, claiming the name failed on the link, and the restore)."""
    project = create_project(tmp_path / "p")
    chapter = project / "manuscript" / "chapter-01.md"
    old = chapter.read_bytes()
    trash.move_to_trash(project, chapter)
    chapter.symlink_to("gone.md")  # in the project, to nothing
    back = trash.restore(project, trash.list_trash(project)[0])
    assert back == project / "manuscript" / "chapter-01 (restored).md"
    assert back.read_bytes() == old
    assert chapter.is_symlink() and not (project / "manuscript" / "gone.md").exists()
    assert trash.list_trash(project) == []


def test_same_file_deleted_twice_keeps_both(tmp_path: Path) -> None:
    project = create_project(tmp_path / "p")
    chapter = project / "manuscript" / "chapter-01.md"
    chapter.write_text("first version")
    trash.move_to_trash(project, chapter)
    chapter.write_text("second version")
    trash.move_to_trash(project, chapter)
    texts = [e.stored_at.read_text() for e in trash.list_trash(project)]
    assert texts == ["second version", "first version"]


def test_trash_refuses_outside_folders_and_session_files(tmp_path: Path) -> None:
    project = create_project(tmp_path / "p")
    (tmp_path / "elsewhere.md").write_text("x")
    with pytest.raises(trash.TrashError, match="leads outside the project"):
        trash.move_to_trash(project, tmp_path / "elsewhere.md")
    (project / ".session").mkdir(exist_ok=True)
    (project / ".session" / "current.json").write_text("{}")
    with pytest.raises(trash.TrashError, match=r"leads into the \.session folder"):
        trash.move_to_trash(project, Path(".session/current.json"))
    with pytest.raises(trash.TrashError, match="not a file"):
        trash.move_to_trash(project, Path("manuscript"))
    assert (tmp_path / "elsewhere.md").exists()
    assert trash.list_trash(project) == []
