"""The cost-aware path every paid AI call takes: estimate, confirm, check budget, run, log.

Before a call the writer sees what it will cost (input tokens from tiktoken, output tokens
from what the operation wrote in its last runs in this project, else its maximum, priced by
genai-prices) and whether it crosses a budget; after it, the provider's *actual* usage is
logged, never the estimate, with cache reads and writes apart since they bill at their own
rates. A cancelled or failed call whose provider already reported usage is logged too,
because the provider bills it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from writers_factory.ai.operations import InputPart, Inputs, OperationSpec, input_parts
from writers_factory.ai.providers import ProviderNotConfigured, how_to_configure, is_configured
from writers_factory.ai.tokens import TokenEstimate, estimate_many
from writers_factory.core.estimates import RECENT_RUNS, expected_output
from writers_factory.core.prices import display_name, resolve_model, split_model

DEFAULT_CONFIRMATION_THRESHOLD = Decimal("0.10")


class CostLog(Protocol):
    """What the runner needs of ``writers_factory.store.CostTracker``."""

    async def log_operation(
        self,
        operation: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        *,
        key: str | None = None,
        cache_read_tokens: int = ...,
        cache_write_tokens: int = ...,
    ) -> Any: ...

    def get_estimated_cost(
        self,
        model: str,
        input_tokens: int,
        output_tokens: int,
        *,
        cache_read_tokens: int = ...,
        cache_write_tokens: int = ...,
    ) -> Decimal: ...

    def should_warn_budget(self, extra: Decimal = ...) -> str | None: ...

    def budget_exceeded(self, extra: Decimal = ...) -> str | None: ...


class BudgetHardStop(RuntimeError):
    """The writer's hard spending limit forbids this call; the message names the limit."""


@dataclass(frozen=True)
class Billed:
    """Tokens a provider reported for a call. ``input`` counts every token sent, the cached
    ones included; ``cache_read`` / ``cache_write`` say how many of them the cache served or
    took (each billed at its own rate)."""

    input: int = 0
    output: int = 0
    cache_read: int = 0
    cache_write: int = 0

    def __bool__(self) -> bool:
        return bool(self.input or self.output or self.cache_read or self.cache_write)


@dataclass(frozen=True)
class PromptPart:
    """One part of a planned prompt as the preview shows it: its tokens and their cost."""

    key: str
    """``instructions`` or an :class:`~writers_factory.ai.operations.InputPart` key."""
    label: str
    kind: str
    tokens: int
    cost: Decimal
    """What these tokens add to the estimate (as uncached input)."""
    droppable: bool


@dataclass(frozen=True)
class CostPlan:
    """Everything known before a call; the UI shows it, ``run_operation`` executes it."""

    spec: OperationSpec
    inputs: Inputs
    model: str
    prompt: str
    input_tokens: TokenEstimate
    expected_output_tokens: int
    estimated_cost: Decimal
    needs_confirmation: bool
    confirmation_text: str
    budget_warning: str | None
    hard_stop: str | None
    provider_problem: str | None
    tracker: CostLog = field(repr=False)
    parts: tuple[PromptPart, ...] = ()
    """The prompt in parts (instructions, texts, each note), for the preview."""

    def share(self, part: PromptPart) -> Decimal:
        """``part``'s share of the estimated cost (0 to 1)."""
        return part.cost / self.estimated_cost if self.estimated_cost else Decimal(0)


@dataclass(frozen=True)
class OperationResult:
    """What the provider returned and reported: the text and the usage that was billed."""

    operation_id: str
    model: str
    text: str
    input_tokens: int
    output_tokens: int
    cost: Decimal
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0


def dollars(amount: Decimal) -> str:
    """Cents, but small non-zero amounts keep digits so they never read as $0.00."""
    if amount != 0 and abs(amount) < Decimal("0.01"):
        return f"${amount:.4f}"
    return f"${amount:,.2f}"


