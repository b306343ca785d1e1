"""The earlier ``.session/versions/`` copies become snapshots, once.

Each kept copy becomes a commit (trigger ``migrated-version``, its original time and the
message naming the file), in the order they were kept, on top of the current history:
the tree is the newest snapshot's with that one file as it was then. The branch moves once,
to the end of the chain, and a snapshot of the present follows, so the newest snapshot is
the project as it is. Only when the branch has moved durably are the copies removed; a kill
before that leaves them all, and the next opening migrates them again (objects are
content-addressed: nothing doubles but the commits of the interrupted run, which no branch
reaches).
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

from writers_factory.store.manuscript.versions import Version
from writers_factory.store.snapshots.capture import CaptureCache, CapturedFile, blob_id
from writers_factory.store.snapshots.models import FileWords, SnapshotMeta
from writers_factory.store.snapshots.reading import files_of
from writers_factory.store.snapshots.taker import Snapshotter
from writers_factory.store.snapshots.triggers import Trigger


def pending_versions(project: Path) -> list[Version]:
    """Every copy still under ``versions/``, oldest first."""
    from writers_factory.store.base.paths import SessionPaths

    root = SessionPaths.for_project(Path(project)).versions
    if not root.is_dir():
        return []
    found: list[Version] = []
    for copy in root.rglob("*"):
        if not copy.is_file() or copy.is_symlink() or copy.name.startswith("."):
            continue
        rel = copy.parent.relative_to(root)
        if not rel.parts or ".." in rel.parts:
            continue
        found.append(Version(copy.name.removesuffix(copy.suffix), rel.as_posix(), copy))  # type: ignore[arg-type]
    return sorted(found)


def _when(stamp: str) -> datetime:
    for fmt in ("%Y%m%dT%H%M%S.%fZ", "%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S%f"):
        with contextlib.suppress(ValueError):
            return datetime.strptime(stamp.split("~")[0], fmt).replace(tzinfo=UTC)
    return datetime.now(UTC)


def migrate_versions(snapshotter: Snapshotter, *, before: datetime | None = None) -> int:
    """Move the ``versions/`` copies (those kept before ``before``, default all) into the
    snapshot history; return how many. A running app passes its start: copies it keeps
    itself stay where the writer was told they are until its next start."""
    versions = [
        v
        for v in pending_versions(snapshotter.project)
        if before is None or _when(v.kept_at) < before
    ]
    if not versions:
        return 0
    repo = snapshotter.repository
    with repo.writing():
        head = repo.head()
        base = files_of(repo, head) if head else {}
        for version in versions:
            data = version.stored_at.read_bytes()
            path = str(version.relative_path)
            files = {p: CapturedFile(p, b, None) for p, b in base.items()}
            files[path] = CapturedFile(path, blob_id(data), data)
            text = data.decode("utf-8", errors="replace")
            from writers_factory.core.wordcount import count_words

            words = count_words(text)
            meta = SnapshotMeta(
                trigger=Trigger.MIGRATED,
                author=snapshotter.author,
                taken_at=_when(version.kept_at),
                message=f"earlier version of {path}",
                changed={path: FileWords(words=words)},
            )
            head = snapshotter._commit(files, head, meta, move_branch=False)
            base = {p: f.blob_id for p, f in files.items()}
        if head is not None:
            repo.set_head(head)  # the whole chain at once: a kill before leaves none of it
    snapshotter._parent = None
    snapshotter.cache = CaptureCache()
    snapshotter.take(
        Trigger.MIGRATED, message="the project after migrating earlier versions", force=True
    )
    for version in versions:
        with contextlib.suppress(OSError):
            version.stored_at.unlink()
    return len(versions)
