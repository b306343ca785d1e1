"""The 61-chapter Pride and Prejudice project the stage-screen tests drive.

Built once per test module (``build_novel``) from the shared corpus and copied for each
test, so every test starts from the same project without cutting the novel again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from writers_factory.demo.corpus import chapters, default_folders, find_novel
from writers_factory.project import create_project

CHARACTERS = """# Characters

## Elizabeth Bennet
The second daughter; quick, proud of her judgement.

## Mr. Darcy
Rich, reserved, thought proud.

## Jane Bennet
The eldest; thinks well of everyone.

## Mr. Bingley
Darcy's friend, easy and warm.
"""


def chapter_name(number: int) -> str:
    return f"chapter-{number:02d}.md"


def build_novel(where: Path) -> Path:
    """A project with the novel's 61 chapters, a character bible and an outline."""
    novel = find_novel([*default_folders(), Path("/work/shared/corpus")])
    assert novel.source is not None, "the shared corpus (pride_and_prejudice.txt) is missing"
    project = create_project(where / "pride", "Pride and Prejudice")
    manuscript = project / "manuscript"
    for old in manuscript.iterdir():
        old.unlink()
    parts = chapters(novel.text, 1000)
    assert len(parts) == 61
    for number, text in enumerate(parts, start=1):
        (manuscript / chapter_name(number)).write_text(text, encoding="utf-8")
    (project / "reference" / "characters.md").write_text(CHARACTERS, encoding="utf-8")
    outline = ["# Outline", ""]
    for number in range(1, 62):
        outline += [f"## Chapter {number}", f"What chapter {number} must do.", ""]
    (project / "planning" / "outline.md").write_text("\n".join(outline), encoding="utf-8")
    return project


def copy_novel(template: Path, where: Path) -> Path:
    target = where / "pride"
    shutil.copytree(template, target, symlinks=True)
    return target
