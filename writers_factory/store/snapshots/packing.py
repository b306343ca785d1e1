"""Packing loose snapshot objects with deltas, each against its own earlier version.

A general packer tries every object against a window of others; most pairs are unrelated
chapters, and each try costs milliseconds — seconds for a few hundred objects, in a thread
that holds the interpreter lock. Snapshots know better which object is the next version of
which: a tree at one path is the next version of the tree at that path in the snapshot
before, a chapter the next version of the same chapter. So each object is tried against one
base only, found by walking the commits being packed: one delta per object, microseconds
each, and every delta is between two versions that differ by a paragraph or one tree entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

COMMIT = "\x00commit"
"""The "path" of commits: each is tried against the commit before it."""


def _paths(objects: dict[bytes, Any]) -> dict[bytes, str]:
    """The path each packed object has in the commits being packed (commits included)."""
    from dulwich.objects import Commit, Tree

    found: dict[bytes, str] = {}
    commits = sorted(
        (o for o in objects.values() if isinstance(o, Commit)),
        key=lambda c: (c.commit_time, c.id),
    )

    def visit(tree_id: bytes, path: str) -> None:
        tree = objects.get(tree_id)
        if not isinstance(tree, Tree) or tree_id in found:
            return
        found[tree_id] = path
        for entry in tree.items():
            child = (
                f"{path}/{entry.path.decode('utf-8', 'replace')}"
                if path
                else (entry.path.decode("utf-8", "replace"))
            )
            if entry.sha in objects and entry.sha not in found:
                if isinstance(objects[entry.sha], Tree):
                    visit(entry.sha, child)
                else:
                    found[entry.sha] = child

    for commit in commits:
        found[commit.id] = COMMIT
        visit(commit.tree, "")
    return found


def records(objects: list[Any]) -> Iterator[Any]:
    """``UnpackedObject`` records for a pack of ``objects``, in chronological order of their
    commits, each a delta against the previous object at its path when that is smaller."""
    from dulwich.pack import UnpackedObject, create_delta

    by_id = {o.id: o for o in objects}
    paths = _paths(by_id)
    order = {object_id: i for i, object_id in enumerate(paths)}
    ordered = sorted(objects, key=lambda o: (order.get(o.id, len(order)), o.id))
    last: dict[tuple[int, str], tuple[bytes, bytes]] = {}
    for obj in ordered:
        raw = obj.as_raw_string()
        chunks: list[bytes] = [raw]
        base_id: bytes | None = None
        path = paths.get(obj.id)
        key = (obj.type_num, path) if path is not None else None
        if key is not None and key in last:
            base_sha, base_raw = last[key]
            delta = b"".join(create_delta(base_raw, raw))
            if len(delta) < len(raw):
                chunks, base_id = [delta], base_sha
        if key is not None:
            last[key] = (obj.sha().digest(), raw)
        yield UnpackedObject(
            obj.type_num,
            sha=obj.sha().digest(),
            delta_base=base_id,
            decomp_len=sum(len(c) for c in chunks),
            decomp_chunks=chunks,
        )
