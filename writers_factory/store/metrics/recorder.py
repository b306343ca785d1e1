"""Metrics counted in memory as things happen, written at natural moments.

Counting is a dictionary update under a lock — cheap enough for the event loop and for
worker threads alike; nothing touches the disk until :meth:`MetricsRecorder.flush_sync`,
which the app calls from a thread after an auto-save and at close. A flush adds what was
counted since the last one to ``metrics.json`` (read, add, written through the durable
path), so two processes (the app and a command) never overwrite each other's counts, and
a crash loses at most what was counted since the last auto-save.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from writers_factory.store.base.events import Callbacks
from writers_factory.store.base.jsonfile import JsonFile
from writers_factory.store.base.paths import SessionPaths
from writers_factory.store.metrics.models import Histogram, MetricsData

FILE_NAME = "metrics.json"
_flush_lock = threading.Lock()


def read_metrics(session_dir: Path) -> tuple[MetricsData, list[str]]:
    """What ``metrics.json`` holds (defaults when absent), and the problems found reading it."""
    paths = SessionPaths(Path(session_dir))
    file = JsonFile(
        paths, paths.root / FILE_NAME, MetricsData, read_only=True, callbacks=Callbacks()
    )
    value = file.load_sync()
    return value, [p.describe() for p in file.problems]


class MetricsRecorder:
    """The in-memory counts of one process for the ``.session`` folder ``root``."""

    def __init__(self, root: Path, *, read_only: bool = False) -> None:
        self.root = Path(root)
        self.read_only = read_only
        self._lock = threading.Lock()
        self._counters: dict[str, int] = {}
        self._latencies: dict[str, Histogram] = {}

    def count(self, name: str, n: int = 1) -> None:
        with self._lock:
            self._counters[name] = self._counters.get(name, 0) + n

    def observe(self, name: str, ms: float) -> None:
        """One latency in milliseconds (also counts nothing else: pair it with :meth:`count`)."""
        with self._lock:
            self._latencies.setdefault(name, Histogram()).observe(ms)

    def pending(self) -> bool:
        with self._lock:
            return bool(self._counters or self._latencies)

    def snapshot(self) -> tuple[dict[str, int], dict[str, Histogram]]:
        """What was counted since the last flush (a copy)."""
        with self._lock:
            return dict(self._counters), {
                k: v.model_copy(deep=True) for k, v in self._latencies.items()
            }

    def flush_sync(self) -> bool:
        """Add the counts since the last flush to ``metrics.json``; blocking I/O (a thread).

        On a failure the counts stay in memory for the next flush. True when written.
        """
        if self.read_only:
            return False
        with self._lock:
            counters, latencies = self._counters, self._latencies
            self._counters, self._latencies = {}, {}
        if not counters and not latencies:
            return False
        try:
            with _flush_lock:
                paths = SessionPaths(self.root)
                file = JsonFile(paths, paths.root / FILE_NAME, MetricsData, callbacks=Callbacks())
                data = file.load_sync()
                now = datetime.now(UTC)
                data.since = data.since or now
                data.updated_at = now
                data.add(counters, latencies)
                file.mark_dirty()
                file.save_sync()
        except OSError:
            with self._lock:  # keep them for the next flush
                fresh = MetricsData(counters=counters, latencies=latencies)
                fresh.add(self._counters, self._latencies)
                self._counters, self._latencies = dict(fresh.counters), dict(fresh.latencies)
            raise
        return True