def confirmation_threshold(prefs: Any = None, tracker: Any = None) -> Decimal:
    """The writer's threshold from preferences (or the tracker's), else $0.10."""
    if prefs is None:
        prefs = getattr(tracker, "prefs", None)
    data = getattr(prefs, "data", None)
    value = getattr(data, "cost_confirmation_threshold", None)
    return DEFAULT_CONFIRMATION_THRESHOLD if value is None else Decimal(value)


def confirmation_text(model: str, cost: Decimal, tokens: int) -> str:
    """ "This operation will cost about $0.15 (claude-sonnet-4-5, ~12,400 tokens). Continue?"."""
    name = display_name(model) if resolve_model(model) != model else split_model(model)[1] or model
    return f"This operation will cost about {dollars(cost)} ({name}, ~{tokens:,} tokens). Continue?"


def _provider_problem(model: str) -> str | None:
    if is_configured(model):
        return None
    return f"Cannot use {model!r}: its provider is not configured.\n\n{how_to_configure()}"


async def plan_operation(
    spec: OperationSpec, inputs: Inputs, model: str, tracker: CostLog, prefs: Any = None
) -> CostPlan:
    """Estimate the call and check it against preferences and budget; no model is called.

    Token counting runs in a thread (a whole chapter takes a moment to encode). Raises
    ``OperationInputError`` for bad inputs and ``UnknownModelError`` for an unpriced model.
    """
    prompt = spec.build_prompt(inputs)
    pieces = input_parts(spec, inputs)
    counts = await asyncio.to_thread(
        estimate_many, [f"{spec.system_prompt}\n\n{prompt}", *(p.text for p in pieces)], model
    )
    estimate = counts[0]
    expected = await expected_output_tokens(spec, tracker)
    cost = tracker.get_estimated_cost(model, estimate.count, expected)
    parts = _parts(model, tracker, estimate.count, pieces, [c.count for c in counts[1:]])
    return CostPlan(
        spec=spec,
        inputs=inputs,
        model=model,
        prompt=prompt,
        input_tokens=estimate,
        expected_output_tokens=expected,
        estimated_cost=cost,
        needs_confirmation=cost > confirmation_threshold(prefs, tracker),
        confirmation_text=confirmation_text(model, cost, estimate.count + expected),
        budget_warning=tracker.should_warn_budget(cost),
        hard_stop=tracker.budget_exceeded(cost),
        provider_problem=_provider_problem(model),
        tracker=tracker,
        parts=parts,
    )


def _parts(
    model: str, tracker: CostLog, total: int, pieces: list[InputPart], counts: list[int]
) -> tuple[PromptPart, ...]:
    """The instructions (what the texts leave of the whole) and each text, priced alone."""

    def cost(tokens: int) -> Decimal:
        return tracker.get_estimated_cost(model, tokens, 0)

    instructions = max(total - sum(counts), 0)
    parts = [
        PromptPart(
            "instructions", "instructions", "instructions", instructions, cost(instructions), False
        )
    ]
    parts += [
        PromptPart(piece.key, piece.label, piece.kind, n, cost(n), piece.droppable)
        for piece, n in zip(pieces, counts, strict=True)
    ]
    return tuple(parts)


async def expected_output_tokens(spec: OperationSpec, tracker: CostLog) -> int:
    """What ``spec`` is expected to write: the median of its last runs in this project
    (read in a thread), else its output limit."""
    recent = getattr(tracker, "recent_outputs", None)
    history: list[int] = []
    if recent is not None:
        history = await asyncio.to_thread(recent, spec.id, RECENT_RUNS)
    return expected_output(history, spec.max_output_tokens)


def _count(usage: Any, name: str) -> int:
    value = getattr(usage, name, 0)
    return int(value) if isinstance(value, int) else 0


def _usage_of(stream: Any) -> Billed:
    """The tokens the provider has reported so far; nothing if unknown."""
    if stream is None:
        return Billed()
    try:
        usage = stream.usage
        if not hasattr(usage, "input_tokens"):  # older pydantic-ai spelled it as a method
            usage = usage()
        billed = Billed(
            input=_count(usage, "input_tokens"),
            output=_count(usage, "output_tokens"),
            cache_read=_count(usage, "cache_read_tokens"),
            cache_write=_count(usage, "cache_write_tokens"),
        )
    except Exception:  # a half-torn stream may not know its usage: treat as unknown
        return Billed()
    # Cached tokens are part of the input; a provider that counts them apart is made to agree.
    return Billed(
        max(billed.input, billed.cache_read + billed.cache_write),
        billed.output,
        billed.cache_read,
        billed.cache_write,
    )


