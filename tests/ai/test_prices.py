"""Prices are exact Decimals from genai-prices; overrides win; local is free; unknown fails."""

from __future__ import annotations

from decimal import Decimal

import pytest
from genai_prices import Usage, calc_price

from writers_factory.core.prices import (
    PriceOverride,
    UnknownModelError,
    display_name,
    is_local_model,
    model_rates,
    price,
    resolve_model,
)


def listed_rates(model_ref: str, provider_id: str) -> tuple[Decimal, Decimal]:
    """Per-MTok rates as genai-prices lists them, fetched independently of our module."""
    calc = calc_price(
        Usage(input_tokens=0, output_tokens=0), model_ref=model_ref, provider_id=provider_id
    )
    rates = []
    for value in (calc.model_price.input_mtok, calc.model_price.output_mtok):
        assert value is not None, f"genai-prices lists no token price for {model_ref}"
        rates.append(value if isinstance(value, Decimal) else value.base)
    return rates[0], rates[1]


@pytest.mark.parametrize(
    ("model", "model_ref", "provider_id"),
    [
        ("anthropic:claude-sonnet-4-5", "claude-sonnet-4-5", "anthropic"),
        ("openai:gpt-4o", "gpt-4o", "openai"),
        ("google-gla:gemini-2.5-flash", "gemini-2.5-flash", "google"),
        ("google-vertex:gemini-2.5-flash", "gemini-2.5-flash", "google"),
    ],
)
def test_price_matches_hand_computation_from_listed_rates(
    model: str, model_ref: str, provider_id: str
) -> None:
    input_rate, output_rate = listed_rates(model_ref, provider_id)
    assert input_rate > 0 and output_rate > 0
    expected = (Decimal(12_400) * input_rate + Decimal(3_000) * output_rate) / Decimal(1_000_000)
    got = price(model, 12_400, 3_000)
    assert isinstance(got, Decimal)
    assert got == expected
    assert model_rates(model) == PriceOverride(input_rate, output_rate)


def test_price_is_exact_not_float() -> None:
    input_rate, output_rate = listed_rates("gpt-4o", "openai")
    got = price("openai:gpt-4o", 1, 1)
    assert got == (input_rate + output_rate) / Decimal(1_000_000)


def test_zero_tokens_cost_nothing() -> None:
    assert price("anthropic:claude-sonnet-4-5", 0, 0) == 0


def test_override_wins_over_genai_prices() -> None:
    overrides = {"anthropic:claude-sonnet-4-5": PriceOverride(Decimal("1"), Decimal("2"))}
    assert price("anthropic:claude-sonnet-4-5", 1_000_000, 500_000, overrides) == Decimal("2")
    assert model_rates("anthropic:claude-sonnet-4-5", overrides).input_per_mtok == Decimal(1)


def test_override_makes_an_unknown_model_priceable() -> None:
    overrides = {"test": PriceOverride(Decimal("0.50"), Decimal("1.50"))}
    assert price("test", 2_000_000, 1_000_000, overrides) == Decimal("2.50")


def test_override_may_name_the_model_without_provider() -> None:
    overrides = {"my-model": PriceOverride(Decimal("4"), Decimal("8"))}
    assert price("openai:my-model", 250_000, 0, overrides) == Decimal("1")


def test_local_models_are_free() -> None:
    assert is_local_model("ollama:llama3.2")
    assert not is_local_model("anthropic:claude-sonnet-4-5")
    assert not is_local_model("llama3.2")
    assert price("ollama:llama3.2", 1_000_000, 1_000_000) == 0


def test_unknown_model_is_an_error_naming_it_and_the_fix() -> None:
    with pytest.raises(UnknownModelError) as info:
        price("anthropic:no-such-model-zz", 10, 10)
    assert info.value.model == "anthropic:no-such-model-zz"
    message = str(info.value)
    assert "anthropic:no-such-model-zz" in message
    assert "price_overrides" in message and "preferences.json" in message


def test_unknown_provider_is_an_error_not_zero() -> None:
    with pytest.raises(UnknownModelError, match="nosuchprovider:foo"):
        price("nosuchprovider:foo", 1, 1)


def test_negative_tokens_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        price("ollama:llama3.2", -1, 0)


@pytest.mark.parametrize(
    ("alias", "entry"),
    [
        ("claude-sonnet-3.5", "anthropic:claude-3-5-sonnet"),
        ("claude-opus-3", "anthropic:claude-3-opus-latest"),
        ("gemini-flash", "google:gemini-1.5-flash"),
        ("gemini-pro", "google:gemini-pro"),
        ("gpt-4", "openai:gpt-4"),
        ("gpt-4-turbo", "openai:gpt-4-turbo"),
    ],
)
def test_the_specifications_model_names_are_priced_as_their_entries(alias: str, entry: str) -> None:
    assert resolve_model(alias) == entry
    assert price(alias, 10_000, 2_000) == price(entry, 10_000, 2_000) > 0
    assert display_name(alias) == f"{alias} ({entry})"


def test_a_price_override_for_an_alias_wins_over_its_entry() -> None:
    override = {"gpt-4": PriceOverride(Decimal(1), Decimal(1))}
    assert price("gpt-4", 1_000_000, 0, override) == Decimal(1)


def test_a_mistyped_name_is_an_error_suggesting_the_nearest_names() -> None:
    with pytest.raises(UnknownModelError) as info:
        price("claude-sonet-3.5", 10, 10)
    assert "claude-sonnet-3.5" in info.value.suggestions
    assert "Did you mean" in str(info.value)
    assert display_name("anthropic:claude-sonnet-4-5") == "anthropic:claude-sonnet-4-5"
