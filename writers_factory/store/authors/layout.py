"""Which of ``.session/``'s files belong to one writer, and which the whole project shares.

An author's folder ``.session/authors/<name>/`` holds the same names as the top of
``.session/`` does for a single writer (:data:`AUTHOR_OWN`): the session, preferences,
history, costs, the journal of unsaved text, workflows, conversations, chapter summaries,
and their kept previous versions. Two authors on two machines writing different chapters of
a synced folder therefore never write the same state file.

The project keeps one of each of the rest: the lock (it names the author holding it), the
audit trail (append-only; each record says what changed), the metrics, the snapshot history
of the book, the trash, the earlier versions, the story-bible index, set-aside and backup
copies. The manuscript itself is shared: it is the book they write together.
"""

from __future__ import annotations

from pathlib import Path

from writers_factory.store.base.paths import SESSION_DIR, author_roots

AUTHOR_OWN: tuple[str, ...] = (
    "current.json",
    "history.json",
    "costs.json",
    "costs",
    "preferences.json",
    "summaries.json",
    "journal",
    "recovered",
    "workflows",
    "conversations",
    "prev",
)
"""Names at the top of ``.session/`` that move to the first author when authors are turned
on (``prev/`` last: it holds the previous good versions of the files moved before it)."""

COPIED: tuple[str, ...] = ("preferences.json",)
"""Given to the first author as a copy: the project keeps its own, which what reads the
project's preferences without an author (compiling the book, the backup commands) reads."""

RECORDS: tuple[str, ...] = ("current.json", "history.json", "costs.json", "costs")
"""What makes the top of ``.session/`` a writer's record of its own (a session, a history,
costs): the preferences alone, kept for the project, do not."""


def authors_of(project: Path) -> list[str]:
    """The names of the project's co-authors (their folders), sorted."""
    return [root.name for root in author_roots(Path(project) / SESSION_DIR)]


def canonical_author(project: Path, author: str) -> str:
    """``author`` spelt as the project's existing folder when one differs only in case.

    ``Ann`` and ``ann`` are one folder on macOS and Windows and two on Linux: a synced
    folder must not hold both, so the author who typed ``ann`` writes into ``Ann/``.
    """
    wanted = author.casefold()
    for name in authors_of(project):
        if name.casefold() == wanted:
            return name
    return author


def single_writer_files(project: Path) -> list[str]:
    """The writer-own names present at the top of ``.session/`` (the single-writer layout)."""
    root = Path(project) / SESSION_DIR
    return [name for name in AUTHOR_OWN if (root / name).exists()]


def session_roots(project: Path) -> list[tuple[str | None, Path]]:
    """Every place a writer's own files live: ``(None, .session)`` when the single-writer
    files are there, then ``(name, .session/authors/<name>)`` for each author."""
    root = Path(project) / SESSION_DIR
    found: list[tuple[str | None, Path]] = []
    if any((root / name).exists() for name in RECORDS):
        found.append((None, root))
    found.extend((path.name, path) for path in author_roots(root))
    return found
