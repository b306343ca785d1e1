"""Conflict copies a syncing tool left in ``.session/``: found, merged without loss, reported.

Two machines writing the same synced project make copies of the store's own files. What
can be merged is merged by the store's own merge (``store/merging.py``, the one
``session import`` uses): a copy of a cost chunk gives its operations (by id, nothing counted
twice), a copy of ``history.json`` its sessions (by session id). A copy of ``costs.json``
holds nothing of its own (the summary is rebuilt from the chunks). A copy of a file that
holds one state (``current.json``, ``preferences.json``, ``metrics.json``…) cannot be
merged: this project's file is kept and the copy named. Every copy dealt with is moved to
the trash (``.session/trash/``, readable by hand); one that cannot be read whole is left
where it is and named, so nothing it holds is lost.

A merge is done only after a whole-``.session/`` backup (``backups/<stamp>-before-sync-merge``)
and recorded in the audit trail. Without ``apply`` nothing changes: the report says what a
merge would do. Synchronous disk work: call from a thread.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from writers_factory.core.errors import WritersFactoryError
from writers_factory.core.sync_conflicts import recognise
from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.paths import AUTHORS_DIR, SESSION_DIR, SessionPaths
from writers_factory.store.costs.summary import CHUNK_DIR, chunk_number

Kind = Literal["costs", "history", "derived", "single", "other"]

SKIPPED = frozenset(
    {"backups", "corrupt", "recovered", "index", "trash", "versions", "snapshots.git", "prev"}
)
"""Folders of ``.session/`` not looked into: copies and histories of their own."""
SINGLE = frozenset({"current.json", "preferences.json", "metrics.json", "summaries.json"})
"""Files holding one state: a copy cannot be merged into them; this project's is kept."""
DERIVED = frozenset({"costs.json", "lock.json", "lock.flock"})
"""Files rebuilt or remade by the store: a copy holds nothing to take."""


@dataclass(frozen=True)
class SessionCopy:
    """A conflict copy of a file of ``.session/`` (paths relative to ``.session/``)."""

    copy: str
    original: str
    kind: Kind


@dataclass
class CopiesReport:
    """What a merge of the copies did, or (``applied`` false) would do."""

    applied: bool
    copies: list[SessionCopy] = field(default_factory=list)
    operations_added: int = 0
    operations_already_here: int = 0
    sessions_added: int = 0
    sessions_already_here: int = 0
    trashed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was not merged, and why (this project's kept, a copy left in place…)."""
    backup: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "copies": [
                {"copy": c.copy, "original": c.original, "kind": c.kind} for c in self.copies
            ],
            "operations": {
                "added": self.operations_added,
                "already_here": self.operations_already_here,
            },
            "sessions": {"added": self.sessions_added, "already_here": self.sessions_already_here},
            "trashed": self.trashed,
            "notes": self.notes,
            "backup": self.backup,
        }


def _writer(original: str) -> tuple[str, str]:
    """``(folder, name)``: a co-author's copy is merged into their folder
    (``authors/Ann/`` + ``costs/ops-000001.json``); the single writer's has folder ``""``."""
    parts = original.split("/")
    if len(parts) > 2 and parts[0] == AUTHORS_DIR:
        return f"{parts[0]}/{parts[1]}/", "/".join(parts[2:])
    return "", original


def _kind(original: str) -> Kind:
    original = _writer(original)[1]
    if original.startswith(f"{CHUNK_DIR}/") and chunk_number(original) is not None:
        return "costs"
    if original == "history.json":
        return "history"
    if original in DERIVED:
        return "derived"
    if original in SINGLE:
        return "single"
    return "other"


def find_session_copies(project: Path) -> list[SessionCopy]:
    """Every conflict copy in ``.session/`` (its own copies and caches not looked into)."""
    root = SessionPaths.for_project(project).root
    if root.is_symlink() or not root.is_dir():
        return []
    found: list[SessionCopy] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder).relative_to(root)
        top = here == Path(".") or (len(here.parts) == 2 and here.parts[0] == AUTHORS_DIR)
        dirs[:] = sorted(d for d in dirs if not (top and d in SKIPPED))
        beside = set(files)
        for name in sorted(files):
            copy = recognise(name, beside)
            if copy is None or os.path.islink(os.path.join(folder, name)):
                continue
            prefix = "" if here == Path(".") else f"{here.as_posix()}/"
            original = prefix + copy.original
            found.append(SessionCopy(prefix + name, original, _kind(original)))
    return found


def _stage(scratch: Path, copy: SessionCopy, data: bytes) -> Path:
    """The copy laid out under its original's name in a scratch ``.session/``; returns the
    writer's folder there (a co-author's, for a copy of their file)."""
    root = scratch / SESSION_DIR
    write_atomic(root / copy.original, data)
    return root / _writer(copy.original)[0]


