"""``writers-factory demo [DIR]``: the store at work, told step by step.

Builds a project from a public-domain novel, writes through a session, logs operations,
kills a writer process with SIGKILL mid-session, then opens the project again and recovers
the unsaved text — printing what each step did. Nothing is sent to any model.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

DEFAULT_DIR = Path("writers-factory-demo")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``demo`` on the command's subparsers."""
    demo = sub.add_parser("demo", help="build a demo project, crash a writer and recover")
    demo.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=DEFAULT_DIR,
        help=f"a new folder for the demo project (default: {DEFAULT_DIR})",
    )
    demo.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="folder holding pride_and_prejudice.txt (default: shared/corpus beside the source)",
    )


def run_demo(directory: Path, corpus: Path | None = None) -> int:
    """Run every step, printing each as it finishes; 2 when the demo cannot run here."""
    from rich.console import Console
    from rich.table import Table

    from writers_factory.demo.corpus import NOVEL, default_folders
    from writers_factory.demo.tour import DemoError, run

    console = Console(highlight=False)
    if corpus is not None and not (corpus / NOVEL).is_file():
        Console(stderr=True).print(f"[bold red]error:[/] {corpus / NOVEL} does not exist")
        return 2
    folders = [corpus] if corpus is not None else default_folders()
    try:
        for number, step in enumerate(run(directory, folders), start=1):
            table = Table(
                title=f"{number}. {step.title}",
                title_justify="left",
                show_header=False,
                min_width=72,
            )
            table.add_column(style="bold")
            table.add_column()
            for name, value in step.facts:
                table.add_row(name, value)
            console.print(table)
    except (DemoError, OSError) as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
        return 2
    console.print(
        f"\nDone. Open the project with: [bold]writers-factory {directory}[/] "
        "(inspect it with `writers-factory session show --project "
        f"{directory}`)."
    )
    return 0


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="writers-factory")
    add_parser(parser.add_subparsers(dest="command", required=True))
    ns = parser.parse_args(argv)
    return run_demo(ns.directory, ns.corpus)
