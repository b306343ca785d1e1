"""From the project on disk to a :class:`~writers_factory.core.book.Book`.

Reads the chapters in reading order (``manuscript/order.toml``, else natural order) and the
title and author from the preferences. A chapter that cannot be read stops the compile with
its name: a book silently missing a chapter is worse than no book.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from writers_factory.compile.errors import CompileError
from writers_factory.core.book import Book, Chapter, book, chapter, readable_name
from writers_factory.core.wordcount import count_words
from writers_factory.project import default_title as folder_title
from writers_factory.store.manuscript.order import read_manuscript
from writers_factory.store.preferences.models import BookPrefs

Progress = Callable[[int, int], None]
"""Called with (steps done, steps in all) as a compile goes."""


@dataclass
class Plan:
    """The book to lay out, and what the writer should know about how it was read."""

    book: Book
    problems: list[str] = field(default_factory=list)


def book_prefs(project: Path) -> tuple[BookPrefs, str]:
    """The project's book preferences and its language (the spelling language), read-only:
    defaults when the file is damaged."""
    from writers_factory.store.preferences.preferences import Preferences

    session = Path(project) / ".session"
    if not session.is_dir():
        return BookPrefs(), "en"
    data = Preferences(session, read_only=True).data
    return data.book, data.editor.spelling_language


def default_title(project: Path) -> str:
    """When the preferences name no title: the project's name in ``current.json`` (what
    ``writers-factory new --title`` recorded), else the folder's name made readable."""
    from writers_factory.store.base.jsonfile import read_file
    from writers_factory.store.base.serialisers import loads

    try:
        raw, _ = loads(read_file(Path(project) / ".session" / "current.json"))
    except (OSError, ValueError):
        raw = None
    name = raw.get("project_name") if isinstance(raw, dict) else None
    if isinstance(name, str) and name.strip():
        return name.strip()
    return folder_title(Path(project).resolve())


def plan_book(
    project: Path,
    *,
    title: str | None = None,
    author: str | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Read the manuscript of ``project`` into a :class:`Plan`; synchronous disk reads."""
    project = Path(project)
    folder = project / "manuscript"
    if not folder.is_dir():
        raise CompileError(f"{folder} does not exist: there is no manuscript to compile")
    manuscript = read_manuscript(folder)
    if not manuscript.chapters:
        raise CompileError(f"{folder} holds no chapters (.md or .txt files) to compile")
    prefs, language = book_prefs(project)
    book_title = title if title is not None else prefs.title or default_title(project)
    chapters: list[Chapter] = []
    words = 0
    total = len(manuscript.chapters)
    for done, path in enumerate(manuscript.chapters, start=1):
        relative = path.relative_to(folder).as_posix()
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CompileError(
                f"manuscript/{relative}: not UTF-8 text (byte {exc.start}); nothing was compiled"
            ) from exc
        except OSError as exc:
            raise CompileError(
                f"manuscript/{relative}: could not be read ({exc.strerror or exc}); "
                "nothing was compiled"
            ) from exc
        part = relative.rpartition("/")[0]
        chapters.append(
            chapter(text, relative, readable_name(part) if part else None, book_title=book_title)
        )
        words += count_words(text)
        if progress is not None:
            progress(done, total)
    made = book(
        book_title,
        author if author is not None else prefs.author or "",
        chapters,
        words=words,
        surname=prefs.surname,
        language=language,
    )
    return Plan(made, list(manuscript.problems))
