"""The AI side of the workspace: plan → confirm → budget → stream → accept or discard → log.

Every paid call takes one path, so none can skip the estimate, the confirmation above the
writer's threshold, the budget warning or the hard stop. Output streams into the AI pane,
never into the manuscript; Accept inserts it as one ordinary edit (ctrl+z undoes it), and a
rewrite first keeps the original as a version in ``.session/versions/``. The runner logs
the provider's actual usage; afterwards the status bar, history and save layer are told.

Flows run as async workers on the app (so modals can be awaited and Cancel is a worker
cancel); files are read and written only in threads. Tests inject a pydantic-ai model via
``app.ai.model_override``, which also stands in for a configured provider.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.css.query import NoMatches
from textual.worker import Worker

from writers_factory.ai import operations as ops
from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.conversations import ConversationStore
from writers_factory.ai.providers import ProviderNotConfigured, how_to_configure, is_configured
from writers_factory.ai.providers import model_for_stage as default_for_stage
from writers_factory.ai.runner import BudgetHardStop, CostPlan, dollars, plan_operation
from writers_factory.ai.runner import run_operation as run_planned
from writers_factory.core.prices import UnknownModelError
from writers_factory.tui.ai_actions import AIAction, action_for
from writers_factory.tui.controllers.ai_results import Pending, RecordOperation, Target
from writers_factory.tui.controllers.workflows import WorkflowRunner
from writers_factory.tui.screens.analysis_view import AnalysisScreen
from writers_factory.tui.screens.bible_ask import BibleAnswerRequest, BibleAskScreen
from writers_factory.tui.screens.conversations import ConversationsScreen
from writers_factory.tui.screens.cost_confirm import CostConfirmScreen
from writers_factory.tui.screens.file_modals import NameModal
from writers_factory.tui.screens.model_picker import ModelPickerScreen
from writers_factory.tui.screens.stages import STAGES
from writers_factory.tui.widgets.ai_pane import AIPane, PaneState
from writers_factory.tui.widgets.messages import SignificantAction

if TYPE_CHECKING:
    from writers_factory.ai.workflows import WorkflowEstimate
    from writers_factory.core.stages import StageId as Stage
    from writers_factory.store.costs.tracker import CostTracker
    from writers_factory.tui.controllers.ports import UI, Views
    from writers_factory.tui.widgets.editor import BufferArea
    from writers_factory.tui.workspace import Workspace

__all__ = ["AIController", "Pending", "Target", "summary"]

CONTEXT_CHARS = 3000
"""Surrounding text sent with a rewrite or a scene: enough for voice, cheap enough to send."""
SAMPLE_CHARS = 6000
INSERTING = frozenset({"brainstorm", "outline", "generate_scene", "rewrite", "voice_test"})
"""Operations whose result belongs in the manuscript; critiques and answers are only read."""
FOLDER_INPUTS = {
    "brainstorm": ("planning", "planning"),
    "outline": ("planning", "planning"),
    "generate_scene": ("reference", "references"),
}
"""Operation -> (project folder read in a thread, input it fills)."""
CONVERSING = frozenset({"voice_test", "ask_bible"})
"""Exchanges saved in ``.session/conversations/`` as they happen."""


def summary(input_tokens: int, output_tokens: int, cost: Decimal, session: Decimal) -> str:
    """ "Tokens: 1,204 sent, 388 received · cost $0.0094 · session $0.12" (actual usage)."""
    return (
        f"Tokens: {input_tokens:,} sent, {output_tokens:,} received · cost {dollars(cost)}"
        f" · session {dollars(session)}"
    )


class AIController:
    """One per app (``app.ai``); the app's ``ai`` action and the stage panel call in here."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        views: Views,
        *,
        record_operation: RecordOperation,
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.record_operation = record_operation
        """Counts a paid operation in this session's history (the writing activity)."""
        self.model_override: Any = None
        """A pydantic-ai model used instead of the provider (tests; counts as configured)."""
        self.pending: Pending | None = None
        self.worker: Worker[None] | None = None
        self._conversations: ConversationStore | None = None
        self._loading: asyncio.Future[CostTracker] | None = None
        self.workflows = WorkflowRunner(
            workspace, ui, views, self, record_operation=record_operation
        )
        """Multi-step workflows: the palette command and the offer to resume at start-up."""

    @property
    def tracker(self) -> CostTracker | None:
        """The workspace's one cost tracker (``workspace.costs``) once it is loaded."""
        return self.workspace.costs

    # ------------------------------------------------------------------ entry points
    def command(self, what: str) -> None:
        """Run a panel option / palette command by id (see ``ai_actions``)."""
        if what == "cancel":
            self.cancel()
        elif what == "accept":
            self._start(self._accept, "ai-accept")
        elif what == "discard":
            self.discard()
        elif (action := action_for(what)) is None:
            self.ui.notify(f"Nothing is connected to {what!r} yet.", severity="warning")
        elif action.kind == "ai":
            if self.running:
                self.ui.notify("An AI operation is running; cancel it first (ctrl+b).")
            else:
                self.worker = self._start(partial(self._run_ai, action), "ai")
        elif action.kind in ("analysis", "score"):
            self.ui.show(AnalysisScreen(self.workspace.project, action.kind))
        elif action.kind == "conversations":
            self.ui.show(ConversationsScreen(self.workspace.session.paths.root))
        elif action.kind == "bible":
            self._start(self._bible, "ai-bible")
        elif action.kind == "models":
            self._start(self._pick_models, "ai-models")
        elif action.kind == "workflow":
            if action.operation == "resume":
                self.workflows.offer_resume()
            else:
                self.workflows.enhance()

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.is_running

    @property
    def pane(self) -> AIPane:
        pane = self.views.ai_pane
        if pane is None:
            raise NoMatches("the AI pane is gone: the app is closing")
        return pane

    def cancel(self) -> None:
        if self.running and self.worker is not None:
            self.worker.cancel()
        elif self.pane.state is not PaneState.IDLE:
            self.discard()

    def discard(self) -> None:
        self.pending = None
        self.pane.close()

    def _start(self, flow: Callable[[], Awaitable[None]], group: str) -> Worker[None]:
        return self.ui.start(flow, group=group)

    # ------------------------------------------------------------------ models and costs
    def models(self) -> dict[str, str]:
        """The model per stage: preferences, then the session's choice, then a default."""
        chosen = dict(self.workspace.session.data.model_preferences)
        chosen.update({str(k): v for k, v in self.workspace.preferences.data.models.items()})
        return {s.id: default_for_stage(s.id, chosen) for s in STAGES}

    def can_call(self, model: str) -> bool:
        return self.model_override is not None or is_configured(model)

    async def get_tracker(self) -> CostTracker:
        """The workspace's one cost tracker, loaded once however many callers ask at once.

        ``costs.json`` must have a single writer per app: two trackers would each keep their
        own idea of the chunk files and the later save would drop the other's operations.
        """
        tracker = self.workspace.costs
        if tracker is not None:
            return tracker
        if self._loading is None:
            self._loading = asyncio.ensure_future(self._load_tracker())
        loading = self._loading
        try:
            return await asyncio.shield(loading)
        except Exception:
            if loading.done():
                self._loading = None  # a failed load may be retried by the next caller
            raise

    async def _load_tracker(self) -> CostTracker:
        """Read the cost files in a thread, count this session from zero, show the totals."""
        from writers_factory.store.costs.tracker import CostTracker

        session, prefs = self.workspace.session, self.workspace.preferences
        root, read_only = session.paths.root, session.read_only
        tracker = await asyncio.to_thread(
            lambda: CostTracker(root, prefs=prefs, read_only=read_only)
        )
        if read_only:
            await tracker.reset_session()  # this viewer spends nothing; nothing is written
        elif session.session_id and tracker.session_id != session.session_id:
            await tracker.reset_session(session.session_id)
        self.workspace.costs = tracker
        tracker.listeners.append(lambda _record: self.refresh_costs())
        for problem in tracker.problems:
            self.ui.notify(problem.describe(), title="Cost files", severity="warning", timeout=15)
        self.refresh_costs()
        return tracker

    def refresh_costs(self) -> None:
        """Show this session's and today's spend; highlighted once a budget warning applies."""
        tracker, bar = self.tracker, self.views.status
        if tracker is None or bar is None:
            return
        bar.set_costs(tracker.session_total, tracker.daily_total, tracker.should_warn_budget())

    @property
    def conversations(self) -> ConversationStore:
        if self._conversations is None:
            self._conversations = ConversationStore(self.workspace.session.paths.root)
        return self._conversations

    # ------------------------------------------------------------------ inputs
    async def _ask(self, title: str, prompt: str) -> str | None:
        return await self.ui.ask(NameModal(title, prompt, ok_label="Go"))

    async def _inputs(
        self, spec: ops.OperationSpec, action: AIAction, area: BufferArea | None
    ) -> tuple[dict[str, Any], Target | None] | None:
        """Collect the operation's inputs from the editor, the writer and project folders."""
        inputs: dict[str, Any] = dict(action.preset)
        needs_file = spec.id in ("rewrite", "critique", "score", "voice_test")
        if needs_file and area is None:
            self.ui.notify(f"{spec.title}: open a file first; it works on the open file.")
            return None
        target: Target | None = None
        if area is not None:
            start, end = sorted(area.selection)
            selected = area.get_text_range(start, end)
            before = area.get_text_range((0, 0), start)[-CONTEXT_CHARS:]
            if spec.id == "rewrite":
                if not selected.strip():
                    start, end, selected = (0, 0), area.document.end, area.text
                after = area.get_text_range(end, area.document.end)[:CONTEXT_CHARS]
                inputs |= {"text": selected, "context": f"{before}\n[…]\n{after}".strip()}
                target = Target(area.path, start, end, selected)
            else:
                target = Target(area.path, end, end, "")
            if spec.id in ("critique", "score"):
                inputs["chapter"] = area.text
            if spec.id == "voice_test":
                inputs["sample"] = (selected if selected.strip() else area.text)[-SAMPLE_CHARS:]
            if spec.id == "generate_scene":
                inputs["context"] = before
                if selected.strip() and "prompt" not in inputs:
                    inputs["prompt"] = selected
        if spec.id in ("generate_scene", "voice_test") and not inputs.get("prompt"):
            what = "the scene to write" if spec.id == "generate_scene" else "what to write"
            prompt = await self._ask(spec.title, f"Describe {what}:")
            if prompt is None:
                return None
            inputs["prompt"] = prompt
        if spec.id in FOLDER_INPUTS:
            folder, field = FOLDER_INPUTS[spec.id]
            project = self.workspace.project
            gathered = await asyncio.to_thread(ops.read_documents, project, folder)
            inputs[field] = gathered.documents
            if gathered.skipped:
                self.ui.notify("Left out: " + "; ".join(gathered.skipped), severity="warning")
        if spec.id not in INSERTING:
            target = None
        return inputs, target

    # ------------------------------------------------------------------ the paid path
    async def _run_ai(
        self,
        action: AIAction,
        inputs: dict[str, Any] | None = None,
        request_text: str | None = None,
    ) -> None:
        assert action.operation is not None
        spec = CATALOGUE.operation(action.operation)
        model = self.models()[spec.stage]
        if not self.can_call(model):
            self.pane.show_message(
                f"{spec.title} needs an AI provider",
                f"The model for {spec.stage} is {model}.\n\n{how_to_configure()}",
            )
            self.ui.notify("No AI provider is configured — see the AI pane for how.")
            return
        if self.workspace.session.read_only:
            self.ui.notify("This project is open read-only; AI operations are off.")
            return
        target: Target | None = None
        if inputs is None:
            editor = self.views.editor
            area = None if editor is None else editor.active
            gathered = await self._inputs(spec, action, area)
            if gathered is None:
                return
            inputs, target = gathered
        tracker = await self.get_tracker()
        try:
            plan = await plan_operation(spec, inputs, model, tracker, self.workspace.preferences)
        except (ops.OperationInputError, UnknownModelError) as exc:
            self.ui.notify(str(exc), severity="error", timeout=12)
            return
        if not await self.approved(plan):
            return
        await self._call(plan, target, request_text)

    async def approved(self, plan: CostPlan | WorkflowEstimate) -> bool:
        """Hard stop refuses; a budget warning is shown; above the threshold the modal asks."""
        if plan.hard_stop:
            self.pane.show_message("Spending limit reached", plan.hard_stop)
            self.ui.notify(plan.hard_stop, severity="error", timeout=12)
            return False
        if plan.budget_warning:
            self.ui.notify(plan.budget_warning, severity="warning", timeout=12)
        if plan.needs_confirmation:
            screen = CostConfirmScreen(plan.confirmation_text, plan.budget_warning)
            if not await self.ui.ask(screen):
                self.ui.notify("Cancelled — nothing was sent, nothing was spent.")
                return False
        return True

    async def _call(self, plan: CostPlan, target: Target | None, request: str | None) -> None:
        spec, pane = plan.spec, self.pane
        conv = None
        if spec.id in CONVERSING:
            conv = await self.conversations.new_async(spec.title, spec.stage, plan.model)
            await self.conversations.add_turn_async(conv, "user", request or plan.prompt)
        self.pending = None
        pane.start(f"{spec.title} · {plan.model}", plan.expected_output_tokens)
        try:
            result = await run_planned(plan, pane.append, self.model_override)
        except asyncio.CancelledError:
            pane.stopped(PaneState.CANCELLED, "Cancelled — nothing was inserted.")
            self.refresh_costs()
            raise
        except (BudgetHardStop, ProviderNotConfigured) as exc:
            pane.show_message("The call was refused", str(exc))
            return
        except Exception as exc:  # a provider or network failure: say so, keep the app up
            pane.stopped(PaneState.FAILED, f"The call failed: {exc}")
            self.refresh_costs()
            return
        tracker = await self.get_tracker()
        self.refresh_costs()
        self.record_operation(spec.id, result.cost)
        if conv is not None:
            await self.conversations.add_turn_async(
                conv,
                "assistant",
                result.text,
                input_tokens=result.input_tokens,
                output_tokens=result.output_tokens,
                cost=result.cost,
            )
        self.pending = Pending(spec.id, result.text, target)
        text = summary(
            result.input_tokens, result.output_tokens, result.cost, tracker.session_total
        )
        pane.finish(text, can_accept=target is not None and bool(result.text))
        self.ui.post(SignificantAction("operation", target.path if target else None))

    # ------------------------------------------------------------------ accepting
    async def _accept(self) -> None:
        pending = self.pending
        if pending is None or pending.target is None:
            self.ui.notify("There is no finished result to insert.")
            return
        target = pending.target
        editor = self.views.editor
        area = None if editor is None else editor.find(target.path)
        if area is None:
            self.ui.notify(f"{target.path.name} is no longer open; reopen it to insert.")
            return
        if target.replaces:
            if area.get_text_range(target.start, target.end) != target.original:
                self.ui.notify(
                    f"The text to rewrite in {target.path.name} has changed since; "
                    "nothing was replaced (the result is still in the AI pane).",
                    severity="warning",
                )
                return
            from writers_factory.store.manuscript.versions import save_version

            try:
                project = self.workspace.project
                await asyncio.to_thread(save_version, project, target.path, area.text)
            except OSError as exc:
                self.ui.notify(
                    f"Could not keep a version first, so nothing was replaced: {exc}",
                    severity="error",
                )
                return
            area.replace(pending.text, target.start, target.end)
        else:
            area.insert(pending.text)
        self.pending = None
        self.pane.close()
        area.focus()

    # ------------------------------------------------------------------ local screens
    async def _bible(self) -> None:
        model = self.models()[CATALOGUE.operation("ask_bible").stage]
        session = self.workspace.session

        def record(query: str, source: str) -> None:
            if not session.read_only:
                session.add_recent_query(query, source)

        screen = BibleAskScreen(
            self.workspace.project,
            record,
            ai_available=self.can_call(model),
            ai_hint=how_to_configure(),
        )
        request = await self.ui.ask(screen)
        if not isinstance(request, BibleAnswerRequest) or self.running:
            return
        passages = [(f"{p.path}:{p.line}", p.text) for p in request.passages]
        inputs = {"question": request.question, "passages": passages}
        ask = partial(self._run_ai, AIAction("ai", "ask_bible"), inputs, request.question)
        self.worker = self._start(ask, "ai")

    async def _pick_models(self) -> None:
        tracker = await self.get_tracker()

        def price_check(model: str) -> str | None:
            try:
                tracker.get_estimated_cost(model, 1, 1)
            except UnknownModelError as exc:
                return str(exc)
            return None

        changes = await self.ui.ask(ModelPickerScreen(self.models(), price_check))
        if not changes:
            return
        session, prefs = self.workspace.session, self.workspace.preferences
        if session.read_only or prefs.read_only:
            self.ui.notify("This project is open read-only; the models were not changed.")
            return
        for stage, model in changes.items():
            prefs.set_model(cast("Stage", stage), model)
            session.set_model_preference(stage, model)
        await prefs.save()
        self.ui.post(SignificantAction("model"))
        self.ui.notify("Models saved: " + ", ".join(f"{s} → {m}" for s, m in changes.items()))
