"""Coming back to an earlier state without ever rewriting history.

Restoring a file or rolling the session back first records the present as a snapshot
(``before-restore`` / ``before-rollback``), so the step itself can be undone by restoring
that snapshot in turn: the branch only ever moves forward.

A path given by the writer or read from a snapshot must name a file of ``manuscript/``,
``reference/`` or ``planning/`` and stay inside the project, links resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base.digests import sha256_hex
from writers_factory.store.base.durable import write_atomic
from writers_factory.store.snapshots.capture import PROJECT_PARTS, SESSION_PREFIX, is_project_path
from writers_factory.store.snapshots.models import SnapshotInfo
from writers_factory.store.snapshots.reading import blob_bytes, files_of, read_meta, resolve
from writers_factory.store.snapshots.repository import SnapshotError
from writers_factory.store.snapshots.taker import Snapshotter
from writers_factory.store.snapshots.triggers import Trigger


def project_path(project: Path, path: str | Path) -> str:
    """The tree path of a project file given as typed (relative or absolute); refuses
    anything outside manuscript/, reference/, planning/ or outside the project."""
    project = Path(project).absolute()
    given = Path(path)
    if given.is_absolute():
        try:
            given = given.relative_to(project)
        except ValueError as exc:
            raise SnapshotError(f"{path} is not inside the project {project}") from exc
    rel = PurePosixPath(given.as_posix())
    if (
        ".." in rel.parts
        or not rel.parts
        or rel.parts[0] not in PROJECT_PARTS
        or len(rel.parts) < 2
    ):
        raise SnapshotError(
            f"{path}: only files under {', '.join(p + '/' for p in PROJECT_PARTS)} have snapshots"
        )
    target = (project / rel).resolve()
    if not target.is_relative_to(project.resolve()):
        raise SnapshotError(f"{path} leads outside the project (through a link)")
    return rel.as_posix()


@dataclass(frozen=True)
class Restored:
    """A file brought back: the snapshot that keeps what it replaced, and the text."""

    path: str
    source: str
    kept: SnapshotInfo | None
    """The snapshot of the present taken first (None: the present was already the newest)."""
    data: bytes


def version_of(snapshotter: Snapshotter, name: str, path: str) -> tuple[str, bytes]:
    """(full id, bytes) of ``path`` in snapshot ``name``; SnapshotError when it has none."""
    repo = snapshotter.repository
    commit = resolve(repo, name)
    blob = files_of(repo, commit).get(path)
    if blob is None:
        raise SnapshotError(f"snapshot {commit[:10]} has no {path}")
    return commit, blob_bytes(repo, blob)


def restore_file(
    project: Path, name: str, path: str | Path, *, author: str | None = None
) -> Restored:
    """Write ``path`` back as snapshot ``name`` holds it, after snapshotting the present."""
    snapshotter = Snapshotter(project, author=author)
    rel = project_path(project, path)
    commit, data = version_of(snapshotter, name, rel)
    kept = snapshotter.take(Trigger.RESTORE, message=f"before restoring {rel} from {commit[:10]}")
    write_atomic(Path(project) / rel, data, private=False)
    return Restored(rel, commit, kept, data)


@dataclass
class RolledBack:
    """What a session rollback brought back, and the snapshot that keeps what it replaced."""

    source: str
    kept: SnapshotInfo | None
    stage: str | None = None
    open_files: list[str] = field(default_factory=list)
    preferences: bool = False


def session_files(snapshotter: Snapshotter, commit: str) -> dict[str, bytes]:
    """The ``.session/*.json`` of a snapshot, each checked against the SHA-256 recorded with
    it (the object ids are checked on every read already): a mismatch raises."""
    repo = snapshotter.repository
    meta = read_meta(repo, commit)
    found: dict[str, bytes] = {}
    for path, blob in files_of(repo, commit).items():
        if not path.startswith(SESSION_PREFIX) or is_project_path(path):
            continue
        data = blob_bytes(repo, blob)
        expected = meta.session_sha256.get(path)
        if expected is None or sha256_hex(data) != expected:
            raise SnapshotError(f"snapshot {commit[:10]}: {path} does not match its checksum")
        found[path.removeprefix(SESSION_PREFIX)] = data
    return found


def rollback_session(project: Path, name: str, *, author: str | None = None) -> RolledBack:
    """Bring back stage, open files and preferences from snapshot ``name``.

    Refused while another Writers Factory has the project open (its state would overwrite
    ours at its next save). The present is recorded first, checksums are verified before
    anything is written. Done or refused, the rollback is recorded in the audit trail
    (from: the snapshot keeping the present; to: the snapshot brought back).
    """
    from writers_factory.store.audit.log import record_audit

    try:
        result = _rollback(project, name, author)
    except (WritersFactoryError, OSError, ValueError) as exc:
        record_audit(project, "rollback", to=name, trigger="session rollback", error=str(exc))
        raise
    record_audit(
        project,
        "rollback",
        from_=result.kept.id if result.kept else None,
        to=result.source,
        trigger="session rollback",
    )
    return result


def _rollback(project: Path, name: str, author: str | None) -> RolledBack:
    from writers_factory.store.preferences.models import PreferencesData
    from writers_factory.store.session.models import SessionData
    from writers_factory.store.session.session import Session

    project = Path(project)
    snapshotter = Snapshotter(project, author=author)
    commit = resolve(snapshotter.repository, name)
    files = session_files(snapshotter, commit)
    old_session = (
        SessionData.model_validate_json(files["current.json"]) if "current.json" in files else None
    )
    old_prefs = files.get("preferences.json")
    if old_prefs is not None:
        PreferencesData.model_validate_json(old_prefs)  # refuse a file that would not load
    session = Session(project)
    try:
        if session.read_only:
            raise SnapshotError(
                f"{project}: another Writers Factory has the project open (or it cannot be "
                "written): close it before rolling the session back"
            )
        kept = snapshotter.take(
            Trigger.ROLLBACK,
            message=f"before rolling the session back to {commit[:10]}",
            force=True,
        )
        result = RolledBack(commit, kept)
        if old_session is not None:
            session.set_stage(old_session.current_state.stage)
            result.stage = old_session.current_state.stage
            for item in list(session.data.open_files):
                session.close_file(item.path)
            for item in old_session.open_files:
                session.open_file(item.path, item.cursor_line, item.cursor_col)
                result.open_files.append(item.path)
            if old_session.active_file is not None:
                session.data.active_file = old_session.active_file
            session.save_sync(force=True)
        if old_prefs is not None:
            write_atomic(session.paths.preferences, old_prefs)
            result.preferences = True
    finally:
        session.close_sync()
    return result
