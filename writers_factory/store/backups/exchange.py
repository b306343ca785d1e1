"""``session export`` and ``session import``: the session state of a project as one file.

The archive is a backup archive (:mod:`~writers_factory.store.backups.archive`) holding only
``.session/`` — the same files a whole-project backup takes from it, so the same caches,
copies and lock stay out — with its manifest of SHA-256 per file. Carrying it to another
copy of the project (another machine, a synced folder) brings costs and writing history
along.

Import trusts nothing in it. First every member is checked against the manifest, then every
file against its model, read as the loaders read it (an older layout is accepted: opening
migrates it); one problem anywhere and nothing changes, each problem named by file. Only
then is the project backed up (a real whole-project backup, ``before-import``), and the
archive either *replaces* the session files it holds, or is *merged*: cost operations by id
and history sessions by session id, so nothing is ever counted twice; what both copies hold
differently stays as this project has it and is reported. Every import, refused or done, is
recorded in the audit trail.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel

from writers_factory.core.authors import InvalidAuthorError, check_author
from writers_factory.store.backups import archive
from writers_factory.store.backups.collect import LEFT_OUT, is_volatile, project_files
from writers_factory.store.backups.store import BackupError, _destination
from writers_factory.store.base.durable import fsync_dir, write_atomic
from writers_factory.store.base.paths import AUTHORS_DIR, SESSION_DIR, author_roots, stamp
from writers_factory.store.verify import KNOWN

Mode = Literal["merge", "replace"]
Schema = str | type[BaseModel]

PREFIX = f"{SESSION_DIR}/"
AUTHORS_PREFIX = f"{PREFIX}{AUTHORS_DIR}/"
AUDIT_FILES = ("audit.jsonl", "audit-*.jsonl")
"""The audit trail is appended to, never replaced: this project's own stays as it is."""

CHECKED: tuple[tuple[str, Schema], ...] = KNOWN
"""The store's own files, checked on import against their models: the one list ``session
verify`` keeps, so a new file of the store is checked by both or by neither."""


class ImportRefusedError(BackupError):
    """The archive failed a check: nothing was changed. ``problems`` names each file."""

    def __init__(self, source: Path, problems: list[archive.FileProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p.describe()}" for p in problems)
        super().__init__(f"{source} was not imported; nothing was changed:\n{lines}")


@dataclass
class ExportResult:
    archive: Path
    files: int
    total_bytes: int

    def to_json(self) -> dict[str, Any]:
        return {"archive": str(self.archive), "files": self.files, "bytes": self.total_bytes}


@dataclass
class ImportReport:
    """What an import did; ``conflicts`` says what both copies held differently."""

    source: Path
    mode: Mode
    safety_backup: str | None = None
    files_checked: int = 0
    replaced: list[str] = field(default_factory=list)
    operations_added: int = 0
    operations_already_here: int = 0
    sessions_added: int = 0
    sessions_already_here: int = 0
    conflicts: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": str(self.source),
            "mode": self.mode,
            "safety_backup": self.safety_backup,
            "files_checked": self.files_checked,
            "replaced": self.replaced,
            "operations": {
                "added": self.operations_added,
                "already_here": self.operations_already_here,
            },
            "sessions": {"added": self.sessions_added, "already_here": self.sessions_already_here},
            "conflicts": self.conflicts,
        }


def session_files(project: Path) -> list[tuple[str, Path]]:
    """The files of ``.session/`` an export holds: those a whole-project backup takes."""
    return [(rel, path) for rel, path in project_files(project) if rel.startswith(PREFIX)]


def export_session(project: Path, target: Path, *, now: datetime | None = None) -> ExportResult:
    """Write the session archive of ``project`` to ``target`` (through the durable path)."""
    project = Path(project)
    if not (project / SESSION_DIR).is_dir():
        raise BackupError(f"{project / SESSION_DIR} does not exist: nothing to export")
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target} is a folder: name the archive file to write")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    data, manifest = archive.build(
        session_files(project),
        backup_id=f"{stamp(moment)}-session-export",
        created_at=moment,
        trigger="session-export",
        project_name=project.absolute().name,
        left_out=list(LEFT_OUT),
    )
    write_atomic(target, data)
    return ExportResult(target, len(manifest.files), manifest.total_bytes)


