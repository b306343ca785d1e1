"""Shared fixtures for AI tests: a real ``.session/`` with real Preferences and CostTracker.

The pydantic-ai test models are logged under the model name "test", priced by a real
price override in preferences.json, exactly as a writer would price a model genai-prices
does not know.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from writers_factory.ai.providers import PROVIDERS
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.preferences.preferences import Preferences

TEST_MODEL = "test"
TEST_INPUT_PER_MTOK = Decimal("3")
TEST_OUTPUT_PER_MTOK = Decimal("15")


def make_session(session_dir: Path) -> tuple[Preferences, CostTracker]:
    """Preferences pricing the test model, saved to disk, and a tracker reading them."""
    session_dir.mkdir(parents=True, exist_ok=True)
    prefs = Preferences(session_dir)
    prefs.set_price_override(TEST_MODEL, TEST_INPUT_PER_MTOK, TEST_OUTPUT_PER_MTOK)
    prefs.save_sync()
    return prefs, CostTracker(session_dir, prefs=prefs)


@pytest.fixture
def session_dir(tmp_path: Path) -> Path:
    return tmp_path / "project" / ".session"


@pytest.fixture
def ai_session(session_dir: Path) -> tuple[Preferences, CostTracker]:
    return make_session(session_dir)


@pytest.fixture
def no_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment with no provider variables at all, as on a fresh machine."""
    for spec in PROVIDERS:
        for var in spec.env_vars:
            monkeypatch.delenv(var, raising=False)


OPERATION_INPUTS: dict[str, dict[str, Any]] = {
    "brainstorm": {
        "planning": {"premise.md": "A lighthouse on Mars."},
        "request": "twists for act two",
    },
    "outline": {
        "planning": [("premise.md", "A lighthouse on Mars."), ("characters.md", "Ada, the keeper.")]
    },
    "generate_scene": {
        "prompt": "Ada finds the signal.",
        "story_bible": {"Ada": "Ada hums when nervous."},
        "context": "The storm had lasted a week.",
    },
    "rewrite": {"text": "She walked slowly and very slowly.", "instructions": "tighter"},
    "critique": {"chapter": "Chapter one text.", "focus": "pacing"},
    "score": {"chapter": "Chapter one text.", "rubric": "1. Tension"},
    "voice_test": {"sample": "I was never one for weather.", "prompt": "A market at dawn."},
    "describe": {"text": "Ada opened the lamp room.", "context": "The storm had lasted a week."},
    "expand": {"text": "Ada climbed the stairs.", "context": "The bell rang twice."},
    "continue": {"context": "The storm had lasted a week, and the keeper"},
    "rewrite_alternatives": {
        "text": "She walked slowly and very slowly.",
        "context": "Rain on the glass.",
        "instructions": "tighter",
    },
    "summarise_chapter": {"chapter": "Chapter one: Ada finds the signal."},
    "beta_reader": {"chapter": "Chapter one: Ada hears the bell."},
    "ask_bible": {
        "question": "What colour are Ada's eyes?",
        "passages": [("reference/ada.md", "Ada's eyes are grey.")],
    },
}


@pytest.fixture
def operation_inputs() -> dict[str, dict[str, Any]]:
    """Complete inputs for every operation, each value distinctive enough to find in a prompt."""
    return OPERATION_INPUTS


def _hand_price(input_tokens: int, output_tokens: int) -> Decimal:
    return (input_tokens * TEST_INPUT_PER_MTOK + output_tokens * TEST_OUTPUT_PER_MTOK) / Decimal(
        1_000_000
    )


@pytest.fixture
def hand_price() -> Callable[[int, int], Decimal]:
    """The test model's price computed by hand from its override rates."""
    return _hand_price
