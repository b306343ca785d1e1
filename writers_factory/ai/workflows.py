"""Multi-step AI operations that survive a crash without paying twice.

A workflow (e.g. enhance chapter = analyze -> rewrite -> score) is recorded in
``.session/workflows/<id>.json``. Before a step starts it is marked running; the moment it
finishes, its output and the provider's usage are written, before the cost is logged and
before the next step starts. After a crash, :func:`find_unfinished` lists what was
interrupted and :func:`resume` continues from the first unfinished step: finished steps are
never sent to the model again, and their cost is logged exactly once.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.providers import model_for_stage
from writers_factory.ai.runner import (
    BudgetHardStop,
    CostLog,
    CostPlan,
    confirmation_text,
    confirmation_threshold,
    plan_operation,
    stream_operation,
)
from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.model_base import StoreDatetime, StoreModel
from writers_factory.store.base.paths import OutsideProjectError, inside_project
from writers_factory.store.base.serialisers import DecodeError, dumps, loads

WORKFLOWS_DIR = "workflows"

StepStatus = Literal["pending", "running", "finished", "failed"]
WorkflowStatus = Literal["running", "finished", "failed", "stopped", "cancelled", "abandoned"]
DONE: frozenset[str] = frozenset({"finished", "abandoned"})


def _now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- definitions
StepInputs = Callable[[Mapping[str, Any], Mapping[str, str]], dict[str, Any]]
"""(workflow inputs, outputs of finished steps by name) -> the operation's inputs."""


@dataclass(frozen=True)
class StepDef:
    """One step of a workflow: the catalogue operation it runs, by name."""

    name: str
    operation: str
    inputs: StepInputs


@dataclass(frozen=True)
class WorkflowDef:
    """A kind of workflow: its steps in order, each fed by the steps before it."""

    kind: str
    title: str
    steps: tuple[StepDef, ...]


def _critique_inputs(given: Mapping[str, Any], _: Mapping[str, str]) -> dict[str, Any]:
    return {"chapter": given["chapter"], "focus": given.get("focus", "")}


def _rewrite_inputs(given: Mapping[str, Any], done: Mapping[str, str]) -> dict[str, Any]:
    return {
        "text": given["chapter"],
        "instructions": "Revise the whole chapter to address this critique, keeping the "
        "writer's voice:\n\n" + done["analyze"],
    }


def _score_inputs(given: Mapping[str, Any], done: Mapping[str, str]) -> dict[str, Any]:
    return {"chapter": done["rewrite"], "rubric": given.get("rubric", "")}


WORKFLOWS: Mapping[str, WorkflowDef] = {
    "enhance_chapter": WorkflowDef(
        "enhance_chapter",
        "Enhance chapter",
        (
            StepDef("analyze", "critique", _critique_inputs),
            StepDef("rewrite", "rewrite", _rewrite_inputs),
            StepDef("score", "score", _score_inputs),
        ),
    ),
}


def get_workflow_def(kind: str) -> WorkflowDef:
    """The definition of ``kind``; an unknown kind (a record from a newer version) raises
    naming it, rather than running steps this version does not know."""
    try:
        return WORKFLOWS[kind]
    except KeyError:
        known = ", ".join(sorted(WORKFLOWS))
        raise KeyError(f"unknown workflow {kind!r}; known: {known}") from None


# --------------------------------------------------------------------------- records
class StepRecord(BaseModel):
    """One step as recorded; extra keys from newer versions are kept."""

    model_config = ConfigDict(extra="allow", validate_assignment=True)

    name: str
    operation: str
    model: str | None = None
    """The model for this step (its stage's); ``None``: the workflow's ``model``."""
    status: StepStatus = "pending"
    started: StoreDatetime | None = None
    finished: StoreDatetime | None = None
    output: str | None = None
    input_tokens: int | None = Field(default=None, ge=0)
    output_tokens: int | None = Field(default=None, ge=0)
    cache_read_tokens: int = Field(default=0, ge=0)
    """Of ``input_tokens``, those the provider's cache served (billed at their own rate)."""
    cache_write_tokens: int = Field(default=0, ge=0)
    cost: Decimal | None = None
    cost_logged: bool = False
    error: str | None = None


