"""The backups of a project as its preferences set them up: folder and retention."""

from __future__ import annotations

from pathlib import Path

from writers_factory.core.retention import RetentionPolicy
from writers_factory.store.backups.location import backup_folder
from writers_factory.store.backups.store import BackupStore
from writers_factory.store.preferences.models import BackupPrefs


def backup_prefs(project: Path, author: str | None = None) -> BackupPrefs:
    """The project's backup preferences (read-only: defaults when the file is damaged);
    with ``author``, that co-author's (each author keeps their own preferences)."""
    from writers_factory.store.base.paths import SessionPaths
    from writers_factory.store.preferences.preferences import Preferences

    session = SessionPaths.for_project(Path(project), author).root
    if not session.is_dir():
        return BackupPrefs()
    return Preferences(session, read_only=True).data.backups


def policy(prefs: BackupPrefs) -> RetentionPolicy:
    return RetentionPolicy(prefs.daily_days, prefs.weekly_weeks, prefs.monthly_months)


def store_for(
    project: Path, prefs: BackupPrefs | None = None, author: str | None = None
) -> BackupStore:
    chosen = (prefs or backup_prefs(project, author)).folder
    return BackupStore(project, backup_folder(project, chosen))


def automatic_backup(project: Path, trigger: str, author: str | None = None) -> str | None:
    """The backup taken on close and once a day: skipped when switched off or when nothing
    changed since the last one; thinned afterwards. Returns the new backup's id, if any."""
    prefs = backup_prefs(project, author)
    if not prefs.automatic:
        return None
    store = store_for(project, prefs)
    record = store.create(trigger, skip_unchanged=True)
    store.thin(policy(prefs))
    return record.backup_id if record else None


def live_owner(project: Path) -> str | None:
    """The process that has ``project`` open right now on this machine, described; or ``None``."""
    from writers_factory.store.session.lock import LockState, check

    found = check(Path(project) / ".session" / "lock.json")
    if found.state is LockState.LIVE and found.info is not None:
        return f"Writers Factory (process {found.info.pid})"
    return None
