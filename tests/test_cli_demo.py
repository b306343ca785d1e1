"""``writers-factory demo``: run for real in a subprocess, then its project checked on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from writers_factory.demo.corpus import BUILT_IN_TITLE, NOVEL, chapters, default_folders, find_novel
from writers_factory.demo.crash import UNSAVED
from writers_factory.store.manuscript.journal import Journal
from writers_factory.store.manuscript.versions import list_versions
from writers_factory.store.session.session import Session
from writers_factory.store.verify import verify


def demo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "writers_factory.cli", "demo", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=240,
        env={**os.environ, "COLUMNS": "120"},
        check=False,
    )


def test_demo_builds_crashes_and_recovers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    novel = "".join(
        f"Chapter {n}\n\nLine {n} of the novel, and more words.\n\n" for n in range(1, 20)
    )
    (corpus / NOVEL).write_text(novel, encoding="utf-8")
    project = tmp_path / "book"

    done = demo(str(project), "--corpus", str(corpus), cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    out = done.stdout
    for said in ("Built a project", "Killed a writer", "-9", "interrupted", "no problems"):
        assert said in out
    chapters_on_disk = sorted(p.name for p in (project / "manuscript").glob("*.md"))
    assert chapters_on_disk == [f"chapter-{n:03d}.md" for n in range(1, 13)]
    # the killed writer's unsaved words are in the chapter now, the earlier text kept aside
    chapter = "manuscript/chapter-003.md"
    text = (project / chapter).read_text(encoding="utf-8")
    assert text.endswith(UNSAVED)
    kept = list_versions(project, chapter)
    assert len(kept) == 1
    assert kept[0].stored_at.read_text(encoding="utf-8") + UNSAVED == text
    assert not Journal(project).has_entries()
    # three operations logged, one local and free; the recovered session closed cleanly
    ops = [
        op
        for chunk in sorted((project / ".session" / "costs").glob("ops-*.json"))
        for op in json.loads(chunk.read_text(encoding="utf-8"))["operations"]
    ]
    assert [op["operation"] for op in ops] == [
        "scene_generation",
        "continuity_check",
        "voice_test",
    ]
    assert [f for f in verify(project) if f.level == "problem"] == []
    again = Session(project, read_only=True)
    assert not again.was_interrupted()
    assert again.data.clean_shutdown


def test_demo_refuses_a_folder_that_holds_anything(tmp_path: Path) -> None:
    project = tmp_path / "mine"
    project.mkdir()
    (project / "notes.md").write_text("my own notes", encoding="utf-8")

    done = demo(str(project), cwd=tmp_path)

    assert done.returncode == 2
    assert "not empty" in done.stderr
    assert [p.name for p in project.iterdir()] == ["notes.md"]
    assert (project / "notes.md").read_text(encoding="utf-8") == "my own notes"


def test_demo_names_a_corpus_folder_without_the_novel(tmp_path: Path) -> None:
    done = demo(str(tmp_path / "book"), "--corpus", str(tmp_path), cwd=tmp_path)

    assert done.returncode == 2
    assert NOVEL in done.stderr
    assert not (tmp_path / "book").exists()


def test_without_a_corpus_the_built_in_excerpt_is_used_and_named(tmp_path: Path) -> None:
    novel = find_novel([tmp_path / "nowhere"])
    assert novel.source is None
    assert novel.title == BUILT_IN_TITLE
    parts = chapters(novel.text, 12)
    assert len(parts) == 3
    assert parts[0].startswith("# Chapter 1\n\nIt is a truth universally acknowledged")


def test_corpus_is_looked_for_beside_the_checkout_and_the_main_one(tmp_path: Path) -> None:
    main, worktree = tmp_path / "main", tmp_path / "elsewhere" / "wt"
    (main / ".git" / "worktrees" / "wt").mkdir(parents=True)
    (worktree / "writers_factory" / "demo").mkdir(parents=True)
    (worktree / ".git").write_text(f"gitdir: {main / '.git' / 'worktrees' / 'wt'}\n")
    start = worktree / "writers_factory" / "demo" / "corpus.py"

    folders = default_folders(start)

    assert tmp_path / "elsewhere" / "shared" / "corpus" in folders
    assert tmp_path / "shared" / "corpus" in folders