# ------------------------------------------------------------------------------ checking
def _within_session(verified: archive.Verified) -> list[archive.FileProblem]:
    """Members that are no session file of ours: outside ``.session/`` or left out by design."""
    found: list[archive.FileProblem] = []
    assert verified.manifest is not None
    for entry in verified.manifest.files:
        text = entry.path
        if not text.startswith(PREFIX):
            found.append(archive.FileProblem(text, "not a file of .session/: refused"))
        elif any(text == item or text.startswith(item + "/") for item in LEFT_OUT):
            found.append(archive.FileProblem(text, "never imported (a cache, copy or lock)"))
        elif text.startswith(AUTHORS_PREFIX):
            name = text[len(AUTHORS_PREFIX) :].split("/", 1)[0]
            try:
                check_author(name, source=text)
            except InvalidAuthorError as exc:
                found.append(archive.FileProblem(text, f"no author can be named so: {exc.reason}"))
    return found


def _writer_prefixes(contents: dict[str, bytes]) -> list[str]:
    """Where the archive holds a writer's own files: ``.session/`` and each co-author's
    ``.session/authors/<name>/`` (names checked in :func:`_within_session`)."""
    names = {
        rel[len(AUTHORS_PREFIX) :].split("/", 1)[0]
        for rel in contents
        if rel.startswith(AUTHORS_PREFIX) and rel.count("/") >= 3
    }
    return [PREFIX, *(f"{AUTHORS_PREFIX}{name}/" for name in sorted(names))]


def _model(ref: Schema) -> type[BaseModel]:
    if isinstance(ref, type):
        return ref
    import importlib

    module, _, name = ref.partition(":")
    model: type[BaseModel] = getattr(importlib.import_module(module), name)
    return model


def _stage(contents: dict[str, bytes], folder: Path) -> Path:
    """The checked files laid out as a project in ``folder`` (a scratch copy, read by the
    store's own loaders exactly as they read a project)."""
    for rel, data in contents.items():
        write_atomic(folder / PurePosixPath(rel), data)
    return folder


def _check_models(staged: Path, extra: tuple[tuple[str, Schema], ...]) -> list[archive.FileProblem]:
    from writers_factory.store.audit.models import AuditRecord
    from writers_factory.store.verify import check_file

    root = staged / SESSION_DIR
    found: list[archive.FileProblem] = []
    writers = [root, *author_roots(root)]  # the single writer's files, each co-author's
    for pattern, ref in (*CHECKED, *extra):
        model = _model(ref)
        for path in sorted(p for base in writers for p in base.glob(pattern)):
            for finding in check_file(path, model):
                if finding.level == "problem":
                    where = PREFIX + path.relative_to(root).as_posix()
                    field_ = f" › {finding.field}" if finding.field else ""
                    found.append(archive.FileProblem(where + field_, finding.message))
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        if any(fnmatch(path.name, pattern) for pattern in AUDIT_FILES):
            for number, line in enumerate(path.read_bytes().splitlines(), start=1):
                if line.strip():
                    try:
                        AuditRecord.model_validate_json(line)
                    except ValueError as exc:
                        found.append(
                            archive.FileProblem(
                                f"{PREFIX}{path.name} line {number}", str(exc).splitlines()[0]
                            )
                        )
    return found


# ------------------------------------------------------------------------------ import
def import_session(
    project: Path,
    source: Path,
    *,
    mode: Mode = "merge",
    extra: tuple[tuple[str, Schema], ...] = (),
    live_owner: Callable[[], str | None] = lambda: None,
    make_backup: Callable[[], str | None] | None = None,
) -> ImportReport:
    """Check ``source`` whole, back the project up, then merge or replace (module docstring).

    ``extra`` adds models for files other layers keep in ``.session/``; ``make_backup``
    (default: a whole-project ``before-import`` backup to the project's backup folder)
    returns the safety backup's id.
    """
    project = Path(project)
    source = Path(source)
    session_root = project / SESSION_DIR
    try:
        report = _import(project, source, mode, extra, live_owner, make_backup)
    except BackupError as exc:
        _audit(session_root, source, mode, error=str(exc).splitlines()[0])
        raise
    _audit(session_root, source, mode, safety=report.safety_backup)
    return report


