"""Adding an operation is one catalogue entry: it shows in its stage's panel and in the
palette, and the AI controller runs it (reads, estimate, stream, log, Accept) with no other
code. The catalogue is a parameter of each reader, so no global is patched here."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets.text_area import Selection

from tests.ai.test_workflows import prompt_of
from tests.tui.ai_support import configure, logged, open_chapter, wait_for_pane
from tests.tui.conftest import (
    SIZE,
    editor_text,
    palette_offers,
    ready_screen,
    started,
    wait_until,
)
from writers_factory.ai.catalogue import CATALOGUE, Catalogue, Entry
from writers_factory.ai.operations import Inputs, OperationSpec
from writers_factory.core.stages import STAGE_BY_ID
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.commands import WorkspaceCommands, workspace_commands
from writers_factory.tui.controllers.ai import AIController
from writers_factory.tui.widgets.ai_pane import PaneState
from writers_factory.tui.widgets.messages import OperationRequested
from writers_factory.tui.widgets.stage_panel import StagePanel

SUMMARY_TEXT = " In short: a keeper waits."


def summary_prompt(inputs: Inputs) -> str:
    return f"Summarise this passage in one line:\n\n{inputs['text']}\n"


ENTRY = Entry(
    id="summarise",
    kind="ai",
    stage="enhancing",
    label="Summarise the selection",
    palette="AI: Summarise selection",
    help="A one-line summary after the selection",
    operation=OperationSpec(
        id="summarise",
        stage="enhancing",
        title="Summarise",
        builder=summary_prompt,
        max_output_tokens=100,
        required=("text",),
        description="A one-line summary of the selection.",
        reads={"text": "selection"},
        output="insert",
        needs_file=True,
    ),
)


@pytest.fixture
def extended() -> Catalogue:
    """The app's catalogue and the one new entry: all a new operation takes."""
    return CATALOGUE.with_entries(ENTRY)


class PanelAndPalette(App[None]):
    """The stage panel and the palette over ``catalogue``, recording what they ask to run."""

    catalogue: ClassVar[Catalogue] = CATALOGUE

    def __init__(self) -> None:
        super().__init__()
        self.requested: list[str] = []

    def compose(self) -> ComposeResult:
        yield StagePanel(STAGE_BY_ID["enhancing"], catalogue=self.catalogue)

    def on_operation_requested(self, event: OperationRequested) -> None:
        self.requested.append(f"panel:{event.stage}:{event.operation}")

    def action_ai(self, what: str) -> None:
        self.requested.append(f"palette:{what}")


async def test_the_entry_is_listed_in_its_stage_panel_and_the_palette(
    extended: Catalogue,
) -> None:
    class Commands(WorkspaceCommands):
        catalogue = extended

    class Host(PanelAndPalette):
        catalogue = extended
        COMMANDS: ClassVar = {Commands}

    assert ("AI: Summarise selection", ENTRY.help, "ai('summarise')") in workspace_commands(
        extended
    )
    assert "ai('summarise')" not in [action for *_, action in workspace_commands()]
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(StagePanel)
        labels = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert labels == [
            "Polish prose",
            "Check voice consistency",
            "Sharpen dialogue",
            "Summarise the selection",
        ]
        panel.focus()
        panel.highlighted = 3
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.requested == ["panel:enhancing:summarise"])

        await pilot.press("ctrl+p")
        await ready_screen(pilot, CommandPalette, focused="CommandInput")
        await pilot.press(*"AI: Summarise selection")
        await palette_offers(pilot, "AI: Summarise selection")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "palette:summarise" in app.requested)


async def test_the_controller_runs_the_entry_and_accept_inserts_after_the_selection(
    make_app: Callable[[], WritersFactoryApp], project: Path, extended: Catalogue
) -> None:
    configure(project)
    prompts: list[str] = []

    async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        prompts.append(prompt_of(messages))
        await asyncio.sleep(0)
        yield SUMMARY_TEXT

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        ai = AIController(
            app.workspace,
            app.ui,
            app.ui,
            record_operation=app.writing.record_operation,
            catalogue=extended,
        )
        ai.model_override = FunctionModel(stream_function=stream)
        await open_chapter(app, pilot)
        area = app.editor.active
        assert area is not None
        original = area.text
        line = area.document.get_line(4)
        assert line.startswith("The lighthouse keeper")
        area.selection = Selection((4, 0), (4, len(line)))

        ai.command("summarise")
        await wait_until(pilot, lambda: ai.pane.state is PaneState.DONE)
        assert prompts == [f"Summarise this passage in one line:\n\n{line}\n"]
        assert [(op, model) for op, model, *_ in logged(project)] == [("summarise", "test")]
        assert editor_text(app) == original  # nothing reaches the editor before Accept

        ai.command("accept")
        lines = original.splitlines(keepends=True)
        lines[4] = line + SUMMARY_TEXT + lines[4][len(line) :]
        await wait_until(pilot, lambda: editor_text(app) == "".join(lines))
        await wait_for_pane(pilot, PaneState.IDLE)

        app.ai.command("summarise")  # the app's own catalogue does not have it
        await pilot.pause()
        assert any("Nothing is connected to 'summarise'" in n.message for n in app._notifications)


def test_every_key_that_runs_an_ai_command_names_a_catalogue_entry() -> None:
    named = [
        binding.action[len("ai('") : -len("')")]
        for binding in WritersFactoryApp.BINDINGS
        if isinstance(binding, Binding) and binding.action.startswith("ai(")
    ]
    assert {"models", "ask_bible", "cancel"} <= set(named)
    assert [what for what in named if CATALOGUE.entry(what) is None] == []
