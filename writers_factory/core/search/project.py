"""The results of a search across the project, as the results list and the replace preview
show them: grouped by file, line by line, each line ticked or not."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from writers_factory.core.search.replacing import LineHit


@dataclass(frozen=True)
class FileHits:
    """One file's matching lines (project-relative POSIX path)."""

    path: str
    hits: list[LineHit]
    open_in_editor: bool = False
    """The text searched is the editor's (unsaved typing included), not the file's."""

    @property
    def count(self) -> int:
        return sum(len(hit.columns) for hit in self.hits)


@dataclass
class ProjectResults:
    """Every file with a match, in manuscript order, and what could not be searched."""

    files: list[FileHits] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Files left out, each with why ("x.md: not UTF-8 text")."""
    replacement: str | None = None
    """The replacement previewed (None: a plain search)."""

    @property
    def count(self) -> int:
        return sum(f.count for f in self.files)

    def summary(self) -> str:
        if not self.files:
            return "No matches in the project."
        files = len(self.files)
        return f"{self.count} matches in {files} file{'s' if files != 1 else ''}"


def natural_key(path: str) -> list[object]:
    """Sort key putting chapter-2 before chapter-10 (digits compared as numbers)."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path)]


def chosen_lines(
    results: ProjectResults, unticked: Iterable[tuple[str, int]]
) -> dict[str, set[int]]:
    """Per file, the lines to replace: all lines found but those the writer unticked
    (a file left with none drops out)."""
    off = set(unticked)
    chosen: dict[str, set[int]] = {}
    for found in results.files:
        lines = {hit.line for hit in found.hits if (found.path, hit.line) not in off}
        if lines:
            chosen[found.path] = lines
    return chosen


@dataclass
class Outcome:
    """What a replace across the project (or its undo) did, in words for the writer."""

    replaced: int = 0
    files: int = 0
    left: list[str] = field(default_factory=list)
    """Files not changed, each with why."""

    def message(self, verb: str = "Replaced") -> str:
        said = f"{verb} {self.replaced} in {self.files} file{'s' if self.files != 1 else ''}."
        if self.left:
            said += " Left as they are: " + "; ".join(self.left)
        return said
