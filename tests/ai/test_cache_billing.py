"""The bill, exact: cache reads and writes as providers report them, logged and priced apart;
estimates from the operation's own history; the specification's model names."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from genai_prices import Usage, calc_price
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.usage import RequestUsage

from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.runner import confirmation_text, plan_operation, run_operation
from writers_factory.core.estimates import expected_output
from writers_factory.core.prices import (
    MODEL_ALIASES,
    UnknownModelError,
    display_name,
    price,
    price_parts,
    resolve_model,
)
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.preferences.preferences import Preferences

REWRITE = CATALOGUE.operation("rewrite")
SMALL = {"text": "The rain fell. It fell again, and then it fell some more."}
SONNET = "anthropic:claude-3-5-sonnet"


class CachingModel(FunctionModel):
    """Streams a reply and reports, as a provider with prompt caching does, that part of
    the input came from its cache and part was written to it."""

    def __init__(self, read: int, write: int, *chunks: str) -> None:
        async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
            for chunk in chunks:
                await asyncio.sleep(0)
                yield chunk

        super().__init__(stream_function=stream)
        self.read, self.write = read, write

    @asynccontextmanager
    async def request_stream(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async with super().request_stream(*args, **kwargs) as response:
            response._usage += RequestUsage(
                input_tokens=self.read + self.write,
                cache_read_tokens=self.read,
                cache_write_tokens=self.write,
            )
            yield response


def test_cache_reads_and_writes_are_priced_at_their_own_rates_by_genai_prices() -> None:
    parts = price_parts(SONNET, 10_000, 2_000, cache_read_tokens=5_000, cache_write_tokens=1_000)
    listed = calc_price(
        Usage(
            input_tokens=10_000,
            output_tokens=2_000,
            cache_read_tokens=5_000,
            cache_write_tokens=1_000,
        ),
        model_ref="claude-3-5-sonnet",
        provider_id="anthropic",
    )
    assert parts.total == listed.total_price
    assert parts.output == listed.output_price
    # a cache read is cheaper than the same tokens sent afresh, a cache write dearer
    plain = price_parts(SONNET, 5_000, 0).input
    assert parts.cache_read < plain < price_parts(SONNET, 5_000, 0, cache_write_tokens=5_000).total
    assert parts.input == price_parts(SONNET, 4_000, 0).input
    assert price(SONNET, 10_000, 2_000) > parts.total  # caching saved money here


def test_cached_tokens_cannot_exceed_the_input() -> None:
    with pytest.raises(ValueError, match="part of the input"):
        price(SONNET, 100, 0, cache_read_tokens=80, cache_write_tokens=30)


def test_an_override_may_price_the_cache_and_otherwise_charges_it_as_input(
    tmp_path: Path,
) -> None:
    prefs = Preferences(tmp_path / ".session")
    prefs.set_price_override("mine", Decimal("2"), Decimal("10"))
    plain = prefs.data.price_overrides
    assert price("mine", 1_000_000, 0, plain, cache_read_tokens=500_000) == Decimal(2)
    prefs.set_price_override(
        "mine", Decimal("2"), Decimal("10"), cache_read_per_mtok=Decimal("0.2")
    )
    priced = prefs.data.price_overrides
    assert price("mine", 1_000_000, 0, priced, cache_read_tokens=500_000) == Decimal("1.1")


async def test_cache_tokens_reported_by_the_model_are_logged_and_priced_apart(
    ai_session: tuple[Preferences, CostTracker], session_dir: Path
) -> None:
    prefs, tracker = ai_session
    prefs.set_price_override(
        "test",
        Decimal(3),
        Decimal(15),
        cache_read_per_mtok=Decimal("0.3"),
        cache_write_per_mtok=Decimal("3.75"),
    )
    plan = await plan_operation(REWRITE, SMALL, "test", tracker, prefs)
    result = await run_operation(plan, model_override=CachingModel(700, 100, "Rain. ", "More."))
    assert (result.cache_read_tokens, result.cache_write_tokens) == (700, 100)
    assert result.input_tokens >= 800
    expected = price(
        "test",
        result.input_tokens,
        result.output_tokens,
        prefs.data.price_overrides,
        cache_read_tokens=700,
        cache_write_tokens=100,
    )
    assert result.cost == expected
    uncached = result.input_tokens - 800
    assert expected == (
        uncached * Decimal(3)
        + 700 * Decimal("0.3")
        + 100 * Decimal("3.75")
        + result.output_tokens * Decimal(15)
    ) / Decimal(1_000_000)
    # on disk, in the record, and read back by a new tracker
    reread = CostTracker(session_dir, prefs=prefs).recent(1)[0]
    assert (reread.cache_read_tokens, reread.cache_write_tokens) == (700, 100)
    assert reread.cost == expected
    chunk = next((session_dir / "costs").glob("ops-*.json"))
    [line] = [ln for ln in chunk.read_text().splitlines() if '"operation"' in ln]
    assert '"cache_read_tokens":700' in line.replace(" ", "")


async def test_records_without_a_cache_are_written_and_read_as_before(
    ai_session: tuple[Preferences, CostTracker], session_dir: Path
) -> None:
    _, tracker = ai_session
    record = await tracker.log_operation("rewrite", "test", 120, 30)
    assert (record.cache_read_tokens, record.cache_write_tokens) == (0, 0)
    chunk = json.loads(next((session_dir / "costs").glob("ops-*.json")).read_text())
    assert "cache_read_tokens" not in chunk["operations"][0]
    assert "cache_write_tokens" not in chunk["operations"][0]


async def test_the_estimate_expects_the_median_of_the_operations_last_runs(
    ai_session: tuple[Preferences, CostTracker],
) -> None:
    prefs, tracker = ai_session
    first = await plan_operation(REWRITE, SMALL, "test", tracker, prefs)
    assert first.expected_output_tokens == REWRITE.max_output_tokens  # no history yet
    for output in (100, 300, 200, 9_000):  # one runaway answer
        await tracker.log_operation("rewrite", "test", 50, output)
    await tracker.log_operation("critique", "test", 50, 1)  # another operation's runs
    await tracker.log_operation("rewrite (cancelled)", "test", 50, 2)
    plan = await plan_operation(REWRITE, SMALL, "test", tracker, prefs)
    assert plan.expected_output_tokens == 250
    assert plan.estimated_cost == tracker.get_estimated_cost("test", plan.input_tokens.count, 250)


def test_expected_output_is_capped_by_the_limit_and_falls_back_to_it() -> None:
    assert expected_output([], 4000) == 4000
    assert expected_output([5000, 6000, 7000], 4000) == 4000
    assert expected_output([10, 20, 30], 4000) == 20


@pytest.mark.parametrize("alias", sorted(MODEL_ALIASES))
def test_every_specification_name_resolves_and_is_shown_with_its_entry(alias: str) -> None:
    entry = resolve_model(alias)
    assert entry != alias and price(alias, 10_000, 2_000) > 0
    assert price(alias, 10_000, 2_000, cache_read_tokens=5_000) > 0
    shown = confirmation_text(alias, Decimal("0.42"), 12_000)
    assert f"({display_name(alias)}, ~12,000 tokens)" in shown
    assert entry in shown


def test_an_unknown_name_suggests_the_nearest() -> None:
    with pytest.raises(UnknownModelError) as info:
        price("gemini-flsh", 1, 1)
    assert "gemini-flash" in info.value.suggestions
    assert "Did you mean" in str(info.value)
