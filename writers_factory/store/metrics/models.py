"""``.session/metrics.json``: counters and latency histograms since the project was first opened.

Latencies are kept as counts per bucket, not as samples: the file stays a few kilobytes
after a million saves, two copies add up bucket by bucket, and p50/p95/p99 are read off the
cumulative counts (to within one bucket, a quarter of its value).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from writers_factory.store.base.model_base import StoreDatetime, StoreModel

BUCKET_GROWTH = 1.25
FIRST_BOUND_MS = 0.05
BOUNDS_MS: tuple[float, ...] = tuple(round(FIRST_BOUND_MS * BUCKET_GROWTH**i, 4) for i in range(64))
"""Upper bounds of the buckets, 0.05 ms to about 80 s; a slower one lands in the last."""

COUNTERS = (
    "saves",
    "save_failures",
    "journal_writes",
    "journal_failures",
    "recoveries_offered",
    "recoveries_accepted",
    "snapshots",
    "snapshot_failures",
    "watcher_events",
    "watcher_batches",
)
"""The counters the app keeps (others may appear: a newer version's are kept as they are)."""

LATENCIES = ("save", "journal_write", "snapshot")


def bucket_of(ms: float) -> int:
    return min(bisect_left(BOUNDS_MS, ms), len(BOUNDS_MS) - 1)


class Histogram(BaseModel):
    """One latency: how many fell in each bucket (by index into :data:`BOUNDS_MS`)."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    count: int = Field(default=0, ge=0)
    total_ms: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    max_ms: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    buckets: dict[int, int] = Field(default_factory=dict)

    def add(self, other: Histogram) -> None:
        self.count += other.count
        self.total_ms += other.total_ms
        self.max_ms = max(self.max_ms, other.max_ms)
        merged = dict(self.buckets)
        for index, n in other.buckets.items():
            merged[index] = merged.get(index, 0) + n
        self.buckets = merged

    def observe(self, ms: float) -> None:
        if not math.isfinite(ms) or ms < 0:
            return
        self.count += 1
        self.total_ms += ms
        self.max_ms = max(self.max_ms, ms)
        index = bucket_of(ms)
        self.buckets[index] = self.buckets.get(index, 0) + 1

    def percentile(self, q: float) -> float | None:
        """The bucket bound below which a fraction ``q`` of the observations fell."""
        if self.count == 0:
            return None
        wanted = max(1, math.ceil(q * self.count))
        seen = 0
        for index in sorted(self.buckets):
            seen += self.buckets[index]
            if seen >= wanted:
                return min(BOUNDS_MS[min(index, len(BOUNDS_MS) - 1)], self.max_ms)
        return self.max_ms

    @property
    def mean_ms(self) -> float | None:
        return self.total_ms / self.count if self.count else None


class MetricsData(StoreModel):
    """The whole ``metrics.json``."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "metrics"

    since: StoreDatetime | None = None
    updated_at: StoreDatetime | None = None
    counters: dict[str, int] = Field(default_factory=dict)
    latencies: dict[str, Histogram] = Field(default_factory=dict)

    def add(self, counters: dict[str, int], latencies: dict[str, Histogram]) -> None:
        merged = dict(self.counters)
        for name, n in counters.items():
            merged[name] = merged.get(name, 0) + n
        self.counters = merged
        kept = dict(self.latencies)
        for name, histogram in latencies.items():
            kept.setdefault(name, Histogram()).add(histogram)
        self.latencies = kept