class WorkflowRecord(StoreModel):
    """``.session/workflows/<id>.json``: a workflow's inputs and each step's result."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "workflow"

    id: str
    kind: str
    title: str
    model: str
    status: WorkflowStatus = "running"
    created: StoreDatetime = Field(default_factory=_now)
    updated: StoreDatetime = Field(default_factory=_now)
    inputs: dict[str, Any] = Field(default_factory=dict)
    steps: list[StepRecord] = Field(default_factory=list)
    error: str | None = None

    def item_count(self) -> int:
        return len(self.steps)

    def model_of(self, step: StepRecord) -> str:
        return step.model or self.model

    def outputs(self) -> dict[str, str]:
        """Outputs of finished steps by step name."""
        return {
            s.name: s.output for s in self.steps if s.status == "finished" and s.output is not None
        }

    @property
    def finished_steps(self) -> int:
        return sum(1 for s in self.steps if s.status == "finished")

    @property
    def unfinished(self) -> bool:
        return self.status not in DONE

    def target_in(self, project: Path) -> Path | None:
        """The project-relative file the workflow read (``inputs.path``), or ``None``.

        The record is disk state: a path leading outside the project (links followed) raises
        :class:`~writers_factory.store.base.paths.OutsideProjectError` naming the record and
        the entry, so Accept never writes there.
        """
        where = self.inputs.get("path")
        if not isinstance(where, str):
            return None
        inside_project(project, where, where=f"{WORKFLOWS_DIR}/{self.id}.json › inputs.path")
        return Path(where)

    @property
    def result(self) -> str | None:
        """The last step's output once the workflow finished."""
        return self.steps[-1].output if self.status == "finished" and self.steps else None


class WorkflowFileError(WritersFactoryError, ValueError):
    """A workflow file that cannot be read; names the file and the field."""


def workflows_dir(session_dir: Path) -> Path:
    """Where workflow records live: ``.session/workflows/``, one file per workflow."""
    return Path(session_dir) / WORKFLOWS_DIR


def workflow_path(session_dir: Path, workflow_id: str) -> Path:
    return workflows_dir(session_dir) / f"{workflow_id}.json"


def save_workflow_sync(session_dir: Path, record: WorkflowRecord) -> None:
    """Durably write the record (synchronous: async code uses :func:`save_workflow`)."""
    record.updated = _now()
    write_atomic(workflow_path(session_dir, record.id), dumps(record.model_dump(mode="json")))


async def save_workflow(session_dir: Path, record: WorkflowRecord) -> None:
    """Record the workflow durably, in a thread, after each step: a crash resumes from here."""
    await asyncio.to_thread(save_workflow_sync, session_dir, record)


def load_workflow(path: Path) -> WorkflowRecord:
    """Read one workflow file; raises :class:`WorkflowFileError` naming file and field."""
    try:
        raw, _ = loads(path.read_bytes())
    except (OSError, DecodeError) as exc:
        raise WorkflowFileError(f"{path}: {exc}") from exc
    try:
        return WorkflowRecord.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(whole file)"
        raise WorkflowFileError(f"{path}: field {where}: {first['msg']}") from exc


def find_unfinished(session_dir: Path, problems: list[str] | None = None) -> list[WorkflowRecord]:
    """Workflows not finished or abandoned, oldest first; unreadable files go to ``problems``.

    Meant for start-up (a workflow running in this process also counts as unfinished).
    Reads files: call it from a thread on the UI loop.
    """
    folder = workflows_dir(session_dir)
    if not folder.is_dir():
        return []
    found: list[WorkflowRecord] = []
    for path in sorted(folder.glob("*.json")):
        try:
            inside_project(folder, path, within="the workflows folder")
        except OutsideProjectError as exc:
            if problems is not None:
                problems.append(f"{path}: {exc.reason}; not read")
            continue
        try:
            record = load_workflow(path)
        except WorkflowFileError as exc:
            if problems is not None:
                problems.append(str(exc))
            continue
        if record.unfinished:
            found.append(record)
    return sorted(found, key=lambda r: r.created)


