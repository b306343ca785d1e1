"""Folding a stream of raw events into the net change per path.

A save in most editors is several events (create, write, close, rename), and a burst of
writes is thousands. The app wants one fact per path: "this file is new", "this one changed",
"this one went there". Every rule below keeps one promise: replaying the reported changes in
order on the app's previous view of the tree gives the tree as it is now.

The coalescer also remembers which paths exist, because an atomic save (a temp file renamed
onto the target) looks the same whether it created the file or replaced it.

Runs on the event loop's thread only; it does no I/O.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from writers_factory.watch.changes import ChangeKind, FileChange, RawEvent, RawKind


@dataclass
class _Pending:
    kind: ChangeKind
    is_dir: bool
    origin: Path | None = None
    """For MOVED: where the thing came from (the entry is keyed by where it is now)."""
    modified: bool = False
    """For MOVED: written after the move, so its content must be re-read too."""
    gone_before: bool | None = None
    """For CREATED: something (a folder if True) was deleted here first; report that first."""
    dest_existed: bool = False
    """For MOVED: the move replaced something, so a later deletion must report it too."""


def _is_below(path: Path, folder: Path) -> bool:
    return str(path).startswith(os.path.join(str(folder), ""))


class Coalescer:
    """Pending net changes since the last :meth:`take`, plus the set of existing paths."""

    def __init__(self, existing: Iterable[Path] = ()) -> None:
        self._existing: set[Path] = set(existing)
        self._pending: dict[Path, _Pending] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def exists(self, path: Path) -> bool:
        """Whether ``path`` exists as far as the events seen so far tell."""
        return path in self._existing

    def apply(self, event: RawEvent) -> None:
        """Fold one raw event into the pending changes."""
        if event.kind is RawKind.REPLACED:
            if event.path in self._existing:
                self._modified(event.path, event.is_directory)
            else:
                self._created(event.path, event.is_directory)
        elif event.kind is RawKind.CREATED:
            self._created(event.path, event.is_directory)
        elif event.kind is RawKind.MODIFIED:
            self._modified(event.path, event.is_directory)
        elif event.kind is RawKind.DELETED:
            self._deleted(event.path, event.is_directory)
        elif event.kind is RawKind.MOVED and event.dest is not None:
            self._moved(event.path, event.dest, event.is_directory)

    def take(self) -> list[FileChange]:
        """The net changes, in an order that replays correctly; pending is emptied."""
        ordered, cycle = self._replay_order()
        changes: list[FileChange] = []
        for path, entry in ordered:
            if entry.gone_before is not None:
                changes.append(FileChange(ChangeKind.DELETED, path, None, entry.gone_before))
            if entry.kind is ChangeKind.MOVED:
                assert entry.origin is not None
                changes.append(FileChange(ChangeKind.MOVED, entry.origin, path, entry.is_dir))
                if entry.modified and not entry.is_dir:
                    changes.append(FileChange(ChangeKind.MODIFIED, path, None, False))
            else:
                changes.append(FileChange(entry.kind, path, None, entry.is_dir))
        # Paths that swapped places (a -> t, b -> a, t -> b) cannot be told as moves in any
        # order; every one of them existed before and exists now, so "read it again" is true.
        changes.extend(
            FileChange(ChangeKind.MODIFIED, path, None, False)
            for path, entry in cycle
            if not entry.is_dir
        )
        self._pending = {}
        return changes

    def _replay_order(self) -> tuple[list[tuple[Path, _Pending]], list[tuple[Path, _Pending]]]:
        """A move out of a path must be told before anything that later landed on that path.

        Each path is the origin of at most one pending move and the key of at most one entry,
        so these constraints form simple chains (told in order) and cycles (swaps).
        """
        items = self._pending
        moved_from = {entry.origin for entry in items.values() if entry.kind is ChangeKind.MOVED}
        ordered: list[tuple[Path, _Pending]] = []
        seen: set[Path] = set()
        for start in items:
            if start in seen or start in moved_from:
                continue
            key: Path | None = start
            while key is not None and key not in seen:
                seen.add(key)
                entry = items[key]
                ordered.append((key, entry))
                nxt = entry.origin if entry.kind is ChangeKind.MOVED else None
                key = nxt if nxt is not None and nxt in items else None
        cycle = [(key, entry) for key, entry in items.items() if key not in seen]
        return ordered, cycle

    # -- the rules ---------------------------------------------------------------------

    def _created(self, path: Path, is_dir: bool) -> None:
        if path in self._existing:
            # A second notice of something we know about (a rescan after a folder came
            # back): for a file its content may differ, for a folder there is nothing new.
            if not is_dir:
                self._modified(path, is_dir)
            return
        self._existing.add(path)
        prev = self._pending.get(path)
        if prev is None:
            self._pending[path] = _Pending(ChangeKind.CREATED, is_dir)
        elif prev.kind is ChangeKind.DELETED:
            if not is_dir and not prev.is_dir:
                self._pending[path] = _Pending(ChangeKind.MODIFIED, False)
            else:
                self._pending[path] = _Pending(ChangeKind.CREATED, is_dir, gone_before=prev.is_dir)
        elif prev.kind is ChangeKind.MOVED:
            prev.modified = True

    def _modified(self, path: Path, is_dir: bool) -> None:
        if is_dir:
            return  # a folder's own "modification" is just its listing changing
        if path not in self._existing:
            # We missed its creation (it appeared before the watch was in place).
            self._created(path, is_dir)
            return
        prev = self._pending.get(path)
        if prev is None:
            self._pending[path] = _Pending(ChangeKind.MODIFIED, False)
        elif prev.kind is ChangeKind.MOVED:
            prev.modified = True
        elif prev.kind is ChangeKind.DELETED:
            self._pending[path] = _Pending(ChangeKind.MODIFIED, False)

    def _deleted(self, path: Path, is_dir: bool) -> None:
        self._existing.discard(path)
        if is_dir:
            # Only folders have contents; checking files too would make a burst of
            # deletions quadratic.
            for gone in [p for p in self._existing if _is_below(p, path)]:
                self._existing.discard(gone)
            for child in [p for p in self._pending if _is_below(p, path)]:
                self._drop_entry(child, self._pending[child].is_dir, report_self=False)
        self._drop_entry(path, is_dir, report_self=True)

    def _drop_entry(self, path: Path, is_dir: bool, *, report_self: bool) -> None:
        """``path`` is gone: settle its pending entry (and the origin of a move into it)."""
        prev = self._pending.pop(path, None)
        if prev is None:
            if report_self:
                self._pending[path] = _Pending(ChangeKind.DELETED, is_dir)
            return
        gone: bool | None = None
        if prev.kind is ChangeKind.CREATED:
            gone = prev.gone_before
        elif prev.kind is ChangeKind.MODIFIED or prev.kind is ChangeKind.DELETED:
            gone = prev.is_dir
        elif prev.kind is ChangeKind.MOVED:
            assert prev.origin is not None
            self._origin_gone(prev.origin, prev.is_dir)
            gone = prev.is_dir if prev.dest_existed else None
        if gone is not None:
            self._pending[path] = _Pending(ChangeKind.DELETED, gone)

    def _origin_gone(self, origin: Path, is_dir: bool) -> None:
        """What was at ``origin`` before a move left it is gone for good."""
        prev = self._pending.get(origin)
        if prev is None:
            self._pending[origin] = _Pending(ChangeKind.DELETED, is_dir)
        elif prev.kind is ChangeKind.CREATED and prev.gone_before is None:
            if not is_dir and not prev.is_dir:
                prev.kind = ChangeKind.MODIFIED
            else:
                prev.gone_before = is_dir
        elif prev.kind is ChangeKind.MOVED:
            prev.dest_existed = True

    def _moved(self, src: Path, dest: Path, is_dir: bool) -> None:
        if src == dest:
            return
        # Did the app's view have something at dest before? Only then is landing on it a
        # replacement rather than an arrival.
        dest_existed = dest in self._existing
        gone_is_dir = is_dir
        self._existing.discard(src)
        self._existing.add(dest)
        prev_src = self._pending.pop(src, None)
        prev_dest = self._pending.pop(dest, None)
        if prev_dest is not None:
            if prev_dest.kind is ChangeKind.DELETED:
                dest_existed, gone_is_dir = True, prev_dest.is_dir
            elif prev_dest.kind is ChangeKind.CREATED:
                dest_existed = prev_dest.gone_before is not None
                if prev_dest.gone_before is not None:
                    gone_is_dir = prev_dest.gone_before
            elif prev_dest.kind is ChangeKind.MOVED:
                # What had been moved onto dest is now overwritten: its origin is gone.
                assert prev_dest.origin is not None
                self._origin_gone(prev_dest.origin, prev_dest.is_dir)
                dest_existed = prev_dest.dest_existed

        new: _Pending | None
        if prev_src is None or prev_src.kind is ChangeKind.DELETED:
            new = _Pending(ChangeKind.MOVED, is_dir, origin=src)
        elif prev_src.kind is ChangeKind.CREATED:
            new = _Pending(ChangeKind.CREATED, is_dir)
            if prev_src.gone_before is not None:
                self._pending[src] = _Pending(ChangeKind.DELETED, prev_src.gone_before)
        elif prev_src.kind is ChangeKind.MODIFIED:
            new = _Pending(ChangeKind.MOVED, is_dir, origin=src, modified=True)
        else:  # MOVED before: follow the chain back to the first origin
            assert prev_src.origin is not None
            if prev_src.dest_existed:
                self._pending[src] = _Pending(ChangeKind.DELETED, is_dir)
            if prev_src.origin == dest:
                # Back where it started: only a write in between is news.
                if prev_src.modified and not is_dir:
                    self._pending[dest] = _Pending(ChangeKind.MODIFIED, False)
                return
            new = _Pending(
                ChangeKind.MOVED, is_dir, origin=prev_src.origin, modified=prev_src.modified
            )
        if new is None:
            return
        if dest_existed:
            if new.kind is ChangeKind.CREATED:
                if is_dir or gone_is_dir:
                    new.gone_before = gone_is_dir
                else:
                    new.kind = ChangeKind.MODIFIED
            elif new.kind is ChangeKind.MOVED:
                new.dest_existed = True
        self._pending[dest] = new
