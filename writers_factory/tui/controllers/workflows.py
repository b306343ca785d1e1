"""Multi-step AI workflows in the workspace: started from the palette, resumed after a crash.

A workflow (enhance chapter = analyze -> rewrite -> score) takes the same path as a single
operation: every unfinished step is estimated up front, the writer confirms above the
threshold, a hard stop refuses, and each step streams into the AI pane. The record in
``.session/workflows/`` is written step by step (``ai/workflows.py``), so after a crash the
finished steps are neither sent nor paid for again. The final rewrite waits in the pane for
Accept, which keeps a version of the chapter first and replaces it as one undoable edit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.operations import OperationInputError
from writers_factory.ai.providers import how_to_configure
from writers_factory.core.prices import UnknownModelError
from writers_factory.store.base.paths import OutsideProjectError
from writers_factory.tui.controllers.ai_results import Pending, RecordOperation, Target
from writers_factory.tui.widgets.ai_pane import PaneState
from writers_factory.tui.widgets.messages import SignificantAction

if TYPE_CHECKING:
    from textual.worker import Worker

    from writers_factory.ai.workflows import WorkflowEstimate, WorkflowRecord
    from writers_factory.store.costs.tracker import CostTracker
    from writers_factory.tui.controllers.ports import UI, Views
    from writers_factory.tui.widgets.ai_pane import AIPane
    from writers_factory.tui.widgets.editor import BufferArea
    from writers_factory.tui.workspace import Workspace


class PaidCalls(Protocol):
    """What a workflow shares with single AI operations (the ``AIController``): one running
    call at a time, the models, the cost tracker, the approval, the pane and its result."""

    worker: Worker[None] | None
    pending: Pending | None

    @property
    def model_override(self) -> Any: ...

    @property
    def running(self) -> bool: ...

    @property
    def pane(self) -> AIPane: ...

    async def mounted_pane(self) -> AIPane: ...

    def models(self) -> dict[str, str]: ...

    def can_call(self, model: str) -> bool: ...

    async def get_tracker(self) -> CostTracker: ...

    async def approved(self, plan: WorkflowEstimate) -> bool: ...

    def refresh_costs(self) -> None: ...


def _workflows() -> ModuleType:
    """The workflow records and runs (``ai/workflows.py``), imported on first use: start-up
    does not pay for their models."""
    from writers_factory.ai import workflows

    return workflows


class WorkflowRunner:
    """One per app (``app.ai.workflows``): the palette command and the start-up offer."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        views: Views,
        ai: PaidCalls,
        *,
        record_operation: RecordOperation,
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.ai = ai
        self.record_operation = record_operation

    @property
    def session_dir(self) -> Path:
        return self.workspace.session.paths.root

    def _start(self, flow: Callable[[], Awaitable[None]], group: str) -> Worker[None]:
        return self.ui.start(flow, group=group)

    # ------------------------------------------------------------------ entry points
    def start(self, kind: str) -> None:
        """Palette: run the workflow ``kind`` (e.g. enhance chapter) on the open chapter."""
        if self.ai.running:
            self.ui.notify("An AI operation is running; cancel it first (ctrl+b).")
            return
        self.ai.worker = self._start(partial(self._begin, kind), "ai")

    def offer_resume(self) -> None:
        """After start-up: offer the workflows a crash (or a cancel) left unfinished."""
        self._start(self._offer, "workflow-offer")

    # ------------------------------------------------------------------ flows
    async def _begin(self, kind: str) -> None:
        editor = self.views.editor
        area = None if editor is None else editor.active
        from writers_factory.ai.workflows import get_workflow_def, new_workflow

        if area is None:
            title = get_workflow_def(kind).title
            self.ui.notify(f"{title}: open a chapter first; it works on the open file.")
            return
        inputs = {"chapter": area.text, "path": area.path.as_posix()}
        record = new_workflow(kind, inputs, self.ai.models())
        await self._run(record)

    async def _offer(self) -> None:
        await self.workspace.ready.wait()
        if self.ui.closing or self._read_only():
            return  # quitting, or looking without touching: nothing may be resumed
        problems: list[str] = []
        # imported in the thread too: the workflow models are not needed before this
        workflows = await asyncio.to_thread(_workflows)
        from writers_factory.tui.screens.workflow_resume import WorkflowResumeScreen

        found = await asyncio.to_thread(workflows.find_unfinished, self.session_dir, problems)
        for problem in problems:
            self.ui.notify(f"Workflow skipped — {problem}", severity="warning", timeout=12)
        while found:
            choice = await self.ui.ask(WorkflowResumeScreen(found))
            if choice is None:
                return  # later: offered again at the next start
            record = next(r for r in found if r.id == choice.workflow_id)
            if choice.action == "abandon":
                await workflows.abandon(record, self.session_dir)
                found.remove(record)
                self.ui.notify(
                    f"{record.title} abandoned; its record is kept in "
                    f".session/workflows/{record.id}.json."
                )
                continue
            if self.ai.running:
                self.ui.notify("An AI operation is running; resume the workflow at the next start.")
                return
            self.ai.worker = self._start(partial(self._run, record), "ai")
            return

    def _read_only(self) -> bool:
        """The session or the editor is read-only (no editor: the screens are gone)."""
        editor = self.views.editor
        return self.workspace.session.read_only or editor is None or editor.read_only

    # ------------------------------------------------------------------ the paid path
    async def _run(self, record: WorkflowRecord) -> None:
        ai = self.ai
        if self._read_only():
            self.ui.notify("This project is open read-only; AI operations are off.")
            return
        pane = await ai.mounted_pane()
        models = {record.model_of(step) for step in record.steps if step.status != "finished"}
        missing = sorted(m for m in models if not ai.can_call(m))
        if missing:
            pane.show_message(
                f"{record.title} needs an AI provider",
                f"It uses {', '.join(missing)}.\n\n{how_to_configure()}",
            )
            self.ui.notify("No AI provider is configured — see the AI pane for how.")
            return
        from writers_factory.ai.workflows import estimate_workflow, run_workflow

        tracker = await ai.get_tracker()
        try:
            estimate = await estimate_workflow(record, tracker, self.workspace.preferences)
        except (OperationInputError, UnknownModelError, KeyError) as exc:
            self.ui.notify(f"{record.title}: {exc}", severity="error", timeout=12)
            return
        if not await ai.approved(estimate):
            return
        ai.pending = None
        counted = {s.name for s in record.steps if s.status == "finished"}
        total = len(record.steps)

        def progress(current: WorkflowRecord) -> None:
            for number, step in enumerate(current.steps, 1):
                if step.status == "running":
                    title = (
                        f"{current.title} · step {number}/{total}: {step.name}"
                        f" · {current.model_of(step)}"
                    )
                    pane.start(title, CATALOGUE.operation(step.operation).max_output_tokens)
                elif step.status == "finished" and step.cost_logged and step.name not in counted:
                    counted.add(step.name)  # paid in this run: counted in the history once
                    self.record_operation(step.operation, step.cost or Decimal(0))

        from writers_factory.ai.runner import BudgetHardStop

        try:
            done = await run_workflow(
                record,
                self.session_dir,
                tracker,
                self.workspace.preferences,
                model_override=ai.model_override,
                on_text=pane.append,
                on_progress=progress,
            )
        except asyncio.CancelledError:
            pane.stopped(PaneState.CANCELLED, self._kept(record, "Cancelled"))
            ai.refresh_costs()
            raise
        except BudgetHardStop as exc:
            pane.show_message("Spending limit reached", f"{exc}\n\n{self._kept(record, '')}")
            ai.refresh_costs()
            return
        except Exception as exc:  # a provider or network failure: say so, keep the app up
            pane.stopped(PaneState.FAILED, self._kept(record, f"Step failed: {exc}"))
            ai.refresh_costs()
            return
        ai.refresh_costs()
        await self._offer_result(done)

    @staticmethod
    def _kept(record: WorkflowRecord, what: str) -> str:
        done = f"{record.finished_steps}/{len(record.steps)} steps are done and kept"
        return f"{what} — {done}; it is offered for resuming at the next start.".lstrip(" —")

    async def _offer_result(self, record: WorkflowRecord) -> None:
        """Show the rewrite for Accept (the critique and score stay in the record)."""
        from writers_factory.tui.screens.workflow_resume import cost_so_far

        ai, pane = self.ai, await self.ai.mounted_pane()
        outputs = record.outputs()
        rewrite, score = outputs.get("rewrite", ""), outputs.get("score", "").strip()
        target = await self._target(record)
        ai.pending = Pending("rewrite", rewrite, target)
        where = f" — Accept replaces {target.path.name}" if target is not None else ""
        pane.start(f"{record.title}: the rewrite{where}", 0)
        pane.append(rewrite)
        from writers_factory.ai.runner import dollars

        tracker = await ai.get_tracker()
        headline = score.splitlines()[0] if score else "no score"
        pane.finish(
            f"{len(record.steps)} steps · cost {dollars(cost_so_far(record))} · session "
            f"{dollars(tracker.session_total)} · score: {headline}",
            can_accept=target is not None and bool(rewrite),
        )
        if score:
            self.ui.notify(score[:600], title="Score of the rewrite", timeout=20)
        self.ui.post(SignificantAction("operation", target.path if target else None))

    async def _target(self, record: WorkflowRecord) -> Target | None:
        """The whole chapter the workflow read, in its open buffer (opened if needed)."""
        chapter = record.inputs.get("chapter")
        try:
            relative = record.target_in(self.workspace.project)
        except OutsideProjectError as exc:
            self.ui.notify(f"{exc} — the rewrite can only be read.", severity="warning")
            return None
        if relative is None or not isinstance(chapter, str):
            return None
        where = relative.as_posix()
        area = self._find(relative)
        if area is None:
            absolute = self.workspace.project / relative
            if not await asyncio.to_thread(absolute.is_file):
                self.ui.notify(f"{where} no longer exists; the rewrite can only be read.")
                return None
            await self.views.open_path(absolute)
            area = self._find(relative)
            if area is None:
                return None
        return Target(relative, (0, 0), area.document.end, chapter)

    def _find(self, relative: Path) -> BufferArea | None:
        editor = self.views.editor
        return None if editor is None else editor.find(relative)