def new_workflow(
    kind: str, inputs: Mapping[str, Any], model: str | Mapping[str, str]
) -> WorkflowRecord:
    """A fresh record with every step pending (not yet written).

    ``model`` is one model for every step, or the per-stage models from preferences: each
    step then uses its operation's stage model (analyze with the analyzing model, ...).
    """
    definition = get_workflow_def(kind)
    stamp = f"{_now():%Y%m%dT%H%M%S}"
    steps = [StepRecord(name=s.name, operation=s.operation) for s in definition.steps]
    if isinstance(model, str):
        default = model
    else:
        for step in steps:
            step.model = model_for_stage(CATALOGUE.operation(step.operation).stage, model)
        default = steps[0].model or model_for_stage("writing", model)
    return WorkflowRecord(
        id=f"{stamp}-{secrets.token_hex(3)}-{kind}",
        kind=kind,
        title=definition.title,
        model=default,
        inputs=dict(inputs),
        steps=steps,
    )


# --------------------------------------------------------------------------- estimate
@dataclass(frozen=True)
class WorkflowEstimate:
    """Cost of all unfinished steps; later steps count previous outputs at their maximum."""

    plans: tuple[CostPlan, ...]
    estimated_cost: Decimal
    needs_confirmation: bool
    confirmation_text: str
    budget_warning: str | None
    hard_stop: str | None


async def estimate_workflow(
    record: WorkflowRecord, tracker: CostLog, prefs: Any = None
) -> WorkflowEstimate:
    """Plan every step still to run, standing in for unknown outputs with their maximum size."""
    definition = get_workflow_def(record.kind)
    outputs = record.outputs()
    plans: list[CostPlan] = []
    for step_def, step in zip(definition.steps, record.steps, strict=True):
        spec = CATALOGUE.operation(step.operation)
        if step.status != "finished":
            inputs = step_def.inputs(record.inputs, outputs)
            plans.append(await plan_operation(spec, inputs, record.model_of(step), tracker, prefs))
            outputs.setdefault(step.name, " word" * spec.max_output_tokens)
    total = sum((p.estimated_cost for p in plans), Decimal(0))
    tokens = sum(p.input_tokens.count + p.expected_output_tokens for p in plans)
    shown = plans[0].model if plans else record.model
    return WorkflowEstimate(
        plans=tuple(plans),
        estimated_cost=total,
        needs_confirmation=total > confirmation_threshold(prefs, tracker),
        confirmation_text=confirmation_text(shown, total, tokens),
        budget_warning=tracker.should_warn_budget(total),
        hard_stop=tracker.budget_exceeded(total),
    )


# --------------------------------------------------------------------------- running
async def _shielded_save(session_dir: Path, record: WorkflowRecord) -> None:
    await asyncio.shield(save_workflow(session_dir, record))


async def _log_step(
    session_dir: Path, record: WorkflowRecord, step: StepRecord, tracker: CostLog
) -> None:
    """Log a finished step's recorded usage once, then mark it logged.

    The key ``<workflow id>/<step>`` makes the log idempotent, so a crash after the cost
    was logged but before ``cost_logged`` was written does not charge the step twice.
    """
    tokens_in, tokens_out = step.input_tokens or 0, step.output_tokens or 0
    model = record.model_of(step)
    read = min(step.cache_read_tokens, tokens_in)
    cached = {
        "cache_read_tokens": read,
        "cache_write_tokens": min(step.cache_write_tokens, tokens_in - read),
    }
    logged_record = await tracker.log_operation(
        step.operation, model, tokens_in, tokens_out, key=f"{record.id}/{step.name}", **cached
    )
    cost = getattr(logged_record, "cost", None)
    step.cost = (
        cost
        if isinstance(cost, Decimal)
        else tracker.get_estimated_cost(model, tokens_in, tokens_out, **cached)
    )
    step.cost_logged = True
    await _shielded_save(session_dir, record)


