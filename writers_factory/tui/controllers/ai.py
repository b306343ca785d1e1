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
from writers_factory.ai.catalogue import CATALOGUE, Catalogue, Entry
from writers_factory.ai.providers import ProviderNotConfigured, how_to_configure, is_configured
from writers_factory.ai.providers import model_for_stage as default_for_stage
from writers_factory.core.prices import UnknownModelError, display_name
from writers_factory.core.renames import followed
from writers_factory.core.stages import STAGES
from writers_factory.tui.controllers.ai_results import Pending, RecordOperation, Target
from writers_factory.tui.controllers.workflows import WorkflowRunner
from writers_factory.tui.widgets.ai_pane import AIPane, PaneState
from writers_factory.tui.widgets.messages import SignificantAction

if TYPE_CHECKING:
    from pathlib import Path

    from writers_factory.ai.bible_context import BibleContext
    from writers_factory.ai.conversations import Conversation, ConversationStore
    from writers_factory.ai.runner import CostPlan
    from writers_factory.ai.workflows import WorkflowEstimate
    from writers_factory.core.stages import StageId
    from writers_factory.store.costs.tracker import CostTracker
    from writers_factory.tui.controllers.ports import UI, Snapshots, Views
    from writers_factory.tui.widgets.editor import BufferArea
    from writers_factory.tui.workspace import Workspace

__all__ = ["AIController", "Pending", "Target", "summary"]

CONTEXT_CHARS = 3000
"""Surrounding text sent with a rewrite or a scene: enough for voice, cheap enough to send."""
SAMPLE_CHARS = 6000
"""A voice sample: the end of the selection (or of the file)."""


class EditorReads:
    """What an operation can read from the open file: the selection, around it, all of it."""

    def __init__(self, area: BufferArea) -> None:
        self.area = area
        self.start, self.end = sorted(area.selection)
        self.selected = area.get_text_range(self.start, self.end)
        self.before = area.get_text_range((0, 0), self.start)[-CONTEXT_CHARS:]
        if self.selected.strip():
            self.span = (self.start, self.end, self.selected)
        else:  # nothing selected: the whole file
            self.span = ((0, 0), area.document.end, area.text)

    def read(self, source: ops.Source) -> str | None:
        """The text for ``source``; ``None`` when it is not in the editor (or not there)."""
        area, (_, span_end, text) = self.area, self.span
        if source == "selection":
            return text
        if source == "sample":
            return text[-SAMPLE_CHARS:]
        if source == "file":
            return area.text
        if source == "before_cursor":
            return self.before
        if source == "around_selection":
            after = area.get_text_range(span_end, area.document.end)[:CONTEXT_CHARS]
            return f"{self.before}\n[…]\n{after}".strip()
        if source == "selection_or_question" and self.selected.strip():
            return self.selected
        return None

    def target(self, output: ops.Output) -> Target | None:
        """Where Accept puts the result: over what ``selection`` read, or after the selection."""
        if output == "replace":
            start, end, text = self.span
            return Target(self.area.path, start, end, text)
        if output == "insert":
            return Target(self.area.path, self.end, self.end, "")
        if output == "summary":
            return Target(self.area.path, (0, 0), (0, 0), "", keep="summary")
        if output == "note":
            return Target(self.area.path, self.end, self.end, "", keep="note")
        return None


def summary(
    input_tokens: int,
    output_tokens: int,
    cost: Decimal,
    session: Decimal,
    *,
    cache_read: int = 0,
    cache_write: int = 0,
) -> str:
    """ "Tokens: 1,204 sent, 800 cached, 388 received · cost $0.0094 · session $0.12".

    The provider's actual usage after each reply: cached tokens are part of those sent and
    bill at their own rates, so the writer sees how much the cache saved (or took).
    """
    from writers_factory.ai.runner import dollars

    cached = f"{cache_read + cache_write:,} cached"
    if cache_write:
        cached += f" ({cache_read:,} read, {cache_write:,} written)"
    return (
        f"Tokens: {input_tokens:,} sent, {cached}, {output_tokens:,} received"
        f" · cost {dollars(cost)} · session {dollars(session)}"
    )


def _context_notes(context: BibleContext | None) -> tuple[str, ...]:
    """What the preview says of the story bible beyond the notes sent."""
    if context is None:
        return ()
    lines = [f"Not sent: {e.path} ({why})" for e, why in context.left_out]
    return tuple(lines + context.problems)


