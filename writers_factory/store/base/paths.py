"""Where everything lives inside a project's ``.session/`` folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SESSION_DIR = ".session"


@dataclass(frozen=True)
class SessionPaths:
    root: Path

    @classmethod
    def for_project(cls, project: Path) -> SessionPaths:
        return cls(Path(project) / SESSION_DIR)

    @property
    def project(self) -> Path:
        return self.root.parent

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
        return self.root / "lock.json"

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
        return self.root / "trash"

    @property
    def versions(self) -> Path:
        return self.root / "versions"

    @property
    def workflows(self) -> Path:
        return self.root / "workflows"

    @property
    def conversations(self) -> Path:
        return self.root / "conversations"

    def prev_of(self, path: Path) -> Path:
        return self.prev / path.relative_to(self.root)


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