def _import(
    project: Path,
    source: Path,
    mode: Mode,
    extra: tuple[tuple[str, Schema], ...],
    live_owner: Callable[[], str | None],
    make_backup: Callable[[], str | None] | None,
) -> ImportReport:
    verified = archive.verify(source)
    problems = list(verified.problems)
    if verified.manifest is not None:
        problems.extend(_within_session(verified))
    if problems:
        raise ImportRefusedError(source, problems)
    with tempfile.TemporaryDirectory(prefix="wf-import-") as scratch:
        staged = _stage(verified.contents, Path(scratch))
        problems = _check_models(staged, extra)
        if problems:
            raise ImportRefusedError(source, problems)
        owner = live_owner()
        if owner:
            raise BackupError(f"{project} is open in {owner}: close it, then import")
        report = ImportReport(source, mode, files_checked=verified.files_checked)
        report.safety_backup = (make_backup or _backup_for(project))()
        if mode == "replace":
            _replace(project, verified.contents, report)
        else:
            _merge(project, staged, verified.contents, report)
    return report


def _backup_for(project: Path) -> Callable[[], str | None]:
    def make() -> str | None:
        from writers_factory.store.backups.project import store_for

        record = store_for(project).create("before-import")
        return record.backup_id if record else None

    return make


def _is_audit(rel: str) -> bool:
    name = PurePosixPath(rel).name
    return rel.count("/") == 1 and any(fnmatch(name, pattern) for pattern in AUDIT_FILES)


def _replace(project: Path, contents: dict[str, bytes], report: ImportReport) -> None:
    """The archive's files over this project's; cost chunks it lacks go (the costs would be
    a mixture of two copies otherwise — they are in the safety backup)."""
    incoming = set(contents)
    for prefix in _writer_prefixes(contents):  # each writer's costs, a co-author's too
        chunks = project / PurePosixPath(prefix) / "costs"
        if chunks.is_dir() and not chunks.is_symlink():
            for old in sorted(chunks.glob("ops-*.json")):
                if f"{prefix}costs/{old.name}" not in incoming:
                    old.unlink()
                    report.replaced.append(f"{prefix}costs/{old.name} (removed)")
            fsync_dir(chunks)
    for rel, data in sorted(contents.items()):
        if _is_audit(rel):
            report.conflicts.append(f"{rel}: the audit trail is never replaced; this one kept")
            continue
        write_atomic(_destination(project, rel), data)
        report.replaced.append(rel)


def _merge(project: Path, staged: Path, contents: dict[str, bytes], report: ImportReport) -> None:
    from writers_factory.store.merging import merge_costs, merge_history

    merged: list[str] = []
    for prefix in _writer_prefixes(contents):  # each writer's costs and history into theirs
        theirs = staged / PurePosixPath(prefix)
        mine = project / PurePosixPath(prefix)
        merged.append(f"{prefix}costs")
        if any(rel.startswith(f"{prefix}costs") for rel in contents):
            costs = merge_costs(mine, theirs)
            report.operations_added += costs.operations_added
            report.operations_already_here += costs.operations_already_here
        if f"{prefix}history.json" in contents:
            history = merge_history(mine, theirs)
            report.sessions_added += history.sessions_added
            report.sessions_already_here += history.sessions_already_here
            where = "history" if prefix == PREFIX else f"{prefix}history.json"
            report.conflicts.extend(
                f"{where} › session {sid}: held differently by both; this project's kept"
                for sid in history.conflicting_sessions
            )
    for rel, data in sorted(contents.items()):
        if any(rel.startswith(m) for m in merged) or is_volatile(rel) or _is_audit(rel):
            continue  # merged above, or this copy's own running state
        here_path = project / PurePosixPath(rel)
        with contextlib.suppress(OSError):
            if here_path.is_file() and here_path.read_bytes() == data:
                continue
        if here_path.exists():
            report.conflicts.append(
                f"{rel}: differs; this project's kept (merge takes costs and history only)"
            )
        else:
            report.conflicts.append(
                f"{rel}: not in this project; not taken (merge takes costs and history only)"
            )


def _audit(
    root: Path, source: Path, mode: Mode, *, safety: str | None = None, error: str | None = None
) -> None:
    if root.is_dir() and not root.is_symlink():
        from writers_factory.store.audit.log import AuditLog

        with contextlib.suppress(OSError):
            AuditLog(root).record(
                "import",
                from_=str(source),
                to=f"{mode}" + (f" (backup {safety})" if safety else ""),
                trigger="session import",
                error=error,
            )
