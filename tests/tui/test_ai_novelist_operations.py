"""The novelist's operations in the real app, end to end: confirm, stream, accept, undo —
describe, expand, continue, three alternatives, summary, beta reader — and prompt templates
overridden in the project's prompts/ folder (a bad one reported, the shipped one used)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel
from textual.pilot import Pilot
from textual.widgets.text_area import Selection

from tests.tui.ai_support import (
    CHAPTER,
    configure,
    kept_before_rewrite,
    logged,
    open_chapter,
    wait_for_pane,
)
from tests.tui.conftest import (
    SIZE,
    click_when_ready,
    editor_text,
    ready_screen,
    started,
    wait_until,
)
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.alternatives import AlternativesScreen
from writers_factory.tui.screens.cost_confirm import CostConfirmScreen
from writers_factory.tui.widgets.ai_pane import PaneState

LINE = "The lighthouse keeper counted the ships every evening, though none had come in years."


class Replies:
    """A model whose reply is set before each operation; keeps every prompt it was sent."""

    def __init__(self) -> None:
        self.reply = ""
        self.prompts: list[str] = []

        async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
            self.prompts.append(
                "\n".join(str(getattr(p, "content", "")) for m in messages for p in m.parts)
            )
            for word in self.reply.split(" "):
                await asyncio.sleep(0)
                yield word + " "

        self.model = FunctionModel(stream_function=stream)


async def _run(
    pilot: Pilot[Any], app: WritersFactoryApp, entry: str, reply: str, model: Replies
) -> None:
    model.reply = reply
    app.ai.command(entry)
    await ready_screen(pilot, CostConfirmScreen)
    assert len(model.prompts) == len(logged(app.project))  # nothing sent before Continue
    await click_when_ready(pilot, "#continue", CostConfirmScreen)
    await wait_for_pane(pilot, PaneState.DONE)


def _select_line(app: WritersFactoryApp) -> None:
    area = app.editor.active
    assert area is not None
    row = area.text.splitlines().index(LINE)
    area.selection = Selection((row, 0), (row, len(LINE)))


async def _undo(pilot: Pilot[Any], app: WritersFactoryApp, original: str) -> None:
    area = app.editor.active
    assert area is not None
    area.focus()
    await pilot.press("ctrl+z")
    await wait_until(pilot, lambda: editor_text(app) == original)


async def test_each_novelist_operation_runs_end_to_end(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project, threshold=Decimal("0"))
    prompts = project / "prompts"
    prompts.mkdir()
    (prompts / "describe.txt").write_text("Describe {text} as {mood}.", encoding="utf-8")
    (prompts / "expand.txt").write_text("MY OWN EXPANSION of: {text}", encoding="utf-8")
    model = Replies()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model.model
        await open_chapter(app, pilot)
        original = editor_text(app)

        # describe: a bad template is reported by file and field; the shipped one is sent
        _select_line(app)
        await _run(pilot, app, "describe", "Salt hung in the air.", model)
        assert any(
            "prompts/describe.txt › {mood}: unknown field" in str(n.message)
            for n in app._notifications
        )
        assert "sensory description" in model.prompts[-1] and LINE in model.prompts[-1]
        app.ai.command("accept")
        await wait_until(pilot, lambda: "Salt hung in the air." in editor_text(app))
        assert editor_text(app).index(LINE) < editor_text(app).index("Salt hung")
        await _undo(pilot, app, original)

        # expand: the project's own template is sent; accept replaces, keeps a version
        _select_line(app)
        await _run(pilot, app, "expand", "The keeper counted, slowly, every ship.", model)
        assert model.prompts[-1].startswith("MY OWN EXPANSION of: " + LINE)
        app.ai.command("accept")
        await wait_until(pilot, lambda: LINE not in editor_text(app))
        assert "The keeper counted, slowly, every ship." in editor_text(app)
        assert kept_before_rewrite(project, CHAPTER) == [original]  # in the history
        await _undo(pilot, app, original)

        # continue from the cursor
        area = app.editor.active
        assert area is not None
        area.move_cursor(area.document.end)
        await _run(pilot, app, "continue", "A ship came.", model)
        assert "Continue the story from exactly where" in model.prompts[-1]
        app.ai.command("accept")
        await wait_until(pilot, lambda: editor_text(app).rstrip().endswith("A ship came."))
        await _undo(pilot, app, original)

        # three alternatives: the writer chooses one on Accept
        _select_line(app)
        reply = (
            "=== Alternative 1 ===\nFirst take.\n=== Alternative 2 ===\nSecond take.\n"
            "=== Alternative 3 ===\nThird take."
        )
        await _run(pilot, app, "rewrite_alternatives", reply, model)
        app.ai.command("accept")
        chooser = await ready_screen(pilot, AlternativesScreen, focused="#alternatives")
        assert [a.strip() for a in chooser.alternatives] == [
            "First take.",
            "Second take.",
            "Third take.",
        ]
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: "Second take." in editor_text(app))
        assert LINE not in editor_text(app) and "First take." not in editor_text(app)
        await _undo(pilot, app, original)

        # summarise: kept as the chapter's summary; the chapter is untouched
        await _run(pilot, app, "summarise_chapter", "Ada keeps count of ships.", model)
        app.ai.command("accept")
        summaries = project / ".session" / "summaries.json"
        await wait_until(pilot, summaries.exists)
        kept = json.loads(summaries.read_text(encoding="utf-8"))
        assert kept["chapters"]["manuscript/chapter-01.md"]["text"] == "Ada keeps count of ships."
        assert editor_text(app) == original

        # beta reader: read in the pane, never inserted
        await _run(pilot, app, "beta_reader", "I was hooked by the ships.", model)
        assert "engaged reader" in model.prompts[-1]
        app.ai.command("accept")
        await pilot.pause()
        assert editor_text(app) == original
        assert "hooked" in app.ai.pane.text
        assert [entry[0] for entry in reversed(logged(project))] == [
            "describe",
            "expand",
            "continue",
            "rewrite_alternatives",
            "summarise_chapter",
            "beta_reader",
        ]