async def _log(plan: CostPlan, operation: str, usage: Billed) -> Decimal:
    record = await plan.tracker.log_operation(
        operation,
        plan.model,
        usage.input,
        usage.output,
        cache_read_tokens=usage.cache_read,
        cache_write_tokens=usage.cache_write,
    )
    cost = getattr(record, "cost", None)
    if isinstance(cost, Decimal):
        return cost
    return plan.tracker.get_estimated_cost(
        plan.model,
        usage.input,
        usage.output,
        cache_read_tokens=usage.cache_read,
        cache_write_tokens=usage.cache_write,
    )


async def stream_operation(
    plan: CostPlan,
    on_text: Callable[[str], None] | None = None,
    model_override: Any = None,
) -> OperationResult:
    """Call the model and stream its text; does not log a completed call (the caller does).

    A call cancelled or failing after the provider reported usage logs that partial usage
    as ``"<operation> (cancelled)"`` / ``"(failed)"`` before the exception propagates.
    """
    message = plan.tracker.budget_exceeded(plan.estimated_cost)
    if message:
        raise BudgetHardStop(message)
    if model_override is None:
        from writers_factory.ai.providers import build_model

        model_obj = build_model(plan.model)
    else:
        model_obj = model_override
    from pydantic_ai import Agent

    agent = Agent(model_obj, instructions=plan.spec.system_prompt)
    settings: Any = {"max_tokens": plan.spec.max_output_tokens}
    chunks: list[str] = []
    stream: Any = None
    try:
        async with agent.run_stream(plan.prompt, model_settings=settings) as result:
            stream = result
            async for delta in result.stream_text(delta=True, debounce_by=None):
                chunks.append(delta)
                if on_text is not None:
                    on_text(delta)
            usage = _usage_of(result)
    except BaseException as exc:
        partial = _usage_of(stream)
        if partial:
            how = "cancelled" if isinstance(exc, asyncio.CancelledError) else "failed"
            with contextlib.suppress(Exception):
                await asyncio.shield(_log(plan, f"{plan.spec.id} ({how})", partial))
        raise
    return OperationResult(
        operation_id=plan.spec.id,
        model=plan.model,
        text="".join(chunks),
        input_tokens=usage.input,
        output_tokens=usage.output,
        cost=Decimal(0),
        cache_read_tokens=usage.cache_read,
        cache_write_tokens=usage.cache_write,
    )


async def log_result(plan: CostPlan, result: OperationResult) -> OperationResult:
    """Log the provider's actual usage for a finished call; returns it with the cost."""
    billed = Billed(
        result.input_tokens,
        result.output_tokens,
        result.cache_read_tokens,
        result.cache_write_tokens,
    )
    cost = await _log(plan, plan.spec.id, billed)
    return dataclasses.replace(result, cost=cost)


async def run_operation(
    plan: CostPlan,
    on_text: Callable[[str], None] | None = None,
    model_override: Any = None,
) -> OperationResult:
    """Run a planned call end to end: hard-stop check, stream, then log the actual usage.

    Raises :class:`BudgetHardStop`, :class:`ProviderNotConfigured` (with instructions) or
    ``asyncio.CancelledError`` when the task is cancelled mid-stream.
    """
    result = await stream_operation(plan, on_text, model_override)
    return await log_result(plan, result)


__all__ = [
    "Billed",
    "BudgetHardStop",
    "CostLog",
    "CostPlan",
    "OperationResult",
    "PromptPart",
    "ProviderNotConfigured",
    "confirmation_text",
    "confirmation_threshold",
    "log_result",
    "plan_operation",
    "run_operation",
    "stream_operation",
]
