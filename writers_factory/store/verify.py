"""Check every file in ``.session/`` without changing anything.

``writers-factory session verify`` uses this; so can a test or a writer's script. Each
finding names the file (and the field when there is one) and says what is wrong.

A finding is a *problem* (exit 1: something to mend) or a *note* (exit 0: worth knowing,
nothing to do). Beyond each file's own shape, problems include what only shows across
files: journal entries for files that are gone (or lie outside the project), a keymap that
names unknown bindings or leaves Quit without a key, costs.json against its chunks and cost
operations dated in the future (both checks from ``store/costs/view.py``). A syncing
tool's conflict copies are notes (they are merged, not errors). Temp files left
by a killed writer are notes: the file beside each holds the last completed save, and the
next start removes them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from writers_factory.core.keymap import check_keymap
from writers_factory.store.base.durable import find_leftovers
from writers_factory.store.base.jsonfile import describe_validation, read_file
from writers_factory.store.base.paths import (
    OutsideProjectError,
    SessionPaths,
    author_roots,
    inside_project,
)
from writers_factory.store.base.serialisers import DecodeError, loads
from writers_factory.store.session import lock as locks

SHOWN_PER_FILE = 5

# file pattern (relative to .session/) -> "module:Model"; checked in this order
KNOWN: tuple[tuple[str, str], ...] = (
    ("current.json", "writers_factory.store.session.models:SessionData"),
    ("history.json", "writers_factory.store.history.models:HistoryData"),
    ("costs.json", "writers_factory.store.costs.models:CostSummary"),
    ("costs/ops-*.json", "writers_factory.store.costs.models:OperationChunk"),
    ("preferences.json", "writers_factory.store.preferences.models:PreferencesData"),
    ("journal/*.json", "writers_factory.store.manuscript.journal:JournalEntry"),
    ("summaries.json", "writers_factory.store.manuscript.summaries:ChapterSummaries"),
    ("scores.json", "writers_factory.store.manuscript.ai_scores:ChapterScores"),
    ("metrics.json", "writers_factory.store.metrics.models:MetricsData"),
)
"""The store's own files. Other layers add theirs (workflows, conversations) through
``verify(project, extra=...)``: the store never reaches up to import them."""


@dataclass(frozen=True)
class Finding:
    """One thing verify found: a ``problem`` (exit 1) or a ``note`` (worth knowing, exit 0),
    named by file and, where it applies, field, so the writer can find it by hand."""

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
    """One file's shape against its model, read as the loaders read it (hostile bytes stop
    here too); without a model, only that it parses."""
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


def _plain(path: Path) -> Any:
    """The parsed content, or None when unreadable (already reported by :func:`check_file`)."""
    try:
        return loads(read_file(path))[0]
    except (OSError, DecodeError):
        return None


def _journal_targets(paths: SessionPaths) -> list[Finding]:
    findings: list[Finding] = []
    for entry in sorted(paths.journal.glob("*.json")) if paths.journal.is_dir() else []:
        raw = _plain(entry)
        target = raw.get("path") if isinstance(raw, dict) else None
        if not isinstance(target, str) or not target:
            continue  # a shape problem, reported with the file's other findings
        try:
            where = inside_project(paths.project, target)
        except OutsideProjectError as exc:
            findings.append(
                Finding(
                    entry,
                    f"unsaved text for {target}, which {exc.reason}: it will not be "
                    "offered or written there",
                    "path",
                )
            )
            continue
        if not where.is_file():
            never = isinstance(raw, dict) and raw.get("base_sha256") is None
            state = "was never saved" if never else "no longer exists"
            findings.append(
                Finding(
                    entry,
                    f"unsaved text for {target}, which {state}: opening the project offers it "
                    "for recovery (the text is kept here until then)",
                    "path",
                )
            )
    return findings


def _keybindings(paths: SessionPaths) -> list[Finding]:
    raw = _plain(paths.preferences) if paths.preferences.is_file() else None
    keymap = raw.get("keybindings") if isinstance(raw, dict) else None
    if not isinstance(keymap, dict):
        return []
    keys = {str(k): v for k, v in keymap.items() if isinstance(v, str)}
    return [
        Finding(paths.preferences, problem.message, f"keybindings.{problem.binding_id}")
        for problem in check_keymap(keys)
    ]


def _costs(paths: SessionPaths, now: datetime) -> list[Finding]:
    """The costs side's own cross-file checks (``store/costs/view.py``), as problems."""
    from writers_factory.store.costs.view import future_operations, summary_mismatches

    findings = [Finding(path, message) for path, message in summary_mismatches(paths.root)]
    ahead = future_operations(paths.root, now)
    shown: dict[Path, int] = {}
    for op in ahead:
        shown[op.path] = shown.get(op.path, 0) + 1
        if shown[op.path] <= SHOWN_PER_FILE:
            findings.append(Finding(op.path, op.describe(), f"operations.{op.position}.timestamp"))
    for path, count in shown.items():
        if count > SHOWN_PER_FILE:
            findings.append(
                Finding(
                    path,
                    f"and {count - SHOWN_PER_FILE} more operations dated in the future",
                    "operations",
                )
            )
    return findings


