"""A critique or a score kept in the chapter as a note: Accept (named "Insert as note") puts
the result at the cursor as a Markdown comment, in one edit that one undo takes back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Button

from tests.tui.ai_support import Streaming, configure, logged, open_chapter, wait_for_pane
from tests.tui.conftest import SIZE, click_when_ready, editor_text, started, wait_until
from writers_factory.ai.result_notes import note_block
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.ai_pane import PaneState

CRITIQUE = "Strong opening. The storm --> drags in the middle."


def test_a_note_cannot_close_its_comment_early() -> None:
    block = note_block("Critique chapter (AI)", CRITIQUE)
    assert block.startswith("\n<!-- Critique chapter (AI):\n\n") and block.endswith("\n-->\n")
    assert block.count("-->") == 1 and "storm -- > drags" in block


async def test_critique_and_score_are_inserted_as_notes_at_the_cursor_and_undone(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = Streaming(CRITIQUE).model
        await open_chapter(app, pilot)
        area = app.editor.active
        assert area is not None
        original = area.text
        area.move_cursor((1, 0))
        app.ai.command("critique")
        await wait_for_pane(pilot, PaneState.DONE)
        accept = app.ai.pane.query_one("#ai-accept", Button)
        assert accept.display and str(accept.label) == "Insert as note"
        assert editor_text(app) == original  # nothing lands before the writer asks
        await click_when_ready(pilot, "#ai-accept")
        note = note_block("Critique chapter (AI)", CRITIQUE)
        lines = original.splitlines(keepends=True)
        await wait_until(pilot, lambda: editor_text(app) == lines[0] + note + "".join(lines[1:]))
        assert app.ai.pane.state is PaneState.IDLE
        area.focus()
        await pilot.press("ctrl+z")  # one edit: one undo
        await wait_until(pilot, lambda: editor_text(app) == original)

        app.ai.model_override = Streaming("Overall 7/10.").model
        area.move_cursor(area.document.end)
        app.ai.command("score_chapter")
        await wait_for_pane(pilot, PaneState.DONE)
        assert str(app.ai.pane.query_one("#ai-accept", Button).label) == "Insert as note"
        app.ai.command("accept")
        await wait_until(pilot, lambda: editor_text(app).endswith("Overall 7/10.\n-->\n"))
        assert "<!-- Score chapter (AI):" in editor_text(app)
        assert sorted(entry[0] for entry in logged(project)) == ["critique", "score"]
