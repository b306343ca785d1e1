"""The backups of one project in their folder: create, list, verify, restore, thin.

Each backup is two files written through the durable path: ``<id>.zip`` (the archive) then
``<id>.json`` (its record, with the archive's checksum). An archive without its record is
one a crash interrupted before it was complete: listed, never trusted as the newest, never
deleted by thinning (nothing is deleted that is not understood).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from writers_factory.core.errors import WritersFactoryError
from writers_factory.core.retention import RetentionPolicy, keep
from writers_factory.store.backups import archive
from writers_factory.store.backups.collect import LEFT_OUT, project_files
from writers_factory.store.backups.models import BackupRecord
from writers_factory.store.backups.names import safe_relative
from writers_factory.store.base.digests import sha256_hex
from writers_factory.store.base.durable import fsync_dir, write_atomic
from writers_factory.store.base.paths import SESSION_DIR, inside_project, stamp

_ID = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-[a-z0-9-]{1,40}$")
_TRIGGER = re.compile(r"^[a-z0-9-]{1,40}$")


class BackupError(WritersFactoryError):
    """A backup could not be found, made or restored; the message says which and why."""


class DamagedBackupError(BackupError):
    """Verification failed: nothing was restored. ``verified.problems`` names each file."""

    def __init__(self, verified: archive.Verified) -> None:
        self.verified = verified
        lines = "\n".join(f"  {p.describe()}" for p in verified.problems)
        super().__init__(f"{verified.archive} is damaged; nothing was restored:\n{lines}")


@dataclass(frozen=True)
class BackupEntry:
    """One backup in the folder; ``record`` is ``None`` for an incomplete or foreign one."""

    backup_id: str
    archive: Path
    record: BackupRecord | None
    problem: str = ""

    @property
    def created_at(self) -> datetime | None:
        if self.record is not None:
            return self.record.created_at
        with contextlib.suppress(ValueError):
            return datetime.strptime(self.backup_id[:23], "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
        return None


@dataclass(frozen=True)
class RestoreResult:
    target: Path
    restored: int
    safety_backup: str | None
    """The backup of the state before the restore (``None`` when restoring elsewhere)."""


class BackupStore:
    """The backups of ``project`` kept in ``folder``."""

    def __init__(self, project: Path, folder: Path) -> None:
        self.project = Path(project)
        self.folder = Path(folder)

    # -- reading --------------------------------------------------------------------------

    def entries(self) -> list[BackupEntry]:
        """Every backup, oldest first."""
        if not self.folder.is_dir():
            return []
        found: list[BackupEntry] = []
        for zipped in sorted(self.folder.glob("*.zip")):
            if zipped.is_symlink() or not _ID.match(zipped.stem):
                continue
            record, problem = self._record(zipped.with_suffix(".json"))
            found.append(BackupEntry(zipped.stem, zipped, record, problem))
        return found

    @staticmethod
    def _record(path: Path) -> tuple[BackupRecord | None, str]:
        from writers_factory.store.base.serialisers import DecodeError, loads

        if not path.exists():
            return None, "incomplete: no record beside the archive"
        try:
            if path.is_symlink() or path.stat().st_size > 1024 * 1024:
                return None, f"{path.name}: not a record of ours"
            value, _ = loads(path.read_bytes())
            return BackupRecord.model_validate(value), ""
        except (DecodeError, ValidationError, OSError, ValueError) as exc:
            return None, f"{path.name}: cannot be read ({type(exc).__name__})"

    def find(self, backup_id: str) -> BackupEntry:
        """The backup whose id is or starts with ``backup_id`` (unique), or :class:`BackupError`."""
        matches = [e for e in self.entries() if e.backup_id.startswith(backup_id)]
        exact = [e for e in matches if e.backup_id == backup_id]
        if exact:
            return exact[0]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise BackupError(f"no backup {backup_id!r} in {self.folder}")
        raise BackupError(f"{backup_id!r} names {len(matches)} backups: give more of the id")

    def latest(self) -> BackupEntry | None:
        complete = [e for e in self.entries() if e.record is not None]
        return complete[-1] if complete else None

    def verify(self, entry: BackupEntry) -> archive.Verified:
        found = archive.verify(entry.archive, entry.record)
        if entry.record is None and not found.problems:
            found.problems.append(archive.FileProblem(archive.ARCHIVE, entry.problem))
        return found

    # -- writing --------------------------------------------------------------------------

    def create(
        self,
        trigger: str = "manual",
        *,
        now: datetime | None = None,
        skip_unchanged: bool = False,
        project_name: str = "",
    ) -> BackupRecord | None:
        """Back up the project now; ``None`` when ``skip_unchanged`` and nothing changed."""
        if not _TRIGGER.match(trigger):
            raise BackupError(f"{trigger!r} is not a backup trigger (a-z, 0-9, -)")
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        backup_id = f"{stamp(moment)}-{trigger}"
        files = project_files(self.project)
        data, manifest = archive.build(
            files,
            backup_id=backup_id,
            created_at=moment,
            trigger=trigger,
            project_name=project_name or self.project.name,
            left_out=list(LEFT_OUT),
        )
        content = archive.content_hash(manifest.files)
        if skip_unchanged:
            latest = self.latest()
            if latest is not None and latest.record and latest.record.content_sha256 == content:
                return None
        target = self.folder / f"{backup_id}.zip"
        if os.path.lexists(target):
            raise BackupError(f"{target} already exists")
        write_atomic(target, data, private=True)
        record = BackupRecord(
            backup_id=backup_id,
            created_at=moment,
            trigger=trigger,
            project_name=manifest.project_name,
            project_path=str(self.project.absolute()),
            archive_sha256=sha256_hex(data),
            archive_size=len(data),
            file_count=len(manifest.files),
            total_bytes=manifest.total_bytes,
            content_sha256=content,
        )
        write_atomic(
            target.with_suffix(".json"), record.model_dump_json(indent=1).encode(), private=True
        )
        return record

    def restore(
        self,
        backup_id: str,
        *,
        to: Path | None = None,
        live_owner: Callable[[], str | None] = lambda: None,
    ) -> RestoreResult:
        """Bring back a backup, into the project (after backing it up) or into ``to``.

        The archive is read once and every file checked; only the checked bytes are written,
        so a damaged backup restores nothing (:class:`DamagedBackupError`). Restoring over
        the project first makes a ``before-restore`` backup of it; files the backup does not
        hold are left as they are. ``live_owner`` names a process that has the project open
        (a restore under a running session would be overwritten by it): then nothing happens.
        """
        entry = self.find(backup_id)
        verified = self.verify(entry)
        if not verified.ok:
            if to is None:
                self._audit(entry.backup_id, error=f"damaged: {len(verified.problems)} problem(s)")
            raise DamagedBackupError(verified)
        safety: str | None = None
        if to is None:
            owner = live_owner()
            if owner:
                raise BackupError(f"{self.project} is open in {owner}: close it, then restore")
            target = self.project
            made = self.create("before-restore")
            safety = made.backup_id if made else None
        else:
            target = Path(to)
            if target.exists() and (not target.is_dir() or any(target.iterdir())):
                raise BackupError(f"{target} is not an empty folder: choose a new one")
            target.mkdir(parents=True, exist_ok=True)
        for rel, data in sorted(verified.contents.items()):
            write_atomic(_destination(target, rel), data)
        if to is None:
            self._audit(entry.backup_id, safety=safety)
        return RestoreResult(target=target, restored=len(verified.contents), safety_backup=safety)

    def _audit(
        self, backup_id: str, *, safety: str | None = None, error: str | None = None
    ) -> None:
        """Record a restore over the project in its audit trail (from: the safety backup)."""
        from writers_factory.store.audit.log import AuditLog

        root = self.project / SESSION_DIR
        if root.is_dir() and not root.is_symlink():
            AuditLog(root).record(
                "restore", from_=safety, to=backup_id, trigger="backup restore", error=error
            )

    def thin(
        self, policy: RetentionPolicy, *, now: datetime | None = None, apply: bool = True
    ) -> list[BackupEntry]:
        """Remove (or with ``apply=False`` only name) the backups the policy lets go."""
        complete = [e for e in self.entries() if e.record is not None]
        moments = [e.record.created_at for e in complete if e.record is not None]
        local_now = (now or datetime.now(UTC)).astimezone()
        kept = keep(moments, local_now, policy)
        going = [e for i, e in enumerate(complete) if i not in kept]
        if apply:
            for entry in going:
                remove_backup(entry)
        return going


def _destination(target: Path, rel: str) -> Path:
    """Where a file of the archive goes, checked with every link in ``target`` followed."""
    parts = safe_relative(rel).parts
    where = f"backup › {rel}"
    if parts[0] == SESSION_DIR:
        if len(parts) == 1:
            raise BackupError(f"{where}: {SESSION_DIR} is a folder, not a file")
        return inside_project(
            target / SESSION_DIR, Path(*parts[1:]), where=where, within=SESSION_DIR
        )
    return inside_project(target, Path(*parts), where=where)


def remove_backup(entry: BackupEntry) -> None:
    """Delete the archive, then its record (a record left alone names a missing archive)."""
    for path in (entry.archive, entry.archive.with_suffix(".json")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    fsync_dir(entry.archive.parent)
