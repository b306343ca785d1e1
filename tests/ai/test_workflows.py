"""Workflows are recorded step by step and resume after a kill without paying twice."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic_ai.messages import ModelMessage, UserPromptPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from tests.patience import PATIENCE
from writers_factory.ai.runner import BudgetHardStop
from writers_factory.ai.workflows import (
    abandon,
    estimate_workflow,
    find_unfinished,
    load_workflow,
    new_workflow,
    resume,
    run_workflow,
    save_workflow_sync,
    start_workflow,
    workflow_path,
    workflows_dir,
)
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.preferences.preferences import Preferences

Session = tuple[Preferences, CostTracker]
CHAPTER = "Ada climbed the lighthouse stairs. The lamp was dark. She waited for the ships."
CRITIQUE = "Critique: the middle sags; give Ada a choice."
REWRITE = "Ada climbed, counting stairs, and chose to light the lamp herself."
SCORE = "Overall 8/10."


def prompt_of(messages: list[ModelMessage]) -> str:
    return "\n".join(
        str(part.content)
        for message in messages
        for part in getattr(message, "parts", [])
        if isinstance(part, UserPromptPart)
    )


def step_of(prompt: str) -> str:
    if "## Text to rewrite" in prompt:
        return "rewrite"
    if "## Rubric" in prompt:
        return "score"
    return "critique"


def recording_model(calls: list[str], prompts: dict[str, str]) -> FunctionModel:
    """Answers each step with its fixed text and records which steps were called."""
    answers = {"critique": CRITIQUE, "rewrite": REWRITE, "score": SCORE}

    async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        prompt = prompt_of(messages)
        step = step_of(prompt)
        calls.append(step)
        prompts[step] = prompt
        for word in answers[step].split(" "):
            await asyncio.sleep(0)
            yield word + " "

    return FunctionModel(stream_function=stream)


CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from pydantic_ai.messages import UserPromptPart
    from pydantic_ai.models.function import FunctionModel
    from writers_factory.ai.workflows import start_workflow
    from writers_factory.store.costs.tracker import CostTracker
    from writers_factory.store.preferences.preferences import Preferences

    session_dir = Path(sys.argv[1])

    async def stream(messages, info):
        prompt = "\\n".join(
            str(p.content) for m in messages for p in getattr(m, "parts", [])
            if isinstance(p, UserPromptPart)
        )
        if "## Text to rewrite" in prompt:
            await asyncio.Event().wait()  # step 2 hangs until the process is killed
        yield {critique!r}

    async def main():
        prefs = Preferences(session_dir)
        tracker = CostTracker(session_dir, prefs=prefs)
        await start_workflow(
            "enhance_chapter", {{"chapter": {chapter!r}}}, "test", session_dir, tracker, prefs,
            model_override=FunctionModel(stream_function=stream),
        )

    asyncio.run(main())
    """
).format(critique=CRITIQUE, chapter=CHAPTER)


def wait_for_step_two_running(session_dir: Path, proc: subprocess.Popen[bytes]) -> Path:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        for path in workflows_dir(session_dir).glob("*.json"):
            data = json.loads(path.read_text())
            steps = data["steps"]
            if steps[0]["status"] == "finished" and steps[1]["status"] == "running":
                return path
        time.sleep(0.05)
    raise AssertionError("the workflow never reached step 2")


