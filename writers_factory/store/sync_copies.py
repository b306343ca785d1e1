"""Conflict copies a syncing tool left in the writer's folders (``manuscript/``,
``reference/``, ``planning/``), found on disk.

The names are recognised by ``core/sync_conflicts.py``; here the folders are walked (hidden
folders and links are passed over, as the tree passes them over) and each copy is paired
with its original, both as project-relative paths. Nothing is changed. Synchronous disk
reads: call from a thread.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from writers_factory.core.sync_conflicts import recognise
from writers_factory.store.base.paths import SESSION_DIR

FOLDERS = ("manuscript", "reference", "planning")
"""The folders the writer's text lives in, where a conflict copy matters."""


@dataclass(frozen=True)
class SyncCopy:
    """A conflict copy and the original it belongs to (project-relative POSIX paths)."""

    copy: str
    original: str
    pattern: str

    def to_json(self) -> dict[str, str]:
        return {"copy": self.copy, "original": self.original, "pattern": self.pattern}


def _in_folder(folder: str, names: list[str], project: Path) -> list[SyncCopy]:
    found: list[SyncCopy] = []
    beside = set(names)
    for name in sorted(names):
        copy = recognise(name, beside)
        if copy is not None:
            prefix = Path(folder).relative_to(project).as_posix()
            found.append(SyncCopy(f"{prefix}/{name}", f"{prefix}/{copy.original}", copy.pattern))
    return found


def find_copies(project: Path, folders: tuple[str, ...] = FOLDERS) -> list[SyncCopy]:
    """Every conflict copy in the writer's folders of ``project``, in path order."""
    project = Path(project)
    found: list[SyncCopy] = []
    for top in folders:
        start = project / top
        if start.is_symlink() or not start.is_dir():
            continue
        for folder, dirs, files in os.walk(start):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _link(folder, d))
            names = [f for f in files if not f.startswith(".") and not _link(folder, f)]
            found += _in_folder(folder, names, project)
    return found


def copies_among(project: Path, paths: list[Path]) -> list[SyncCopy]:
    """The conflict copies among ``paths`` (absolute: files that just appeared) in the
    writer's folders; each folder is listed once however many files a burst brought."""
    project = Path(project)
    by_folder: dict[Path, list[str]] = {}
    for path in paths:
        try:
            parts = Path(path).relative_to(project).parts
        except ValueError:
            continue
        if len(parts) >= 2 and parts[0] in FOLDERS and not any(p.startswith(".") for p in parts):
            by_folder.setdefault(Path(path).parent, []).append(Path(path).name)
    found: list[SyncCopy] = []
    for folder, arrived in sorted(by_folder.items()):
        try:
            names = {entry.name for entry in os.scandir(folder)}
        except OSError:
            continue
        parent = folder.relative_to(project).as_posix()
        for name in sorted(set(arrived) & names):
            copy = recognise(name, names)
            if copy is not None:
                found.append(
                    SyncCopy(f"{parent}/{name}", f"{parent}/{copy.original}", copy.pattern)
                )
    return found


def _link(folder: str, name: str) -> bool:
    return os.path.islink(os.path.join(folder, name))


@dataclass(frozen=True)
class Ancestor:
    """The original as the snapshot history held it before the copy was made."""

    snapshot: str
    taken_at: datetime
    text: str


def ancestor_of(project: Path, original: str, before: datetime) -> Ancestor | None:
    """The newest snapshot, taken before ``before`` (the copy's modification time), that
    holds ``original``: the text both machines started from, as far as this one knows."""
    from writers_factory.store.snapshots.reading import file_text, walk
    from writers_factory.store.snapshots.repository import SnapshotError, SnapshotRepository

    repo = SnapshotRepository(Path(project) / SESSION_DIR)
    try:
        if not repo.exists():
            return None
        for info in walk(repo):
            if info.meta.taken_at >= before:
                continue
            text = file_text(repo, info.id, original)
            if text is not None:
                return Ancestor(info.id, info.meta.taken_at, text)
            return None  # the file did not exist then: the two sides share no ancestor
    except (SnapshotError, OSError, KeyError, ValueError):
        return None
    return None
