"""Turning co-authors on: the single writer's files become the first author's.

The first run with an author in a project that has the single-writer layout (its files at the
top of ``.session/``, no ``authors/`` yet) moves those files (:data:`~.layout.AUTHOR_OWN`)
into ``.session/authors/<author>/``. In this order, each step durable before the next:

1. a whole-project backup (``before-authors``, in the project's backup folder);
2. ``authors-migration.json`` written: the author and the names to move — from here on,
   the move is finished by whichever run comes next, for *that* author, even if it was
   killed half-way (a later run with another author name must not take the first one's
   files);
3. each name moved by one rename (a file or a whole folder; atomic on one file system),
   both folders fsynced after each; ``preferences.json`` is copied instead (the author gets
   their own, the project keeps its one: :data:`~.layout.COPIED`);
4. the move recorded in the audit trail, then the marker removed.

A name present in both places (which no run of this version leaves) is left where it is and
reported, never overwritten. Everything happens under the project's OS lock: a project open
in another window is not touched (the move happens at the next start instead).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, ValidationError

from writers_factory.core.authors import InvalidAuthorError, check_author
from writers_factory.store.audit.log import AuditLog
from writers_factory.store.base.durable import fsync_dir, make_private_dir, write_atomic
from writers_factory.store.base.jsonfile import read_file
from writers_factory.store.base.model_base import StoreDatetime, StoreModel
from writers_factory.store.base.paths import AUTHORS_DIR, SESSION_DIR, utcnow
from writers_factory.store.base.serialisers import DecodeError, dumps, loads
from writers_factory.store.session import lock as locks

from .layout import AUTHOR_OWN, COPIED, single_writer_files

MARKER = "authors-migration.json"


class AuthorMigration(StoreModel):
    """``.session/authors-migration.json``: a move to the first author under way."""

    KIND = "authors migration"

    author: str = Field(min_length=1, max_length=200)
    names: list[str]
    backup_id: str | None = None
    started_at: StoreDatetime


class AuthorMigrationError(OSError):
    """The move could not be done or finished; nothing was lost (the backup, the marker)."""


@dataclass
class MigrationResult:
    author: str
    backup_id: str | None
    moved: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    """Names found both at the top and in the author's folder: left as they are."""
    resumed: bool = False


def _default_backup(project: Path) -> str | None:
    from writers_factory.store.backups.project import store_for

    record = store_for(project).create("before-authors")
    return record.backup_id if record else None


def _read_marker(path: Path) -> AuthorMigration | None:
    try:
        raw, _ = loads(read_file(path))
        found = AuthorMigration.model_validate(raw)
        check_author(found.author, source=f"{path} › author")  # never a path out of authors/
        return found
    except FileNotFoundError:
        return None
    except (OSError, DecodeError, ValidationError, InvalidAuthorError) as exc:
        raise AuthorMigrationError(
            f"{path} is damaged ({exc}); the move to authors stopped here. The backup "
            "taken before it holds every file"
        ) from exc


def needs_migration(project: Path) -> bool:
    """A move is pending (interrupted) or due (single-writer files and no ``authors/``)."""
    session = Path(project) / SESSION_DIR
    if (session / MARKER).exists():
        return True
    return not os.path.lexists(session / AUTHORS_DIR) and bool(single_writer_files(project))


def migrate_to_author(
    project: Path,
    author: str,
    *,
    make_backup: Callable[[Path], str | None] | None = None,
    on_moved: Callable[[str], None] | None = None,
) -> MigrationResult | None:
    """Move the single writer's files to ``author`` (checked by ``core.authors``) when due;
    ``None`` when there was nothing to do or another process has the project open.

    Blocking (a thread). ``make_backup`` replaces the whole-project backup (it returns the
    backup's id; raising stops the move before anything moved); ``on_moved`` is told each
    name as it lands (a test stops the process there).
    """
    project = Path(project)
    session = project / SESSION_DIR
    if not session.is_dir() or session.is_symlink() or not needs_migration(project):
        return None
    lock_json = session / "lock.json"
    claim = locks.acquire_os_lock(lock_json)
    try:
        if claim is locks.Claim.BUSY:
            return None
        if locks.check(lock_json).state is locks.LockState.LIVE:
            return None  # an owner that takes no OS lock: never moved under its feet
        return _migrate(project, author, make_backup or _default_backup, on_moved)
    finally:
        if claim is locks.Claim.ACQUIRED:
            locks.release_os_lock(lock_json)


def _migrate(
    project: Path,
    author: str,
    make_backup: Callable[[Path], str | None],
    on_moved: Callable[[str], None] | None,
) -> MigrationResult | None:
    session = project / SESSION_DIR
    marker_path = session / MARKER
    pending = _read_marker(marker_path)
    resumed = pending is not None
    if pending is None:
        if not needs_migration(project):  # done by another process meanwhile
            return None
        backup_id = make_backup(project)
        pending = AuthorMigration(
            author=author,
            names=single_writer_files(project),
            backup_id=backup_id,
            started_at=utcnow(),
        )
        write_atomic(marker_path, dumps(pending.model_dump(mode="json")))
    result = MigrationResult(pending.author, pending.backup_id, resumed=resumed)
    target = make_private_dir(session / AUTHORS_DIR / pending.author)
    for name in pending.names:
        if name not in AUTHOR_OWN:
            continue  # a hand-edited marker names only the store's own files
        source, dest = session / name, target / name
        if not os.path.lexists(source):
            continue  # moved before an interruption
        if name in COPIED and not source.is_symlink():
            if not os.path.lexists(dest):
                with open(source, "rb") as handle:
                    write_atomic(dest, handle.read())
                result.moved.append(name)
            continue
        if os.path.lexists(dest) or source.is_symlink():
            result.left.append(name)
            continue
        os.replace(source, dest)
        fsync_dir(target)
        fsync_dir(session)
        result.moved.append(name)
        if on_moved is not None:
            on_moved(name)
    with contextlib.suppress(OSError):  # the trail never stops the move
        AuditLog(session).record(
            "migration",
            from_=f"{SESSION_DIR}/ (one writer: {', '.join(pending.names) or 'no files'})",
            to=f"{SESSION_DIR}/{AUTHORS_DIR}/{pending.author}/",
            trigger="first run with an author"
            + (f" (backup {pending.backup_id})" if pending.backup_id else "")
            + (" (resumed after an interruption)" if resumed else ""),
            error=(f"left in place (also in the author's folder): {', '.join(result.left)}")
            if result.left
            else None,
        )
    marker_path.unlink()
    fsync_dir(session)
    return result


__all__ = [
    "MARKER",
    "AuthorMigration",
    "AuthorMigrationError",
    "MigrationResult",
    "migrate_to_author",
    "needs_migration",
]
