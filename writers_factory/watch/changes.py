"""What the watcher reports, and the raw events it builds those reports from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple


class ChangeKind(StrEnum):
    """Net effect on one path over a debounce window; string values are stable for JSON."""

    CREATED = "created"
    MODIFIED = "modified"
    DELETED = "deleted"
    MOVED = "moved"


@dataclass(frozen=True)
class FileChange:
    """One change the app did not make itself.

    ``path`` is absolute; for ``MOVED`` it is the old location and ``dest`` the new one.
    Deleting a folder is reported as one change for the folder: the files inside it are
    gone too even when they are not listed one by one.
    """

    kind: ChangeKind
    path: Path
    dest: Path | None = None
    is_directory: bool = False


class RawKind(StrEnum):
    """Events as they come from the observer threads, before coalescing."""

    CREATED = "created"
    MODIFIED = "modified"
    DELETED = "deleted"
    MOVED = "moved"
    REPLACED = "replaced"
    """A temp file renamed onto ``path`` (an atomic save): created or modified, depending
    on whether ``path`` existed before, which only the coalescer knows."""


class RawEvent(NamedTuple):
    kind: RawKind
    path: Path
    dest: Path | None = None
    is_directory: bool = False
