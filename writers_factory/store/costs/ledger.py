"""An in-memory index over every logged operation, built once at load.

Totals for "today", "this week" and "this month" must come from the operations themselves
(a stored counter goes stale the moment the date changes), yet must not cost more as years of
operations pile up. The ledger keeps, per operation, its time and the running sum of costs up
to it: the spend since any moment is one binary search and one subtraction.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, deque
from datetime import datetime
from decimal import Decimal

from writers_factory.store.costs.models import OperationRecord

RECENT_KEPT = 1000
"""How many full records ``recent()`` can return without touching the disk."""


class Ledger:
    """Times, running sums, per-model totals and per-session counts of all operations."""

    def __init__(self) -> None:
        self._times: list[datetime] = []
        self._running: list[Decimal] = [Decimal(0)]
        self.by_model: dict[str, Decimal] = {}
        self.by_type: dict[str | None, Counter[str]] = {}
        self.recent: deque[OperationRecord] = deque(maxlen=RECENT_KEPT)

    def add(self, record: OperationRecord) -> None:
        # A clock stepped back (or a hand-edited file) must not break the binary search:
        # index each operation at the latest time seen so far.
        when = record.timestamp
        if self._times and when < self._times[-1]:
            when = self._times[-1]
        self._times.append(when)
        self._running.append(self._running[-1] + record.cost)
        self.by_model[record.model] = self.by_model.get(record.model, Decimal(0)) + record.cost
        self.by_type.setdefault(record.session_id, Counter())[record.operation] += 1
        self.recent.append(record)

    @property
    def count(self) -> int:
        return len(self._times)

    @property
    def total(self) -> Decimal:
        return self._running[-1]

    def total_since(self, start: datetime) -> Decimal:
        """Spend of every operation at or after ``start``; O(log n)."""
        index = bisect_left(self._times, start)
        return self._running[-1] - self._running[index]

    def last_time(self) -> datetime | None:
        return self._times[-1] if self._times else None

    def operations_by_type(self, session_id: str | None = None) -> dict[str, int]:
        """Counts per operation name, for one session or (``None``) for all of them."""
        if session_id is not None:
            return dict(self.by_type.get(session_id, Counter()))
        merged: Counter[str] = Counter()
        for counts in self.by_type.values():
            merged.update(counts)
        return dict(merged)
