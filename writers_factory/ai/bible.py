"""Ask the story bible: a local full-text index over ``reference/`` and ``planning/``.

The writer's notes are searched offline with SQLite FTS5 (porter stemming, accents folded),
in ``.session/index/bible.sqlite``. Found passages answer the question directly or become
the context a model answers from.

The index is a *cache*, rebuilt incrementally: each file's size, mtime_ns and sha256 are
recorded; a file whose size and mtime are unchanged is not read, one whose stat changed is
hashed and re-indexed only if its bytes changed, and files gone from disk lose their
passages. Being a cache, it never holds the only copy of anything — so an index that SQLite
cannot read is moved aside to ``.session/corrupt/`` with a timestamp (never deleted, so the
writer or a developer can inspect it) and rebuilt from the notes.

Durability: the rule "every write goes through ``write_atomic``" covers our JSON and text
files. SQLite writes its own database file through its own journal, which is crash-safe in
its own right; replacing the database wholesale with ``write_atomic`` would defeat
incremental updates. The notes themselves are only ever read here.

Everything is synchronous; async callers use ``asyncio.to_thread``. A lock serialises calls,
so the index may be used from any worker thread.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from writers_factory.core.errors import WritersFactoryError
from writers_factory.core.sync_conflicts import is_conflict_copy
from writers_factory.store.base.durable import is_temp_file
from writers_factory.store.base.jsonfile import set_aside
from writers_factory.store.base.paths import SessionPaths
from writers_factory.store.manuscript.buffers import COPIES_FOLDER
from writers_factory.store.manuscript.order import Beside

SOURCES = ("reference", "planning")
SUFFIXES = (".md", ".txt")
SCHEMA_VERSION = 1
INDEX_NAME = "bible.sqlite"
_CORRUPTION_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_TOKEN_RE = re.compile(r"\w+")

_SCHEMA = """
CREATE TABLE files(
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE TABLE passages(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    line INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX passages_by_path ON passages(path);
CREATE VIRTUAL TABLE passages_fts USING fts5(
    text, content='passages', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER passages_added AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER passages_removed AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
"""


class BibleUnavailableError(WritersFactoryError, RuntimeError):
    """This Python's SQLite was built without FTS5, so there is no local search."""


@dataclass(frozen=True)
class RefreshStats:
    """What one refresh did, counted in files."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passage:
    """A paragraph of the notes; ``path`` is relative to the project, ``line`` 1-based."""

    path: str
    line: int
    text: str
    score: float
    """Relevance (bm25, negated so that higher is better)."""


def split_passages(text: str) -> list[tuple[int, str]]:
    """Paragraphs (blank-line separated) with the 1-based line they start on."""
    out: list[tuple[int, str]] = []
    start: int | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if start is None:
                start = number
            lines.append(line.rstrip())
        elif start is not None:
            out.append((start, "\n".join(lines)))
            start, lines = None, []
    if start is not None:
        out.append((start, "\n".join(lines)))
    return out


def fts_query(query: str, *, any_word: bool = False) -> str | None:
    """Turn what the writer typed into a safe FTS5 query, or None if it has no words.

    Every word is quoted, so quotes, hyphens, ``*``, ``:``, parentheses and the operators
    AND/OR/NOT/NEAR are searched as plain text and can never be a syntax error.
    """
    tokens = _TOKEN_RE.findall(query)
    if not tokens:
        return None
    return (" OR " if any_word else " ").join(f'"{t}"' for t in tokens)


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _CORRUPTION_CODES
    return type(exc) is sqlite3.DatabaseError


class BibleIndex:
    """The story-bible index of one project."""

    def __init__(self, project_root: Path) -> None:
        self.project_root = Path(project_root)
        self.paths = SessionPaths.for_project(self.project_root)
        self.path = self.paths.root / "index" / INDEX_NAME
        self.problems: list[str] = []
        """Indexes set aside and files that could not be read, one line each."""
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        with self._lock:
            self._conn = self._open()

    # --- opening and recovery -------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and not conn.execute("SELECT 1 FROM sqlite_master").fetchone():
                try:
                    conn.executescript(
                        f"BEGIN;{_SCHEMA}PRAGMA user_version={SCHEMA_VERSION};COMMIT;"
                    )
                except sqlite3.OperationalError as exc:
                    if "fts5" in str(exc).lower():
                        raise BibleUnavailableError(
                            "SQLite here has no FTS5 module, so the story bible cannot be "
                            "searched locally"
                        ) from exc
                    raise
            elif version != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"index schema {version}, expected {SCHEMA_VERSION}")
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except BibleUnavailableError:
            raise
        except sqlite3.DatabaseError as exc:
            self._set_aside(str(exc))
            return self._connect()

    def _set_aside(self, reason: str) -> None:
        """Move the unreadable index (and its journal) into corrupt/ for a rebuild."""
        reason = " ".join(reason.split())
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            part = self.path.with_name(self.path.name + suffix)
            if part.exists():
                dest = set_aside(self.paths, part, "corrupt")
                if not suffix:
                    self.problems.append(
                        f"{self.path}: story-bible index unreadable ({reason}); kept as {dest} "
                        "and rebuilt from reference/ and planning/"
                    )

    def _recovering(self, exc: sqlite3.DatabaseError) -> bool:
        """Set aside and reopen after a corruption error; False for other errors."""
        if isinstance(exc, sqlite3.OperationalError) or not _is_corruption(exc):
            return False
        self._set_aside(str(exc))
        self._conn = self._connect()
        return True

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"{self.path}: the story-bible index is closed")
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # --- refresh --------------------------------------------------------------------------

    def note_files(self) -> list[Path]:
        """The notes to index: *.md / *.txt under reference/ and planning/, no hidden files.

        Not the writer's copies of chapters (``planning/copies/``, from "keep both" and
        read-only saves): they are manuscript text, and would answer questions about the
        story bible with passages of the book.
        """
        found: list[Path] = []
        copies = self.project_root / COPIES_FOLDER
        for name in SOURCES:
            root = self.project_root / name
            if not root.is_dir():
                continue
            for p in sorted(root.rglob("*")):
                rel = p.relative_to(self.project_root)
                if (
                    p.suffix.lower() in SUFFIXES
                    and not is_temp_file(p)
                    and not any(part.startswith(".") for part in rel.parts)
                    and copies not in p.parents
                    and p.is_file()
                    and not is_conflict_copy(p.name, Beside(p.parent))
                ):
                    found.append(p)
        return found

    def refresh(self) -> RefreshStats:
        """Bring the index up to date with the notes on disk; only changes are re-read."""
        with self._lock:
            try:
                return self._refresh()
            except sqlite3.DatabaseError as exc:
                if not self._recovering(exc):
                    raise
                return self._refresh()

    def _refresh(self) -> RefreshStats:
        conn = self.conn
        known = {
            row[0]: (row[1], row[2], row[3])
            for row in conn.execute("SELECT path, size, mtime_ns, sha256 FROM files")
        }
        added = updated = unchanged = 0
        problems: list[str] = []
        seen: set[str] = set()
        conn.execute("BEGIN")
        try:
            for path in self.note_files():
                rel = path.relative_to(self.project_root).as_posix()
                try:
                    st = path.stat()
                    old = known.get(rel)
                    if old is not None and old[0] == st.st_size and old[1] == st.st_mtime_ns:
                        seen.add(rel)
                        unchanged += 1
                        continue
                    data = path.read_bytes()
                except FileNotFoundError:
                    continue  # deleted while we walked: removed below if it was indexed
                except OSError as exc:
                    problems.append(f"{path}: could not be read ({exc.strerror or exc})")
                    if rel in known:
                        seen.add(rel)  # keep its old passages rather than lose them
                    continue
                seen.add(rel)
                digest = hashlib.sha256(data).hexdigest()
                if old is not None and old[2] == digest:
                    unchanged += 1
                else:
                    self._index_file(conn, rel, path, data, problems)
                    if old is None:
                        added += 1
                    else:
                        updated += 1
                conn.execute(
                    "INSERT OR REPLACE INTO files(path, size, mtime_ns, sha256) "
                    "VALUES (?, ?, ?, ?)",
                    (rel, st.st_size, st.st_mtime_ns, digest),
                )
            gone = [rel for rel in known if rel not in seen]
            for rel in gone:
                conn.execute("DELETE FROM passages WHERE path = ?", (rel,))
                conn.execute("DELETE FROM files WHERE path = ?", (rel,))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.problems.extend(problems)
        return RefreshStats(
            added=added,
            updated=updated,
            removed=len(gone),
            unchanged=unchanged,
            problems=tuple(problems),
        )

    @staticmethod
    def _index_file(
        conn: sqlite3.Connection, rel: str, path: Path, data: bytes, problems: list[str]
    ) -> None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text = data.decode("utf-8", errors="replace")
            problems.append(
                f"{path}: not UTF-8 text (byte {exc.start}); indexed with replacement marks"
            )
        conn.execute("DELETE FROM passages WHERE path = ?", (rel,))
        conn.executemany(
            "INSERT INTO passages(path, line, text) VALUES (?, ?, ?)",
            [(rel, line, body) for line, body in split_passages(text)],
        )

    # --- search ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = 8) -> list[Passage]:
        """Best passages for ``query``: all its words if possible, else any of them."""
        with self._lock:
            try:
                return self._search(query, limit)
            except sqlite3.DatabaseError as exc:
                if not self._recovering(exc):
                    raise
                self._refresh()
                return self._search(query, limit)

    def _search(self, query: str, limit: int) -> list[Passage]:
        found: list[Passage] = []
        for any_word in (False, True):
            match = fts_query(query, any_word=any_word)
            if match is None:
                return []
            rows = self.conn.execute(
                "SELECT p.path, p.line, p.text, bm25(passages_fts) FROM passages_fts "
                "JOIN passages AS p ON p.id = passages_fts.rowid "
                "WHERE passages_fts MATCH ? ORDER BY bm25(passages_fts), p.path, p.line "
                "LIMIT ?",
                (match, max(0, limit)),
            ).fetchall()
            found = [Passage(path=r[0], line=r[1], text=r[2], score=-r[3]) for r in rows]
            if found or len(_TOKEN_RE.findall(query)) == 1:
                break
        return found
