"""A past session, as recorded: what ``Session.load(session_id)`` returns for an earlier run.

A past session is history, not something to continue: it is handed back as a frozen value
(tuples and read-only mappings), so nothing the caller does to it can reach the disk or the
running session. Its figures come from ``history.json``; for the run just before this one,
whose ``current.json`` was read at start, where the writer was (stage, open files) too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.history.history import SessionHistory
from writers_factory.store.history.models import HistoryEntry
from writers_factory.store.session.models import SessionData


class UnknownSessionError(WritersFactoryError, LookupError):
    """No session with that id is recorded; the message names the ids that are."""


@dataclass(frozen=True)
class PastSession:
    """One earlier session, read-only."""

    session_id: str
    start_time: datetime
    end_time: datetime | None
    duration_minutes: float
    total_cost: Decimal
    files_created: tuple[str, ...]
    files_modified: tuple[str, ...]
    operations_count: Mapping[str, int]
    interrupted: bool
    stage: str | None = None
    """Where the writer was, known for the run just before this one only."""
    open_files: tuple[str, ...] = ()
    read_only: bool = True


def _from(entry: HistoryEntry | None, state: SessionData | None, session_id: str) -> PastSession:
    if entry is None and state is None:
        raise AssertionError("a past session needs a history entry or a saved state")
    start = entry.start_time if entry is not None else state.started_at  # type: ignore[union-attr]
    if entry is not None:
        end, minutes = entry.end_time, entry.duration_minutes
        cost, interrupted = entry.total_cost, entry.interrupted
        created, modified = tuple(entry.files_created), tuple(entry.files_modified)
        ops: dict[str, int] = dict(entry.operations_count)
    else:
        assert state is not None
        end = state.last_activity if state.clean_shutdown else None
        minutes = round(max(0.0, (state.last_activity - start).total_seconds() / 60), 2)
        cost, interrupted = Decimal(0), not state.clean_shutdown
        created = tuple(c.path for c in state.file_changes if c.kind == "created")
        modified = tuple(c.path for c in state.file_changes if c.kind == "modified")
        ops = {}
    return PastSession(
        session_id=session_id,
        start_time=start,
        end_time=end,
        duration_minutes=minutes,
        total_cost=cost,
        files_created=created,
        files_modified=modified,
        operations_count=MappingProxyType(ops),
        interrupted=interrupted,
        stage=state.current_state.stage if state is not None else None,
        open_files=tuple(f.path for f in state.open_files) if state is not None else (),
    )


def find_past(session_dir: Path, session_id: str, previous: SessionData | None) -> PastSession:
    """Read ``history.json`` (read-only: never written from here) for ``session_id``.

    Blocking file I/O: call it in a thread.
    """
    history = SessionHistory(session_dir, read_only=True)
    entry = next((e for e in history.sessions if e.session_id == session_id), None)
    state = previous if previous is not None and previous.session_id == session_id else None
    if entry is None and state is None:
        known = [e.session_id for e in history.sessions][-5:]
        listed = ", ".join(known) if known else "none yet"
        raise UnknownSessionError(
            f"no session {session_id!r} is recorded in {history.path} (the last ones: {listed})"
        )
    return _from(entry, state, session_id)
