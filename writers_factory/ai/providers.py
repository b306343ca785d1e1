"""Which AI providers the writer has configured, and how to build a model for a call.

Keys come only from environment variables and are handed straight to the provider client:
nothing here stores, logs or returns a key, so nothing can leak into ``.session/``. With no
provider configured the rest of Writers Factory keeps working and AI actions show
:func:`how_to_configure`, which says exactly which variable to set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from writers_factory.core.prices import split_model


@dataclass(frozen=True)
class ProviderSpec:
    """A provider Writers Factory can talk to, and the environment variables it reads."""

    name: str
    label: str
    env_vars: tuple[str, ...]
    example_models: tuple[str, ...]
    local: bool = False
    note: str = ""


@dataclass(frozen=True)
class ProviderInfo:
    """A configured provider; ``env_var`` names the variable that configured it (not its value)."""

    name: str
    label: str
    env_var: str
    example_models: tuple[str, ...]
    local: bool


LOCAL_URL_VAR = "LOCAL_AI_BASE_URL"
"""The address of an OpenAI-compatible server (``local:`` models): on the writer's machine
it is free; one elsewhere is priced by a price override in preferences, which wins."""
LOCAL_KEY_VAR = "LOCAL_AI_API_KEY"
"""A key the local server may ask for (most ask none)."""

PROVIDERS: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        "anthropic",
        "Anthropic",
        ("ANTHROPIC_API_KEY",),
        ("anthropic:claude-sonnet-4-5", "anthropic:claude-haiku-4-5"),
    ),
    ProviderSpec(
        "openai",
        "OpenAI",
        ("OPENAI_API_KEY",),
        ("openai:gpt-4.1", "openai:gpt-4o-mini"),
    ),
    ProviderSpec(
        "google-gla",
        "Google Gemini",
        ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
        ("google-gla:gemini-2.5-pro", "google-gla:gemini-2.5-flash"),
    ),
    ProviderSpec(
        "ollama",
        "Ollama (local, free)",
        ("OLLAMA_BASE_URL",),
        ("ollama:llama3.2", "ollama:mistral"),
        local=True,
        note="the address of your Ollama server, usually http://localhost:11434/v1",
    ),
    ProviderSpec(
        "openrouter",
        "OpenRouter",
        ("OPENROUTER_API_KEY",),
        ("openrouter:anthropic/claude-sonnet-4.5", "openrouter:openai/gpt-4o-mini"),
    ),
    ProviderSpec(
        "local",
        "An OpenAI-compatible server (local: free; others priced in preferences)",
        (LOCAL_URL_VAR,),
        ("local:default",),
        local=True,
        note="its address, e.g. http://localhost:8080/v1; name its model as local:<name>",
    ),
)

ALIASES: Mapping[str, str] = {
    "openai-chat": "openai",
    "openai-responses": "openai",
    "google": "google-gla",
    "gemini": "google-gla",
}
"""Other pydantic-ai prefixes that use the same credentials as one of :data:`PROVIDERS`."""

DEFAULT_MODELS: Mapping[str, str] = {
    "creation": "anthropic:claude-sonnet-4-5",
    "writing": "anthropic:claude-sonnet-4-5",
    "enhancing": "anthropic:claude-sonnet-4-5",
    "analyzing": "anthropic:claude-haiku-4-5",
    "scoring": "anthropic:claude-haiku-4-5",
}
"""Model per stage when preferences do not say and Anthropic is configured."""

PROVIDER_DEFAULTS: Mapping[str, Mapping[str, str]] = {
    "openai": {"analyzing": "openai:gpt-4o-mini", "scoring": "openai:gpt-4o-mini"},
    "google-gla": {
        "analyzing": "google-gla:gemini-2.5-flash",
        "scoring": "google-gla:gemini-2.5-flash",
    },
}
"""Per-provider stage defaults where a cheaper model suits; others use the first example."""


class ProviderNotConfigured(RuntimeError):
    """The model's provider has no credentials; ``message`` says how to configure one."""

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(message)
        self.provider = provider
        self.message = message


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def spec_for(provider: str) -> ProviderSpec | None:
    """The provider spec for a pydantic-ai prefix (aliases included)."""
    name = ALIASES.get(provider, provider)
    return next((spec for spec in PROVIDERS if spec.name == name), None)


def _configured_var(spec: ProviderSpec, env: Mapping[str, str]) -> str | None:
    return next((var for var in spec.env_vars if env.get(var, "").strip()), None)


def configured_providers(env: Mapping[str, str] | None = None) -> list[ProviderInfo]:
    """Providers whose environment variable is set (non-empty), in a stable order."""
    found: list[ProviderInfo] = []
    for spec in PROVIDERS:
        var = _configured_var(spec, _env(env))
        if var is not None:
            found.append(ProviderInfo(spec.name, spec.label, var, spec.example_models, spec.local))
    return found


