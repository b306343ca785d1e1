"""One compile, start to finish: read the book, lay it out, write it durably.

Synchronous and slow for a long book (a PDF of a 120,000-word novel takes half a minute):
the app runs it in a thread worker and shows ``progress``; the command line prints it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from writers_factory.compile import Format
from writers_factory.compile.errors import CompileError
from writers_factory.compile.plan import plan_book
from writers_factory.core.book import Book
from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.paths import session_root_of

Progress = Callable[[str, int, int], None]
"""Called with (what is being done, steps done, steps in all)."""

OUTPUT_FOLDER = "output"
"""Where a compile goes unless told otherwise (``output/`` in the project)."""

SUFFIX: dict[Format, str] = {
    "docx": ".docx",
    "epub": ".epub",
    "pdf": ".pdf",
    "md": ".md",
    "txt": ".txt",
}


@dataclass
class CompileResult:
    """What a compile wrote, and what the writer should know about it."""

    path: Path
    chapters: int
    words: int
    problems: list[str] = field(default_factory=list)


def file_stem(title: str) -> str:
    """A file name from the title: "Pride & Prejudice" → "pride-prejudice"."""
    stem = re.sub(r"[^\w]+", "-", title.lower(), flags=re.UNICODE).strip("-_")
    return stem[:80] or "manuscript"


def default_output(project: Path, title: str, fmt: Format, *, manuscript: bool = False) -> Path:
    """``output/<title>.<format>`` in the project (``-manuscript`` for the standard layout)."""
    stem = file_stem(title) + ("-manuscript" if manuscript else "")
    return Path(project) / OUTPUT_FOLDER / f"{stem}{SUFFIX[fmt]}"


def compile_project(
    project: Path,
    fmt: Format = "docx",
    *,
    out: Path | None = None,
    manuscript: bool = False,
    title: str | None = None,
    author: str | None = None,
    progress: Progress | None = None,
    remember: Callable[[Path, bytes], None] | None = None,
) -> CompileResult:
    """Compile the manuscript of ``project`` into ``out`` (default: ``output/``).

    Raises :class:`CompileError` (nothing written) when the book cannot be made, and
    ``OSError`` (the durable path's) when it cannot be written. ``remember`` is told the
    bytes before they are written (the app's watcher then knows its own write).
    """
    if fmt not in SUFFIX:
        raise CompileError(f"{fmt!r} is not a format; choose one of {', '.join(SUFFIX)}")
    if manuscript and fmt != "docx":
        raise CompileError("the standard manuscript layout is a DOCX layout; use --format docx")

    def reading(done: int, total: int) -> None:
        if progress is not None:
            progress("Reading chapters", done, total)

    def laying_out(done: int, total: int) -> None:
        if progress is not None:
            progress(f"Writing {fmt.upper()}", done, total)

    plan = plan_book(project, title=title, author=author, progress=reading)
    book = plan.book
    if out is not None:
        target = Path(out)
    else:
        target = default_output(project, book.title, fmt, manuscript=manuscript)
    if session_root_of(target.absolute()) is not None:
        raise CompileError(
            f"{target}: the .session folder holds no compiled books; choose another place"
        )
    if target.is_dir():
        raise CompileError(f"{target} is a folder; name the file to write")
    problems = list(plan.problems)
    data = _render(book, fmt, manuscript=manuscript, progress=laying_out, problems=problems)
    target.parent.mkdir(parents=True, exist_ok=True)
    if remember is not None:
        remember(target, data)
    write_atomic(target, data)
    return CompileResult(target, len(book.chapters), book.words, problems)


def _render(
    book: Book,
    fmt: Format,
    *,
    manuscript: bool,
    progress: Callable[[int, int], None],
    problems: list[str],
) -> bytes:
    if fmt == "docx":
        from writers_factory.compile.to_docx import to_docx

        return to_docx(book, manuscript=manuscript, progress=progress)
    if fmt == "epub":
        from writers_factory.compile.to_epub import to_epub

        return to_epub(book, language=book.language, progress=progress)
    if fmt == "pdf":
        from writers_factory.compile.to_pdf import to_pdf

        return to_pdf(book, progress=progress, problems=problems)
    from writers_factory.compile.to_text import to_markdown, to_plain_text

    text = to_markdown(book) if fmt == "md" else to_plain_text(book)
    progress(len(book.chapters), len(book.chapters))
    return text.encode("utf-8")
