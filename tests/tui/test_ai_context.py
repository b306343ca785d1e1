"""The story bible in the prompt, visibly: the preview from the confirm question, dropping and
excluding a note, and the bill after the reply (cached tokens included), in the real app."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.usage import RequestUsage
from textual.widgets import DataTable, Label, SelectionList
from textual.widgets.text_area import Selection

from tests.tui.ai_support import CHAPTER, configure, logged, open_chapter, wait_for_pane
from tests.tui.conftest import SIZE, click_when_ready, ready_screen, started, wait_until
from writers_factory.store.preferences.preferences import Preferences
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.cost_confirm import CostConfirmScreen
from writers_factory.tui.screens.prompt_preview import PromptPreviewScreen
from writers_factory.tui.widgets.ai_pane import PaneState

ADA = "---\nname: Ada Quill\naliases: [Ada]\n---\nAda hums when nervous.\n"
PORT = "---\nname: Port Vell\n---\nSalt and rope.\n"
LINE = "Ada walked down to Port Vell at dusk."


class Recording(FunctionModel):
    """Streams a reply, keeps each prompt it was sent, reports cached input like a provider."""

    def __init__(self, *chunks: str, read: int = 0) -> None:
        self.prompts: list[str] = []

        async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
            self.prompts.append(
                "\n".join(str(getattr(p, "content", "")) for m in messages for p in m.parts)
            )
            for chunk in chunks:
                await asyncio.sleep(0)
                yield chunk

        super().__init__(stream_function=stream)
        self.read = read

    @asynccontextmanager
    async def request_stream(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async with super().request_stream(*args, **kwargs) as response:
            if self.read:
                response._usage += RequestUsage(input_tokens=self.read, cache_read_tokens=self.read)
            yield response


def _write_notes(project: Path) -> None:
    (project / "reference" / "bad.md").write_text(
        "---\nname: [Odd, Even]\n---\nOdd.\n", encoding="utf-8"
    )
    (project / "reference" / "ada.md").write_text(ADA, encoding="utf-8")
    (project / "reference" / "port.md").write_text(PORT, encoding="utf-8")
    chapter = project / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{LINE}\n", encoding="utf-8")


def _select_line(app: WritersFactoryApp) -> None:
    area = app.editor.active
    assert area is not None
    row = area.text.splitlines().index(LINE)
    area.selection = Selection((row, 0), (row, len(LINE)))


async def test_preview_from_the_confirm_question_drop_and_exclude_a_note(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project, threshold=Decimal("0"))
    _write_notes(project)
    model = Recording("Ada ", "strolled.", read=40)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model
        await open_chapter(app, pilot)
        _select_line(app)
        app.ai.command("rewrite")
        await ready_screen(pilot, CostConfirmScreen)
        await click_when_ready(pilot, "#preview", CostConfirmScreen)
        preview = await ready_screen(pilot, PromptPreviewScreen, focused="#cancel")
        bad = "reference/bad.md › name: Value error, a name is one line of text, not a list"
        assert bad in str(preview.query_one("#preview-notes", Label).content)
        assert any(bad in str(n.message) for n in app._notifications)
        lines = [str(o.prompt) for o in preview.query_one(SelectionList).options]
        assert any(line.startswith("story bible: Ada Quill — ") for line in lines)
        assert any(line.startswith("story bible: Port Vell — ") for line in lines)
        assert any(line.startswith("selection — ") for line in lines)
        before = str(preview.query_one("#preview-total", Label).content)
        parts = preview.query_one(SelectionList)
        parts.focus()
        parts.highlighted = parts.get_option_index("bible:Port Vell")
        await pilot.press("space")  # dropped for this call only
        await wait_until(
            pilot, lambda: str(preview.query_one("#preview-total", Label).content) != before
        )
        parts.highlighted = parts.get_option_index("bible:Ada Quill")
        await pilot.press("x")  # excluded from now on
        assert model.prompts == []  # nothing is sent while the writer decides
        await click_when_ready(pilot, "#send", PromptPreviewScreen)
        await wait_for_pane(pilot, PaneState.DONE)
        [sent] = model.prompts
        assert LINE in sent
        assert "Ada hums" not in sent and "Salt and rope." not in sent
        # the bill after the reply: sent, cached, received, this call and the session
        progress = app.ai.pane.progress
        assert " sent, 40 cached, " in progress and " received · cost $" in progress
        assert "· session $" in progress
        [(operation, _, sent_tokens, _)] = logged(project)
        assert operation == "rewrite" and sent_tokens >= 40
        saved = Preferences(project / ".session").data.story_bible
        assert saved.excluded == ["reference/ada.md"]

        # the next call: Port Vell is sent again, Ada stays out, and the preview says why
        app.ai.discard()
        prefs = app.workspace.preferences
        prefs.set("story_bible.preview_before_sending", True)
        _select_line(app)
        app.ai.command("rewrite")
        preview = await ready_screen(pilot, PromptPreviewScreen, focused="#cancel")
        notes = str(preview.query_one("#preview-notes", Label).content)
        assert "Not sent: reference/ada.md (excluded)" in notes
        await click_when_ready(pilot, "#send", PromptPreviewScreen)
        await wait_for_pane(pilot, PaneState.DONE)
        assert "Salt and rope." in model.prompts[-1]
        assert "Ada hums" not in model.prompts[-1]


async def test_a_reopened_conversation_continues_with_what_was_said_so_far(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    from textual.widgets import Input

    from writers_factory.ai.conversations import ConversationStore
    from writers_factory.tui.screens.conversations import ConversationsScreen
    from writers_factory.tui.screens.file_modals import NameModal

    prefs = configure(project)
    prefs.set("story_bible.preview_before_sending", True)
    prefs.save_sync()
    store = ConversationStore(project / ".session")
    conv = store.new("Ask the story bible", "analyzing", "test")
    store.add_turn(conv, "user", "What colour are the keeper's eyes?")
    store.add_turn(conv, "assistant", "Grey, like the winter sea.")
    model = Recording("Because ", "she watches storms.")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model
        app.ai.command("conversations")
        listing = await ready_screen(pilot, ConversationsScreen, focused="#conv-list")
        table = listing.query_one("#conv-list", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: listing.opened is not None)
        await pilot.press("c")
        asked = await ready_screen(pilot, NameModal)
        asked.query_one(Input).value = "Why grey?"
        await pilot.press("enter")
        preview = await ready_screen(pilot, PromptPreviewScreen, focused="#cancel")
        lines = [str(o.prompt) for o in preview.query_one(SelectionList).options]
        assert any(line.startswith("conversation so far — ") for line in lines)
        await click_when_ready(pilot, "#send", PromptPreviewScreen)
        await wait_for_pane(pilot, PaneState.DONE)
        [sent] = model.prompts
        assert "Grey, like the winter sea." in sent and "Why grey?" in sent
        again = ConversationStore(project / ".session").open(conv.id)
        assert [t.text for t in again.turns][2:] == ["Why grey?", "Because she watches storms."]
        assert [entry[0] for entry in logged(project)] == ["follow_up"]


async def test_generate_scene_sends_the_notes_mentioned_not_every_reference_note(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """A scene's request naming Ada brings her note (by alias); a note nobody mentions stays
    home. The kept summary of the chapter before comes as the story so far (a later
    chapter's does not), and the preview lists it."""
    from writers_factory.store.manuscript.summaries import keep_summary

    prefs = configure(project)
    prefs.set("story_bible.preview_before_sending", True)
    prefs.save_sync()
    _write_notes(project)
    (project / "reference" / "lamp.md").write_text("# Lamp room\n\nBrass and oil.\n")
    for number in ("00", "02"):
        (project / "manuscript" / f"chapter-{number}.md").write_text("Text.\n")
        keep_summary(project / ".session", f"manuscript/chapter-{number}.md", f"Sum {number}.")
    model = Recording("The ", "scene.")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model
        await open_chapter(app, pilot)
        _select_line(app)
        app.ai.command("draft_scene")
        preview = await ready_screen(pilot, PromptPreviewScreen, focused="#cancel")
        lines = [str(o.prompt) for o in preview.query_one(SelectionList).options]
        assert any(line.startswith("story bible: Ada Quill — ") for line in lines)
        assert not any("Lamp room" in line for line in lines)
        assert any(line.startswith("manuscript/chapter-00.md — ") for line in lines)
        await click_when_ready(pilot, "#send", PromptPreviewScreen)
        await wait_for_pane(pilot, PaneState.DONE)
        [sent] = model.prompts
        assert "Ada hums when nervous." in sent and "Salt and rope." in sent
        assert "Brass and oil." not in sent and "## Reference notes" not in sent
        assert "## Earlier chapters, in summary" in sent and "Sum 00." in sent
        assert "Sum 02." not in sent
        assert [entry[0] for entry in logged(project)] == ["generate_scene"]
