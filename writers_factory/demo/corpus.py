"""Where the demo's novel comes from, and how it is cut into chapters.

The shared corpus (public-domain novels) lies beside the source checkout, in
``../shared/corpus/``. An installed copy, or a checkout without it, uses a short built-in
excerpt instead, and the demo says so.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

NOVEL = "pride_and_prejudice.txt"
CORPUS_ENV = "WRITERS_FACTORY_CORPUS"
"""A folder holding ``pride_and_prejudice.txt``, looked in before the defaults."""

_CHAPTER = re.compile(r"^(?:Chapter|CHAPTER) [0-9IVXLC]+\s*$", re.MULTILINE)

BUILT_IN_TITLE = "Pride and Prejudice (opening, built-in excerpt)"
BUILT_IN = """Chapter 1


It is a truth universally acknowledged, that a single man in possession
of a good fortune, must be in want of a wife.

However little known the feelings or views of such a man may be on his
first entering a neighbourhood, this truth is so well fixed in the minds
of the surrounding families, that he is considered the rightful property
of some one or other of their daughters.

"My dear Mr. Bennet," said his lady to him one day, "have you heard that
Netherfield Park is let at last?"

Mr. Bennet replied that he had not.

"But it is," returned she; "for Mrs. Long has just been here, and she
told me all about it."

Mr. Bennet made no answer.

Chapter 2


Mr. Bennet was among the earliest of those who waited on Mr. Bingley. He
had always intended to visit him, though to the last always assuring
his wife that he should not go; and till the evening after the visit was
paid she had no knowledge of it.

Chapter 3


Not all that Mrs. Bennet, however, with the assistance of her five
daughters, could ask on the subject, was sufficient to draw from her
husband any satisfactory description of Mr. Bingley.
"""
"""The opening lines of three chapters of a public-domain novel (1813)."""


@dataclass(frozen=True)
class Novel:
    """The text the demo builds its project from, and where it came from."""

    title: str
    text: str
    source: Path | None
    """The corpus file read; ``None`` for the built-in excerpt."""


def default_folders(start: Path | None = None) -> list[Path]:
    """Where the corpus may be: the environment's folder, then ``shared/corpus`` beside the
    source checkout, beside the main checkout when this one is a git worktree, and beside
    the repository this one was cloned from when that is a local folder. The one lookup
    the demo, the docs' screenshots, the benches and the end-to-end tests share."""
    folders: list[Path] = []
    if os.environ.get(CORPUS_ENV):
        folders.append(Path(os.environ[CORPUS_ENV]))
    repo = (start or Path(__file__)).resolve().parents[2]
    roots = [repo.parent]
    git = repo / ".git"
    if git.is_file():  # a worktree: ".git" names <main>/.git/worktrees/<name>
        try:
            line = git.read_text(encoding="utf-8").strip()
        except OSError:
            line = ""
        if line.startswith("gitdir:"):
            roots.append(Path(line.removeprefix("gitdir:").strip()).parents[2].parent)
    origin = _origin(repo)
    if origin is not None:
        roots.append(origin.parent)
    folders.extend(root / "shared" / "corpus" for root in dict.fromkeys(roots))
    return folders


def _origin(repo: Path) -> Path | None:
    """The local folder this checkout was cloned from (a check clone in /tmp), if any."""
    try:
        found = subprocess.run(
            ["git", "-C", str(repo), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:  # no git on this machine
        return None
    return Path(found) if found and Path(found).is_absolute() else None


def find_novel(folders: list[Path]) -> Novel:
    """The first corpus novel found in ``folders``, else the built-in excerpt."""
    for folder in folders:
        candidate = folder / NOVEL
        if candidate.is_file():
            return Novel("Pride and Prejudice", candidate.read_text(encoding="utf-8"), candidate)
    return Novel(BUILT_IN_TITLE, BUILT_IN, None)


def chapters(text: str, limit: int) -> list[str]:
    """The novel cut at its ``Chapter N`` lines: at most ``limit`` chapters, each starting
    with its heading as a Markdown title."""
    starts = [match.start() for match in _CHAPTER.finditer(text)]
    if not starts:
        return [text.strip() + "\n"] if text.strip() else []
    found: list[str] = []
    for index, start in enumerate(starts[:limit]):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        heading, _, body = text[start:end].partition("\n")
        found.append(f"# {heading.strip()}\n\n{body.strip()}\n")
    return found
