"""The ``writers-factory`` command.

``writers-factory [DIR]`` opens the workspace; ``new``, ``session``, ``snapshot``, ``stats``
and ``demo`` are subcommands. Everything heavy is imported inside the branch that needs it, so
inspecting a session does not pay for starting a TUI.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BROKEN_PIPE_EXIT = 1
"""The exit code when the reader went away (``| head``): the same as the tables' printer
gives for it, so every view ends alike."""

SUBCOMMANDS = {"new", "session", "snapshot", "stats", "demo", "backup", "compile", "settings"}
SESSION_VIEWS = (
    "show",
    "history",
    "costs",
    "preferences",
    "verify",
    "rollback",
    "log",
    "clean",
    "export",
    "import",
    "metrics",
    "conflicts",
)
SNAPSHOT_ACTIONS = ("list", "show", "diff", "restore", "create")


def _open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="writers-factory",
        description="A terminal workspace for novelists that never loses your work.",
        epilog=(
            "Other commands: writers-factory new DIR | session VIEW | snapshot ACTION | stats | "
            "demo [DIR] | backup create|list|verify|restore | compile [--format F] | "
            "settings show|set|unset "
            "(each with --help)."
        ),
    )
    parser.add_argument("project", nargs="?", default=".", help="project folder (default: here)")
    _add_author(parser)
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    return parser


class _Version(argparse.Action):
    """``--version``, looked up only when asked: reading the package metadata imports
    ``importlib.metadata`` (and the e-mail parsing it brings) and scans the installed
    distributions, a few tens of milliseconds every start of the workspace paid for nothing.
    """

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.pop("nargs", None)
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        print(f"{parser.prog} {version()}")  # on stdout, as argparse's own version action
        parser.exit()


def _add_author(parser: argparse.ArgumentParser, *, by_author: bool = False) -> None:
    parser.add_argument(
        "--author",
        default=None,
        help="write as this co-author: your own session, preferences, history and costs "
        "under .session/authors/NAME/ (default: $WRITERS_FACTORY_AUTHOR; none: one writer)",
    )
    if by_author:
        parser.add_argument(
            "--by-author",
            action="store_true",
            help="costs, stats: each co-author's figures and the project's total",
        )


def _author(ns: argparse.Namespace) -> str | None:
    """``--author``, else ``$WRITERS_FACTORY_AUTHOR``, else the user settings' ``author``
    (checked: ``InvalidAuthorError``),
    spelt as the project's folder for that author when one differs only in case."""
    from writers_factory.core.authors import AUTHOR_ENV, resolve_author

    given = getattr(ns, "author", None)
    settings = None
    if given is None and not os.environ.get(AUTHOR_ENV, "").strip():
        from writers_factory.store.preferences.author_setting import user_author

        settings = user_author()  # the writer's own name, for every project they open
    author = resolve_author(given, os.environ, settings)
    if author is None:
        return None
    from writers_factory.store.authors.layout import canonical_author

    return canonical_author(Path(ns.project), author)


def version() -> str:
    """The installed version (from the package's metadata, so it is the one pip installed)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("writers-factory")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _command_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="writers-factory")
    sub = parser.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="create a project from the template")
    new.add_argument("directory", type=Path)
    new.add_argument("--title", default=None, help="the novel's working title")
    new.add_argument(
        "--sample",
        action="store_true",
        help="start with a sample story instead of an empty first chapter",
    )

    session = sub.add_parser("session", help="inspect the .session/ folder")
    session.add_argument("view", choices=SESSION_VIEWS)
    session.add_argument(
        "id",
        nargs="?",
        default=None,
        help="rollback: the snapshot to go back to; export/import: the archive file",
    )
    session.add_argument("--project", type=Path, default=Path("."))
    session.add_argument("--json", action="store_true", help="machine-readable output")
    session.add_argument("--since", default=None, help="log: from this date (YYYY-MM-DD) on")
    session.add_argument("--apply", action="store_true", help="clean: remove (default: dry run)")
    session.add_argument(
        "--replace",
        action="store_true",
        help="import: replace the session files (default: merge costs and history)",
    )
    session.add_argument(
        "--merge", action="store_true", help="conflicts: merge them (default: dry run)"
    )
    _add_author(session, by_author=True)

    snapshot = sub.add_parser(
        "snapshot",
        help="the project's snapshots",
        description=(
            "list [FILE] | show ID [FILE] | diff ID [ID2] [FILE] | restore ID FILE | "
            "create -m MESSAGE"
        ),
    )
    snapshot.add_argument("action", choices=SNAPSHOT_ACTIONS)
    snapshot.add_argument("args", nargs="*", help="snapshot ids and a project file")
    snapshot.add_argument("-m", "--message", default="", help="create: what this moment is")
    snapshot.add_argument("--project", type=Path, default=Path("."))
    snapshot.add_argument("--json", action="store_true", help="machine-readable output")

    stats = sub.add_parser("stats", help="writing statistics")
    stats.add_argument("--project", type=Path, default=Path("."))
    fmt = stats.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    _add_author(stats, by_author=True)

    from writers_factory.cli_backup import add_parser as add_backup
    from writers_factory.cli_compile import add_parser as add_compile
    from writers_factory.cli_demo import add_parser as add_demo
    from writers_factory.cli_settings import add_parser as add_settings

    add_demo(sub)
    add_settings(sub)
    add_backup(sub)
    add_compile(sub)
    return parser


def _err(message: str) -> int:
    """Print an error; paths are never wrapped (they stay whole to copy) nor read as markup."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(
        f"[bold red]error:[/] {escape(message)}", highlight=False
    )
    return 2


