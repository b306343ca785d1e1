"""The story so far as the kept chapter summaries: cheap context for writing on.

A prompt that wants the other chapters (continue from the cursor, generate a scene) gets
the summaries the writer kept (``.session/summaries.json``) of the chapters before the open
one, in manuscript order, instead of their whole text. Within a token budget the chapters
nearest the open one win: what happened just before matters most to what comes next. The
earlier ones left out are named, so the preview can say why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


def _natural(path: str) -> tuple[object, ...]:
    """``chapter-2`` before ``chapter-10``: numbers compare as numbers."""
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", path))


@dataclass
class StorySoFar:
    """The summaries chosen (chapter, text) in manuscript order, and those left out."""

    documents: list[tuple[str, str]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def choose_summaries(
    summaries: Mapping[str, str],
    chapter: str,
    *,
    budget: int,
    count: Callable[[str], int],
) -> StorySoFar:
    """The summaries of the chapters before ``chapter`` (same folder), nearest first, in
    ``budget`` tokens; returned in reading order."""
    folder = str(Path(chapter).parent)
    earlier = sorted(
        (
            name
            for name, text in summaries.items()
            if text.strip()
            and str(Path(name).parent) == folder
            and _natural(name) < _natural(chapter)
        ),
        key=_natural,
    )
    found = StorySoFar()
    spent = 0
    kept: list[tuple[str, str]] = []
    for name in reversed(earlier):
        text = summaries[name].strip()
        tokens = count(f"### {name}\n\n{text}\n")
        if spent + tokens > budget:
            found.left_out.append(f"{name}: summary over the budget of {budget:,} tokens")
            continue
        spent += tokens
        kept.append((name, text))
    found.documents = list(reversed(kept))
    found.left_out.reverse()
    return found


def read_story_so_far(
    project_root: Path, session_dir: Path, chapter: Path, *, budget: int, model: str | None
) -> StorySoFar:
    """The story so far for ``chapter`` from the kept summaries of chapters that are still
    there (a removed chapter's summary tells of a story that no longer is). Blocking: run
    in a thread."""
    from writers_factory.ai.tokens import estimate_tokens
    from writers_factory.store.manuscript.summaries import load_summaries

    root = Path(project_root)
    rel = (chapter.relative_to(root) if chapter.is_absolute() else chapter).as_posix()
    from writers_factory.store.base.paths import OutsideProjectError, inside_project

    texts: dict[str, str] = {}
    for name, summary in load_summaries(session_dir).chapters.items():
        try:
            if inside_project(root, name, where=name).is_file():
                texts[name] = summary.text
        except (OutsideProjectError, OSError):
            continue  # a hostile or unreadable name is never followed
    return choose_summaries(
        texts,
        rel,
        budget=budget,
        count=lambda text: estimate_tokens(text, model).count,
    )
