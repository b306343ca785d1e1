"""``writers-factory settings show|set|unset``: the writer's settings and where each comes from.

``show`` lists each value with its source (this project, the user settings, the built-in
default) and file; ``set``/``unset`` change one value in the user settings (``--user``, the
default: every project that does not set it follows) or in this project (``--project``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.cli_output import emit, error, say

if TYPE_CHECKING:
    from writers_factory.store.base.events import StoreProblem

ACTIONS = ("show", "set", "unset")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``settings`` on the command's subparsers."""
    settings = sub.add_parser(
        "settings",
        help="the writer's settings and where each comes from",
        description=(
            "show [--json] | set KEY VALUE [--user|--project] | unset KEY [--user|--project]"
        ),
    )
    settings.add_argument("action", choices=ACTIONS)
    settings.add_argument("key", nargs="?", default=None, help="e.g. theme, budget.daily_limit")
    settings.add_argument("value", nargs="?", default=None, help="the new value (null: none)")
    where = settings.add_mutually_exclusive_group()
    where.add_argument(
        "--user",
        dest="scope",
        action="store_const",
        const="user",
        help="in the user settings, for every project (the default)",
    )
    where.add_argument(
        "--project",
        dest="scope",
        action="store_const",
        const="project",
        help="in this project's preferences only",
    )
    settings.add_argument(
        "--folder", type=Path, default=Path("."), help="the project folder (default: here)"
    )
    settings.add_argument("--json", action="store_true", help="machine-readable output")


def run_settings(ns: argparse.Namespace) -> int:
    from writers_factory.core.errors import WritersFactoryError

    try:
        if ns.action == "show":
            return _show(ns.folder, as_json=ns.json)
        if ns.key is None or (ns.action == "set" and ns.value is None):
            usage = "settings set KEY VALUE" if ns.action == "set" else "settings unset KEY"
            return error(f"usage: writers-factory {usage} [--user|--project]", ns.json)
        return _change(ns)
    except (WritersFactoryError, OSError) as exc:
        return error(str(exc), ns.json)


def _project_session(folder: Path) -> Path | None:
    from writers_factory.project import is_project

    return folder / ".session" if folder.is_dir() and is_project(folder) else None


def _show(folder: Path, *, as_json: bool) -> int:
    from writers_factory.store.preferences.author_setting import settings_path
    from writers_factory.store.preferences.listing import rows
    from writers_factory.store.preferences.preferences import Preferences

    session = _project_session(folder)
    # outside a project there is no project layer: a session folder that does not exist
    prefs = Preferences(session or folder / ".no-project", read_only=True)
    listed = rows(prefs)
    problems = [_described(p) for p in prefs.problems]
    if as_json:
        emit(
            {
                "user_settings": str(settings_path()),
                "project_preferences": str(prefs.path) if session else None,
                "settings": [
                    {
                        "key": row.key,
                        "value": row.value,
                        "source": row.source,
                        "file": None if row.file is None else str(row.file),
                    }
                    for row in listed
                ],
                "problems": problems,
            }
        )
        return 0
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    say(f"User settings: {escape(str(settings_path()))}")
    say(f"Project preferences: {escape(str(prefs.path)) if session else '(not in a project)'}")
    table = Table(show_header=True, header_style="bold")
    for column in ("Setting", "Value", "From"):
        table.add_column(column)
    labels = {"project": "this project", "user": "user settings", "default": "default"}
    for row in listed:
        table.add_row(row.key, escape(row.shown()), labels[row.source])
    Console(highlight=False, soft_wrap=True).print(table)
    for problem in problems:
        say(f"[yellow]warning:[/] {escape(problem)}")
    return 0


def _described(problem: StoreProblem) -> str:
    where = f"{problem.path} › {problem.field}" if problem.field else str(problem.path)
    return f"{where}: {problem.message}"


def _change(ns: argparse.Namespace) -> int:
    from writers_factory.store.preferences.listing import USER_ONLY, typed
    from writers_factory.store.preferences.preferences import Preferences
    from writers_factory.store.preferences.user import UserSettings

    scope = ns.scope or "user"
    if scope == "user":
        target: UserSettings | Preferences = UserSettings()
        path = target.path
    else:
        session = _project_session(ns.folder)
        if session is None:
            return error(f"{ns.folder} is not a Writers Factory project (see --folder)", ns.json)
        if ns.key in USER_ONLY:
            return error(f"{ns.key} belongs to the user settings: use --user", ns.json)
        from writers_factory.store.backups.project import live_owner

        owner = live_owner(ns.folder)
        if owner is not None:  # it keeps its own preferences and would set this edit aside
            return error(
                f"{ns.folder} is open in {owner}: change it there (Settings, f12)", ns.json
            )
        target = Preferences(session)
        path = target.path
    changed = target.set(ns.key, typed(ns.value)) if ns.action == "set" else target.unset(ns.key)
    if changed:
        target.save_sync()
    if ns.json:
        emit({"file": str(path), "key": ns.key, "changed": changed})
    else:
        done = "unchanged" if not changed else "saved"
        say(f"{ns.key}: {done} in {path}")
    return 0
