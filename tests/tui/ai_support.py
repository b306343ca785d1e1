"""Helpers for the AI tests in the real app: priced test model, streaming models, waiting.

The pydantic-ai test models are named "test" for pricing; preferences.json prices that name
with a real override and points every stage at it, exactly as a writer would configure a
model genai-prices does not know. Models are injected through ``app.ai.model_override``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel
from textual.pilot import Pilot

from tests.tui.conftest import wait_until
from writers_factory.ai.providers import PROVIDERS
from writers_factory.core.stages import STAGE_IDS
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.preferences.preferences import Preferences
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.ai_pane import PaneState

TEST_MODEL = "test"
CHAPTER = Path("manuscript/chapter-01.md")


def configure(project: Path, *, threshold: Decimal | None = None) -> Preferences:
    """Price the test model, use it for every stage, and save preferences.json."""
    prefs = Preferences(project / ".session")
    prefs.set_price_override(TEST_MODEL, Decimal("3"), Decimal("15"))
    for stage in STAGE_IDS:
        prefs.set_model(stage, TEST_MODEL)
    if threshold is not None:
        prefs.set_cost_confirmation_threshold(threshold)
    prefs.save_sync()
    return prefs


class Streaming:
    """A FunctionModel that streams fixed chunks and counts its calls; may stall mid-way."""

    def __init__(self, *chunks: str, stall_after: int | None = None) -> None:
        self.chunks = chunks
        self.stall_after = stall_after
        self.calls = 0
        self.streamed = asyncio.Event()
        self.model = FunctionModel(stream_function=self._stream)

    async def _stream(self, messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        self.calls += 1
        for index, chunk in enumerate(self.chunks):
            if index == self.stall_after:
                self.streamed.set()
                await asyncio.Event().wait()  # the provider stalls; the writer cancels
            await asyncio.sleep(0)
            yield chunk
        self.streamed.set()


class Answers:
    """A model that answers each call with the next of ``answers``, streamed in one piece."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.model = FunctionModel(stream_function=self._stream)

    async def _stream(self, messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        yield self.answers.pop(0)


def logged(project: Path) -> list[tuple[str, str, int, int]]:
    """What costs.json on disk says was spent: (operation, model, input, output)."""
    tracker = CostTracker(project / ".session")
    return [
        (r.operation, r.model, r.input_tokens, r.output_tokens)
        for r in reversed(tracker.recent(100))
    ]


async def wait_for_pane(pilot: Pilot[Any], state: PaneState) -> None:
    app = pilot.app
    assert isinstance(app, WritersFactoryApp)
    await wait_until(pilot, lambda: app.ai.pane.state is state)


async def open_chapter(app: WritersFactoryApp, pilot: Pilot[Any]) -> None:
    await app.open_path(app.project / CHAPTER)
    await pilot.pause()


@pytest.fixture
def no_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    """No provider variables at all, as on a fresh machine."""
    for spec in PROVIDERS:
        for var in spec.env_vars:
            monkeypatch.delenv(var, raising=False)


def kept_before_rewrite(project: Path, chapter: Path) -> list[str]:
    """The texts of ``chapter`` kept by the snapshots taken before AI rewrites, newest first:
    what the history screen brings back (``.session/versions/`` is no longer written)."""
    from writers_factory.store.snapshots.reading import file_text, walk
    from writers_factory.store.snapshots.taker import Snapshotter
    from writers_factory.store.snapshots.triggers import Trigger

    repo = Snapshotter(project).repository
    return [
        text
        for info in walk(repo)
        if info.meta.trigger == Trigger.AI_REWRITE
        and (text := file_text(repo, info.id, chapter.as_posix())) is not None
    ]
