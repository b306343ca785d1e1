"""Check every file in ``.session/`` without changing anything.

``writers-factory session verify`` uses this; so can a test or a writer's script. Each
finding names the file (and the field when there is one) and says what is wrong.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from writers_factory.store.base.durable import find_leftovers
from writers_factory.store.base.jsonfile import describe_validation, read_file
from writers_factory.store.base.paths import SessionPaths
from writers_factory.store.base.serialisers import DecodeError, loads
from writers_factory.store.session import lock as locks

# file pattern (relative to .session/) -> "module:Model"; checked in this order
KNOWN: tuple[tuple[str, str], ...] = (
    ("current.json", "writers_factory.store.session.models:SessionData"),
    ("history.json", "writers_factory.store.history.models:HistoryData"),
    ("costs.json", "writers_factory.store.costs.models:CostSummary"),
    ("costs/ops-*.json", "writers_factory.store.costs.models:OperationChunk"),
    ("preferences.json", "writers_factory.store.preferences.models:PreferencesData"),
    ("journal/*.json", "writers_factory.store.manuscript.journal:JournalEntry"),
)
"""The store's own files. Other layers add theirs (workflows, conversations) through
``verify(project, extra=...)``: the store never reaches up to import them."""


@dataclass(frozen=True)
class Finding:
    path: Path
    message: str
    field: str | None = None
    level: Literal["problem", "note"] = "problem"

    def describe(self) -> str:
        where = f"{self.path}" + (f" › {self.field}" if self.field else "")
        return f"{where}: {self.message}"


def _old(path: Path, version: int) -> list[Finding]:
    # An older layout is not a problem: opening the project migrates it, backup first.
    return [
        Finding(
            path,
            f"old layout (schema {version}); opening the project will upgrade "
            "it after backing up .session/",
            level="note",
        )
    ]


Schema = str | type[BaseModel]
"""A model, or ``"module:Model"`` imported when needed (keeps ``verify`` cheap to import)."""


def _model(ref: Schema) -> type[BaseModel] | None:
    if isinstance(ref, type):
        return ref
    module, _, name = ref.partition(":")
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None


def check_file(path: Path, model: type[BaseModel] | None) -> list[Finding]:
    try:
        data = read_file(path)
    except OSError as exc:
        return [Finding(path, f"cannot be read: {exc.strerror or exc}")]
    try:
        raw, _ = loads(data)
    except DecodeError as exc:
        return [Finding(path, exc.reason, exc.field)]
    if isinstance(raw, list) and model is not None and getattr(model, "KIND", "") == "history":
        return _old(path, 0)  # the earliest history.json was a bare list
    if not isinstance(raw, dict):
        return [Finding(path, f"expected a JSON object, found {type(raw).__name__}")]
    version = raw.get("schema_version", 0)
    known = getattr(model, "SCHEMA_VERSION", None) if model is not None else None
    if isinstance(version, int) and isinstance(known, int) and version != known:
        if version > known:
            return [
                Finding(
                    path,
                    f"written by a newer version (schema {version} > {known}); it opens read-only",
                    level="note",
                )
            ]
        return _old(path, version)
    if model is None:
        return []
    try:
        model.model_validate(raw)
    except ValidationError as exc:
        return [Finding(path, reason, field) for field, reason in describe_validation(exc)]
    return []


def verify(project: Path, extra: tuple[tuple[str, Schema], ...] = ()) -> list[Finding]:
    """All problems found in ``project/.session``; an empty list means all is well.

    ``extra`` adds (pattern, schema) pairs for files other layers keep in ``.session/``.
    """
    paths = SessionPaths.for_project(project)
    if not paths.root.is_dir():
        return [Finding(paths.root, "no .session/ folder: this project has never been opened")]
    findings: list[Finding] = []
    for pattern, ref in (*KNOWN, *extra):
        model = _model(ref)
        for path in sorted(paths.root.glob(pattern)):
            findings.extend(check_file(path, model))
    state = locks.check(paths.lock)
    if state.state is locks.LockState.UNREADABLE:
        findings.append(Finding(paths.lock, state.reason))
    elif state.state is locks.LockState.STALE:
        findings.append(
            Finding(
                paths.lock,
                f"left by an interrupted session ({state.reason}); "
                "opening the project offers recovery",
                level="note",
            )
        )
    elif state.state is locks.LockState.FOREIGN and state.info is not None:
        age = int(state.info.age_seconds() // 60)
        findings.append(
            Finding(
                paths.lock,
                f"held by {state.info.host} (last heartbeat {age} min ago)",
                level="note",
            )
        )
    for leftover in find_leftovers([paths.root]):
        findings.append(Finding(leftover, "temp file left by an interrupted write"))
    return findings
