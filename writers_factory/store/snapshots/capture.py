"""The project's files as they are now, ready to become a snapshot's tree.

What a snapshot holds: every file under ``manuscript/``, ``reference/`` and ``planning/``
(hidden files, our temp files and symbolic links left out: a link could lead outside the
project), and the session's ``*.json`` files (``lock.json`` excepted: it only says who runs)
under ``.session/`` in the tree. Text the writer sees but has not saved can be given as
``overrides`` (a snapshot before an AI rewrite records what was on screen).

Unchanged files are not read again: a :class:`CaptureCache` remembers each file's size,
modification time and blob id, so an incremental snapshot reads only what changed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from writers_factory.store.base.durable import TEMP_MARK

PROJECT_PARTS = ("manuscript", "reference", "planning")
SESSION_PREFIX = ".session/"
SESSION_SKIP = frozenset({"lock.json"})


@dataclass(frozen=True)
class CapturedFile:
    """One file of the snapshot: its blob id and, for text, what it holds."""

    path: str
    blob_id: str
    data: bytes | None
    """The bytes, when they were read this time and are new to the parent snapshot (a
    cache hit leaves them unread; a blob the repository has, unkept)."""


@dataclass
class CaptureCache:
    """Stat → blob id of files seen before (kept by whoever takes snapshots repeatedly)."""

    entries: dict[str, tuple[int, int, str]] = field(default_factory=dict)


def blob_id(data: bytes) -> str:
    """Git's id of a blob holding ``data`` (what ``git hash-object`` prints)."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


def _walk(root: str, rel: str, found: list[tuple[str, str, os.stat_result]]) -> None:
    try:
        entries = list(os.scandir(root))
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name.endswith(TEMP_MARK):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        sub = f"{rel}/{entry.name}"
        if stat.S_ISDIR(st.st_mode):
            _walk(entry.path, sub, found)
        elif stat.S_ISREG(st.st_mode):
            found.append((sub, entry.path, st))


def _listed(project: Path) -> list[tuple[str, str, os.stat_result]]:
    """(tree path, file path, stat) of every file a snapshot records, sorted. Paths stay
    strings: a snapshot lists the whole book each time and reads only what changed."""
    found: list[tuple[str, str, os.stat_result]] = []
    root = os.fspath(project)
    for part in PROJECT_PARTS:
        _walk(os.path.join(root, part), part, found)
    try:
        entries = list(os.scandir(os.path.join(root, ".session")))
    except OSError:
        entries = []
    for entry in entries:
        if not entry.name.endswith(".json") or entry.name in SESSION_SKIP:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            found.append((SESSION_PREFIX + entry.name, entry.path, st))
    return sorted(found)


def project_files(project: Path) -> list[tuple[str, Path, os.stat_result]]:
    """(tree path, file, stat) of every project file a snapshot records, sorted."""
    return [(rel, Path(path), st) for rel, path, st in _listed(project)]


def capture(
    project: Path,
    cache: CaptureCache | None = None,
    overrides: Mapping[str, str] | None = None,
    known: Collection[str] = (),
) -> dict[str, CapturedFile]:
    """Every recorded file by tree path; ``overrides`` (tree path → text) replace the disk's.

    A file that vanishes between listing and reading is left out (it was deleted); an
    override for a file not on disk adds it (an unsaved new file). A file read whose blob
    id is in ``known`` (the parent snapshot's blobs) is kept without its bytes: the
    repository has them, and the first snapshot of an app's run (nothing cached yet) would
    otherwise hold the whole book at once only to find it unchanged.
    """
    cache = cache if cache is not None else CaptureCache()
    overrides = dict(overrides or {})
    result: dict[str, CapturedFile] = {}
    seen: set[str] = set()
    for rel, path, st in _listed(project):
        seen.add(rel)
        if rel in overrides:
            continue
        key = (st.st_size, st.st_mtime_ns)
        hit = cache.entries.get(rel)
        if hit is not None and hit[:2] == key and not rel.startswith(SESSION_PREFIX):
            result[rel] = CapturedFile(rel, hit[2], None)
            continue
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError:
            continue
        ident = blob_id(data)
        cache.entries[rel] = (*key, ident)
        result[rel] = CapturedFile(rel, ident, None if ident in known else data)
    for rel in list(cache.entries):
        if rel not in seen:
            del cache.entries[rel]
    for rel, text in overrides.items():
        data = text.encode("utf-8")
        result[rel] = CapturedFile(rel, blob_id(data), data)
    return dict(sorted(result.items()))


def is_project_path(tree_path: str) -> bool:
    return tree_path.split("/", 1)[0] in PROJECT_PARTS
