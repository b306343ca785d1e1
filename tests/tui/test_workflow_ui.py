"""Workflows in the real app: the palette command end to end, and resuming after a real kill.

The interrupted workflow is produced for real: a child process runs enhance_chapter with a
model that hangs in step 2 and is SIGKILLed there, exactly what a crash leaves behind.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel
from textual.command import CommandPalette
from textual.widgets import Label

from tests.ai.test_workflows import (
    CRITIQUE,
    REWRITE,
    SCORE,
    prompt_of,
    recording_model,
    step_of,
    wait_for_step_two_running,
)
from tests.tui.ai_support import (
    CHAPTER,
    configure,
    kept_before_rewrite,
    logged,
    open_chapter,
    wait_for_pane,
)
from tests.tui.conftest import (
    SIZE,
    click_when_ready,
    editor_text,
    palette_offers,
    ready_screen,
    started,
    wait_until,
)
from writers_factory.ai.workflows import find_unfinished, load_workflow, workflows_dir
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.cost_confirm import CostConfirmScreen
from writers_factory.tui.screens.workflow_resume import WorkflowResumeScreen
from writers_factory.tui.widgets.ai_pane import PaneState

CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from pydantic_ai.messages import UserPromptPart
    from pydantic_ai.models.function import FunctionModel
    from writers_factory.ai.workflows import start_workflow
    from writers_factory.store.costs.tracker import CostTracker
    from writers_factory.store.preferences.preferences import Preferences

    project, chapter_path, critique = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    session_dir = project / ".session"
    chapter = (project / chapter_path).read_text(encoding="utf-8")

    async def stream(messages, info):
        prompt = "\\n".join(
            str(p.content) for m in messages for p in getattr(m, "parts", [])
            if isinstance(p, UserPromptPart)
        )
        if "## Text to rewrite" in prompt:
            await asyncio.Event().wait()  # step 2 hangs until the process is killed
        yield critique

    async def main():
        prefs = Preferences(session_dir)
        tracker = CostTracker(session_dir, prefs=prefs)
        await start_workflow(
            "enhance_chapter", {"chapter": chapter, "path": chapter_path}, "test",
            session_dir, tracker, prefs, model_override=FunctionModel(stream_function=stream),
        )

    asyncio.run(main())
    """
)


@pytest.fixture
def killed_workflow(project: Path) -> Path:
    """A workflow whose step 1 finished and was paid for, killed (SIGKILL) during step 2."""
    configure(project, threshold=Decimal("100"))  # resuming needs no confirmation here
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project), CHAPTER.as_posix(), CRITIQUE],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        path = wait_for_step_two_running(project / ".session", proc)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert [entry[0] for entry in logged(project)] == ["critique"]
    return path


def row_text(app: WritersFactoryApp, index: int = 0) -> str:
    return str(app.screen.query_one(f"#workflow-{index}", Label).content)


async def test_resume_after_kill_calls_only_the_unfinished_steps_and_offers_accept(
    make_app: Callable[[], WritersFactoryApp], project: Path, killed_workflow: Path
) -> None:
    original = (project / CHAPTER).read_text(encoding="utf-8")
    calls: list[str] = []
    prompts: dict[str, str] = {}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = recording_model(calls, prompts)
        await ready_screen(pilot, WorkflowResumeScreen)
        row = row_text(app)
        assert row.startswith(f"Enhance chapter · {CHAPTER.as_posix()} · 1/3 steps done · $0.")
        assert row.endswith(" so far · interrupted")
        assert calls == []  # nothing runs until the writer chooses

        await click_when_ready(pilot, "#resume-0", WorkflowResumeScreen)
        await wait_for_pane(pilot, PaneState.DONE)
        assert calls == ["rewrite", "score"]  # the paid critique is not sent again
        assert CRITIQUE in prompts["rewrite"] and original in prompts["rewrite"]
        assert [entry[0] for entry in logged(project)] == ["score", "rewrite", "critique"]
        assert app.ai.pane.text.strip() == REWRITE
        assert app.ai.pane.progress.endswith(f"score: {SCORE}")
        record = load_workflow(killed_workflow)
        assert record.status == "finished" and record.finished_steps == 3
        assert find_unfinished(project / ".session") == []
        tracker = app.cost_tracker
        assert tracker is not None
        assert tracker.session_total == sum(
            (s.cost or Decimal(0) for s in record.steps[1:]), Decimal(0)
        )  # this session paid for the resumed steps only

        await click_when_ready(pilot, "#ai-accept")
        await wait_until(pilot, lambda: editor_text(app).strip() == REWRITE)
        # the chapter was kept first, in the history
        assert kept_before_rewrite(project, CHAPTER) == [original]
        area = app.editor.active
        assert area is not None
        area.focus()
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: editor_text(app) == original)


