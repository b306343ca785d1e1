"""``.session/metrics.json``: counts kept in memory, added to the file at each flush."""

from __future__ import annotations

import json
from pathlib import Path

from writers_factory.store.metrics.models import BOUNDS_MS, Histogram
from writers_factory.store.metrics.recorder import MetricsRecorder, read_metrics


def test_percentiles_follow_the_observations_to_within_a_bucket() -> None:
    histogram = Histogram()
    for ms in range(1, 101):  # 1 .. 100 ms
        histogram.observe(float(ms))
    histogram.observe(float("nan"))  # never counted
    assert histogram.count == 100 and histogram.max_ms == 100.0
    for q, exact in ((0.5, 50), (0.95, 95), (0.99, 99)):
        found = histogram.percentile(q)
        assert found is not None and exact <= found <= exact * 1.25
    assert Histogram().percentile(0.5) is None
    huge = Histogram()
    huge.observe(10**9)
    assert huge.buckets == {len(BOUNDS_MS) - 1: 1} and huge.percentile(0.5) == BOUNDS_MS[-1]


def test_flushes_add_up_across_recorders_and_nothing_is_written_between(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    first, second = MetricsRecorder(root), MetricsRecorder(root)
    for _ in range(3):
        first.count("saves")
        first.observe("save", 2.0)
    assert not (root / "metrics.json").exists()  # counted in memory only
    assert first.flush_sync()
    assert not first.flush_sync()  # nothing new: nothing written
    second.count("saves", 2)
    second.count("save_failures")
    second.observe("save", 40.0)
    assert second.flush_sync()
    data, problems = read_metrics(root)
    assert not problems
    assert data.counters == {"saves": 5, "save_failures": 1}
    assert data.latencies["save"].count == 4 and data.latencies["save"].max_ms == 40.0
    on_disk = json.loads((root / "metrics.json").read_text())
    assert on_disk["schema_version"] == 1 and data.since is not None


def test_a_damaged_file_is_set_aside_and_counting_goes_on(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    root.mkdir()
    (root / "metrics.json").write_text('{"schema_version": 1, "counters": {"saves": "many"}}')
    data, problems = read_metrics(root)
    assert problems and "counters" in problems[0] and data.counters == {}
    recorder = MetricsRecorder(root)
    recorder.count("saves")
    assert recorder.flush_sync()
    assert read_metrics(root)[0].counters == {"saves": 1}
    assert list((root / "corrupt").iterdir())  # the damaged file was kept, not overwritten


def test_a_read_only_recorder_writes_nothing(tmp_path: Path) -> None:
    recorder = MetricsRecorder(tmp_path / ".session", read_only=True)
    recorder.count("saves")
    assert not recorder.flush_sync()
    assert not (tmp_path / ".session").exists()
