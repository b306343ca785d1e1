"""The cost-aware runner end to end with real pydantic-ai test models and a real tracker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.models.test import TestModel

from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.providers import ProviderNotConfigured
from writers_factory.ai.runner import (
    BudgetHardStop,
    plan_operation,
    run_operation,
)
from writers_factory.ai.tokens import estimate_tokens
from writers_factory.core.prices import UnknownModelError
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.preferences.preferences import Preferences

Session = tuple[Preferences, CostTracker]
REWRITE = CATALOGUE.operation("rewrite")
SMALL = {"text": "The rain fell. It fell again, and then it fell some more."}


TEST_MODEL = "test"
HandPrice = Callable[[int, int], Decimal]


def streaming(*chunks: str, calls: list[int] | None = None) -> FunctionModel:
    async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        if calls is not None:
            calls.append(1)
        for chunk in chunks:
            await asyncio.sleep(0)
            yield chunk

    return FunctionModel(stream_function=stream)


async def test_estimate_counts_system_and_prompt_and_prices_max_output(
    ai_session: Session, hand_price: HandPrice
) -> None:
    prefs, tracker = ai_session
    plan = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    expected_in = estimate_tokens(f"{REWRITE.system_prompt}\n\n{plan.prompt}", TEST_MODEL)
    assert plan.input_tokens == expected_in
    assert plan.expected_output_tokens == REWRITE.max_output_tokens
    assert plan.estimated_cost == hand_price(expected_in.count, REWRITE.max_output_tokens)
    total = expected_in.count + REWRITE.max_output_tokens
    cost = f"${plan.estimated_cost:.2f}"
    assert plan.confirmation_text == (
        f"This operation will cost about {cost} (test, ~{total:,} tokens). Continue?"
    )


async def test_confirmation_text_uses_the_model_name_and_thousands() -> None:
    from writers_factory.ai.runner import confirmation_text

    assert confirmation_text("anthropic:claude-sonnet-4-5", Decimal("0.1534"), 12400) == (
        "This operation will cost about $0.15 (claude-sonnet-4-5, ~12,400 tokens). Continue?"
    )


async def test_confirmation_only_above_threshold(ai_session: Session) -> None:
    prefs, tracker = ai_session
    small = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    assert small.estimated_cost < Decimal("0.10") and not small.needs_confirmation
    big_text = {"text": "The lighthouse keeper counted ships in the rain. " * 3000}
    big = await plan_operation(REWRITE, big_text, TEST_MODEL, tracker, prefs)
    assert big.estimated_cost > Decimal("0.10") and big.needs_confirmation
    prefs.set_cost_confirmation_threshold(small.estimated_cost)
    at = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    assert not at.needs_confirmation  # exactly at the threshold: no question
    prefs.set_cost_confirmation_threshold(small.estimated_cost - Decimal("0.000001"))
    above = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    assert above.needs_confirmation


async def test_threshold_comes_from_the_trackers_preferences_by_default(
    ai_session: Session,
) -> None:
    prefs, tracker = ai_session
    prefs.set_cost_confirmation_threshold(Decimal(0))
    plan = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker)
    assert plan.needs_confirmation


async def test_actual_usage_is_logged_not_the_estimate(
    ai_session: Session, session_dir: Path, hand_price: HandPrice
) -> None:
    prefs, tracker = ai_session
    plan = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    seen: list[str] = []
    result = await run_operation(plan, seen.append, streaming("Rain ", "fell ", "twice."))
    assert result.text == "Rain fell twice." == "".join(seen)
    assert len(seen) == 3
    assert (result.input_tokens, result.output_tokens) != (
        plan.input_tokens.count,
        plan.expected_output_tokens,
    )
    assert result.output_tokens > 0 and result.input_tokens > 0
    assert result.cost == hand_price(result.input_tokens, result.output_tokens)
    [record] = tracker.recent(5)
    assert (record.operation, record.model) == ("rewrite", TEST_MODEL)
    assert (record.input_tokens, record.output_tokens) == (
        result.input_tokens,
        result.output_tokens,
    )
    assert tracker.session_total == result.cost
    reloaded = CostTracker(session_dir)  # the log is on disk, not only in memory
    assert reloaded.operations_count == 1
    assert reloaded.recent(1)[0].input_tokens == result.input_tokens


@pytest.mark.parametrize("op_id", sorted(CATALOGUE.operations))
async def test_every_operation_runs_end_to_end_with_test_model(
    op_id: str,
    ai_session: Session,
    hand_price: HandPrice,
    operation_inputs: dict[str, dict[str, Any]],
) -> None:
    prefs, tracker = ai_session
    spec = CATALOGUE.operation(op_id)
    plan = await plan_operation(spec, operation_inputs[op_id], TEST_MODEL, tracker, prefs)
    result = await run_operation(plan, model_override=TestModel(custom_output_text=f"{op_id} ok"))
    assert result.text == f"{op_id} ok"
    [record] = tracker.recent(5)
    assert record.operation == op_id
    assert (record.input_tokens, record.output_tokens) == (
        result.input_tokens,
        result.output_tokens,
    )
    assert record.cost == result.cost == hand_price(result.input_tokens, result.output_tokens)


async def test_budget_warning_includes_this_estimate(ai_session: Session) -> None:
    prefs, tracker = ai_session
    first = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    assert first.budget_warning is None
    # A daily limit the spend so far stays under 80% of, until this estimate is added.
    await tracker.log_operation("earlier", TEST_MODEL, 0, 1000)  # $0.015
    limit = (Decimal("0.015") + first.estimated_cost) / Decimal("0.8")
    prefs.set_budget_limit("daily", limit)
    assert tracker.should_warn_budget() is None
    plan = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    assert plan.budget_warning is not None
    assert "Daily budget" in plan.budget_warning and "this operation" in plan.budget_warning
    assert plan.hard_stop is None  # hard stop is off by default


async def test_hard_stop_refuses_to_run(ai_session: Session) -> None:
    prefs, tracker = ai_session
    await tracker.log_operation("earlier", TEST_MODEL, 0, 10_000)  # $0.15
    prefs.set_budget_limit("daily", Decimal("0.15"))
    prefs.set("budget.hard_stop", True)
    plan = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    assert plan.hard_stop is not None and "Spending limit reached" in plan.hard_stop
    calls: list[int] = []
    with pytest.raises(BudgetHardStop, match="Daily budget"):
        await run_operation(plan, model_override=streaming("never", calls=calls))
    assert calls == []
    assert tracker.operations_count == 1


async def test_hard_stop_is_rechecked_at_run_time(ai_session: Session) -> None:
    prefs, tracker = ai_session
    plan = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    assert plan.hard_stop is None
    prefs.set_budget_limit("daily", plan.estimated_cost / 2)
    prefs.set("budget.hard_stop", True)
    calls: list[int] = []
    with pytest.raises(BudgetHardStop):
        await run_operation(plan, model_override=streaming("x", calls=calls))
    assert calls == [] and tracker.operations_count == 0


async def test_cancel_mid_stream_logs_only_reported_partial_usage(ai_session: Session) -> None:
    prefs, tracker = ai_session
    two_chunks = asyncio.Event()
    seen: list[str] = []

    async def slow(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        yield "One "
        yield "two "
        await asyncio.Event().wait()  # the provider stalls; the writer cancels
        yield "never"

    def on_text(delta: str) -> None:
        seen.append(delta)
        if len(seen) == 2:
            two_chunks.set()

    plan = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    task = asyncio.create_task(run_operation(plan, on_text, FunctionModel(stream_function=slow)))
    await asyncio.wait_for(two_chunks.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert seen == ["One ", "two "]
    [record] = tracker.recent(5)
    assert record.operation == "rewrite (cancelled)"
    assert record.output_tokens == 2 and record.input_tokens > 0


async def test_cancel_before_any_usage_logs_nothing(ai_session: Session) -> None:
    prefs, tracker = ai_session
    started = asyncio.Event()

    async def stalled(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        started.set()
        await asyncio.Event().wait()
        yield "never"

    plan = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    task = asyncio.create_task(run_operation(plan, None, FunctionModel(stream_function=stalled)))
    await asyncio.wait_for(started.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert tracker.operations_count == 0


async def test_failure_mid_stream_logs_partial_usage_and_raises(ai_session: Session) -> None:
    prefs, tracker = ai_session

    async def broken(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        yield "Half a "
        raise ConnectionError("connection reset by provider")

    plan = await plan_operation(REWRITE, SMALL, TEST_MODEL, tracker, prefs)
    with pytest.raises(ConnectionError, match="reset"):
        await run_operation(plan, None, FunctionModel(stream_function=broken))
    [record] = tracker.recent(5)
    assert record.operation == "rewrite (failed)" and record.output_tokens == 2


@pytest.mark.usefixtures("no_providers")
async def test_no_provider_configured_gives_clear_instructions(ai_session: Session) -> None:
    prefs, tracker = ai_session
    model = "anthropic:claude-sonnet-4-5"
    plan = await plan_operation(REWRITE, SMALL, model, tracker, prefs)
    assert plan.provider_problem is not None
    assert "ANTHROPIC_API_KEY" in plan.provider_problem
    with pytest.raises(ProviderNotConfigured) as info:
        await run_operation(plan)
    assert info.value.provider == "anthropic"
    assert "ANTHROPIC_API_KEY is not set" in str(info.value)
    assert "OPENAI_API_KEY" in str(info.value)
    assert tracker.operations_count == 0


async def test_configured_provider_has_no_problem(
    ai_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefs, tracker = ai_session
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-placeholder")
    plan = await plan_operation(REWRITE, SMALL, "anthropic:claude-sonnet-4-5", tracker, prefs)
    assert plan.provider_problem is None
    assert plan.estimated_cost > 0


async def test_unknown_model_is_refused_before_any_call(ai_session: Session) -> None:
    prefs, tracker = ai_session
    with pytest.raises(UnknownModelError, match="anthropic:not-a-model-x"):
        await plan_operation(REWRITE, SMALL, "anthropic:not-a-model-x", tracker, prefs)


async def test_local_model_is_free_and_never_asks(ai_session: Session) -> None:
    prefs, tracker = ai_session
    prefs.set_cost_confirmation_threshold(Decimal(0))
    plan = await plan_operation(REWRITE, SMALL, "ollama:llama3.2", tracker, prefs)
    assert plan.estimated_cost == 0 and not plan.needs_confirmation
    result = await run_operation(plan, model_override=streaming("Local ", "words."))
    assert result.cost == 0 and result.text == "Local words."
    [record] = tracker.recent(5)
    assert (record.model, record.cost) == ("ollama:llama3.2", Decimal(0))
    assert record.output_tokens == result.output_tokens > 0