def _readable(root: Path, copy: SessionCopy) -> str | None:
    """Why the staged copy cannot be read whole (so it must not be trashed), or None."""
    if copy.kind == "costs":
        from writers_factory.store.costs.tracker import CostTracker

        problems = CostTracker(root, read_only=True).problems
    else:
        from writers_factory.store.history.history import SessionHistory

        problems = SessionHistory(root, read_only=True).problems
    return problems[0].describe() if problems else None


def merge_session_copies(project: Path, *, apply: bool = False) -> CopiesReport:
    """Merge (``apply``) or only report the conflict copies of ``.session/`` (module doc)."""
    from writers_factory.store import merging

    project = Path(project)
    paths = SessionPaths.for_project(project)
    copies = find_session_copies(project)
    report = CopiesReport(applied=apply, copies=copies)
    if not copies:
        return report
    if apply:
        from writers_factory.store.base.backups import backup_session

        report.backup = backup_session(paths, "before-sync-merge").name
    seen: dict[str, tuple[set[str], set[str]]] = {}
    """Per writer's folder, for a dry run: the operation and session ids held so far."""
    for copy in copies:
        where = f"{SESSION_DIR}/{copy.copy}"
        if copy.kind in ("single", "other"):
            if copy.kind == "single":
                report.notes.append(
                    f"{where}: {copy.original} holds one state and cannot be merged; "
                    "this project's is kept" + (", the copy moved to the trash" if apply else "")
                )
                if apply:
                    _trash(project, paths.root / copy.copy, report)
            else:
                report.notes.append(f"{where}: not a file that can be merged; left as it is")
            continue
        if copy.kind == "derived":
            report.notes.append(
                f"{where}: {copy.original} is rebuilt by the store; nothing to take"
            )
            if apply:
                _trash(project, paths.root / copy.copy, report)
            continue
        try:
            data = (paths.root / copy.copy).read_bytes()
        except OSError as exc:
            report.notes.append(f"{where}: cannot be read ({exc.strerror or exc}); left as it is")
            continue
        with tempfile.TemporaryDirectory(prefix="wf-sync-copy-") as scratch:
            theirs = _stage(Path(scratch), copy, data)
            problem = _readable(theirs, copy)
            if problem is not None:
                report.notes.append(f"{where}: not read whole ({problem}); left as it is")
                continue
            mine = paths.root / _writer(copy.original)[0]
            if apply:
                try:
                    _merge(mine, theirs, copy, report)
                except (WritersFactoryError, OSError, ValueError) as exc:
                    report.notes.append(f"{where}: not merged ({exc}); left as it is")
                    continue
                _trash(project, paths.root / copy.copy, report)
            else:
                if str(mine) not in seen:
                    seen[str(mine)] = (merging.operation_ids(mine), merging.session_ids(mine))
                _count(theirs, copy, report, *seen[str(mine)])
    if apply:
        _audit(project, report)
    return report


def _merge(mine: Path, theirs: Path, copy: SessionCopy, report: CopiesReport) -> None:
    from writers_factory.store import merging

    if copy.kind == "costs":
        merged = merging.merge_costs(mine, theirs)
        report.operations_added += merged.operations_added
        report.operations_already_here += merged.operations_already_here
    else:
        merged = merging.merge_history(mine, theirs)
        report.sessions_added += merged.sessions_added
        report.sessions_already_here += merged.sessions_already_here
        report.notes += [
            f"{SESSION_DIR}/{copy.copy} › session {sid}: held differently by both; "
            "this project's kept"
            for sid in merged.conflicting_sessions
        ]


def _count(
    theirs: Path, copy: SessionCopy, report: CopiesReport, ops: set[str], sessions: set[str]
) -> None:
    """A dry run: how many the copy would add, by id, without writing anything."""
    from writers_factory.store import merging

    if copy.kind == "costs":
        incoming = merging.operation_ids(theirs)
        report.operations_added += len(incoming - ops)
        report.operations_already_here += len(incoming & ops)
        ops |= incoming
    else:
        incoming = merging.session_ids(theirs)
        report.sessions_added += len(incoming - sessions)
        report.sessions_already_here += len(incoming & sessions)
        sessions |= incoming


def _trash(project: Path, path: Path, report: CopiesReport) -> None:
    from writers_factory.store.manuscript.trash import TrashError, move_state_to_trash

    try:
        move_state_to_trash(project, path)
    except (TrashError, OSError) as exc:
        report.notes.append(f"{path}: could not be moved to the trash ({exc}); left as it is")
        return
    report.trashed.append(f"{SESSION_DIR}/{path.relative_to(project / SESSION_DIR).as_posix()}")


def _audit(project: Path, report: CopiesReport) -> None:
    from writers_factory.store.audit.log import record_audit

    with contextlib.suppress(OSError):
        record_audit(
            project,
            "import",
            from_=", ".join(c.copy for c in report.copies),
            to=f"merged (backup {report.backup})",
            trigger="sync conflict copies",
        )
