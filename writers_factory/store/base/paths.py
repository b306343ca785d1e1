"""Where everything lives inside a project's ``.session/`` folder, and the one rule that keeps
a path read from disk state inside the project (:func:`inside_project`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath

from writers_factory.core.errors import WritersFactoryError

SESSION_DIR = ".session"
AUTHORS_DIR = "authors"
"""``.session/authors/<name>/``: one co-author's own session, preferences, history, costs,
journal, workflows and conversations (the same names as at the top of ``.session/``)."""


@dataclass(frozen=True)
class SessionPaths:
    """Every path of the store. ``root`` is where the writer's own files live: ``.session/``
    itself, or ``.session/authors/<name>/`` for a co-author; what the whole project shares
    (the lock, the trash, the versions) is always found under :attr:`shared`, so a store
    rerooted at an author's folder keeps using the project's one lock."""

    root: Path

    @classmethod
    def for_project(cls, project: Path, author: str | None = None) -> SessionPaths:
        """The project's paths; with ``author`` that author's own folder (the name checked
        again here: whoever passes it, it never leads out of ``authors/``)."""
        session = Path(project) / SESSION_DIR
        if author is None:
            return cls(session)
        from writers_factory.core.authors import check_author

        return cls(session / AUTHORS_DIR / check_author(author, source="author"))

    @property
    def shared(self) -> Path:
        """The project's ``.session/`` folder, also when :attr:`root` is an author's."""
        parent = self.root.parent
        if parent.name == AUTHORS_DIR and parent.parent.name == SESSION_DIR:
            return parent.parent
        return self.root

    @property
    def author(self) -> str | None:
        """The author whose folder :attr:`root` is; ``None`` for the single-writer layout."""
        return self.root.name if self.shared != self.root else None

    @property
    def authors(self) -> Path:
        return self.shared / AUTHORS_DIR

    @property
    def project(self) -> Path:
        return self.shared.parent

    @property
    def current(self) -> Path:
        return self.root / "current.json"

    @property
    def history(self) -> Path:
        return self.root / "history.json"

    @property
    def costs(self) -> Path:
        return self.root / "costs.json"

    @property
    def cost_chunks(self) -> Path:
        return self.root / "costs"

    @property
    def preferences(self) -> Path:
        return self.root / "preferences.json"

    @property
    def lock(self) -> Path:
        return self.shared / "lock.json"

    @property
    def prev(self) -> Path:
        return self.root / "prev"

    @property
    def corrupt(self) -> Path:
        return self.root / "corrupt"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def journal(self) -> Path:
        return self.root / "journal"

    @property
    def recovered(self) -> Path:
        return self.root / "recovered"

    @property
    def trash(self) -> Path:
        return self.shared / "trash"

    @property
    def versions(self) -> Path:
        return self.shared / "versions"

    @property
    def workflows(self) -> Path:
        return self.root / "workflows"

    @property
    def conversations(self) -> Path:
        return self.root / "conversations"

    def prev_of(self, path: Path) -> Path:
        return self.prev / path.relative_to(self.root)


def author_roots(session_root: Path) -> list[Path]:
    """The co-authors' folders under ``session_root/authors/``, sorted by name (links and
    anything that is not a folder left out: an author's state is never reached through one)."""
    folder = Path(session_root) / AUTHORS_DIR
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(child for child in folder.iterdir() if child.is_dir() and not child.is_symlink())


def session_root_of(path: Path) -> Path | None:
    """The ``.session`` folder ``path`` lies in (or is), or ``None`` outside any."""
    path = Path(path)
    for candidate in (path, *path.parents):
        if candidate.name == SESSION_DIR:
            return candidate
    return None


def stamp(now: datetime | None = None) -> str:
    """A sortable, filename-safe UTC timestamp with microseconds (collisions are harmless)."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def utcnow() -> datetime:
    return datetime.now(UTC)


class OutsideProjectError(WritersFactoryError, PermissionError, ValueError):
    """A path read from disk state (or a link) leads outside the project, or into its
    ``.session`` folder: it is never opened, shown, written or recovered.

    ``where`` names the file and the entry (``current.json › open_files[2]``), ``value`` the
    path as written there, ``reason`` what is wrong with it; the message joins the three.
    A ``PermissionError`` (a caller reporting any ``OSError`` reports it) and a ``ValueError``
    (the path itself is the bad value).
    """

    def __init__(self, where: str, value: str, reason: str) -> None:
        self.where = where
        self.value = value
        self.reason = reason
        super().__init__(f"{where}: {value} {reason}" if where else f"{value} {reason}")


def inside_project(
    root: Path, path: str | PurePath, *, where: str = "", within: str = "the project"
) -> Path:
    """The file ``path`` names, every symbolic link followed, when it lies inside ``root``.

    ``path`` is relative to ``root`` or absolute, exactly as some file on disk holds it (a
    hand-edited ``current.json``, a journal entry, a workflow record): nothing on disk is
    trusted to stay inside the project, and a link may lead anywhere, so the answer is the
    fully resolved path or :class:`OutsideProjectError` naming ``where`` and the value
    (``within`` names ``root`` in it: a store folder checks its own records the same way).
    ``root``'s own ``.session`` folder is session state, never a project file. Use this for
    every such path — there is no other copy of the rule.
    """
    shown = PurePath(path).as_posix() if isinstance(path, PurePath) else str(path)
    base = Path(root).absolute()
    candidate = Path(path) if Path(path).is_absolute() else base / path
    try:
        real = candidate.resolve()
        real_root = base.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a loop of links, a NUL byte
        raise OutsideProjectError(where, shown, f"cannot be resolved ({exc})") from exc
    if real == real_root:
        raise OutsideProjectError(where, shown, "is the project folder itself, not a file")
    if real_root not in real.parents:
        raise OutsideProjectError(where, shown, f"leads outside {within}")
    lexical = Path(os.path.normpath(candidate))
    for top, inside in ((real_root, real), (base, lexical)):
        session = top / SESSION_DIR
        if inside == session or session in inside.parents:
            raise OutsideProjectError(
                where, shown, f"leads into the {SESSION_DIR} folder, not a project file"
            )
    return real