def how_to_configure() -> str:
    """Exact instructions for the writer: which variable for which provider, and models."""
    lines = [
        "No AI provider is configured for this model. Writers Factory reads API keys only "
        "from environment variables and never saves them. Set one of these before starting "
        "writers-factory:",
        "",
    ]
    for spec in PROVIDERS:
        variables = " or ".join(spec.env_vars)
        what = spec.note or "your API key"
        lines.append(f"  {spec.label}: export {variables}=<{what}>")
        lines.append(f"      models such as {', '.join(spec.example_models)}")
    lines += [
        "",
        "Then choose the model for each stage in Preferences (for example "
        "anthropic:claude-sonnet-4-5). Everything else works without a provider.",
    ]
    return "\n".join(lines)


def is_configured(model: str, env: Mapping[str, str] | None = None) -> bool:
    """True when ``model``'s provider has its environment variable set."""
    provider, _ = split_model(model)
    spec = spec_for(provider) if provider else None
    return spec is not None and _configured_var(spec, _env(env)) is not None


def default_model(stage: str, env: Mapping[str, str] | None = None) -> str:
    """The model for ``stage`` when preferences name none: a configured provider's if any."""
    preferred = DEFAULT_MODELS.get(stage, DEFAULT_MODELS["writing"])
    if is_configured(preferred, env):
        return preferred
    for info in configured_providers(env):
        return PROVIDER_DEFAULTS.get(info.name, {}).get(stage, info.example_models[0])
    return preferred


def model_for_stage(
    stage: str, preferred: Mapping[str, str] | None = None, env: Mapping[str, str] | None = None
) -> str:
    """The preference for ``stage`` if the writer chose one, else :func:`default_model`."""
    chosen = (preferred or {}).get(stage)
    return chosen if chosen else default_model(stage, env)


def _not_configured(provider: str, model: str, why: str) -> ProviderNotConfigured:
    return ProviderNotConfigured(provider, f"Cannot use {model!r}: {why}.\n\n{how_to_configure()}")


def build_model(model: str, env: Mapping[str, str] | None = None) -> Any:
    """A pydantic-ai model object for ``model``, with the key read from the environment.

    Raises :class:`ProviderNotConfigured` (with :func:`how_to_configure`) when the provider
    is unknown or its variable is unset; building makes no network call.
    """
    provider, name = split_model(model)
    if provider is None or not name:
        raise _not_configured(
            provider or "",
            model,
            "a model is named as provider:model, e.g. anthropic:claude-sonnet-4-5",
        )
    spec = spec_for(provider)
    if spec is None:
        raise _not_configured(provider, model, f"the provider {provider!r} is not supported")
    variables = _env(env)
    var = _configured_var(spec, variables)
    if var is None:
        raise _not_configured(
            provider, model, f"{' or '.join(spec.env_vars)} is not set for {spec.label}"
        )
    secret = variables[var].strip()
    if spec.name == "anthropic":
        from pydantic_ai.models.anthropic import AnthropicModel
        from pydantic_ai.providers.anthropic import AnthropicProvider

        return AnthropicModel(name, provider=AnthropicProvider(api_key=secret))
    if spec.name == "openai":
        from pydantic_ai.models.openai import OpenAIChatModel, OpenAIResponsesModel
        from pydantic_ai.providers.openai import OpenAIProvider

        openai_provider = OpenAIProvider(api_key=secret)
        if provider == "openai-chat":
            return OpenAIChatModel(name, provider=openai_provider)
        return OpenAIResponsesModel(name, provider=openai_provider)
    if spec.name == "google-gla":
        from pydantic_ai.models.google import GoogleModel
        from pydantic_ai.providers.google import GoogleProvider

        return GoogleModel(name, provider=GoogleProvider(api_key=secret))
    if spec.name == "openrouter":
        from pydantic_ai.models.openai import OpenAIChatModel
        from pydantic_ai.providers.openrouter import OpenRouterProvider

        return OpenAIChatModel(name, provider=OpenRouterProvider(api_key=secret))
    if spec.name == "local":
        from pydantic_ai.models.openai import OpenAIChatModel
        from pydantic_ai.providers.openai import OpenAIProvider

        key = variables.get(LOCAL_KEY_VAR, "").strip() or "none"  # most servers ask none
        return OpenAIChatModel(name, provider=OpenAIProvider(base_url=secret, api_key=key))
    from pydantic_ai.models.ollama import OllamaModel
    from pydantic_ai.providers.ollama import OllamaProvider

    return OllamaModel(name, provider=OllamaProvider(base_url=secret))