def _missing_project(project: Path, as_json: bool) -> int | None:
    """Exit 2 with a message when ``--project`` names no folder; ``None`` when it does."""
    if project.is_dir():
        return None
    reason = "does not exist" if not project.exists() else "is a file, not a project folder"
    message = f"the project {project} {reason}"
    if as_json:
        import json

        print(json.dumps({"error": message}, ensure_ascii=False))
        return 2
    return _err(message)


def main(argv: Sequence[str] | None = None) -> int:
    """The command; a reader that goes away early (``| head``) ends it quietly."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # here, not at exit, where a closed pipe could not be caught
        return code
    except BrokenPipeError:
        # Nothing more can be said to a reader that has gone; point stdout at nothing so
        # the interpreter's last flush does not print a traceback either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return BROKEN_PIPE_EXIT


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        ns = _command_parser().parse_args(args)
        if ns.command == "new":
            return _new(ns.directory, ns.title, sample=ns.sample)
        if ns.command == "demo":
            from writers_factory.cli_demo import run_demo

            return run_demo(ns.directory, ns.corpus)
        if ns.command == "settings":
            from writers_factory.cli_settings import run_settings

            return run_settings(ns)
        missing = _missing_project(ns.project, getattr(ns, "json", False))
        if missing is not None:
            return missing
        from writers_factory.core.authors import InvalidAuthorError

        try:  # only the commands whose --author is a co-author read the environment's
            author = _author(ns) if ns.command in ("session", "stats") else None
        except InvalidAuthorError as exc:
            return _err(str(exc))
        if ns.command == "backup":
            from writers_factory.cli_backup import run_backup

            return run_backup(ns)
        if ns.command == "compile":
            from writers_factory.cli_compile import run_compile

            return run_compile(ns)
        if ns.command == "session":
            if ns.view == "rollback":
                from writers_factory.cli_snapshot import run_rollback

                return run_rollback(ns.project, ns.id, as_json=ns.json)
            if ns.view in ("export", "import", "metrics"):
                return _session_tool(ns)
            if ns.view == "conflicts":
                from writers_factory.cli_conflicts import run_conflicts

                return run_conflicts(ns.project, merge=ns.merge, as_json=ns.json)
            from writers_factory.cli_session import run_session_view

            if ns.view == "clean":
                from writers_factory.cli_clean import run_clean

                return run_clean(ns.project, apply=ns.apply, as_json=ns.json)
            return run_session_view(
                ns.project,
                ns.view,
                as_json=ns.json,
                since=ns.since,
                author=author,
                by_author=ns.by_author,
            )
        if ns.command == "snapshot":
            from writers_factory.cli_snapshot import run_snapshot

            return run_snapshot(ns.project, ns.action, ns.args, ns.message, as_json=ns.json)
        from writers_factory.cli_stats import run_stats

        return run_stats(
            ns.project,
            "json" if ns.json else "csv" if ns.csv else "table",
            author=author,
            by_author=ns.by_author,
        )
    ns = _open_parser().parse_args(args)
    from writers_factory.core.authors import InvalidAuthorError

    try:
        author = _author(ns)
    except InvalidAuthorError as exc:
        return _err(str(exc))
    return _open(Path(ns.project), author)


def _session_tool(ns: argparse.Namespace) -> int:
    """``session export FILE``, ``session import FILE [--replace]``, ``session metrics``."""
    if ns.view == "metrics":
        from writers_factory.cli_metrics import run_metrics

        return run_metrics(ns.project, as_json=ns.json)
    from writers_factory import cli_exchange

    if ns.view == "export":
        return cli_exchange.run_export(ns.project, ns.id, as_json=ns.json)
    return cli_exchange.run_import(ns.project, ns.id, replace=ns.replace, as_json=ns.json)


def _new(directory: Path, title: str | None, *, sample: bool = False) -> int:
    from writers_factory.project import ProjectError, create_project

    try:
        created = create_project(directory, title, sample=sample)
    except (ProjectError, OSError) as exc:
        return _err(str(exc))
    print(f"Created {created}. Open it with: writers-factory {directory}")
    return 0


def _open(project: Path, author: str | None = None) -> int:
    from writers_factory.project import is_project, not_a_project_message

    if not project.is_dir() or not is_project(project):
        return _err(not_a_project_message(project))
    from writers_factory.tui.app import run_app

    return run_app(project, author)


if __name__ == "__main__":
    raise SystemExit(main())
