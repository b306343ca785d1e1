"""Two copies of a project's costs and history made one, without loss and without counting
anything twice: the merge ``session import`` does, and the merge of a syncing tool's
conflict copies of ``.session/`` files.

Both sides are read by the store's own loaders (``theirs`` is a ``.session`` folder read
read-only, an older layout accepted), and only ``mine`` is written, through the store's own
writers: cost operations by their stable ``id`` (an operation written before ids existed
gets one derived from its content, so the same operation in two copies has the same id),
history sessions by session id (one both hold with different figures stays as ``mine``
has it and is named).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Merged:
    """What a merge added, found already there, and could not take."""

    operations_added: int = 0
    operations_already_here: int = 0
    sessions_added: int = 0
    sessions_already_here: int = 0
    conflicting_sessions: list[str] = field(default_factory=list)


def operation_ids(root: Path) -> set[str]:
    """The ids of every cost operation of the ``.session`` folder ``root`` (read-only)."""
    from writers_factory.store.costs.tracker import CostTracker

    return {record.id for record in CostTracker(root, read_only=True).all_operations()}


def session_ids(root: Path) -> set[str]:
    """The session ids of the history of the ``.session`` folder ``root`` (read-only)."""
    from writers_factory.store.history.history import SessionHistory

    return {entry.session_id for entry in SessionHistory(root, read_only=True).sessions}


def merge_costs(mine: Path, theirs: Path, into: Merged | None = None) -> Merged:
    """The operations of ``theirs`` that ``mine`` lacks, added to ``mine`` (by id)."""
    from writers_factory.store.costs.tracker import CostTracker

    into = into or Merged()
    incoming = CostTracker(theirs, read_only=True).all_operations()
    added, here = CostTracker(mine).merge_operations(incoming)
    into.operations_added += added
    into.operations_already_here += here
    return into


def merge_history(mine: Path, theirs: Path, into: Merged | None = None) -> Merged:
    """The history sessions of ``theirs`` that ``mine`` lacks, added to ``mine`` (by id)."""
    from writers_factory.store.history.history import SessionHistory

    into = into or Merged()
    history = SessionHistory(mine)
    entries = SessionHistory(theirs, read_only=True).sessions
    added, same, conflicting = history.merge(entries)
    into.sessions_added += added
    into.sessions_already_here += same
    into.conflicting_sessions.extend(conflicting)
    history.save_sync()
    return into
