"""Taking one snapshot: the project's files become a tree, the tree a commit, the branch moves.

A :class:`Snapshotter` is kept by whoever takes snapshots repeatedly (the app's snapshot
worker, a benchmark), so unchanged files are neither read nor hashed again and the parent's
file list is not read back from disk. It is synchronous and meant for a thread.

An auto-save (and every automatic trigger) that changed nothing in ``manuscript/``,
``reference/`` or ``planning/`` records nothing: the session files alone change at every
save. A snapshot asked for by hand is always recorded.
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from writers_factory.core.wordcount import count_words, word_delta
from writers_factory.store.base.digests import sha256_hex
from writers_factory.store.base.paths import SessionPaths
from writers_factory.store.snapshots.capture import (
    CaptureCache,
    CapturedFile,
    capture,
    is_project_path,
)
from writers_factory.store.snapshots.models import (
    FileWords,
    SnapshotInfo,
    SnapshotMeta,
    commit_message,
)
from writers_factory.store.snapshots.reading import files_of, read_meta
from writers_factory.store.snapshots.repository import SnapshotRepository
from writers_factory.store.snapshots.triggers import Trigger

ALWAYS_RECORDED = frozenset(
    {
        Trigger.MANUAL,
        Trigger.RESTORE,
        Trigger.ROLLBACK,
        Trigger.AI_REWRITE,
        Trigger.REPLACE,
        Trigger.SYNC_MERGE,
    }
)
"""Moments marked even when the book is as the newest snapshot has it: the writer may look
for exactly that moment (before an AI rewrite, the text it replaced is found by its trigger;
before a replace across the project, "Undo replace" reads the files back from it)."""
TOTAL_UNKNOWN = frozenset({"unknown", Trigger.MIGRATED})
"""Parents whose ``total_words`` is not the book's (made by other means, or one migrated
version): the total is counted afresh after them."""
FILE_MODE = 0o100644
TREE_MODE = 0o040000


def default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "writer"


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


class Snapshotter:
    """Takes snapshots of one project (in a thread; one at a time per instance)."""

    def __init__(self, project: Path, *, author: str | None = None) -> None:
        self.project = Path(project)
        self.paths = SessionPaths.for_project(self.project)
        self.repository = SnapshotRepository(self.paths.root)
        self.author = author or default_author()
        self.cache = CaptureCache()
        self._words_of: dict[str, int] = {}
        """Blob id → words, so the total needs no re-reading of unchanged files."""
        self._parent: tuple[str, dict[str, str], SnapshotMeta] | None = None
        """(head id, its files, its meta), as last seen or written by this instance."""

    def _parent_state(self, head: str | None) -> tuple[dict[str, str], SnapshotMeta | None]:
        if head is None:
            return {}, None
        if self._parent is not None and self._parent[0] == head:
            return self._parent[1], self._parent[2]
        return files_of(self.repository, head), read_meta(self.repository, head)

    def take(
        self,
        trigger: Trigger | str,
        *,
        message: str = "",
        overrides: Mapping[str, str] | None = None,
        force: bool | None = None,
        taken_at: datetime | None = None,
    ) -> SnapshotInfo | None:
        """Record the project now; None when nothing of the book changed (and not forced).

        ``force`` defaults to True for a snapshot by hand, before an AI rewrite, a restore or a
        rollback: those always mark the moment, even when the text is the newest snapshot's.
        """
        trigger = str(trigger)
        force = trigger in ALWAYS_RECORDED if force is None else force
        repo = self.repository
        with repo.writing():
            head = repo.head()
            before, parent_meta = self._parent_state(head)
            files = capture(self.project, self.cache, overrides, known=set(before.values()))
            now_ids = {path: f.blob_id for path, f in files.items()}
            book_now = {p: i for p, i in now_ids.items() if is_project_path(p)}
            book_before = {p: i for p, i in before.items() if is_project_path(p)}
            if head is not None and book_now == book_before and not force:
                return None
            changed = self._words(files, before, book_now, book_before)
            if parent_meta is not None and parent_meta.trigger not in TOTAL_UNKNOWN:
                # exact: a file's words now = before - removed + added (core.wordcount)
                total = parent_meta.total_words + sum(w.added - w.removed for w in changed.values())
            else:  # the first snapshot, or a parent whose total is not ours to trust
                total = sum(self._word_count(files[p]) for p in book_now)
            meta = SnapshotMeta(
                trigger=trigger,
                author=self.author,
                taken_at=taken_at or datetime.now(UTC),
                message=message,
                changed=changed,
                total_words=max(0, total),
                session_sha256={
                    p: sha256_hex(self._data(f)) for p, f in files.items() if not is_project_path(p)
                },
            )
            commit_id = self._commit(files, head, meta)
            self._parent = (commit_id, now_ids, meta)
            return SnapshotInfo(commit_id, head, meta)

    def _data(self, file: CapturedFile) -> bytes:
        if file.data is not None:
            return file.data
        blob = self.repository.read(file.blob_id) if self.repository.has(file.blob_id) else None
        if blob is not None:
            return bytes(blob.as_raw_string())
        return (self.project / file.path).read_bytes()

    def _word_count(self, file: CapturedFile) -> int:
        known = self._words_of.get(file.blob_id)
        if known is None:
            known = self._words_of[file.blob_id] = count_words(_text(self._data(file)) or "")
        return known

    def _old_text(self, blob: str | None) -> str:
        if blob is None:
            return ""
        return _text(bytes(self.repository.read(blob).as_raw_string())) or ""

    def _words(
        self,
        files: dict[str, CapturedFile],
        before: dict[str, str],
        now: dict[str, str],
        then: dict[str, str],
    ) -> dict[str, FileWords]:
        changed: dict[str, FileWords] = {}
        for path, ident in now.items():
            if then.get(path) == ident:
                continue
            count = self._word_count(files[path])
            old = self._old_text(then.get(path))
            if not old:
                changed[path] = FileWords(words=count, added=count)
                continue
            added, removed = word_delta(old, _text(self._data(files[path])) or "")
            changed[path] = FileWords(words=count, added=added, removed=removed)
        for path, ident in then.items():
            if path not in now:
                gone = count_words(self._old_text(ident))
                changed[path] = FileWords(words=0, removed=gone, deleted=True)
        return changed

    def _commit(
        self,
        files: dict[str, CapturedFile],
        head: str | None,
        meta: SnapshotMeta,
        *,
        move_branch: bool = True,
    ) -> str:
        """Write the commit and its new objects; then (``move_branch``) point the branch at it."""
        from dulwich.objects import Blob, Commit, ObjectID

        repo = self.repository
        objects: list[Any] = []
        for file in files.values():
            if repo.has(file.blob_id):
                continue
            blob = Blob.from_string(self._data(file))
            if blob.id.decode("ascii") != file.blob_id:  # changed while read: take as it is now
                file = CapturedFile(file.path, blob.id.decode("ascii"), None)
                files[file.path] = file
            objects.append(blob)
        tree_id = _trees({p: f.blob_id for p, f in files.items()}, objects)
        commit = Commit()
        commit.tree = tree_id.encode("ascii")
        commit.parents = [ObjectID(head.encode("ascii"))] if head else []
        who = f"{meta.author} <>".encode()
        commit.author = commit.committer = who
        stamp = int(meta.taken_at.timestamp())
        offset = -time.altzone if time.localtime(stamp).tm_isdst > 0 else -time.timezone
        commit.author_time = commit.commit_time = stamp
        commit.author_timezone = commit.commit_timezone = offset
        commit.encoding = b"UTF-8"
        commit.message = commit_message(meta)
        objects.append(commit)
        repo.add(objects)
        commit_id = commit.id.decode("ascii")
        if move_branch:
            repo.set_head(commit_id)
            repo.pack_loose()  # now and then: the loose objects of many snapshots, packed
        return commit_id


def _trees(files: dict[str, str], objects: list[Any]) -> str:
    """Nested git trees for ``files`` (path → blob id); new tree objects go to ``objects``."""
    from dulwich.objects import ObjectID, Tree

    children: dict[str, dict[str, tuple[int, str]]] = {"": {}}
    for path in sorted(files):
        parts = path.split("/")
        for depth in range(1, len(parts)):
            children.setdefault("/".join(parts[:depth]), {})
        folder = "/".join(parts[:-1])
        children[folder][parts[-1]] = (FILE_MODE, files[path])
    ids: dict[str, str] = {}
    for folder in sorted(children, key=lambda f: -(f.count("/") + 1) if f else 0):
        tree = Tree()
        for name, (mode, ident) in children[folder].items():
            tree.add(name.encode("utf-8"), mode, ObjectID(ident.encode("ascii")))
        for sub, ident in ids.items():
            parent, _, name = sub.rpartition("/")
            if parent == folder and sub != folder:
                tree.add(name.encode("utf-8"), TREE_MODE, ObjectID(ident.encode("ascii")))
        ids[folder] = tree.id.decode("ascii")
        objects.append(tree)
    return ids[""]
