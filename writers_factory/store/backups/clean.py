"""``session clean``: what ``.session/`` and the backup folder may let go of, and letting go.

Candidates: entries of ``recovered/``, ``trash/``, ``corrupt/`` and ``.session/backups/``
older than ``clean_after_days``, and whole-project backups the retention policy thins. Never
the newest copy of anything: a ``trash/`` or ``recovered/`` folder that holds the newest copy
of some file is kept, however old; in ``corrupt/`` the newest of each file's set-aside copies
is kept; in ``.session/backups/`` the newest entry is kept. A link is never followed (it is
removed as the link it is only when it is a candidate itself). Nothing is removed unless
``apply``: the default is a dry run that names what would go.
"""

from __future__ import annotations

import re
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from writers_factory.core.retention import RetentionPolicy
from writers_factory.store.backups.store import BackupStore, remove_backup
from writers_factory.store.base.durable import fsync_dir
from writers_factory.store.base.paths import SessionPaths, author_roots

_STAMP = re.compile(r"(\d{8}T\d{6}\.\d{6}Z)")


@dataclass(frozen=True)
class Candidate:
    where: str  # "trash", "recovered", "corrupt", "session-backups", "backups"
    path: Path
    age_days: int
    size: int


def _moment(path: Path) -> datetime:
    found = _STAMP.search(path.name)
    if found:
        try:
            return datetime.strptime(found.group(1), "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(path.lstat().st_mtime, UTC)


def _size(path: Path) -> int:
    mode = path.lstat().st_mode
    if not stat.S_ISDIR(mode):
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if not p.is_dir() or p.is_symlink())


def _entries(folder: Path) -> list[Path]:
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(folder.iterdir(), key=_moment)


def _files_in(folder: Path) -> Iterator[str]:
    if folder.is_symlink() or not folder.is_dir():
        yield folder.name
        return
    for path in folder.rglob("*"):
        if not path.is_dir():
            yield path.relative_to(folder).as_posix()


def _newest_holders(entries: list[Path]) -> set[Path]:
    """The folders holding the newest copy of at least one file (entries oldest first)."""
    newest: dict[str, Path] = {}
    for entry in entries:
        for rel in _files_in(entry):
            newest[rel] = entry
    return set(newest.values())


def _newest_per_original(entries: list[Path]) -> set[Path]:
    newest: dict[str, Path] = {}
    for entry in entries:
        found = _STAMP.search(entry.name)
        key = entry.name[: found.start()] if found else entry.name
        newest[key] = entry
    return set(newest.values())


def candidates(
    paths: SessionPaths,
    store: BackupStore | None,
    policy: RetentionPolicy,
    *,
    older_than_days: int,
    now: datetime | None = None,
) -> list[Candidate]:
    moment = now or datetime.now(UTC)
    cutoff = moment - timedelta(days=older_than_days)
    found: list[Candidate] = []
    groups = [
        ("trash", paths.trash, _newest_holders),
        ("recovered", paths.recovered, _newest_holders),
        ("corrupt", paths.corrupt, _newest_per_original),
        ("session-backups", paths.backups, lambda es: set(es[-1:])),
    ]
    for root in author_roots(paths.root):  # each co-author's own set-aside journals and files
        own = SessionPaths(root)
        groups += [
            ("recovered", own.recovered, _newest_holders),
            ("corrupt", own.corrupt, _newest_per_original),
        ]
    for where, folder, keep in groups:
        entries = _entries(folder)
        kept = keep(entries)
        for entry in entries:
            when = _moment(entry)
            if entry in kept or when >= cutoff:
                continue
            found.append(Candidate(where, entry, (moment - when).days, _size(entry)))
    if store is not None:
        for backup in store.thin(policy, now=moment, apply=False):
            when = backup.created_at or moment
            size = backup.record.archive_size if backup.record else 0
            found.append(Candidate("backups", backup.archive, (moment - when).days, size))
    return found


def remove(candidate: Candidate, store: BackupStore | None) -> None:
    """Remove one candidate (a link as a link, a folder with what it holds)."""
    path = candidate.path
    if candidate.where == "backups" and store is not None:
        for entry in store.entries():
            if entry.archive == path:
                remove_backup(entry)
        return
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path)
    fsync_dir(path.parent)
