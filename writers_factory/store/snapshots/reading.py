"""Reading snapshots back: the timeline, a file as it was, the differences between two states.

Everything here only reads, so it needs no lock (objects never change; the branch is
replaced atomically). A snapshot is named by its id or any unambiguous prefix of at least
four hex digits, or ``HEAD`` / ``HEAD~N`` (the newest, and N before it).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

from writers_factory.store.snapshots.models import SnapshotInfo, SnapshotMeta, parse_message
from writers_factory.store.snapshots.repository import SnapshotError, SnapshotRepository

_PREFIX = re.compile(r"^[0-9a-f]{4,40}$")
_RELATIVE = re.compile(r"^HEAD(?:~(\d+))?$")
MAX_HISTORY = 1_000_000
"""A guard against a cycle of parents in a damaged repository."""


def _commit(repo: SnapshotRepository, commit_id: str) -> object:
    obj = repo.read(commit_id)
    if obj.type_name != b"commit":
        raise SnapshotError(f"{commit_id} is not a snapshot (it is a {obj.type_name.decode()})")
    return obj


def read_meta(repo: SnapshotRepository, commit_id: str) -> SnapshotMeta:
    commit = repo.read(commit_id)
    when = datetime.fromtimestamp(commit.commit_time, timezone(timedelta(seconds=0)))
    author = commit.author.decode("utf-8", errors="replace").split(" <", 1)[0]
    return parse_message(commit.message, fallback_time=when.astimezone(UTC), author=author)


def walk(repo: SnapshotRepository, start: str | None = None) -> Iterator[SnapshotInfo]:
    """The snapshots from ``start`` (default: the newest) back to the first, newest first."""
    current = start if start is not None else repo.head()
    seen = 0
    while current is not None and seen < MAX_HISTORY:
        commit = _commit(repo, current)
        parents = [p.decode("ascii") for p in commit.parents]  # type: ignore[attr-defined]
        parent = parents[0] if parents else None
        yield SnapshotInfo(current, parent, read_meta(repo, current))
        current, seen = parent, seen + 1


def resolve(repo: SnapshotRepository, name: str) -> str:
    """The full id a writer's name for a snapshot means; :class:`SnapshotError` otherwise."""
    name = name.strip()
    relative = _RELATIVE.match(name)
    if relative:
        steps = int(relative.group(1) or 0)
        for index, info in enumerate(walk(repo)):
            if index == steps:
                return info.id
        raise SnapshotError(f"there is no snapshot {name} (the history is shorter)")
    lowered = name.lower()
    if not _PREFIX.match(lowered):
        raise SnapshotError(f"{name!r} is not a snapshot id (hex digits, at least four)")
    found = [info.id for info in walk(repo) if info.id.startswith(lowered)]
    if not found:
        raise SnapshotError(f"no snapshot {name}")
    if len(found) > 1:
        raise SnapshotError(f"{name} is ambiguous: {', '.join(f[:12] for f in found[:5])}")
    return found[0]


def files_of(repo: SnapshotRepository, commit_id: str) -> dict[str, str]:
    """Every file the snapshot holds: tree path → blob id."""
    commit = _commit(repo, commit_id)
    found: dict[str, str] = {}
    _flatten(repo, commit.tree.decode("ascii"), "", found)  # type: ignore[attr-defined]
    return found


def _flatten(repo: SnapshotRepository, tree_id: str, prefix: str, into: dict[str, str]) -> None:
    tree = repo.read(tree_id)
    for entry in tree.iteritems():
        name = entry.path.decode("utf-8", errors="replace")
        if name in ("", ".", "..") or "/" in name:
            continue  # a hostile tree never names a path outside the project
        ident = entry.sha.decode("ascii")
        if entry.mode & 0o170000 == 0o040000:
            _flatten(repo, ident, f"{prefix}{name}/", into)
        else:
            into[prefix + name] = ident


def blob_bytes(repo: SnapshotRepository, blob_id: str) -> bytes:
    blob = repo.read(blob_id)
    if blob.type_name != b"blob":
        raise SnapshotError(f"{blob_id} is not a file's content")
    return bytes(blob.as_raw_string())


def file_bytes(repo: SnapshotRepository, commit_id: str, path: str) -> bytes | None:
    """The file ``path`` as the snapshot holds it, or None when it did not exist then."""
    blob = files_of(repo, commit_id).get(path)
    return None if blob is None else blob_bytes(repo, blob)


def file_text(repo: SnapshotRepository, commit_id: str, path: str) -> str | None:
    data = file_bytes(repo, commit_id, path)
    return None if data is None else data.decode("utf-8", errors="replace")


def history_of(repo: SnapshotRepository, path: str) -> list[SnapshotInfo]:
    """The snapshots in which ``path`` changed (appeared, changed or was deleted), newest
    first. Our commits say which files they changed; one made by other means is compared
    with its parent's tree."""
    found: list[SnapshotInfo] = []
    for info in walk(repo):
        if info.meta.trigger != "unknown":
            if path in info.meta.changed:
                found.append(info)
            continue
        older = files_of(repo, info.parent).get(path) if info.parent else None
        if files_of(repo, info.id).get(path) != older:
            found.append(info)
    return found


def unified(old: str, new: str, old_name: str, new_name: str, context: int = 3) -> list[str]:
    """A unified diff of two texts, line by line (lines keep no end-of-line)."""
    return list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            fromfile=old_name,
            tofile=new_name,
            lineterm="",
            n=context,
        )
    )


def first_of_day(repo: SnapshotRepository, day_start: datetime) -> SnapshotInfo | None:
    """The snapshot the writer's day started from: the newest taken before ``day_start``,
    else the first of the day (everything written today is the difference from it)."""
    first: SnapshotInfo | None = None
    for info in walk(repo):
        if info.meta.taken_at < day_start:
            return info
        first = info
    return first