async def test_later_keeps_offering_and_abandon_marks_without_deleting(
    make_app: Callable[[], WritersFactoryApp], project: Path, killed_workflow: Path
) -> None:
    calls: list[str] = []
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot)
        first.ai.model_override = recording_model(calls, {})
        await click_when_ready(pilot, "#later", WorkflowResumeScreen)
        await wait_until(pilot, lambda: not isinstance(first.screen, WorkflowResumeScreen))
    assert [r.id for r in find_unfinished(project / ".session")] == [
        load_workflow(killed_workflow).id
    ]

    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot)
        second.ai.model_override = recording_model(calls, {})
        await click_when_ready(pilot, "#abandon-0", WorkflowResumeScreen)
        await wait_until(pilot, lambda: not isinstance(second.screen, WorkflowResumeScreen))
        await wait_until(pilot, lambda: load_workflow(killed_workflow).status == "abandoned")
        assert second.ai.pane.state is PaneState.IDLE
    assert calls == []
    assert killed_workflow.is_file()  # kept on disk, with what the finished step produced
    kept = load_workflow(killed_workflow)
    assert kept.steps[0].output == CRITIQUE and kept.steps[1].status == "running"
    assert find_unfinished(project / ".session") == []
    assert [entry[0] for entry in logged(project)] == ["critique"]


def gated_model(calls: list[str], gate: asyncio.Event) -> FunctionModel:
    """Like the recording model, but the rewrite waits for ``gate`` so progress can be seen."""
    answers = {"critique": CRITIQUE, "rewrite": REWRITE, "score": SCORE}

    async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        step = step_of(prompt_of(messages))
        calls.append(step)
        if step == "rewrite":
            await gate.wait()
        for word in answers[step].split(" "):
            await asyncio.sleep(0)
            yield word + " "

    return FunctionModel(stream_function=stream)


async def test_palette_enhance_confirms_streams_each_step_and_accepts(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project, threshold=Decimal("0"))  # every paid call asks first
    calls: list[str] = []
    gate = asyncio.Event()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = gated_model(calls, gate)
        await open_chapter(app, pilot)
        original = editor_text(app)

        await pilot.press("ctrl+p")
        await ready_screen(pilot, CommandPalette, focused="CommandInput")
        await pilot.press(*"Enhance chapter")
        await palette_offers(pilot, "Enhance chapter (analyze → rewrite → score)")
        await pilot.press("enter")
        await ready_screen(pilot, CostConfirmScreen)
        question = str(app.screen.query_one("#cost-question", Label).content)
        assert question.startswith("This operation will cost about $")
        assert calls == [] and not workflows_dir(project / ".session").exists()
        await click_when_ready(pilot, "#continue", CostConfirmScreen)

        await wait_until(pilot, lambda: calls == ["critique", "rewrite"])
        title = app.ai.pane.query_one("#ai-title", Label)
        await wait_until(pilot, lambda: "step 2/3: rewrite" in str(title.content))
        assert app.ai.pane.state is PaneState.RUNNING
        [path] = workflows_dir(project / ".session").glob("*.json")
        on_disk = json.loads(path.read_text(encoding="utf-8"))
        assert [s["status"] for s in on_disk["steps"]] == ["finished", "running", "pending"]
        gate.set()

        await wait_for_pane(pilot, PaneState.DONE)
        assert calls == ["critique", "rewrite", "score"]
        assert [entry[0] for entry in logged(project)] == ["score", "rewrite", "critique"]
        assert app.ai.pane.text.strip() == REWRITE
        record = load_workflow(path)
        assert record.status == "finished"
        assert record.inputs == {"chapter": original, "path": CHAPTER.as_posix()}
        assert editor_text(app) == original  # nothing reaches the editor before Accept

        await click_when_ready(pilot, "#ai-accept")
        await wait_until(pilot, lambda: editor_text(app).strip() == REWRITE)
        assert kept_before_rewrite(project, CHAPTER) == [original]


async def test_declined_or_hard_stopped_workflow_sends_and_writes_nothing(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project, threshold=Decimal("0"))
    calls: list[str] = []
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = recording_model(calls, {})
        await open_chapter(app, pilot)
        app.ai.command("enhance_chapter")
        await click_when_ready(pilot, "#cancel", CostConfirmScreen)
        await wait_until(pilot, lambda: not app.ai.running)
        assert calls == [] and not workflows_dir(project / ".session").exists()

        prefs = app.preferences
        prefs.set_budget_limit("daily", Decimal("0.000001"))
        prefs.set("budget.hard_stop", True)
        app.ai.command("enhance_chapter")
        await wait_for_pane(pilot, PaneState.MESSAGE)
        assert "Spending limit reached" in str(app.ai.pane.query_one("#ai-title", Label).content)
        assert not isinstance(app.screen, CostConfirmScreen)
    assert calls == [] and logged(project) == []
    assert not workflows_dir(project / ".session").exists()
