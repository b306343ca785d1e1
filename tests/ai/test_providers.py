"""Providers come from environment variables only; a missing one gets exact instructions."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.models.google import GoogleModel
from pydantic_ai.models.ollama import OllamaModel
from pydantic_ai.models.openai import OpenAIChatModel, OpenAIResponsesModel

from writers_factory.ai.providers import (
    DEFAULT_MODELS,
    PROVIDER_DEFAULTS,
    PROVIDERS,
    ProviderNotConfigured,
    build_model,
    configured_providers,
    default_model,
    how_to_configure,
    is_configured,
    model_for_stage,
)
from writers_factory.core.prices import price
from writers_factory.core.stages import STAGE_IDS


def test_nothing_configured_in_an_empty_environment() -> None:
    assert configured_providers({}) == []


def test_each_variable_configures_its_provider() -> None:
    env = {"ANTHROPIC_API_KEY": "sk-a", "GOOGLE_API_KEY": "g", "OLLAMA_BASE_URL": "http://h/v1"}
    infos = configured_providers(env)
    assert [i.name for i in infos] == ["anthropic", "google-gla", "ollama"]
    assert [i.env_var for i in infos] == ["ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "OLLAMA_BASE_URL"]
    assert [i.local for i in infos] == [False, False, True]
    assert configured_providers({"GEMINI_API_KEY": "g"})[0].env_var == "GEMINI_API_KEY"


def test_blank_variables_do_not_count() -> None:
    assert configured_providers({"OPENAI_API_KEY": "  ", "ANTHROPIC_API_KEY": ""}) == []


def test_real_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    for spec in PROVIDERS:
        for var in spec.env_vars:
            monkeypatch.delenv(var, raising=False)
    assert configured_providers() == []
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert [i.name for i in configured_providers()] == ["openai"]


def test_keys_never_appear_in_provider_info() -> None:
    infos = configured_providers({"ANTHROPIC_API_KEY": "sk-very-secret"})
    assert "sk-very-secret" not in repr(infos)


def test_how_to_configure_names_every_variable_and_example_models() -> None:
    text = how_to_configure()
    for var in (
        "ANTHROPIC_API_KEY",
        "OPENAI_API_KEY",
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "OLLAMA_BASE_URL",
    ):
        assert var in text
    for example in (
        "anthropic:claude-sonnet-4-5",
        "openai:gpt-4.1",
        "google-gla:gemini-2.5-flash",
        "ollama:llama3.2",
    ):
        assert example in text
    assert "never saves" in text


@pytest.mark.parametrize(
    ("model", "env", "cls"),
    [
        ("anthropic:claude-sonnet-4-5", {"ANTHROPIC_API_KEY": "k"}, AnthropicModel),
        ("openai:gpt-4o", {"OPENAI_API_KEY": "k"}, OpenAIResponsesModel),
        ("openai-chat:gpt-4o", {"OPENAI_API_KEY": "k"}, OpenAIChatModel),
        ("google-gla:gemini-2.5-flash", {"GEMINI_API_KEY": "k"}, GoogleModel),
        ("ollama:llama3.2", {"OLLAMA_BASE_URL": "http://localhost:11434/v1"}, OllamaModel),
    ],
)
def test_build_model_gives_the_real_pydantic_ai_model(
    model: str, env: dict[str, str], cls: type[Any]
) -> None:
    built = build_model(model, env)
    assert isinstance(built, cls)
    assert built.model_name == model.split(":", 1)[1]


def test_ollama_uses_the_given_address() -> None:
    built = build_model("ollama:llama3.2", {"OLLAMA_BASE_URL": "http://127.0.0.1:9/v1"})
    assert built.base_url.startswith("http://127.0.0.1:9/v1")


def test_unconfigured_provider_raises_with_instructions() -> None:
    with pytest.raises(ProviderNotConfigured) as info:
        build_model("anthropic:claude-sonnet-4-5", {"OPENAI_API_KEY": "k"})
    assert info.value.provider == "anthropic"
    assert "ANTHROPIC_API_KEY is not set" in info.value.message
    assert "OLLAMA_BASE_URL" in str(info.value)


@pytest.mark.parametrize("model", ["nonsense", "vertexish:model-x", "anthropic:"])
def test_malformed_or_unsupported_models_explain_themselves(model: str) -> None:
    with pytest.raises(ProviderNotConfigured, match="Cannot use"):
        build_model(model, {"ANTHROPIC_API_KEY": "k"})


def test_defaults_cover_every_stage_and_are_priced() -> None:
    assert set(DEFAULT_MODELS) == set(STAGE_IDS)
    models = set(DEFAULT_MODELS.values())
    models |= {m for per in PROVIDER_DEFAULTS.values() for m in per.values()}
    models |= {m for spec in PROVIDERS for m in spec.example_models}
    for model in models:
        assert price(model, 1000, 1000) >= 0


def test_default_model_follows_what_is_configured() -> None:
    assert default_model("writing", {"ANTHROPIC_API_KEY": "k"}) == "anthropic:claude-sonnet-4-5"
    assert default_model("scoring", {"GEMINI_API_KEY": "k"}) == "google-gla:gemini-2.5-flash"
    assert default_model("writing", {"OLLAMA_BASE_URL": "http://x/v1"}) == "ollama:llama3.2"
    assert default_model("writing", {}) == DEFAULT_MODELS["writing"]


def test_preference_wins_over_defaults() -> None:
    prefs = {"writing": "openai:gpt-4.1"}
    assert model_for_stage("writing", prefs, {"ANTHROPIC_API_KEY": "k"}) == "openai:gpt-4.1"
    assert (
        model_for_stage("scoring", prefs, {"ANTHROPIC_API_KEY": "k"}) == DEFAULT_MODELS["scoring"]
    )


def test_importing_the_ai_core_loads_no_heavy_library() -> None:
    import subprocess
    import sys

    modules = ("core.prices", "ai.tokens", "ai.providers", "ai.operations", "ai.runner")
    modules += ("ai.workflows",)
    code = (
        "import sys\n"
        + "".join(f"import writers_factory.{m}\n" for m in modules)
        + (
            "print(sorted(m for m in ('pydantic_ai', 'tiktoken', 'genai_prices', 'textual')"
            " if m in sys.modules))\n"
        )
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"


def test_openrouter_and_openai_compatible_endpoints_build_without_a_call() -> None:
    from pydantic_ai.models.openai import OpenAIChatModel

    env = {
        "OPENROUTER_API_KEY": "sk-or-test",
        "LOCAL_AI_BASE_URL": "http://127.0.0.1:9/v1",
    }
    router = build_model("openrouter:anthropic/claude-sonnet-4.5", env)
    local = build_model("local:my-model", env)
    assert all(isinstance(m, OpenAIChatModel) for m in (router, local))
    assert "openrouter" in router.base_url
    assert local.base_url.startswith("http://127.0.0.1:9/v1")
    assert local.model_name == "my-model"
    for model in ("openrouter:x/y", "local:default"):
        assert is_configured(model, env) and not is_configured(model, {})
    with pytest.raises(ProviderNotConfigured, match="LOCAL_AI_BASE_URL"):
        build_model("local:default", {})


def test_a_local_endpoint_is_free_unless_priced_and_openrouter_is_priced() -> None:
    from decimal import Decimal

    from writers_factory.core.prices import PriceOverride

    assert price("local:default", 1_000_000, 1_000_000) == 0
    assert price("openrouter:anthropic/claude-sonnet-4.5", 1_000_000, 0) > 0
    hosted = {"local:my-model": PriceOverride(Decimal(1), Decimal(2))}  # a paid endpoint
    assert price("local:my-model", 1_000_000, 1_000_000, hosted) == Decimal(3)