class AIController:
    """One per app (``app.ai``); the app's ``ai`` action and the stage panel call in here."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        views: Views,
        *,
        record_operation: RecordOperation,
        catalogue: Catalogue = CATALOGUE,
        snapshots: Snapshots | None = None,
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.snapshots = snapshots
        """Asked for a snapshot of the text on screen before a rewrite lands."""
        self.record_operation = record_operation
        """Counts a paid operation in this session's history (the writing activity)."""
        self.catalogue = catalogue
        """What each panel option and palette command runs (``ai/catalogue.py``)."""
        self.model_override: Any = None
        """A pydantic-ai model used instead of the provider (tests; counts as configured)."""
        self.pending: Pending | None = None
        self.worker: Worker[None] | None = None
        self._conversations: ConversationStore | None = None
        self._bible_reported: set[str] = set()
        """Story-bible problems (bad front matter…) already told this session."""
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
        """Run the catalogue entry ``what`` (a panel option, palette command or key)."""
        entry = self.catalogue.entry(what)
        if entry is None:
            self.ui.notify(f"Nothing is connected to {what!r} yet.", severity="warning")
            return
        kind = entry.kind
        if kind == "cancel":
            self.cancel()
        elif kind == "accept":
            self._start(self._accept, "ai-accept")
        elif kind == "discard":
            self.discard()
        elif kind == "ai":
            if self.running:
                self.ui.notify("An AI operation is running; cancel it first (ctrl+b).")
            else:
                self.worker = self._start(partial(self._run_ai, entry), "ai")
        elif kind in ("analysis", "score"):
            from writers_factory.tui.screens.analysis_view import AnalysisScreen

            self.ui.show(AnalysisScreen(self.workspace.project, kind))
        elif kind == "conversations":
            self._start(self._conversations_flow, "ai-conversations")
        elif kind == "bible":
            self._start(partial(self._bible, entry), "ai-bible")
        elif kind == "models":
            self._start(self._pick_models, "ai-models")
        elif kind == "workflow":
            self.workflows.start(entry.workflow)
        elif kind == "resume":
            self.workflows.offer_resume()

    def propose(self, what: str, deliver: Callable[[str | None], None]) -> bool:
        """Run the catalogue entry ``what`` for the planning board: estimated, confirmed and
        logged as any call, streamed into the pane without showing it, and its answer handed
        to ``deliver`` (``None``: nothing came: cancelled, refused, failed) instead of
        waiting in the pane for Accept. False (and told) when it cannot start."""
        entry = self.catalogue.entry(what)
        if entry is None or entry.kind != "ai":
            self.ui.notify(f"Nothing is connected to {what!r} yet.", severity="warning")
            return False
        if self.running:
            self.ui.notify("An AI operation is running; cancel it first (ctrl+b).")
            return False
        self.worker = self._start(partial(self._propose, entry, deliver), "ai")
        return True

    async def _propose(self, entry: Entry, deliver: Callable[[str | None], None]) -> None:
        answers: list[str] = []
        try:
            await self._run_ai(entry, deliver=answers.append)
        finally:
            deliver(answers[0] if answers else None)

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.is_running

    @property
    def pane(self) -> AIPane:
        """The AI pane, mounted the first time it is wanted: its state can be read at once;
        what shows in it waits for ``mounted_pane``."""
        pane = self.views.ai_pane
        if pane is None:
            raise NoMatches("the AI pane is gone: the app is closing")
        return pane

    async def mounted_pane(self) -> AIPane:
        """The AI pane with its widgets, ready to show a call or a message (it is mounted on
        first use, not at start-up)."""
        pane = await self.views.ai_pane_mounted()
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
            from writers_factory.ai.conversations import ConversationStore

            self._conversations = ConversationStore(self.workspace.session.paths.root)
        return self._conversations

    # ------------------------------------------------------------------ inputs
    async def _ask(self, title: str, prompt: str) -> str | None:
        from writers_factory.tui.screens.file_modals import NameModal

        return await self.ui.ask(NameModal(title, prompt, ok_label="Go"))

    async def _inputs(
        self, entry: Entry, spec: ops.OperationSpec, area: BufferArea | None, model: str
    ) -> tuple[dict[str, Any], Target | None] | None:
        """Gather what ``spec`` reads: the entry's presets, the editor, the writer, folders."""
        inputs: dict[str, Any] = dict(entry.preset)
        if spec.needs_file and area is None:
            self.ui.notify(f"{spec.title}: open a file first; it works on the open file.")
            return None
        reads = {name: source for name, source in spec.reads.items() if name not in inputs}
        target: Target | None = None
        if area is not None:
            editor = EditorReads(area)
            for name, source in reads.items():
                if source in ops.EDITOR_SOURCES and (text := editor.read(source)) is not None:
                    inputs[name] = text
            target = editor.target(spec.output)
        for name, source in reads.items():
            if source in ops.ASKING_SOURCES and not inputs.get(name):
                answer = await self._ask(spec.title, spec.ask)
                if answer is None:
                    return None
                inputs[name] = answer
        for name, source in reads.items():
            if (folder := ops.FOLDER_SOURCES.get(source)) is not None:
                project = self.workspace.project
                gathered = await asyncio.to_thread(ops.read_documents, project, folder)
                inputs[name] = gathered.documents
                if gathered.skipped:
                    self.ui.notify("Left out: " + "; ".join(gathered.skipped), severity="warning")
            elif source == "summaries" and area is not None:
                inputs[name] = await self._story_so_far(area, model)
        return inputs, target

    async def _story_so_far(self, area: BufferArea, model: str) -> list[tuple[str, str]]:
        """The kept summaries of the chapters before the open one, within the budget."""
        from writers_factory.ai.story_so_far import read_story_so_far

        budget = self.workspace.preferences.data.story_bible.summary_tokens
        if budget <= 0:
            return []
        found = await asyncio.to_thread(
            partial(
                read_story_so_far,
                self.workspace.project,
                self.workspace.session.paths.root,
                area.path,
                budget=budget,
                model=model,
            )
        )
        if found.left_out:
            self.ui.notify("Story so far, left out: " + "; ".join(found.left_out), timeout=10)
        return found.documents

    # ------------------------------------------------------------------ the paid path
    async def _run_ai(
        self,
        entry: Entry,
        inputs: dict[str, Any] | None = None,
        request_text: str | None = None,
        conversation: Conversation | None = None,
        deliver: Callable[[str], object] | None = None,
    ) -> None:
        spec = entry.operation
        assert spec is not None, "the catalogue gives every ai and bible entry an operation"
        model = conversation.model if conversation is not None else self.models()[spec.stage]
        if not self.can_call(model):
            (await self.mounted_pane()).show_message(
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
            # for the board: the editor is neither read nor written
            area = None if editor is None or deliver is not None else editor.active
            gathered = await self._inputs(entry, spec, area, model)
            if gathered is None:
                return
            inputs, target = gathered
        if spec.template:
            inputs = await self._own_template(spec, inputs)
        context: BibleContext | None = None
        if spec.takes_bible_context:
            inputs, context = await self._bible_context(inputs, model)
        # the planning and calling of operations: imported at the first one, not with the app
        from writers_factory.ai.runner import plan_operation

        tracker = await self.get_tracker()
        try:
            plan = await plan_operation(spec, inputs, model, tracker, self.workspace.preferences)
            reviewed = await self._review(plan, context)
        except (ops.OperationInputError, UnknownModelError) as exc:
            self.ui.notify(str(exc), severity="error", timeout=12)
            return
        if reviewed is None:
            return
        await self._call(reviewed, target, request_text, conversation, deliver)

    async def _bible_context(
        self, inputs: dict[str, Any], model: str
    ) -> tuple[dict[str, Any], BibleContext]:
        """``inputs`` with the story-bible notes their text names (read in a thread)."""
        from writers_factory.ai.bible_context import add_context

        wanted = self.workspace.preferences.data.story_bible
        with_notes, context = await asyncio.to_thread(
            partial(
                add_context,
                self.workspace.project,
                inputs,
                budget=wanted.context_tokens,
                model=model,
                pinned=tuple(wanted.pinned),
                excluded=tuple(wanted.excluded),
            )
        )
        fresh = [p for p in context.problems if p not in self._bible_reported]
        if fresh:  # each problem once a session: the preview lists them every time
            self._bible_reported.update(fresh)
            self.ui.notify("\n".join(fresh), title="Story bible", severity="warning", timeout=15)
        return with_notes, context

    async def _own_template(
        self, spec: ops.OperationSpec, inputs: dict[str, Any]
    ) -> dict[str, Any]:
        """``inputs`` with the project's own template for ``spec`` (``prompts/``) when it is
        usable; a bad one is reported by file and field and the shipped one is used."""
        from writers_factory.ai.templates import TEMPLATE_INPUT, read_project_template

        fields = tuple(getattr(spec.builder, "fields", ()))
        own, problem = await asyncio.to_thread(
            read_project_template, self.workspace.project, spec.template, fields
        )
        if problem:
            self.ui.notify(problem, title="Prompt template", severity="warning", timeout=15)
        return {**inputs, TEMPLATE_INPUT: own} if own else inputs

    async def _refuse(self, message: str) -> None:
        (await self.mounted_pane()).show_message("Spending limit reached", message)
        self.ui.notify(message, severity="error", timeout=12)

    async def _review(self, plan: CostPlan, context: BibleContext | None) -> CostPlan | None:
        """The plan to send, once the writer agreed: a hard stop refuses; above the threshold
        the confirm question asks (and offers the preview); with ``preview_before_sending``
        the preview always shows. Parts dropped there are re-planned away; ``None``: nothing
        is sent."""
        if plan.hard_stop:
            await self._refuse(plan.hard_stop)
            return None
        if plan.budget_warning:
            self.ui.notify(plan.budget_warning, severity="warning", timeout=12)
        prefs = self.workspace.preferences
        if not prefs.data.story_bible.preview_before_sending:
            if not plan.needs_confirmation:
                return plan
            from writers_factory.tui.screens.cost_confirm import PREVIEW, CostConfirmScreen

            question = CostConfirmScreen(
                plan.confirmation_text, plan.budget_warning, can_preview=True
            )
            answer = await self.ui.ask(question)
            if answer != PREVIEW:
                if not answer:
                    self.ui.notify("Cancelled — nothing was sent, nothing was spent.")
                    return None
                return plan
        from writers_factory.tui.screens.prompt_preview import PromptPreviewScreen

        choice = await self.ui.ask(PromptPreviewScreen(plan, _context_notes(context)))
        if choice is None:
            self.ui.notify("Cancelled — nothing was sent, nothing was spent.")
            return None
        await self._remember_notes(choice.pin, choice.exclude, context)
        if not choice.dropped:
            return plan
        from writers_factory.ai.runner import plan_operation

        inputs = ops.drop_parts(plan.spec, plan.inputs, choice.dropped)
        again = await plan_operation(plan.spec, inputs, plan.model, plan.tracker, prefs)
        if again.hard_stop:
            await self._refuse(again.hard_stop)
            return None
        return again

    async def _remember_notes(
        self, pin: frozenset[str], exclude: frozenset[str], context: BibleContext | None
    ) -> None:
        """Keep the notes pinned or excluded in the preview in preferences (by path)."""
        if not (pin or exclude) or context is None:
            return
        prefs = self.workspace.preferences
        if prefs.read_only:
            self.ui.notify("Preferences are read-only; the pins were not kept.")
            return
        paths = {c.entry.name: c.entry.path for c in context.chosen}
        wanted = prefs.data.story_bible
        pinned = [p for p in wanted.pinned if p not in exclude] + [
            paths[n] for n in sorted(pin) if n in paths and paths[n] not in wanted.pinned
        ]
        gone = {paths[n] for n in exclude if n in paths}
        pinned = [p for p in pinned if p not in gone]
        excluded = [p for p in wanted.excluded if p not in pinned] + sorted(
            gone - set(wanted.excluded)
        )
        prefs.set("story_bible.pinned", pinned)
        prefs.set("story_bible.excluded", excluded)
        await prefs.save()

    async def notes_follow(self, old: Path, new: Path | None) -> None:
        """The app renamed (``new``) or deleted (``None``) ``old`` (project-relative, a file
        or a folder): the story-bible pins and exclusions follow it (a renamed note lost
        its pin: they are kept by path)."""
        prefs = self.workspace.preferences
        if prefs.read_only:
            return
        wanted = prefs.data.story_bible
        gone, moved = old.as_posix(), None if new is None else new.as_posix()
        pinned = followed(wanted.pinned, gone, moved)
        excluded = followed(wanted.excluded, gone, moved)
        if pinned == wanted.pinned and excluded == wanted.excluded:
            return
        prefs.set("story_bible.pinned", pinned)
        prefs.set("story_bible.excluded", excluded)
        await prefs.save()

    async def approved(self, plan: CostPlan | WorkflowEstimate) -> bool:
        """Hard stop refuses; a budget warning is shown; above the threshold the modal asks."""
        if plan.hard_stop:
            (await self.mounted_pane()).show_message("Spending limit reached", plan.hard_stop)
            self.ui.notify(plan.hard_stop, severity="error", timeout=12)
            return False
        if plan.budget_warning:
            self.ui.notify(plan.budget_warning, severity="warning", timeout=12)
        if plan.needs_confirmation:
            from writers_factory.tui.screens.cost_confirm import CostConfirmScreen

            screen = CostConfirmScreen(plan.confirmation_text, plan.budget_warning)
            if not await self.ui.ask(screen):
                self.ui.notify("Cancelled — nothing was sent, nothing was spent.")
                return False
        return True

    async def _call(
        self,
        plan: CostPlan,
        target: Target | None,
        request: str | None,
        conversation: Conversation | None = None,
        deliver: Callable[[str], object] | None = None,
    ) -> None:
        from writers_factory.ai.runner import BudgetHardStop
        from writers_factory.ai.runner import run_operation as run_planned

        spec, pane = plan.spec, await self.mounted_pane()
        conv = conversation
        if spec.conversational:
            if conv is None:
                conv = await self.conversations.new_async(spec.title, spec.stage, plan.model)
            await self.conversations.add_turn_async(conv, "user", request or plan.prompt)
        self.pending = None
        pane.start(
            f"{spec.title} · {display_name(plan.model)}",
            plan.expected_output_tokens,
            shown=deliver is None,
        )
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
        if spec.id == "score" and target is not None:
            await self._keep_score(target.path, result.text, plan.model)
        if deliver is not None:  # the board shows the answer as cards to take or leave
            pane.close()
            deliver(result.text)
            return
        offered = tuple(ops.split_alternatives(result.text)) if spec.alternatives else ()
        self.pending = Pending(spec.id, result.text, target, offered)
        text = summary(
            result.input_tokens,
            result.output_tokens,
            result.cost,
            tracker.session_total,
            cache_read=result.cache_read_tokens,
            cache_write=result.cache_write_tokens,
        )
        accept = "Insert as note" if target is not None and target.keep == "note" else "Accept"
        pane.finish(text, can_accept=target is not None and bool(result.text), label=accept)
        self.ui.post(SignificantAction("operation", target.path if target else None))

    # ------------------------------------------------------------------ accepting
    async def _keep_before_rewrite(self, path: Path, text: str) -> None:
        """The text as the writer sees it, kept where it can be brought back before an AI
        rewrite replaces part of it: a snapshot (waited for: it must be on disk first), or
        where the snapshot repository cannot be used, a copy in ``.session/versions/``.
        Raises ``OSError`` when neither could be kept."""
        if self.snapshots is not None:
            try:
                kept = await self.snapshots.take(
                    "before-ai-rewrite",
                    message=f"before an AI rewrite of {path.as_posix()}",
                    overrides={path.as_posix(): text},
                )
            except Exception:  # any failure of the history: a copy is kept instead
                kept = None
            if kept is not None:
                return
        from writers_factory.store.manuscript.versions import save_version

        await asyncio.to_thread(save_version, self.workspace.project, path, text)

    async def _accept(self) -> None:
        pending = self.pending
        if pending is None or pending.target is None:
            self.ui.notify("There is no finished result to insert.")
            return
        target = pending.target
        if target.keep == "summary":
            await self._keep_summary(target, pending.text)
            return
        editor = self.views.editor
        area = None if editor is None else editor.find(target.path)
        if area is None:
            self.ui.notify(f"{target.path.name} is no longer open; reopen it to insert.")
            return
        text = pending.text
        if target.keep == "note":
            from writers_factory.ai.result_notes import note_block

            spec = self.catalogue.operations.get(pending.operation)
            text = note_block(f"{spec.title if spec else pending.operation} (AI)", text)
        if len(pending.alternatives) > 1:
            from writers_factory.tui.screens.alternatives import AlternativesScreen

            chosen = await self.ui.ask(AlternativesScreen(pending.alternatives))
            if chosen is None:
                return  # none chosen: nothing changes, the alternatives stay in the pane
            text = chosen
        if target.replaces:
            if area.get_text_range(target.start, target.end) != target.original:
                self.ui.notify(
                    f"The text to rewrite in {target.path.name} has changed since; "
                    "nothing was replaced (the result is still in the AI pane).",
                    severity="warning",
                )
                return
            try:
                await self._keep_before_rewrite(target.path, area.text)
            except OSError as exc:
                self.ui.notify(
                    f"Could not keep a version first, so nothing was replaced: {exc}",
                    severity="error",
                )
                return
            area.replace(text, target.start, target.end)
        else:
            area.insert(text)
        self.pending = None
        self.pane.close()
        area.focus()

    async def _keep_score(self, path: Path, answer: str, model: str) -> None:
        """Keep the figure of a scoring answer as the chapter's newest AI score
        (``.session/scores.json``), inserted as a note or not: the scorecard shows it."""
        from writers_factory.core.analysis.ai_score import score_from_answer
        from writers_factory.store.manuscript.ai_scores import keep_score

        value = score_from_answer(answer)
        if value is None:
            return
        project = self.workspace.project
        chapter = (path.relative_to(project) if path.is_absolute() else path).as_posix()
        root = self.workspace.session.paths.root
        try:
            await asyncio.to_thread(keep_score, root, chapter, value, model=model)
        except OSError as exc:
            self.ui.notify(f"The score could not be kept: {exc}", severity="warning")

    async def _keep_summary(self, target: Target, text: str) -> None:
        """Keep ``text`` as the chapter's summary (``.session/summaries.json``)."""
        from writers_factory.store.manuscript.summaries import keep_summary

        project = self.workspace.project
        path = target.path
        chapter = (path.relative_to(project) if path.is_absolute() else path).as_posix()
        try:
            await asyncio.to_thread(keep_summary, self.workspace.session.paths.root, chapter, text)
        except OSError as exc:
            self.ui.notify(f"The summary could not be kept: {exc}", severity="error")
            return
        self.pending = None
        self.pane.close()
        self.ui.notify(f"Kept as the summary of {chapter}.")

    # ------------------------------------------------------------------ local screens
    async def _bible(self, entry: Entry) -> None:
        """The free story-bible search; a question it sends on runs ``entry``'s operation."""
        assert entry.operation is not None
        model = self.models()[entry.operation.stage]
        session = self.workspace.session

        def record(query: str, source: str) -> None:
            if not session.read_only:
                session.add_recent_query(query, source)

        from writers_factory.tui.screens.bible_ask import BibleAnswerRequest, BibleAskScreen

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
        ask = partial(self._run_ai, entry, inputs, request.question)
        self.worker = self._start(ask, "ai")

    async def _conversations_flow(self) -> None:
        """The saved conversations; one reopened and continued runs the follow-up operation
        with what was said so far (a part of the prompt the preview shows and may drop)."""
        from writers_factory.ai.catalogue import FOLLOW_UP
        from writers_factory.ai.conversations import ConversationError
        from writers_factory.tui.screens.conversations import ConversationsScreen

        chosen = await self.ui.ask(ConversationsScreen(self.workspace.session.paths.root))
        if not chosen or self.running:
            return
        try:
            conv = await self.conversations.open_async(chosen)
        except (ConversationError, OSError) as exc:
            self.ui.notify(str(exc), severity="error")
            return
        message = await self._ask(conv.title, FOLLOW_UP.ask)
        if not message:
            return
        history = "\n\n".join(
            f"{turn.role.capitalize()}: {turn.text.strip()}" for turn in conv.turns
        )
        entry = Entry(id=FOLLOW_UP.id, kind="ai", operation=FOLLOW_UP)
        inputs = {"history": history, "question": message}
        run = partial(self._run_ai, entry, inputs, message, conv)
        self.worker = self._start(run, "ai")

    async def _pick_models(self) -> None:
        tracker = await self.get_tracker()

        def price_check(model: str) -> str | None:
            try:
                tracker.get_estimated_cost(model, 1, 1)
            except UnknownModelError as exc:
                return str(exc)
            return None

        from writers_factory.tui.screens.model_picker import ModelPickerScreen

        changes = await self.ui.ask(ModelPickerScreen(self.models(), price_check))
        if not changes:
            return
        session, prefs = self.workspace.session, self.workspace.preferences
        if session.read_only or prefs.read_only:
            self.ui.notify("This project is open read-only; the models were not changed.")
            return
        for stage, model in changes.items():
            prefs.set_model(cast("StageId", stage), model)
            session.set_model_preference(stage, model)
        await prefs.save()
        self.ui.post(SignificantAction("model"))
        self.ui.notify("Models saved: " + ", ".join(f"{s} → {m}" for s, m in changes.items()))
