"""SessionHistory on real files: written as the session goes, rolled into yearly summaries
beyond 20 sessions, gzip past 1 MB and read back transparently."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from writers_factory.store import SessionHistory
from writers_factory.store.base.events import Callbacks, SaveMetadata
from writers_factory.store.base.jsonfile import FileReadOnlyError
from writers_factory.store.base.serialisers import GZIP_MAGIC
from writers_factory.store.history.models import KEEP_SESSIONS

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


def session_dir(tmp_path: Path) -> Path:
    root = tmp_path / "novel" / ".session"
    root.mkdir(parents=True)
    return root


def on_disk(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / "history.json").read_text())
    return data


async def test_entry_is_written_at_each_save_while_the_session_runs(tmp_path: Path) -> None:
    root = session_dir(tmp_path)
    clock = Clock()
    history = SessionHistory(root, clock=clock)
    history.begin("2026-03-02-090000", T0)
    clock.advance(2)
    history.record_words(120, 4)
    history.record_file_modified(root.parent / "manuscript" / "chapter-1.md")
    assert await history.save() is True
    saved = on_disk(root)["sessions"]
    assert isinstance(saved, list) and len(saved) == 1
    entry = saved[0]
    assert entry["end_time"] is None and entry["words_added"] == 120
    assert entry["files_modified"] == ["manuscript/chapter-1.md"]
    assert entry["duration_minutes"] == 2.0

    clock.advance(1)
    history.record_words(30, 0)
    history.record_operation("scene_generation", Decimal("0.0123"))
    history.record_operation("scene_generation", Decimal("0.01"))
    history.record_file_created("output/reports/voice-test.md")
    history.record_file_modified("output/reports/voice-test.md")  # created: listed once
    history.save_sync()
    entry = on_disk(root)["sessions"][0]
    assert entry["words_added"] == 150 and entry["words_removed"] == 4
    assert entry["total_cost"] == "0.0223"
    assert entry["operations_count"] == {"scene_generation": 2}
    assert entry["files_created"] == ["output/reports/voice-test.md"]
    assert entry["files_modified"] == ["manuscript/chapter-1.md"]
    assert entry["words_by_hour"] == {"2026-03-02T09": 150}
    assert await history.save() is False  # nothing changed: no write


def test_a_batch_of_files_is_listed_as_one_by_one_would_be(tmp_path: Path) -> None:
    """``record_files`` (a burst from the watcher) lists each file once, created before
    modified, in order, absolute or relative, as the single calls do."""
    root = session_dir(tmp_path)
    history = SessionHistory(root, clock=Clock())
    history.begin("2026-03-02-090000", T0)
    history.record_file_modified("manuscript/old.md")
    history.record_files(
        created=["manuscript/b.md", root.parent / "manuscript" / "a.md", "manuscript/b.md"],
        modified=["manuscript/a.md", "manuscript/old.md", "manuscript/c.md", "manuscript/c.md"],
    )
    entry = history.current
    assert entry is not None
    assert entry.files_created == ["manuscript/b.md", "manuscript/a.md"]
    assert entry.files_modified == ["manuscript/old.md", "manuscript/c.md"]


def test_idle_gaps_and_active_time(tmp_path: Path) -> None:
    root = session_dir(tmp_path)
    clock = Clock()
    history = SessionHistory(root, clock=clock)
    history.begin("s", T0)
    history.record_activity(T0 + timedelta(minutes=4))  # gap 4: active
    history.record_activity(T0 + timedelta(minutes=16))  # gap 12: idle
    history.record_activity(T0 + timedelta(minutes=20))  # gap 4: active
    history.record_activity(T0 + timedelta(minutes=10))  # earlier than the last: ignored
    history.end(T0 + timedelta(minutes=30))  # gap 10: idle
    history.save_sync()
    entry = history.sessions[0]
    assert entry.duration_minutes == 30.0
    assert entry.idle_minutes == 22.0
    assert entry.active_minutes == 8.0
    assert entry.end_time == T0 + timedelta(minutes=30)
    assert history.current is None
    assert on_disk(root)["sessions"][0]["end_time"] == "2026-03-02T09:30:00Z"


def test_unfinished_session_is_marked_interrupted_and_continuing_by_id(tmp_path: Path) -> None:
    root = session_dir(tmp_path)
    clock = Clock()
    first = SessionHistory(root, clock=clock)
    first.begin("one", T0)
    clock.advance(3)
    first.record_words(50, 0)
    first.save_sync()  # then the process "crashes": no end()

    reopened = SessionHistory(root, clock=clock)
    crashed = reopened.sessions[0]
    assert crashed.end_time is None and crashed.duration_minutes == 3.0
    assert crashed.effective_end == T0 + timedelta(minutes=3)
    reopened.begin("two", clock.advance(60))
    assert [e.interrupted for e in reopened.sessions] == [True, False]
    reopened.save_sync()
    assert on_disk(root)["sessions"][0]["interrupted"] is True

    # the same id again continues that entry instead of adding one
    again = SessionHistory(root, clock=clock)
    again.begin("two", clock.now)
    clock.advance(2)
    again.record_words(7, 1)
    assert len(again.sessions) == 2 and again.current is again.sessions[-1]
    assert again.current.words_added == 7


def test_record_before_begin_is_a_clear_error(tmp_path: Path) -> None:
    history = SessionHistory(session_dir(tmp_path))
    try:
        history.record_words(1, 0)
    except RuntimeError as exc:
        assert "begin()" in str(exc)
    else:
        raise AssertionError("expected RuntimeError")
    try:
        history.begin("s", T0)
        history.record_words(-1, 0)
    except ValueError as exc:
        assert "negative" in str(exc)
    else:
        raise AssertionError("expected ValueError")


def _one_session(history: SessionHistory, clock: Clock, i: int, start: datetime) -> None:
    clock.now = start
    history.begin(f"s{i:03d}", start)
    clock.advance(4)  # within the idle threshold: active
    history.record_words(100 + i, i)
    history.record_operation("scene_enhancement" if i % 2 else "voice_test", Decimal("0.01") * i)
    history.end(clock.advance(20))


def test_rollover_beyond_20_into_exact_yearly_sums(tmp_path: Path) -> None:
    root = session_dir(tmp_path)
    clock = Clock()
    history = SessionHistory(root, clock=clock)
    # sessions 0..4 in 2024, 5..9 in 2025, 10..29 in 2026: 30 sessions, 10 roll over
    starts = [datetime(2024, 5, 1 + i, 8, tzinfo=UTC) for i in range(5)]
    starts += [datetime(2025, 6, 1 + i, 8, tzinfo=UTC) for i in range(5)]
    starts += [datetime(2026, 1, 1 + i, 8, tzinfo=UTC) for i in range(20)]
    for i, start in enumerate(starts):
        _one_session(history, clock, i, start)
        history.save_sync()
    assert len(history.sessions) == KEEP_SESSIONS
    assert [e.session_id for e in history.sessions] == [f"s{i:03d}" for i in range(10, 30)]
    y2024, y2025 = history.yearly[2024], history.yearly[2025]
    assert sorted(history.yearly) == [2024, 2025]
    # by hand: sessions 0..4 add 100..104 words, remove 0..4, cost 0.00..0.04
    assert y2024.sessions == 5
    assert y2024.words_added == 100 + 101 + 102 + 103 + 104 == 510
    assert y2024.words_removed == 0 + 1 + 2 + 3 + 4
    assert y2024.total_cost == Decimal("0.10")
    assert y2024.total_minutes == 120.0  # 5 x (4 + 20) minutes
    assert y2024.idle_minutes == 100.0  # 5 x the 20-minute gap before end()
    assert y2024.active_minutes == 20.0
    assert y2024.operations_count == {"voice_test": 3, "scene_enhancement": 2}
    assert y2024.words_by_hour == {f"2024-05-0{1 + i}T08": 100 + i for i in range(5)}
    assert y2024.first_start == starts[0] and y2024.last_end == starts[4] + timedelta(minutes=24)
    assert y2025.words_added == 105 + 106 + 107 + 108 + 109 == 535
    assert y2025.total_cost == Decimal("0.35")  # 0.05+0.06+0.07+0.08+0.09
    assert y2025.operations_count == {"scene_enhancement": 3, "voice_test": 2}

    reloaded = SessionHistory(root)
    assert reloaded.yearly == history.yearly
    assert len(reloaded.sessions) == KEEP_SESSIONS
    raw = on_disk(root)
    assert sorted(raw["yearly"]) == ["2024", "2025"]
    assert raw["yearly"]["2024"]["total_cost"] == "0.10"


def test_running_session_is_never_folded(tmp_path: Path) -> None:
    root = session_dir(tmp_path)
    clock = Clock()
    history = SessionHistory(root, clock=clock)
    # an old session still open (the running one) with 20 newer sessions already on file
    history.begin("running", datetime(2020, 1, 1, tzinfo=UTC))
    for i in range(20):
        history.data.sessions.append(
            history.data.sessions[0].model_copy(
                update={"session_id": f"x{i}", "start_time": datetime(2021, 1, 1 + i, tzinfo=UTC)}
            )
        )
    history.begin("running", datetime(2020, 1, 1, tzinfo=UTC))  # continue: triggers rollover
    ids = [e.session_id for e in history.sessions]
    assert "running" in ids and len(ids) == KEEP_SESSIONS
    assert history.yearly[2021].sessions == 1


def test_gzip_past_1mb_and_transparent_reading(tmp_path: Path) -> None:
    root = session_dir(tmp_path)
    seen: list[SaveMetadata] = []
    callbacks = Callbacks(on_save=[seen.append])
    clock = Clock()
    history = SessionHistory(root, clock=clock, callbacks=callbacks)
    history.begin("big", T0)
    assert history.current is not None
    # a session that touched 20,000 files: ~70 bytes each with indentation, past 1 MB
    names = [f"manuscript/part-{i:05d}/chapter-with-a-long-name-{i}.md" for i in range(20_000)]
    history.current.files_modified = names
    history.record_file_modified("manuscript/one-more.md")
    history.save_sync()
    raw = (root / "history.json").read_bytes()
    assert raw[:2] == GZIP_MAGIC
    assert len(json.dumps(json.loads(gzip.decompress(raw)), indent=2)) > 1_000_000
    assert seen[-1].format == "gzip-json" and seen[-1].size == len(raw)

    reloaded = SessionHistory(root)
    assert len(reloaded.sessions[0].files_modified) == 20_001
    assert reloaded.problems == []
    reloaded.begin("big", T0)
    reloaded.record_words(1, 0)
    reloaded.save_sync()  # stays compressed under the same name
    assert (root / "history.json").read_bytes()[:2] == GZIP_MAGIC
    assert not (root / "history.json.gz").exists()


def test_small_history_stays_plain_indented_json(tmp_path: Path) -> None:
    root = session_dir(tmp_path)
    history = SessionHistory(root)
    history.begin("s", T0)
    history.save_sync()
    text = (root / "history.json").read_text()
    assert text.startswith("{\n  ") and '"schema_version": 1' in text


def test_corrupt_history_is_set_aside_and_previous_copy_restored(tmp_path: Path) -> None:
    root = session_dir(tmp_path)
    clock = Clock()
    history = SessionHistory(root, clock=clock)
    history.begin("s", T0)
    clock.advance(1)
    history.record_words(10, 0)
    history.save_sync()
    clock.advance(1)
    history.record_words(5, 0)
    history.save_sync()  # the first version is now prev/history.json
    (root / "history.json").write_bytes(b'{"sessions": [{"session_id": ')
    reloaded = SessionHistory(root)
    assert reloaded.sessions[0].words_added == 10
    problem = reloaded.problems[0]
    assert problem.path == root / "history.json" and problem.set_aside is not None
    assert problem.set_aside.read_bytes() == b'{"sessions": [{"session_id": '


def test_bad_field_is_named(tmp_path: Path) -> None:
    root = session_dir(tmp_path)
    bad = {
        "schema_version": 1,
        "sessions": [
            {"session_id": "a", "start_time": "2026-01-01T00:00:00Z", "words_added": "many"}
        ],
    }
    (root / "history.json").write_text(json.dumps(bad))
    history = SessionHistory(root, read_only=True)
    assert history.sessions == []
    assert "sessions.0.words_added" in history.problems[0].message
    assert (root / "history.json").exists()  # read-only: nothing moved


def test_newer_schema_opens_read_only_and_is_never_rewritten(tmp_path: Path) -> None:
    root = session_dir(tmp_path)
    newer = {"schema_version": 9, "sessions": [], "yearly": {}, "future": {"x": 1}}
    (root / "history.json").write_text(json.dumps(newer))
    history = SessionHistory(root)
    assert history.read_only
    history.begin("s", T0)
    history.record_words(3, 0)
    with pytest.raises(FileReadOnlyError, match=r"history\.json"):
        history.save_sync()
    assert json.loads((root / "history.json").read_text()) == newer
