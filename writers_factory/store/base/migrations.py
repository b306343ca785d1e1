"""Schema migrations, registered per file kind and per version step.

A migration is a pure function from the plain data of version N to version N+1, so each
step is small and testable with a fixture of the old layout. Before the first migration in
a process the whole ``.session/`` is backed up, because an upgrade is the one moment an
older Writers Factory may lose the ability to read the project.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base.paths import SessionPaths

Plain = dict[str, Any]
Step = Callable[[Plain], Plain]

_REGISTRY: dict[str, dict[int, Step]] = {}
_backups: dict[Path, Path] = {}
_backup_lock = threading.Lock()


class MigrationError(WritersFactoryError, ValueError):
    pass


def money_text(value: Any) -> Any:
    """Float dollars become exact decimal strings ("0.15", not 0.1499999…); other input passes."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float | int):
        return str(value)
    return value


def register(kind: str, from_version: int) -> Callable[[Step], Step]:
    """Register the step that upgrades ``kind`` from ``from_version`` to the next version."""

    def decorate(step: Step) -> Step:
        _REGISTRY.setdefault(kind, {})[from_version] = step
        return step

    return decorate


def upgrade(kind: str, raw: Plain, target: int) -> Plain:
    version = raw.get("schema_version", 0)
    steps = _REGISTRY.get(kind, {})
    data = dict(raw)
    while version < target:
        step = steps.get(version)
        if step is None:
            raise MigrationError(f"no migration for {kind} from schema {version}")
        data = step(data)
        version += 1
        data["schema_version"] = version
    return data


def ensure_backup(paths: SessionPaths) -> Path:
    """Back the whole ``.session/`` up once per process before migrating it."""
    from writers_factory.store.base.backups import backup_session

    with _backup_lock:
        key = paths.root.resolve()
        if key not in _backups or not _backups[key].exists():
            _backups[key] = backup_session(paths, "before-migration")
        return _backups[key]


def registered(kind: str) -> dict[int, Step]:
    return dict(_REGISTRY.get(kind, {}))
