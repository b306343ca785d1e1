"""Dollar prices of model calls, exact to the cent and beyond, from genai-prices.

The writer must never be told an operation is free when it is not, so an unknown model is
an error that names the model and says how to add a price, never a silent $0. Prices come
from genai-prices' bundled data (offline); preferences may override a model's price; local
models (Ollama) cost nothing.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from writers_factory.core.errors import WritersFactoryError

MTOK = Decimal(1_000_000)

LOCAL_PROVIDERS = frozenset({"ollama", "local"})
"""Providers that run on the writer's own machine: always free (``local:`` is any
OpenAI-compatible server there)."""

PROVIDER_IDS: Mapping[str, str] = {
    "google-gla": "google",
    "google-vertex": "google",
    "gemini": "google",
    "google": "google",
    "openai-chat": "openai",
    "openai-responses": "openai",
    "bedrock": "aws",
    "grok": "x-ai",
    "xai": "x-ai",
}
"""pydantic-ai provider prefixes whose genai-prices provider id is spelled differently."""

MODEL_ALIASES: Mapping[str, str] = {
    "claude-sonnet-3.5": "anthropic:claude-3-5-sonnet",
    "claude-opus-3": "anthropic:claude-3-opus-latest",
    "gemini-flash": "google:gemini-1.5-flash",
    "gemini-pro": "google:gemini-pro",
    "gpt-4": "openai:gpt-4",
    "gpt-4-turbo": "openai:gpt-4-turbo",
}
"""The short names the original specification uses, and the price entry each stands for.

Operations keep the name the writer chose (their records and totals say
``claude-sonnet-3.5``); only the price lookup goes through the entry, and
:func:`display_name` shows both so the writer sees which price was used.
"""


USUAL_OUTPUT_SHARE: Mapping[str, Decimal] = {
    "scene_generation": Decimal("0.2"),
    "generate_scene": Decimal("0.2"),
    "draft_scene": Decimal("0.2"),
    "continue": Decimal("0.2"),
    "brainstorm": Decimal("0.3"),
    "outline": Decimal("0.3"),
    "scene_enhancement": Decimal("0.5"),
    "enhance_chapter": Decimal("0.5"),
    "rewrite": Decimal("0.5"),
    "polish": Decimal("0.5"),
    "voice_test": Decimal("0.2"),
    "critique": Decimal("0.1"),
    "score": Decimal("0.1"),
    "ask_bible": Decimal("0.1"),
}
"""The share of a call's tokens that are output, per operation, for a one-number estimate.

