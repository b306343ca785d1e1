"""``writers-factory backup create | list | verify [ID] | restore ID [--to DIR]``.

Every answer is a message, never a traceback: exit 0 when all is well, 1 when a backup is
damaged (verify, restore), 2 when the command could not do its work.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from writers_factory.cli_output import emit as _emit
from writers_factory.cli_output import error as _error
from writers_factory.cli_output import say as _say

if TYPE_CHECKING:
    from writers_factory.store.backups.archive import Verified
    from writers_factory.store.backups.store import BackupEntry, BackupStore


def add_parser(sub: Any) -> None:
    backup = sub.add_parser("backup", help="whole-project backups kept outside the project")
    actions = backup.add_subparsers(dest="action", required=True)
    for name, text in (
        ("create", "back up the project now"),
        ("list", "the backups, oldest first"),
        ("verify", "check every file of one backup (or all) against its checksums"),
        ("restore", "bring a backup back (the current state is backed up first)"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("--project", type=Path, default=Path("."))
        action.add_argument("--json", action="store_true", help="machine-readable output")
        if name == "verify":
            action.add_argument("backup_id", nargs="?", default=None, metavar="ID")
        if name == "restore":
            action.add_argument("backup_id", metavar="ID")
            action.add_argument("--to", type=Path, default=None, help="an empty folder instead")


def run_backup(ns: argparse.Namespace) -> int:
    from writers_factory.core.errors import WritersFactoryError
    from writers_factory.project import is_project, not_a_project_message

    project = Path(ns.project)
    if not project.is_dir() or not is_project(project):
        return _error(not_a_project_message(project), ns.json)
    try:
        from writers_factory.store.backups.project import store_for

        store = store_for(project)
        handler = {"create": _create, "list": _list, "verify": _verify, "restore": _restore}
        return handler[ns.action](store, ns)
    except (WritersFactoryError, OSError, ValueError) as exc:
        from writers_factory.store.backups.store import DamagedBackupError

        if isinstance(exc, DamagedBackupError):
            return _report_damage(exc.verified, ns.json)
        return _error(str(exc), ns.json)


def _entry_json(entry: BackupEntry) -> dict[str, Any]:
    record = entry.record
    return {
        "id": entry.backup_id,
        "archive": str(entry.archive),
        "created_at": entry.created_at.isoformat() if entry.created_at else None,
        "trigger": record.trigger if record else None,
        "files": record.file_count if record else None,
        "bytes": record.archive_size if record else None,
        "problem": entry.problem or None,
    }


def _create(store: BackupStore, ns: argparse.Namespace) -> int:
    from writers_factory.store.backups.project import backup_prefs, policy

    record = store.create("manual")
    assert record is not None  # only automatic backups skip an unchanged project
    thinned = store.thin(policy(backup_prefs(store.project)))
    if ns.json:
        _emit(
            {
                "id": record.backup_id,
                "folder": str(store.folder),
                "files": record.file_count,
                "bytes": record.archive_size,
                "thinned": [e.backup_id for e in thinned],
            }
        )
    else:
        _say(
            f"[green]✓[/] backup {record.backup_id}: {record.file_count} files, "
            f"{record.archive_size:,} bytes in {store.folder}"
        )
        if thinned:
            _say(f"  {len(thinned)} older backup(s) thinned by the retention policy")
    return 0


def _list(store: BackupStore, ns: argparse.Namespace) -> int:
    entries = store.entries()
    if ns.json:
        _emit({"folder": str(store.folder), "backups": [_entry_json(e) for e in entries]})
        return 0
    if not entries:
        _say(f"No backups yet in {store.folder}. Make one with: writers-factory backup create")
        return 0
    from rich.table import Table

    _say(f"Backups in {store.folder}")
    table = Table()
    table.add_column("id", no_wrap=True)
    table.add_column("when", no_wrap=True)
    table.add_column("trigger")
    table.add_column("files", justify="right")
    table.add_column("size", justify="right")
    for entry in entries:
        when = f"{entry.created_at.astimezone():%Y-%m-%d %H:%M}" if entry.created_at else "?"
        record = entry.record
        if record is None:
            table.add_row(entry.backup_id, when, f"[yellow]{entry.problem}[/]", "", "")
        else:
            table.add_row(
                entry.backup_id,
                when,
                record.trigger,
                str(record.file_count),
                f"{record.archive_size:,}",
            )
    from rich.console import Console

    Console(highlight=False).print(table)
    return 0


def _verified_json(verified: Verified) -> dict[str, Any]:
    return {
        "archive": str(verified.archive),
        "ok": verified.ok,
        "files_checked": verified.files_checked,
        "problems": [{"file": p.path, "message": p.message} for p in verified.problems],
    }


def _report_damage(verified: Verified, as_json: bool) -> int:
    if as_json:
        _emit({"restored": False, **_verified_json(verified)})
        return 1
    from rich.markup import escape

    _say(f"[red]✗[/] {escape(str(verified.archive))} is damaged; nothing was restored:")
    for problem in verified.problems:
        _say(f"  [red]✗[/] {escape(problem.describe())}")
    return 1


def _verify(store: BackupStore, ns: argparse.Namespace) -> int:
    from rich.markup import escape

    entries = [store.find(ns.backup_id)] if ns.backup_id else store.entries()
    results = [(entry, store.verify(entry)) for entry in entries]
    bad = [v for _, v in results if not v.ok]
    if ns.json:
        _emit(
            {
                "ok": not bad,
                "backups": [{"id": e.backup_id, **_verified_json(v)} for e, v in results],
            }
        )
        return 1 if bad else 0
    if not results:
        _say(f"No backups in {store.folder}.")
    for entry, verified in results:
        if verified.ok:
            _say(f"[green]✓[/] {entry.backup_id}: {verified.files_checked} files intact")
            continue
        _say(f"[red]✗[/] {entry.backup_id}: damaged")
        for problem in verified.problems:
            _say(f"    {escape(problem.describe())}")
    return 1 if bad else 0


def _restore(store: BackupStore, ns: argparse.Namespace) -> int:
    from writers_factory.store.backups.project import live_owner

    result = store.restore(ns.backup_id, to=ns.to, live_owner=lambda: live_owner(store.project))
    if ns.json:
        _emit(
            {
                "restored": True,
                "target": str(result.target),
                "files": result.restored,
                "safety_backup": result.safety_backup,
            }
        )
        return 0
    _say(f"[green]✓[/] restored {result.restored} files into {result.target}")
    if result.safety_backup:
        _say(f"  the state before it is backup {result.safety_backup}")
    return 0
