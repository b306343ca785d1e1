"""Reading order: natural sort, the writer's order file, parts, moves, hostile lines."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from writers_factory.ai.analysis import analyze_manuscript, chapter_files
from writers_factory.core.order import arrange, listing, move, natural_key
from writers_factory.store.manuscript.order import (
    ORDER_FILE,
    ManuscriptOrder,
    follow,
    move_in_order,
    read_manuscript,
    render,
    write_order,
)


def make_book(root: Path, names: list[str]) -> Path:
    folder = root / "manuscript"
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {name}\n\nWords of {name}.\n", encoding="utf-8")
    return folder


def test_natural_order_puts_chapter_2_before_chapter_10() -> None:
    names = [f"chapter-{n}.md" for n in (10, 2, 1, 11, 3)]
    assert arrange(names).chapters == [f"chapter-{n}.md" for n in (1, 2, 3, 10, 11)]
    assert natural_key("Chapter-9") < natural_key("chapter-10")


def test_listed_order_first_then_the_rest_naturally() -> None:
    names = ["a-1.md", "a-2.md", "a-10.md", "b.md"]
    arranged = arrange(names, ["b.md", "a-10.md", "gone.md"])
    assert arranged.chapters == ["b.md", "a-10.md", "a-1.md", "a-2.md"]
    assert arranged.missing == ["gone.md"]


def test_a_part_is_placed_like_a_chapter_and_keeps_its_chapters_together() -> None:
    names = ["prologue.md", "part-2/ch-1.md", "part-1/ch-10.md", "part-1/ch-9.md", "end.md"]
    natural = arrange(names).chapters
    assert natural == [
        "end.md",
        "part-1/ch-9.md",
        "part-1/ch-10.md",
        "part-2/ch-1.md",
        "prologue.md",
    ]
    ordered = arrange(names, ["prologue.md", "part-2/", "part-1/", "end.md"]).chapters
    assert ordered == [
        "prologue.md",
        "part-2/ch-1.md",
        "part-1/ch-9.md",
        "part-1/ch-10.md",
        "end.md",
    ]
    assert listing(ordered)[:3] == ["prologue.md", "part-2/", "part-2/ch-1.md"]


def test_move_changes_only_the_targets_folder() -> None:
    book = ["a.md", "p/x.md", "p/y.md", "z.md"]
    assert move(book, "z.md", -1) == ["a.md", "z.md", "p/x.md", "p/y.md"]
    assert move(book, "p", -1) == ["p/x.md", "p/y.md", "a.md", "z.md"]
    assert move(book, "p/y.md", -1) == ["a.md", "p/y.md", "p/x.md", "z.md"]
    assert move(book, "a.md", -1) is None and move(book, "z.md", 1) is None
    assert move(book, "nothing.md", 1) is None


def test_the_order_file_round_trips_and_is_read_everywhere(tmp_path: Path) -> None:
    folder = make_book(tmp_path, ["chapter-1.md", "chapter-2.md", "chapter-10.md", "notes.txt"])
    assert read_manuscript(folder).relative == [
        "chapter-1.md",
        "chapter-2.md",
        "chapter-10.md",
        "notes.txt",
    ]
    assert not (folder / ORDER_FILE).exists(), "nothing is written until the writer reorders"
    moved = move_in_order(folder, folder / "chapter-10.md", -1)
    assert moved == ["chapter-1.md", "chapter-10.md", "chapter-2.md", "notes.txt"]
    raw = tomllib.loads((folder / ORDER_FILE).read_text(encoding="utf-8"))
    assert ManuscriptOrder.model_validate(raw).schema_version == 1
    assert raw["order"] == moved
    (folder / "chapter-3.md").write_text("# Three\n\nNew.\n", encoding="utf-8")
    assert read_manuscript(folder).relative == [*moved, "chapter-3.md"]
    assert [p.name for p in chapter_files(folder)] == [*moved, "chapter-3.md"]
    assert [c.path for c in analyze_manuscript(folder).chapters] == [*moved, "chapter-3.md"]
    assert not list(folder.glob("*.wf-tmp")), "written through the durable path"


def test_awkward_names_survive_the_toml(tmp_path: Path) -> None:
    names = ['quote " and \\ back.md', "tab\there.md", "ünï – cöde.md"]
    text = render(names)
    assert tomllib.loads(text)["order"] == names


def test_hostile_lines_are_refused_and_reported(tmp_path: Path) -> None:
    folder = make_book(tmp_path / "book", ["a.md", "b.md"])
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n", encoding="utf-8")
    os.symlink(outside, folder / "link.md")
    (tmp_path / "book" / ".session").mkdir()
    (folder / ORDER_FILE).write_text(
        render(["../secret.md", "/etc/passwd", "link.md", "../.session/x.md", "b.md", "gone.md"]),
        encoding="utf-8",
    )
    book = read_manuscript(folder)
    # a chapter that is the writer's own link stays a chapter (it opens read-only), but a
    # line of the order file naming it is refused like any other path leading out
    assert book.relative == ["b.md", "a.md", "link.md"]
    text = "\n".join(book.problems)
    for bad in ("../secret.md", "/etc/passwd", "link.md", "../.session/x.md"):
        assert bad in text
    for bad in ("../secret.md", "/etc/passwd", "../.session/x.md"):
        assert f"{bad!r} leads outside the manuscript" in text
    assert "link.md leads outside the project" in text
    assert "'gone.md' names no chapter" in text
    assert all(p.startswith("manuscript/order.toml") for p in book.problems)


def test_a_corrupt_order_file_is_reported_then_set_aside_not_overwritten(tmp_path: Path) -> None:
    folder = make_book(tmp_path, ["chapter-2.md", "chapter-10.md"])
    (folder / ORDER_FILE).write_text("order = [unclosed", encoding="utf-8")
    book = read_manuscript(folder)
    assert book.relative == ["chapter-2.md", "chapter-10.md"]
    assert "not valid TOML" in book.problems[0]
    (folder / ORDER_FILE).write_text("schema_version = 1\norder = 3\n", encoding="utf-8")
    assert "order" in read_manuscript(folder).problems[0]
    write_order(folder, ["chapter-10.md", "chapter-2.md"])
    kept = list((tmp_path / ".session" / "corrupt").iterdir())
    assert [p.read_text(encoding="utf-8") for p in kept] == ["schema_version = 1\norder = 3\n"]
    assert read_manuscript(folder).relative == ["chapter-10.md", "chapter-2.md"]


@pytest.mark.parametrize("version", [2, 99])
def test_a_newer_order_file_is_not_obeyed(tmp_path: Path, version: int) -> None:
    folder = make_book(tmp_path, ["b.md", "a.md"])
    (folder / ORDER_FILE).write_text(
        f'schema_version = {version}\norder = ["b.md"]\n', encoding="utf-8"
    )
    book = read_manuscript(folder)
    assert book.relative == ["a.md", "b.md"]
    assert "newer" in book.problems[0]


def test_the_order_follows_a_rename_and_a_delete(tmp_path: Path) -> None:
    folder = make_book(tmp_path, ["a.md", "b.md", "p/x.md", "p/y.md"])
    assert not follow(folder, "a.md", "z.md"), "no order file: nothing to follow"
    write_order(folder, ["p/y.md", "p/x.md", "b.md", "a.md"])
    (folder / "b.md").rename(folder / "the-ball.md")
    assert follow(folder, "b.md", "the-ball.md")
    assert read_manuscript(folder).relative == ["p/y.md", "p/x.md", "the-ball.md", "a.md"]
    (folder / "p").rename(folder / "part")
    assert follow(folder, "p", "part")
    assert read_manuscript(folder).relative == ["part/y.md", "part/x.md", "the-ball.md", "a.md"]
    (folder / "the-ball.md").unlink()
    assert follow(folder, "the-ball.md", None)
    book = read_manuscript(folder)
    assert book.relative == ["part/y.md", "part/x.md", "a.md"] and book.problems == []
    assert not follow(folder, "never.md", None)