async def test_resume_after_sigkill_runs_only_unfinished_steps(
    ai_session: Session, session_dir: Path
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(session_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        path = wait_for_step_two_running(session_dir, proc)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    killed = load_workflow(path)
    assert [s.status for s in killed.steps] == ["finished", "running", "pending"]
    assert killed.steps[0].output == CRITIQUE and killed.steps[0].cost_logged
    assert killed.schema_version == 1

    prefs = Preferences(session_dir)
    tracker = CostTracker(session_dir, prefs=prefs)
    assert [r.operation for r in tracker.recent(10)] == ["critique"]
    [unfinished] = find_unfinished(session_dir)
    assert unfinished.id == killed.id

    calls: list[str] = []
    prompts: dict[str, str] = {}
    done = await resume(
        unfinished, session_dir, tracker, prefs, model_override=recording_model(calls, prompts)
    )
    assert calls == ["rewrite", "score"]
    assert CRITIQUE in prompts["rewrite"] and CHAPTER in prompts["rewrite"]
    assert REWRITE.strip() in prompts["score"]
    assert done.status == "finished" and done.result is not None
    assert done.result.strip() == SCORE
    assert [r.operation for r in tracker.recent(10)] == ["critique", "rewrite", "score"]
    assert find_unfinished(session_dir) == []
    on_disk = load_workflow(path)
    assert [s.status for s in on_disk.steps] == ["finished"] * 3
    assert all(s.cost_logged and s.cost is not None for s in on_disk.steps)
    assert sum((s.cost or Decimal(0)) for s in on_disk.steps) == tracker.total


async def test_step_recorded_but_not_logged_is_logged_once_without_a_call(
    ai_session: Session, session_dir: Path
) -> None:
    prefs, tracker = ai_session
    record = new_workflow("enhance_chapter", {"chapter": CHAPTER}, "test")
    first = record.steps[0]
    first.status, first.output = "finished", CRITIQUE
    first.input_tokens, first.output_tokens = 120, 30
    save_workflow_sync(session_dir, record)

    calls: list[str] = []
    await resume(
        load_workflow(workflow_path(session_dir, record.id)),
        session_dir,
        tracker,
        prefs,
        model_override=recording_model(calls, {}),
    )
    assert calls == ["rewrite", "score"]
    ops = tracker.recent(10)
    assert [r.operation for r in ops] == ["critique", "rewrite", "score"]
    assert (ops[0].input_tokens, ops[0].output_tokens) == (120, 30)


async def test_each_step_is_on_disk_before_the_next_starts(
    ai_session: Session, session_dir: Path
) -> None:
    prefs, tracker = ai_session
    snapshots: list[list[str]] = []

    async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        files = list(workflows_dir(session_dir).glob("*.json"))
        data = json.loads(files[0].read_text())
        snapshots.append([s["status"] for s in data["steps"]])
        if step_of(prompt_of(messages)) == "rewrite":
            assert data["steps"][0]["output"] == CRITIQUE
        yield CRITIQUE if step_of(prompt_of(messages)) == "critique" else "text"

    await start_workflow(
        "enhance_chapter",
        {"chapter": CHAPTER},
        "test",
        session_dir,
        tracker,
        prefs,
        model_override=FunctionModel(stream_function=stream),
    )
    assert snapshots == [
        ["running", "pending", "pending"],
        ["finished", "running", "pending"],
        ["finished", "finished", "running"],
    ]
    leftovers = [p for p in workflows_dir(session_dir).iterdir() if not p.name.endswith(".json")]
    assert leftovers == []


async def test_hard_stop_mid_workflow_stops_and_can_resume(
    ai_session: Session, session_dir: Path
) -> None:
    prefs, tracker = ai_session
    calls: list[str] = []
    record = new_workflow("enhance_chapter", {"chapter": CHAPTER}, "test")
    estimate = await estimate_workflow(record, tracker, prefs)
    first_cost = estimate.plans[0].estimated_cost
    # Enough for the first step only.
    prefs.set_budget_limit("daily", first_cost * Decimal("1.5"))
    prefs.set("budget.hard_stop", True)
    with pytest.raises(BudgetHardStop):
        await run_workflow(
            record, session_dir, tracker, prefs, model_override=recording_model(calls, {})
        )
    assert calls == ["critique"]
    stopped = load_workflow(workflow_path(session_dir, record.id))
    assert stopped.status == "stopped" and stopped.error and "Daily budget" in stopped.error
    assert [s.status for s in stopped.steps] == ["finished", "pending", "pending"]
    assert [w.id for w in find_unfinished(session_dir)] == [record.id]

    prefs.set("budget.hard_stop", False)
    await resume(stopped, session_dir, tracker, prefs, model_override=recording_model(calls, {}))
    assert calls == ["critique", "rewrite", "score"]
    assert tracker.operations_count == 3


async def test_cancelled_workflow_is_resumable(ai_session: Session, session_dir: Path) -> None:
    prefs, tracker = ai_session
    in_rewrite = asyncio.Event()

    async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        if step_of(prompt_of(messages)) == "rewrite":
            in_rewrite.set()
            await asyncio.Event().wait()
        yield CRITIQUE

    record = new_workflow("enhance_chapter", {"chapter": CHAPTER}, "test")
    task = asyncio.create_task(
        run_workflow(
            record,
            session_dir,
            tracker,
            prefs,
            model_override=FunctionModel(stream_function=stream),
        )
    )
    await asyncio.wait_for(in_rewrite.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    saved = load_workflow(workflow_path(session_dir, record.id))
    assert saved.status == "cancelled"
    assert [s.status for s in saved.steps] == ["finished", "pending", "pending"]
    calls: list[str] = []
    await resume(saved, session_dir, tracker, prefs, model_override=recording_model(calls, {}))
    assert calls == ["rewrite", "score"]


async def test_failed_step_is_recorded_with_its_error(
    ai_session: Session, session_dir: Path
) -> None:
    prefs, tracker = ai_session

    async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        if step_of(prompt_of(messages)) == "rewrite":
            raise ConnectionError("provider unreachable")
        yield CRITIQUE

    record = new_workflow("enhance_chapter", {"chapter": CHAPTER}, "test")
    with pytest.raises(ConnectionError):
        await run_workflow(
            record,
            session_dir,
            tracker,
            prefs,
            model_override=FunctionModel(stream_function=stream),
        )
    saved = load_workflow(workflow_path(session_dir, record.id))
    assert saved.status == "failed" and "provider unreachable" in (saved.error or "")
    assert saved.steps[1].status == "failed"
    assert find_unfinished(session_dir)[0].id == record.id


async def test_estimate_covers_remaining_steps_only(ai_session: Session) -> None:
    prefs, tracker = ai_session
    record = new_workflow("enhance_chapter", {"chapter": CHAPTER}, "test")
    full = await estimate_workflow(record, tracker, prefs)
    assert [p.spec.id for p in full.plans] == ["critique", "rewrite", "score"]
    assert full.estimated_cost == sum(p.estimated_cost for p in full.plans)
    assert full.confirmation_text.startswith("This operation will cost about $")
    record.steps[0].status, record.steps[0].output = "finished", CRITIQUE
    rest = await estimate_workflow(record, tracker, prefs)
    assert [p.spec.id for p in rest.plans] == ["rewrite", "score"]
    assert rest.estimated_cost < full.estimated_cost


async def test_find_unfinished_skips_done_and_reports_unreadable_files(
    ai_session: Session, session_dir: Path
) -> None:
    prefs, tracker = ai_session
    finished = await start_workflow(
        "enhance_chapter",
        {"chapter": CHAPTER},
        "test",
        session_dir,
        tracker,
        prefs,
        model_override=recording_model([], {}),
    )
    interrupted = new_workflow("enhance_chapter", {"chapter": CHAPTER}, "test")
    save_workflow_sync(session_dir, interrupted)
    dismissed = new_workflow("enhance_chapter", {"chapter": CHAPTER}, "test")
    await abandon(dismissed, session_dir)
    broken = workflows_dir(session_dir) / "broken.json"
    broken.write_text('{"schema_version": 1, "id": "x", "steps": "nope"}')
    problems: list[str] = []
    found = find_unfinished(session_dir, problems)
    assert [w.id for w in found] == [interrupted.id]
    assert finished.status == "finished"
    assert len(problems) == 1 and "broken.json" in problems[0] and "field" in problems[0]
    assert broken.exists()  # never deleted


def test_no_workflows_folder_means_nothing_unfinished(tmp_path: Path) -> None:
    assert find_unfinished(tmp_path / ".session") == []


def test_unknown_workflow_kind_is_named() -> None:
    with pytest.raises(KeyError, match="unknown workflow 'polish'; known: enhance_chapter"):
        new_workflow("polish", {}, "test")


async def test_each_step_uses_its_stage_model(ai_session: Session, session_dir: Path) -> None:
    prefs, tracker = ai_session
    prefs.set_price_override("test-rewriter", Decimal("1"), Decimal("2"))
    models = {"analyzing": "test", "enhancing": "test-rewriter", "scoring": "test"}
    record = new_workflow("enhance_chapter", {"chapter": CHAPTER}, models)
    assert [record.model_of(s) for s in record.steps] == ["test", "test-rewriter", "test"]
    await run_workflow(record, session_dir, tracker, prefs, model_override=recording_model([], {}))
    assert [(r.operation, r.model) for r in tracker.recent(10)] == [
        ("critique", "test"),
        ("rewrite", "test-rewriter"),
        ("score", "test"),
    ]
    reloaded = load_workflow(workflow_path(session_dir, record.id))
    assert reloaded.steps[1].model == "test-rewriter"
