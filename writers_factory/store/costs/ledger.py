"""Totals over every logged operation, as sums of the chunks' summary entries.

"Today", "this week" and "this month" come from the hourly costs the entries keep; the
session, per-model and all-time figures from their per-session counts. Adding or removing
one chunk's entry is proportional to that entry, never to the number of operations.
Standard library only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from writers_factory.store.costs.summary import (
    ChunkStats,
    Exact,
    Operation,
    Sealed,
    window_total,
)

PENDING = 0
"""Where operations not yet written live (chunk numbers start at 1)."""
SEALED = -1
"""Where the folded entry of old chunks is counted."""


@dataclass
class SessionTotals:
    count: int = 0
    total: Decimal = Decimal(0)
    ops: Counter[str] = field(default_factory=Counter)
    models: dict[str, Decimal] = field(default_factory=dict)
    model_refs: Counter[str] = field(default_factory=Counter)


class Totals:
    """The sums of a set of chunk entries (plus the operations not yet written)."""

    def __init__(self) -> None:
        self.count = 0
        self.total = Decimal(0)
        self.by_model: dict[str, Decimal] = {}
        self._model_refs: Counter[str] = Counter()
        self.sessions: dict[str, SessionTotals] = {}
        self.hours: dict[str, Decimal] = {}
        self.keys: dict[str, int] = {}
        """Idempotency key -> the chunk holding it (:data:`PENDING` before it is written)."""

    def add(self, stats: ChunkStats, where: int, sign: int = 1) -> None:
        """Count (``sign`` 1) or uncount (-1) one chunk's entry."""
        self.count += sign * stats.count
        self.total += sign * stats.cost
        for sid, s in stats.sessions.items():
            session = self.sessions.get(sid)
            if session is None:
                session = self.sessions[sid] = SessionTotals()
            ops = session.ops
            for op, n in s.ops.items():
                ops[op] += sign * n
                session.count += sign * n
            for model, cost in s.models.items():
                session.total += sign * cost
                _bump(session.models, session.model_refs, model, sign * cost, sign)
                _bump(self.by_model, self._model_refs, model, sign * cost, sign)
            if sign < 0:
                if session.count <= 0 and not session.model_refs:
                    del self.sessions[sid]
                else:
                    session.ops = +ops  # drops counts that fell to zero
        for hour, cost in stats.hours.items():
            value = self.hours.get(hour, Decimal(0)) + sign * cost
            if value or sign > 0:
                self.hours[hour] = value
            else:
                self.hours.pop(hour, None)
        for key in stats.keys:
            if sign > 0:
                self.keys[key] = where
            elif self.keys.get(key) == where:
                del self.keys[key]

    def remove(self, stats: ChunkStats, where: int) -> None:
        self.add(stats, where, -1)

    def add_sealed(self, sealed: Sealed, sign: int = 1) -> None:
        """Count (or uncount) the folded entry of old chunks; its keys name their chunks."""
        self.add(sealed.stats, SEALED, sign)
        for key, number in sealed.keys.items():
            if sign > 0:
                self.keys[key] = number
            elif self.keys.get(key) == number:
                del self.keys[key]

    def session(self, session_id: str) -> SessionTotals:
        return self.sessions.get(session_id) or SessionTotals()

    def operations_by_type(self, session_id: str | None = None) -> dict[str, int]:
        """Counts per operation name, for one session or (``None``) for all of them."""
        if session_id is not None:
            return dict(self.session(session_id).ops)
        merged: Counter[str] = Counter()
        for session in self.sessions.values():
            merged.update(session.ops)
        return dict(merged)

    def window(self, hours_from: datetime, start: datetime, end: datetime, exact: Exact) -> Decimal:
        return window_total(self.hours, hours_from, start, end, exact)


def _bump(
    amounts: dict[str, Decimal], refs: Counter[str], name: str, cost: Decimal, sign: int
) -> None:
    """Add ``cost`` under ``name``; a name no entry mentions any more disappears."""
    refs[name] += sign
    if refs[name] <= 0:
        del refs[name]
        amounts.pop(name, None)
    else:
        amounts[name] = amounts.get(name, Decimal(0)) + cost


def in_window(operations: list[Operation], start: datetime, end: datetime) -> Decimal:
    """Spend of the operations stamped in ``[start, end)``."""
    return sum((op.cost for op in operations if start <= op.timestamp < end), Decimal(0))
