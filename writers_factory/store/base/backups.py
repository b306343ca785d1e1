"""Whole-``.session/`` copies taken before anything risky (a migration, a restore).

A backup is a plain folder copy, so a writer can inspect or restore it with a file manager.
Backups, the journal and the corrupt/ folder are not copied into a backup (they are either
backups already or would make each backup grow with every earlier one).

Every file of a backup is written through the durable path (private, fsynced) into folders
made with :func:`~writers_factory.store.base.durable.make_private_dir`; symbolic links and
anything that is not a plain file or folder are left out, never followed.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from writers_factory.store.base.durable import TEMP_MARK, make_private_dir, write_atomic
from writers_factory.store.base.paths import SessionPaths, stamp

_SKIP = {"backups", "corrupt", "recovered", "index", "trash", "versions", "snapshots.git"}
"""Not copied: other backups, set-aside files, caches, and histories that migrations of the
JSON files never touch (the snapshot repository is append-only and can be large)."""


def _copy_file(source: Path, target: Path) -> None:
    with open(source, "rb") as handle:
        data = handle.read()
    write_atomic(target, data, private=True)
    info = source.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))  # as the file was: sortable


def _copy_tree(source: Path, target: Path) -> None:
    make_private_dir(target)
    for child in sorted(source.iterdir()):
        if child.name.endswith(TEMP_MARK):
            continue
        mode = child.lstat().st_mode
        if stat.S_ISDIR(mode):
            _copy_tree(child, target / child.name)
        elif stat.S_ISREG(mode):
            _copy_file(child, target / child.name)


def backup_session(paths: SessionPaths, reason: str) -> Path:
    """Copy ``.session/`` into ``backups/<timestamp>-<reason>/`` and return that folder."""
    dest = paths.backups / f"{stamp()}-{reason}"
    if os.path.lexists(dest):  # never mixes two backups
        raise FileExistsError(errno.EEXIST, f"{dest} already exists")
    make_private_dir(dest)
    if not paths.root.is_dir():
        return dest
    for child in sorted(paths.root.iterdir()):
        if child.name in _SKIP or child.name.endswith(TEMP_MARK):
            continue
        mode = child.lstat().st_mode
        if stat.S_ISDIR(mode):
            _copy_tree(child, dest / child.name)
        elif stat.S_ISREG(mode):
            _copy_file(child, dest / child.name)
    return dest


def list_backups(paths: SessionPaths) -> list[Path]:
    if not paths.backups.is_dir():
        return []
    return sorted(p for p in paths.backups.iterdir() if p.is_dir())


def backup_file(paths: SessionPaths, path: Path, reason: str) -> Path:
    """Copy one file into ``backups/`` (used before rewriting a hand-edited file)."""
    dest = paths.backups / f"{path.name}.{stamp()}.{reason}"
    make_private_dir(paths.backups)
    _copy_file(path, dest)
    return dest
