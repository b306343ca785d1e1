"""The specification's names on Session and CostTracker, beside the store's own."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from writers_factory.core.prices import price, split_tokens
from writers_factory.store import AutoSave, CostTracker, Session, SessionHistory, auto_save_worker
from writers_factory.store.base.events import SaveMetadata
from writers_factory.store.costs.models import OperationRecord
from writers_factory.store.session.models import SessionData
from writers_factory.store.session.past import PastSession, UnknownSessionError


async def test_new_starts_fresh_after_an_interruption(tmp_path: Path) -> None:
    first = Session(tmp_path)
    first.set_stage("enhancing")
    first.open_file("manuscript/one.md", 4, 2)
    first.set_model_preference("enhancing", "gpt-4")
    await first.save()
    del first  # never closed: a crash

    fresh = Session.new(tmp_path)
    assert fresh.current_stage == "creation"
    assert fresh.data.open_files == [] and dict(fresh.model_preferences) == {}
    assert not fresh.was_interrupted()  # the question was answered
    assert fresh.previous is not None and fresh.previous.current_state.stage == "enhancing"
    await fresh.close()

    again = Session(tmp_path)  # the fresh state is what was written
    assert again.current_stage == "creation" and again.data.open_files == []
    await again.close()


async def test_model_preferences_read_as_a_mapping_and_change_only_through_the_setter(
    tmp_path: Path,
) -> None:
    session = Session(tmp_path)
    session.set_model_preference("writing", "claude")
    assert session.model_preferences["writing"] == "claude"
    with pytest.raises(TypeError):
        session.model_preferences["writing"] = "other"  # type: ignore[index]
    await session.close()


async def test_load_current_rereads_and_a_past_id_returns_its_record_read_only(
    tmp_path: Path,
) -> None:
    session = Session(tmp_path)
    past_id = session.session_id
    history = SessionHistory(session.paths.root)
    history.begin(past_id, session.data.started_at)
    history.record_file_created(tmp_path / "output" / "reports" / "voice.md")
    history.record_file_modified(tmp_path / "manuscript" / "five.md")
    history.record_operation("scene_generation", Decimal("0.15"))
    history.end(session.data.started_at)
    history.save_sync()
    session.set_stage("writing")
    await session.close()

    now = Session(tmp_path)
    assert now.session_id != past_id
    state = await now.load("current")
    assert isinstance(state, SessionData) and state is now.data
    past = await now.load(past_id)
    assert isinstance(past, PastSession)
    assert past.session_id == past_id and past.read_only
    assert past.files_created == ("output/reports/voice.md",)
    assert past.files_modified == ("manuscript/five.md",)
    assert past.operations_count == {"scene_generation": 1}
    assert past.total_cost == Decimal("0.15")
    assert past.stage == "writing"  # the run just before: its saved state is known too
    with pytest.raises(TypeError):
        past.operations_count["x"] = 1  # type: ignore[index]
    with pytest.raises(AttributeError):
        past.stage = "scoring"  # type: ignore[misc]
    assert now.session_id != past_id and now.current_stage == "writing"  # left as it was

    with pytest.raises(UnknownSessionError, match=past_id):
        await now.load("1999-01-01-000000")
    await now.close()


async def test_mark_file_modified_and_created_record_project_paths(tmp_path: Path) -> None:
    session = Session(tmp_path)
    session.mark_file_modified(str(tmp_path / "manuscript" / "a.md"))
    session.mark_file_created(tmp_path / "reference" / "noni.md")
    session.mark_file_created("planning/outline.md")
    got = [(c.kind, c.path) for c in session.data.file_changes]
    assert got == [
        ("modified", "manuscript/a.md"),
        ("created", "reference/noni.md"),
        ("created", "planning/outline.md"),
    ]
    assert session.has_changes()
    with pytest.raises(ValueError, match="not inside the project"):
        session.mark_file_created(tmp_path.parent / "elsewhere.md")
    with pytest.raises(ValueError, match="not inside the project"):
        session.mark_file_modified("../escape.md")
    await session.close()


async def test_on_save_takes_callbacks_with_or_without_the_metadata(tmp_path: Path) -> None:
    session = Session(tmp_path)
    calls: list[str] = []
    seen: list[SaveMetadata] = []

    @session.on_save
    def update_status_bar() -> None:
        calls.append("no argument")

    @session.on_save
    def with_metadata(meta: SaveMetadata) -> None:
        seen.append(meta)

    session.set_stage("writing")
    assert await session.save()
    assert calls == ["no argument"]
    assert [m.path for m in seen] == [session.paths.current]
    assert update_status_bar.__name__ == "update_status_bar"  # the decorator returns it
    await session.close()


async def test_on_update_decorates_listeners_with_or_without_the_record(tmp_path: Path) -> None:
    tracker = CostTracker(tmp_path / ".session")
    shown: list[str] = []
    records: list[OperationRecord | None] = []

    @tracker.on_update
    def update_cost_display() -> None:
        shown.append(f"Session: ${tracker.session_total:.2f}")

    @tracker.on_update
    def remember(record: OperationRecord | None) -> None:
        records.append(record)

    await tracker.log_operation("scene_generation", "gpt-4", 10_000, 2_000)
    assert shown == ["Session: $0.42"]
    assert records[0] is not None and records[0].model == "gpt-4"
    await tracker.reset_session()
    assert shown[-1] == "Session: $0.00" and records[-1] is None


def test_one_token_count_is_split_by_the_operations_usual_share(tmp_path: Path) -> None:
    tracker = CostTracker(tmp_path / ".session")
    total = 15_650
    scene_in, scene_out = split_tokens(total, "scene_generation")
    assert (scene_in, scene_out) == (12_520, 3_130) and scene_in + scene_out == total
    assert tracker.get_estimated_cost("gpt-4", total) == price("gpt-4", scene_in, scene_out)
    rewrite = tracker.get_estimated_cost("gpt-4", total, operation="rewrite")
    assert (
        rewrite
        == price("gpt-4", *split_tokens(total, "rewrite"))
        > tracker.get_estimated_cost("gpt-4", total)
    )
    # both counts given: priced as given, as before
    assert tracker.get_estimated_cost("gpt-4", 1000, 0) == price("gpt-4", 1000, 0)
    assert split_tokens(1) == (0, 1)  # output rounds up: the estimate errs on the dear side
    with pytest.raises(ValueError, match="negative"):
        split_tokens(-1)


async def test_the_auto_save_worker_is_switched_and_retimed_at_once(tmp_path: Path) -> None:
    session = Session(tmp_path)
    control = AutoSave(600)  # ten minutes: only a change of interval can make it save soon
    saved = asyncio.Event()
    worker = asyncio.create_task(auto_save_worker(session, control, on_saved=saved.set))
    try:
        session.set_stage("writing")
        await asyncio.sleep(0)  # the worker is waiting its ten minutes
        control.set_interval(1)
        await asyncio.wait_for(saved.wait(), 30)
        assert control.saves == 1 and not session.has_changes()
        assert Session(tmp_path, read_only=True).current_stage == "writing"

        control.disable()
        saved.clear()
        session.set_stage("scoring")
        assert not control.enabled
        control.enable(interval=1)
        await asyncio.wait_for(saved.wait(), 30)
        assert control.saves == 2
        with pytest.raises(ValueError, match="at least 1 second"):
            control.set_interval(0)
    finally:
        worker.cancel()
        await session.close()


def test_last_save_time_is_a_datetime_that_subtracts_from_epoch_seconds(tmp_path: Path) -> None:
    """One fact, both uses: the specification's ``time.time() - last_save_time`` and the
    project's own datetime arithmetic and formatting (``save_time.py``)."""
    from datetime import UTC, datetime, timedelta

    from writers_factory.store.session.save_time import SaveTime

    first = Session(tmp_path)
    first.set_stage("writing")
    first.save_sync()
    saved = first.last_save_time
    assert isinstance(saved, datetime) and saved.tzinfo is not None
    assert saved == first._file.last_save.timestamp  # type: ignore[union-attr]
    assert isinstance(saved.timestamp() + 5 - saved, float)
    assert saved.timestamp() + 5 - saved == pytest.approx(5.0)
    later = saved + timedelta(seconds=7)
    assert later - saved == timedelta(seconds=7)  # datetime minus it: still a timedelta
    assert saved - datetime.fromtimestamp(saved.timestamp(), UTC) == timedelta(0)
    assert float(saved) == saved.timestamp()
    assert saved != saved.timestamp()  # never mistaken for a number
    with pytest.raises(TypeError):
        saved + 1  # type: ignore[operator]
    first.close_sync()
    # a new run knows the moment from the disk before it saves anything
    second = Session(tmp_path)
    assert isinstance(second.last_save_time, SaveTime)
    assert abs((second.last_save_time - saved).total_seconds()) < 5
    second.close_sync()
