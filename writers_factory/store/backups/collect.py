"""Which files of a project a whole-project backup holds.

The writer's folders (``manuscript/``, ``reference/``, ``planning/``), the project's own
top-level files, and ``.session/`` without what is rebuilt or would make each backup hold the
ones before it: the story-bible index (a cache), ``backups/`` (copies already), the lock (a
restored lock would claim a process that is gone), and ``snapshots.git`` — the snapshot
repository is its own checksummed, deduplicated history that grows with every auto-save;
copying it whole into every backup would multiply its size by the number of backups kept.
Symbolic links and anything not a plain file are left out, never followed.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from writers_factory.store.base.durable import TEMP_MARK
from writers_factory.store.base.paths import SESSION_DIR

PROJECT_FOLDERS = ("manuscript", "reference", "planning")
SESSION_LEFT_OUT = ("index", "backups", "snapshots.git", "lock.json", "lock.flock")
LEFT_OUT = tuple(f"{SESSION_DIR}/{name}" for name in SESSION_LEFT_OUT)

VOLATILE = (
    f"{SESSION_DIR}/current.json",
    f"{SESSION_DIR}/history.json",
    f"{SESSION_DIR}/metrics.json",
    f"{SESSION_DIR}/prev",
)
"""Backed up, but not what makes a project "changed since its last backup": opening and
closing rewrite them (times, the session's entry, the counts) even when the writer changed
nothing."""


def is_volatile(rel: str) -> bool:
    """``rel`` is one of :data:`VOLATILE`, at the top of ``.session/`` or in a co-author's
    folder (``.session/authors/<name>/current.json`` …)."""
    authors = f"{SESSION_DIR}/authors/"
    if rel.startswith(authors) and rel.count("/") >= 3:
        rel = f"{SESSION_DIR}/" + rel[len(authors) :].split("/", 1)[1]
    return any(rel == item or rel.startswith(item + "/") for item in VOLATILE)


def _left_out(rel: PurePosixPath) -> bool:
    text = rel.as_posix()
    if rel.name.endswith(TEMP_MARK) or rel.name == ".lock":
        return True
    return any(text == item or text.startswith(item + "/") for item in LEFT_OUT)


def _walk(folder: Path, rel: PurePosixPath) -> Iterator[tuple[PurePosixPath, Path]]:
    try:
        children = sorted(folder.iterdir())
    except OSError:
        return
    for child in children:
        child_rel = rel / child.name
        if _left_out(child_rel):
            continue
        mode = child.lstat().st_mode
        if stat.S_ISDIR(mode):
            yield from _walk(child, child_rel)
        elif stat.S_ISREG(mode):
            yield child_rel, child


def project_files(project: Path) -> list[tuple[str, Path]]:
    """``(relative posix path, file)`` for every file a backup of ``project`` holds, sorted."""
    project = Path(project)
    found: list[tuple[str, Path]] = []
    for child in sorted(project.iterdir()):
        mode = child.lstat().st_mode
        if stat.S_ISREG(mode) and not child.name.endswith(TEMP_MARK):
            found.append((child.name, child))
    for name in (*PROJECT_FOLDERS, SESSION_DIR):
        folder = project / name
        if folder.is_dir() and not folder.is_symlink():
            found.extend((rel.as_posix(), path) for rel, path in _walk(folder, PurePosixPath(name)))
    return sorted(found)