A scene written from a prompt and its context is about one part output in five (the
specification's own example logs 12,450 tokens in and 3,200 out); a rewrite or an
enhancement returns about as much as it was given; a critique, a score or a question
answered from the story bible reads much and writes little.
"""

DEFAULT_OUTPUT_SHARE = Decimal("0.2")
"""For an operation not listed above (and for none): the scene-writing share."""


def split_tokens(total: int, operation: str | None = None) -> tuple[int, int]:
    """``(input, output)`` for ``total`` tokens of one call of ``operation``.

    Output is rounded up, so the estimate errs on the dear side (output costs more).
    """
    if total < 0:
        raise ValueError(f"token counts cannot be negative ({total})")
    share = USUAL_OUTPUT_SHARE.get(operation or "", DEFAULT_OUTPUT_SHARE)
    output = math.ceil(Decimal(total) * share)
    return total - output, output


class PriceOverrideLike(Protocol):
    """Anything with per-million-token rates: our dataclass or a preferences model."""

    @property
    def input_per_mtok(self) -> Decimal: ...

    @property
    def output_per_mtok(self) -> Decimal: ...


@dataclass(frozen=True)
class PriceOverride:
    """A writer-supplied price in dollars per million tokens; wins over genai-prices.

    Cache rates are optional: a cached token without its own rate is charged as input
    (the dear side, never a guess that reads cheaper than the bill).
    """

    input_per_mtok: Decimal
    output_per_mtok: Decimal
    cache_read_per_mtok: Decimal | None = None
    cache_write_per_mtok: Decimal | None = None


@dataclass(frozen=True)
class CallPrice:
    """The price of one call in its parts, as the provider bills them.

    ``input`` is the uncached input only; ``cache_read`` and ``cache_write`` are the
    cached tokens at their own rates; ``total`` is what the call cost.
    """

    input: Decimal
    cache_read: Decimal
    cache_write: Decimal
    output: Decimal

    @property
    def total(self) -> Decimal:
        return self.input + self.cache_read + self.cache_write + self.output


class UnknownModelError(WritersFactoryError, LookupError):
    """No price is known for a model; the message tells the writer how to supply one."""

    def __init__(self, model: str, reason: str = "", suggestions: list[str] | None = None) -> None:
        self.model = model
        self.suggestions = list(suggestions or [])
        detail = f" ({reason})" if reason else ""
        nearest = (
            f" Did you mean {', '.join(repr(n) for n in self.suggestions)}?"
            if self.suggestions
            else ""
        )
        super().__init__(
            f"No price is known for the model {model!r}{detail}.{nearest} Add a price override for "
            f'{model!r} to .session/preferences.json under "price_overrides", e.g. '
            f'"price_overrides": {{"{model}": {{"input_per_mtok": "3.00", '
            f'"output_per_mtok": "15.00"}}}} (dollars per million tokens).'
        )


def resolve_model(model: str) -> str:
    """The price entry a model name stands for: an alias's entry, else the name itself."""
    return MODEL_ALIASES.get(model.strip().lower(), model)


def display_name(model: str) -> str:
    """``claude-sonnet-3.5 (anthropic:claude-3-5-sonnet)`` for an alias, else the name."""
    resolved = resolve_model(model)
    return model if resolved == model else f"{model} ({resolved})"


def _known_names() -> list[str]:
    """Every model id genai-prices lists (for suggestions only: scanned on an error)."""
    try:
        from genai_prices import data
    except ImportError:  # pragma: no cover - a dependency
        return []
    names = {m.id for provider in data.providers for m in provider.models}
    return sorted(names | set(MODEL_ALIASES))


def nearest_names(model: str, n: int = 3) -> list[str]:
    """The known model names closest to ``model``, to suggest after a typo."""
    import difflib

    _, name = split_model(model)
    return difflib.get_close_matches(name.lower(), _known_names(), n=n, cutoff=0.5)


def split_model(model: str) -> tuple[str | None, str]:
    """``"anthropic:claude-x"`` -> ``("anthropic", "claude-x")``; no prefix -> ``(None, model)``."""
    provider, sep, name = model.partition(":")
    if not sep:
        return None, model
    return provider.strip().lower(), name.strip()


def is_local_model(model: str) -> bool:
    """Local models run on the writer's machine and cost nothing."""
    provider, _ = split_model(model)
    return provider in LOCAL_PROVIDERS


def genai_provider_id(provider: str | None) -> str | None:
    """The genai-prices provider id for a pydantic-ai provider prefix."""
    if provider is None:
        return None
    return PROVIDER_IDS.get(provider, provider)


@functools.lru_cache(maxsize=256)
def _listed_rates(model: str) -> PriceOverride:
    """Base per-MTok rates genai-prices lists for ``model`` (cached: lookups scan the data)."""
    from genai_prices import Usage, calc_price

    provider, name = split_model(resolve_model(model))
    if not name:
        raise UnknownModelError(model, "the model name is empty")
    try:
        calc = calc_price(
            Usage(input_tokens=0, output_tokens=0),
            model_ref=name,
            provider_id=genai_provider_id(provider),
        )
    except LookupError as exc:
        raise UnknownModelError(model, str(exc), nearest_names(model)) from exc
    return PriceOverride(
        input_per_mtok=_base_rate(getattr(calc.model_price, "input_mtok", None)),
        output_per_mtok=_base_rate(getattr(calc.model_price, "output_mtok", None)),
    )


def _base_rate(value: object) -> Decimal:
    """A flat rate, or the base rate of a tiered price (the tier applies past 200K tokens)."""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    base = getattr(value, "base", None)
    return base if isinstance(base, Decimal) else Decimal(0)


def _override_for(
    model: str, overrides: Mapping[str, PriceOverrideLike] | None
) -> PriceOverrideLike | None:
    if not overrides:
        return None
    if model in overrides:
        return overrides[model]
    _, name = split_model(model)
    return overrides.get(name)


def model_rates(
    model: str, overrides: Mapping[str, PriceOverrideLike] | None = None
) -> PriceOverride:
    """Per-million-token rates to show the writer beside a model choice.

    For tiered models these are the base rates; :func:`price` applies tiers exactly.
    """
    override = _override_for(model, overrides)
    if override is not None:
        return PriceOverride(Decimal(override.input_per_mtok), Decimal(override.output_per_mtok))
    if is_local_model(model):
        return PriceOverride(Decimal(0), Decimal(0))
    return _listed_rates(model)


def _check_counts(input_tokens: int, output_tokens: int, cache_read: int, cache_write: int) -> None:
    if min(input_tokens, output_tokens, cache_read, cache_write) < 0:
        raise ValueError(
            f"token counts cannot be negative (input {input_tokens}, output {output_tokens}, "
            f"cache read {cache_read}, cache write {cache_write})"
        )
    if cache_read + cache_write > input_tokens:
        raise ValueError(
            f"cached tokens ({cache_read} read, {cache_write} written) are part of the input "
            f"and cannot exceed it ({input_tokens})"
        )


def _rate(value: object, fallback: Decimal) -> Decimal:
    return fallback if value is None else Decimal(str(value))


def price_parts(
    model: str,
    input_tokens: int,
    output_tokens: int,
    overrides: Mapping[str, PriceOverrideLike] | None = None,
    *,
    cache_read_tokens: int = 0,
    cache_write_tokens: int = 0,
) -> CallPrice:
    """The exact price of a call in its parts; raises :class:`UnknownModelError`, never $0.

    ``input_tokens`` counts every token sent, cached ones included (as providers and
    genai-prices count them); ``cache_read_tokens`` / ``cache_write_tokens`` say how many of
    those were read from or written to the provider's cache, which bill at their own rates.
    """
    _check_counts(input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
    uncached = input_tokens - cache_read_tokens - cache_write_tokens
    override = _override_for(model, overrides)
    if override is not None:
        rate_in = Decimal(override.input_per_mtok)
        return CallPrice(
            input=Decimal(uncached) * rate_in / MTOK,
            cache_read=Decimal(cache_read_tokens)
            * _rate(getattr(override, "cache_read_per_mtok", None), rate_in)
            / MTOK,
            cache_write=Decimal(cache_write_tokens)
            * _rate(getattr(override, "cache_write_per_mtok", None), rate_in)
            / MTOK,
            output=Decimal(output_tokens) * Decimal(override.output_per_mtok) / MTOK,
        )
    if is_local_model(model):
        return CallPrice(Decimal(0), Decimal(0), Decimal(0), Decimal(0))
    _listed_rates(model)  # validates the model once, with a clear error
    whole = _calc(model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
    if not (cache_read_tokens or cache_write_tokens):
        return CallPrice(whole.input_price, Decimal(0), Decimal(0), whole.output_price)
    # Each cached part priced alone (genai-prices prices a cached token by its own rate);
    # the uncached input is what remains of the whole call's input, so the parts add up to
    # exactly what genai-prices charges for the call, tiers included.
    read = _calc(model, cache_read_tokens, 0, cache_read_tokens, 0).input_price
    write = _calc(model, cache_write_tokens, 0, 0, cache_write_tokens).input_price
    return CallPrice(whole.input_price - read - write, read, write, whole.output_price)


def _calc(model: str, input_tokens: int, output_tokens: int, read: int, write: int) -> Any:
    from genai_prices import Usage, calc_price

    provider, name = split_model(resolve_model(model))
    return calc_price(
        Usage(
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cache_read_tokens=read or None,
            cache_write_tokens=write or None,
        ),
        model_ref=name,
        provider_id=genai_provider_id(provider),
    )


def price(
    model: str,
    input_tokens: int,
    output_tokens: int,
    overrides: Mapping[str, PriceOverrideLike] | None = None,
    *,
    cache_read_tokens: int = 0,
    cache_write_tokens: int = 0,
) -> Decimal:
    """Exact dollar price of a call; raises :class:`UnknownModelError`, never guesses $0."""
    return price_parts(
        model,
        input_tokens,
        output_tokens,
        overrides,
        cache_read_tokens=cache_read_tokens,
        cache_write_tokens=cache_write_tokens,
    ).total
