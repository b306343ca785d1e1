"""The ``writers-factory`` command.

``writers-factory [DIR]`` opens the workspace; ``new``, ``session``, ``stats`` and ``demo``
are subcommands. Everything heavy is imported inside the branch that needs it, so inspecting a
session does not pay for starting a TUI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

SUBCOMMANDS = {"new", "session", "stats", "demo"}
SESSION_VIEWS = ("show", "history", "costs", "preferences", "verify")


def _open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="writers-factory",
        description="A terminal workspace for novelists that never loses your work.",
        epilog=(
            "Other commands: writers-factory new DIR | session VIEW | stats | demo [DIR] "
            "(each with --help)."
        ),
    )
    parser.add_argument("project", nargs="?", default=".", help="project folder (default: here)")
    return parser


def _command_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="writers-factory")
    sub = parser.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="create a project from the template")
    new.add_argument("directory", type=Path)
    new.add_argument("--title", default=None, help="the novel's working title")

    session = sub.add_parser("session", help="inspect the .session/ folder")
    session.add_argument("view", choices=SESSION_VIEWS)
    session.add_argument("--project", type=Path, default=Path("."))
    session.add_argument("--json", action="store_true", help="machine-readable output")

    stats = sub.add_parser("stats", help="writing statistics")
    stats.add_argument("--project", type=Path, default=Path("."))
    fmt = stats.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")

    from writers_factory.cli_demo import add_parser as add_demo

    add_demo(sub)
    return parser


def _err(message: str) -> int:
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        ns = _command_parser().parse_args(args)
        if ns.command == "new":
            return _new(ns.directory, ns.title)
        if ns.command == "demo":
            from writers_factory.cli_demo import run_demo

            return run_demo(ns.directory, ns.corpus)
        if ns.command == "session":
            from writers_factory.cli_session import run_session_view

            return run_session_view(ns.project, ns.view, as_json=ns.json)
        from writers_factory.cli_stats import run_stats

        return run_stats(ns.project, "json" if ns.json else "csv" if ns.csv else "table")
    ns = _open_parser().parse_args(args)
    return _open(Path(ns.project))


def _new(directory: Path, title: str | None) -> int:
    from writers_factory.project import ProjectError, create_project

    try:
        created = create_project(directory, title)
    except (ProjectError, OSError) as exc:
        return _err(str(exc))
    print(f"Created {created}. Open it with: writers-factory {directory}")
    return 0


def _open(project: Path) -> int:
    from writers_factory.project import is_project, not_a_project_message

    if not project.is_dir() or not is_project(project):
        return _err(not_a_project_message(project))
    from writers_factory.tui.app import run_app

    return run_app(project)


if __name__ == "__main__":
    raise SystemExit(main())