def _sync_copies(project: Path, paths: SessionPaths) -> list[Finding]:
    """A syncing tool's conflict copies: notes (``session conflicts --merge`` or the next
    start merges what can be merged), not files of unknown shape."""
    from writers_factory.store.session_copies import find_session_copies

    return [
        Finding(
            paths.root / copy.copy,
            f"a syncing tool's conflict copy of {copy.original}; `writers-factory session "
            "conflicts --merge` (or the next start) merges what it holds",
            level="note",
        )
        for copy in find_session_copies(project)
    ]


def _authors_folder(paths: SessionPaths) -> list[Finding]:
    """What in ``authors/`` is not an author's folder, and a move to authors left unfinished."""
    from writers_factory.core.authors import InvalidAuthorError, check_author

    findings: list[Finding] = []
    if (paths.root / "authors-migration.json").exists():
        findings.append(
            Finding(
                paths.root / "authors-migration.json",
                "a move of the single writer's files to the first author was interrupted; "
                "the next run with an author finishes it (a backup was taken before it)",
                level="note",
            )
        )
    folder = paths.authors
    for child in sorted(folder.iterdir()) if folder.is_dir() and not folder.is_symlink() else []:
        if child.is_symlink() or not child.is_dir():
            findings.append(
                Finding(child, "not an author's folder (a link or a file): it is never read")
            )
            continue
        try:
            check_author(child.name, source=str(child))
        except InvalidAuthorError as exc:
            findings.append(Finding(child, f"no author can be named so: {exc.reason}"))
    return findings


def verify(
    project: Path,
    extra: tuple[tuple[str, Schema], ...] = (),
    *,
    now: datetime | None = None,
) -> list[Finding]:
    """All problems found in ``project/.session``; an empty list means all is well.

    ``extra`` adds (pattern, schema) pairs for files other layers keep in ``.session/``;
    ``now`` is the moment operations are judged against (this machine's clock by default).
    """
    paths = SessionPaths.for_project(project)
    if not paths.root.is_dir():
        return [Finding(paths.root, "no .session/ folder: this project has never been opened")]
    findings: list[Finding] = []
    # the single writer's files, then each co-author's own (.session/authors/<name>/)
    writers = [paths, *(SessionPaths(root) for root in author_roots(paths.root))]
    for own in writers:
        for pattern, ref in (*KNOWN, *extra):
            model = _model(ref)
            for path in sorted(own.root.glob(pattern)):
                findings.extend(check_file(path, model))
    findings.extend(_authors_folder(paths))
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
    for own in writers:
        findings.extend(_journal_targets(own))
        findings.extend(_keybindings(own))
        findings.extend(_costs(own, now or datetime.now(UTC)))
    findings.extend(_sync_copies(project, paths))
    for leftover in find_leftovers([paths.root]):  # every author's folder included
        findings.append(
            Finding(
                leftover,
                "temp file left by an interrupted write; the file beside it holds the last "
                "completed save, and the next start removes it",
                level="note",
            )
        )
    return findings
