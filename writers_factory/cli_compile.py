"""``writers-factory compile``: the manuscript, in reading order, as one document."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Add ``compile`` to the command's subparsers."""
    from writers_factory.compile import FORMATS

    parser: argparse.ArgumentParser = sub.add_parser(
        "compile",
        help="the manuscript as one DOCX, EPUB, PDF, Markdown or text file",
        description=(
            "Join the chapters in reading order (manuscript/order.toml, else natural order) "
            "into one document with a title page, chapter headings and scene breaks. "
            "Written to output/ unless --out names a file."
        ),
    )
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument("--format", choices=FORMATS, default=FORMATS[0], dest="fmt")
    parser.add_argument("--out", type=Path, default=None, help="the file to write")
    parser.add_argument(
        "--manuscript-format",
        action="store_true",
        help="DOCX in the standard manuscript layout (double-spaced, 12 pt, header "
        "Surname / Title / page)",
    )
    parser.add_argument("--title", default=None, help="instead of the preferences' book title")
    parser.add_argument("--author", default=None, help="instead of the preferences' author")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run_compile(ns: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markup import escape

    from writers_factory.compile.errors import CompileError
    from writers_factory.compile.run import compile_project

    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    shown = {"last": ""}

    def progress(what: str, done: int, total: int) -> None:
        if ns.json or not err.is_terminal:
            return
        line = f"{what}: {done}/{total}"
        if line != shown["last"]:
            shown["last"] = line
            err.print(line, end="\r")

    try:
        result = compile_project(
            ns.project,
            ns.fmt,
            out=ns.out,
            manuscript=ns.manuscript_format,
            title=ns.title,
            author=ns.author,
            progress=progress,
        )
    except (CompileError, OSError) as exc:
        if ns.json:
            print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        else:
            err.print(f"[bold red]error:[/] {escape(str(exc))}")
        return 2
    if ns.json:
        payload = {
            "path": str(result.path),
            "format": ns.fmt,
            "chapters": result.chapters,
            "words": result.words,
            "problems": result.problems,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    for problem in result.problems:
        err.print(f"[yellow]note:[/] {escape(problem)}")
    out.print(
        f"Compiled {result.chapters} chapters ({result.words:,} words) into "
        f"{escape(str(result.path))}"
    )
    return 0
