"""Whole-``.session/`` copies taken before anything risky (a migration, a restore).

A backup is a plain folder copy, so a writer can inspect or restore it with a file manager.
Backups, the journal and the corrupt/ folder are not copied into a backup (they are either
backups already or would make each backup grow with every earlier one).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from writers_factory.store.base.durable import TEMP_MARK
from writers_factory.store.base.paths import SessionPaths, stamp

_SKIP = {"backups", "corrupt", "recovered", "index", "trash", "versions"}


def backup_session(paths: SessionPaths, reason: str) -> Path:
    """Copy ``.session/`` into ``backups/<timestamp>-<reason>/`` and return that folder."""
    dest = paths.backups / f"{stamp()}-{reason}"
    dest.mkdir(parents=True, exist_ok=False)
    if not paths.root.is_dir():
        return dest
    for child in paths.root.iterdir():
        if child.name in _SKIP or child.name.endswith(TEMP_MARK):
            continue
        target = dest / child.name
        if child.is_dir():
            shutil.copytree(child, target, ignore=shutil.ignore_patterns(f"*{TEMP_MARK}"))
        elif child.is_file():
            shutil.copy2(child, target)
    return dest


def list_backups(paths: SessionPaths) -> list[Path]:
    if not paths.backups.is_dir():
        return []
    return sorted(p for p in paths.backups.iterdir() if p.is_dir())


def backup_file(paths: SessionPaths, path: Path, reason: str) -> Path:
    """Copy one file into ``backups/`` (used before rewriting a hand-edited file)."""
    paths.backups.mkdir(parents=True, exist_ok=True)
    dest = paths.backups / f"{path.name}.{stamp()}.{reason}"
    shutil.copy2(path, dest)
    return dest