async def run_workflow(
    record: WorkflowRecord,
    session_dir: Path,
    tracker: CostLog,
    prefs: Any = None,
    *,
    model_override: Any = None,
    on_text: Callable[[str], None] | None = None,
    on_progress: Callable[[WorkflowRecord], None] | None = None,
) -> WorkflowRecord:
    """Run every unfinished step in order, recording each before the next starts.

    Raises ``BudgetHardStop`` (status "stopped"), the step's error (status "failed") or
    ``CancelledError`` (status "cancelled"); each leaves the record resumable.
    """
    definition = get_workflow_def(record.kind)

    def progress() -> None:
        if on_progress is not None:
            on_progress(record)

    record.status, record.error = "running", None
    await _shielded_save(session_dir, record)
    for step_def, step in zip(definition.steps, record.steps, strict=True):
        if step.status == "finished":
            if not step.cost_logged:  # the crash came between recording and logging
                await _log_step(session_dir, record, step, tracker)
            continue
        spec = CATALOGUE.operation(step.operation)
        inputs = step_def.inputs(record.inputs, record.outputs())
        plan = await plan_operation(spec, inputs, record.model_of(step), tracker, prefs)
        if plan.hard_stop:
            record.status, record.error = "stopped", plan.hard_stop
            await _shielded_save(session_dir, record)
            raise BudgetHardStop(plan.hard_stop)
        step.status, step.started, step.error = "running", _now(), None
        await _shielded_save(session_dir, record)
        progress()
        try:
            result = await stream_operation(plan, on_text, model_override)
        except asyncio.CancelledError:
            step.status, record.status = "pending", "cancelled"
            await _shielded_save(session_dir, record)
            raise
        except BaseException as exc:
            step.status, step.error = "failed", str(exc) or type(exc).__name__
            record.status, record.error = (
                ("stopped" if isinstance(exc, BudgetHardStop) else "failed"),
                step.error,
            )
            await _shielded_save(session_dir, record)
            raise
        step.status, step.finished, step.output = "finished", _now(), result.text
        step.input_tokens, step.output_tokens = result.input_tokens, result.output_tokens
        step.cache_read_tokens = result.cache_read_tokens
        step.cache_write_tokens = result.cache_write_tokens
        await _shielded_save(session_dir, record)  # output is safe before the cost is logged
        await _log_step(session_dir, record, step, tracker)
        progress()
    record.status = "finished"
    await _shielded_save(session_dir, record)
    progress()
    return record


async def start_workflow(
    kind: str,
    inputs: Mapping[str, Any],
    model: str,
    session_dir: Path,
    tracker: CostLog,
    prefs: Any = None,
    **options: Any,
) -> WorkflowRecord:
    """Create, record and run a new workflow (see :func:`run_workflow` for ``options``)."""
    record = new_workflow(kind, inputs, model)
    return await run_workflow(record, session_dir, tracker, prefs, **options)


async def resume(
    record: WorkflowRecord,
    session_dir: Path,
    tracker: CostLog,
    prefs: Any = None,
    **options: Any,
) -> WorkflowRecord:
    """Continue an interrupted workflow from its first unfinished step."""
    return await run_workflow(record, session_dir, tracker, prefs, **options)


async def abandon(record: WorkflowRecord, session_dir: Path) -> None:
    """The writer chose not to resume: kept on disk, no longer offered for recovery."""
    record.status = "abandoned"
    await save_workflow(session_dir, record)
