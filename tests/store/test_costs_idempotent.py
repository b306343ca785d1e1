"""Keyed cost logging is idempotent, so a step retried after a crash is never charged twice.

The window it closes: a workflow step's cost was logged, then the process died before the
workflow record said so; resuming logs the step again with the same key, and the tracker
answers with the operation it already has.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from tests.ai.test_workflows import CHAPTER, CRITIQUE, recording_model
from writers_factory.ai.workflows import load_workflow, new_workflow, resume, save_workflow_sync
from writers_factory.ai.workflows import workflow_path as path_of
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.preferences.preferences import Preferences

MODEL = "test"


def priced(session_dir: Path) -> Preferences:
    session_dir.mkdir(parents=True, exist_ok=True)
    prefs = Preferences(session_dir)
    prefs.set_price_override(MODEL, Decimal("3"), Decimal("15"))
    prefs.save_sync()
    return prefs


def chunk_operations(session_dir: Path) -> list[dict[str, object]]:
    """Every operation line in the chunk files on disk."""
    found: list[dict[str, object]] = []
    for chunk in sorted((session_dir / "costs").glob("ops-*.json")):
        found.extend(json.loads(chunk.read_text(encoding="utf-8"))["operations"])
    return found


async def test_same_key_twice_is_one_operation_on_disk_and_after_reload(tmp_path: Path) -> None:
    session_dir = tmp_path / ".session"
    prefs = priced(session_dir)
    tracker = CostTracker(session_dir, prefs=prefs)
    first = await tracker.log_operation("critique", MODEL, 1000, 100, key="wf-1/analyze")
    again = await tracker.log_operation("critique", MODEL, 1000, 100, key="wf-1/analyze")
    assert again == first
    assert tracker.operations_count == 1 and tracker.total == first.cost
    [stored] = chunk_operations(session_dir)
    assert stored["key"] == "wf-1/analyze"

    reloaded = CostTracker(session_dir, prefs=prefs)
    [record] = reloaded.recent(10)
    assert (record.model_extra or {})["key"] == "wf-1/analyze"
    replay = await reloaded.log_operation("critique", MODEL, 999, 99, key="wf-1/analyze")
    assert replay.input_tokens == 1000  # the recorded operation, not a new charge
    assert reloaded.operations_count == 1 and len(chunk_operations(session_dir)) == 1


async def test_other_keys_and_unkeyed_calls_are_each_logged(tmp_path: Path) -> None:
    session_dir = tmp_path / ".session"
    tracker = CostTracker(session_dir, prefs=priced(session_dir))
    await tracker.log_operation("critique", MODEL, 10, 10, key="wf-1/analyze")
    await tracker.log_operation("critique", MODEL, 10, 10, key="wf-2/analyze")
    await tracker.log_operation("rewrite", MODEL, 10, 10)
    await tracker.log_operation("rewrite", MODEL, 10, 10)  # two real calls: both charged
    assert tracker.operations_count == 4
    stored = chunk_operations(session_dir)
    assert [op.get("key") for op in stored] == ["wf-1/analyze", "wf-2/analyze", None, None]


async def test_resume_after_logging_but_before_marking_charges_the_step_once(
    tmp_path: Path,
) -> None:
    session_dir = tmp_path / ".session"
    prefs = priced(session_dir)
    tracker = CostTracker(session_dir, prefs=prefs)
    record = new_workflow("enhance_chapter", {"chapter": CHAPTER}, MODEL)
    first = record.steps[0]
    first.status, first.output = "finished", CRITIQUE
    first.input_tokens, first.output_tokens = 120, 30
    save_workflow_sync(session_dir, record)  # cost_logged is still False on disk ...
    paid = await tracker.log_operation(  # ... but the cost had been logged: then the crash
        "critique", MODEL, 120, 30, key=f"{record.id}/analyze"
    )

    calls: list[str] = []
    restarted = CostTracker(session_dir, prefs=prefs)
    await resume(
        load_workflow(path_of(session_dir, record.id)),
        session_dir,
        restarted,
        prefs,
        model_override=recording_model(calls, {}),
    )
    assert calls == ["rewrite", "score"]
    ops = restarted.recent(10)
    assert [r.operation for r in ops] == ["critique", "rewrite", "score"]
    keys = [(r.model_extra or {}).get("key") for r in ops]
    assert keys == [f"{record.id}/{step}" for step in ("analyze", "rewrite", "score")]
    done = load_workflow(path_of(session_dir, record.id))
    assert done.steps[0].cost == paid.cost and done.steps[0].cost_logged
