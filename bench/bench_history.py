"""What ten years of yearly summaries cost each auto-save of history.json.

The history is rewritten whole at every auto-save, so the summaries that keep long-term
statistics possible must stay cheap to carry. Measures the median save (serialise + durable
write) of a history with 20 sessions, then of the same plus 10 years of realistic yearly
summaries (300 writing days a year, 3 hours a day, 150 sessions), and prints the ratio with
the file sizes. Also times ``word_delta`` on a chapter relative to counting its words once.
Absolute seconds depend on the machine; prints results, asserts nothing about time.

Run: ``.venv/bin/python bench/bench_history.py``
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from writers_factory.core.hours import hour_key
from writers_factory.core.wordcount import count_words, word_delta
from writers_factory.store.history.history import SessionHistory
from writers_factory.store.history.models import HistoryEntry, YearSummary

SAVES = 30


def make_history(root: Path, years: int) -> SessionHistory:
    rng = random.Random(7)
    clock = [datetime(2026, 1, 5, 9, tzinfo=UTC)]
    history = SessionHistory(root, clock=lambda: clock[0])
    for i in range(20):
        clock[0] = datetime(2026, 1, 5 + i, 9, tzinfo=UTC)
        history.begin(f"2026-01-{5 + i:02d}-090000", clock[0])
        for _ in range(6):
            clock[0] += timedelta(minutes=rng.randint(1, 30))
            history.record_words(rng.randint(0, 400), rng.randint(0, 40))
            history.record_file_modified(f"manuscript/part-{i % 4}/chapter-{i}.md")
        history.record_operation("scene_generation", Decimal("0.0132"))
        history.end(clock[0])
    for year in range(2026 - years, 2026):
        summary = YearSummary()
        day = datetime(year, 1, 1, 8, tzinfo=UTC)
        for n in range(150):
            start = day + timedelta(days=n * 2)
            hours = {hour_key(start + timedelta(hours=h)): rng.randint(100, 700) for h in range(6)}
            summary.absorb(
                HistoryEntry(
                    session_id=f"{year}-{n}",
                    start_time=start,
                    duration_minutes=360,
                    active_minutes=300,
                    idle_minutes=60,
                    total_cost=Decimal("0.21"),
                    words_added=sum(hours.values()),
                    words_removed=80,
                    words_by_hour=hours,
                    operations_count={"scene_generation": 2, "voice_test": 1},
                )
            )
        history.data.yearly[year] = summary
    history.begin("running", clock[0])
    history.save_sync()
    return history


def median_save(history: SessionHistory) -> float:
    times = []
    for _ in range(SAVES):
        history.record_words(1, 0)  # something changed, as at a real auto-save
        start = time.perf_counter()
        history.save_sync()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_of(fn: Callable[[], object], repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rows(workload: object, runs: int) -> list[Any]:
    """For ``make bench`` (information: no target): an auto-save of history.json with ten
    years of summaries against one without, and ``word_delta`` against one count."""
    from bench.results import Row, Spread, alternate

    with tempfile.TemporaryDirectory() as tmp:
        small_root, big_root = Path(tmp, "a", ".session"), Path(tmp, "b", ".session")
        small_root.mkdir(parents=True)
        big_root.mkdir(parents=True)
        small, big = make_history(small_root, 0), make_history(big_root, 10)
        base, cand = alternate(lambda: median_save(small), lambda: median_save(big), runs)
    rng = random.Random(3)
    vocab = [f"word{i}" for i in range(3000)]
    chapter = " ".join(rng.choice(vocab) for _ in range(6000))
    middle = len(chapter) // 2
    edited = chapter[:middle] + " a brand new sentence here " + chapter[middle + 40 :]
    counts, deltas = alternate(
        lambda: median_of(lambda: count_words(chapter)),
        lambda: median_of(lambda: word_delta(chapter, edited)),
        runs,
    )
    return [
        Row(
            bench="history",
            measure="auto-save of history.json, 20 sessions + 10 yearly summaries",
            baseline_is="20 sessions only",
            baseline=Spread.of(base),
            candidate=Spread.of(cand),
        ),
        Row(
            bench="history",
            measure="word_delta on a 6,000-word chapter",
            baseline_is="one count_words",
            baseline=Spread.of(counts),
            candidate=Spread.of(deltas),
        ),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small_root, big_root = Path(tmp, "a", ".session"), Path(tmp, "b", ".session")
        small_root.mkdir(parents=True)
        big_root.mkdir(parents=True)
        small, big = make_history(small_root, 0), make_history(big_root, 10)
        t_small, t_big = median_save(small), median_save(big)
        size_small = small.path.stat().st_size
        size_big = big.path.stat().st_size
    print(
        f"save, 20 sessions:                        {t_small * 1000:8.2f} ms  "
        f"({size_small:,} bytes)"
    )
    print(f"save, 20 sessions + 10 yearly summaries:  {t_big * 1000:8.2f} ms  ({size_big:,} bytes)")
    print(f"ratio: {t_big / t_small:.1f}x")

    rng = random.Random(3)
    vocab = [f"word{i}" for i in range(3000)]
    chapter = " ".join(rng.choice(vocab) for _ in range(6000))
    middle = len(chapter) // 2
    edited = chapter[:middle] + " a brand new sentence here " + chapter[middle + 40 :]
    t_count = median_of(lambda: count_words(chapter))
    t_delta = median_of(lambda: word_delta(chapter, edited))
    print(
        f"word_delta on a 6,000-word chapter: {t_delta * 1000:.2f} ms, "
        f"{t_delta / t_count:.1f}x one count_words ({t_count * 1000:.2f} ms)"
    )


if __name__ == "__main__":
    main()
