"""The stage screens on the 61-chapter novel, each driven through its main flow.

Analyzing: every chapter in its tables, sort, Enter opens the chapter in Writing, and the
screen comes back as it was left (switching stages, and after a restart). Scoring: the
weakest chapter first, its AI score beside the local one, Enter opens it."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from tests.tui.ai_support import Answers, configure, logged, wait_for_pane
from tests.tui.conftest import SIZE, click_when_ready, ready_screen, started, wait_until
from tests.tui.corpus_project import build_novel, copy_novel
from tests.tui.stage_support import record_workflow
from writers_factory.core.outline import parse_outline
from writers_factory.core.paragraph_diff import paragraphs
from writers_factory.core.targets import TargetSettings
from writers_factory.store.manuscript.ai_scores import load_scores
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.cost_confirm import CostConfirmScreen
from writers_factory.tui.screens.stages.analyzing import AnalyzingScreen
from writers_factory.tui.screens.stages.card_editor import CardEditor
from writers_factory.tui.screens.stages.chapter_sources import chapter_versions
from writers_factory.tui.screens.stages.creation import CreationBoard
from writers_factory.tui.screens.stages.enhancing import EnhancingScreen
from writers_factory.tui.screens.stages.proposed import ProposedCards
from writers_factory.tui.screens.stages.scoring import ScoringScreen
from writers_factory.tui.screens.stages.version_picker import VersionPicker
from writers_factory.tui.widgets.ai_pane import PaneState
from writers_factory.tui.widgets.breadcrumbs import Breadcrumbs
from writers_factory.tui.widgets.outline_card import OutlineCard
from writers_factory.tui.widgets.sortable_table import SortableTable
from writers_factory.tui.widgets.stage_panel import StagePanel


@pytest.fixture(scope="module")
def novel_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_novel(tmp_path_factory.mktemp("novel"))


@pytest.fixture
def novel(novel_template: Path, tmp_path: Path) -> Path:
    return copy_novel(novel_template, tmp_path)


async def analyzing(pilot: Pilot[Any]) -> AnalyzingScreen:
    """Switch to Analyzing (f4) and wait until the book is measured and shown."""
    app = pilot.app
    await pilot.press("f4")
    await wait_until(pilot, lambda: isinstance(app.screen, AnalyzingScreen))
    screen = app.screen
    assert isinstance(screen, AnalyzingScreen)
    await wait_until(pilot, lambda: screen.measures is not None)
    await pilot.pause()
    return screen


def keys(table: SortableTable) -> list[str]:
    return [row.key for row in table.ordered()]


async def test_sort_jump_and_come_back(novel: Path, tmp_path: Path) -> None:
    app = WritersFactoryApp(novel, user_themes=tmp_path / "themes")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await analyzing(pilot)
        assert app.current_mode == "analyzing"
        pacing = screen.query_one("#an-pacing", SortableTable)
        assert pacing.row_count == 61, "every chapter, not the first 23"
        pacing.focus()
        await wait_until(pilot, lambda: pacing.has_focus)
        await pilot.press("ctrl+end")
        await wait_until(pilot, lambda: pacing.cursor_row == 60)
        assert pacing.selected_key == "manuscript/chapter-61.md"
        assert pacing.scroll_y > 0, "the table scrolled to show the last chapter"
        # sort: # → Chapter → Words (longest first)
        await pilot.press("s", "s", "s")
        await wait_until(pilot, lambda: pacing.sort_key == "words")
        words = {c.path: c.words for c in screen.measures.report.chapters}  # type: ignore[union-attr]
        longest = max(words, key=lambda p: words[p])
        assert keys(pacing)[0] == f"manuscript/{longest}"
        assert pacing.descending
        pacing.move_cursor(row=0)
        await pilot.pause()
        crumbs = screen.query_one(Breadcrumbs)
        await wait_until(pilot, lambda: crumbs.trail[:3] == ("Home", "Analyzing", "Pacing"))
        assert len(crumbs.trail) == 4 and crumbs.trail[3].startswith("Chapter")
        # Characters: one column per story-bible character, mentions counted
        characters = screen.query_one("#an-characters", SortableTable)
        assert characters.row_count == 61
        assert [c.label for c in characters.columns_spec][2:] == [
            "Elizabeth Bennet",
            "Mr. Darcy",
            "Jane Bennet",
            "Mr. Bingley",
        ]
        darcy = sum(screen.measures.mentions[k]["Mr. Darcy"] for k in keys(characters))  # type: ignore[union-attr]
        assert darcy > 300
        # Enter: Writing, with that chapter open; the editor kept its place all along
        editor = app.editor
        pacing.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.stage_id == "writing")
        assert app.current_mode == "workspace"
        await wait_until(pilot, lambda: app.editor.active is not None)
        assert app.editor is editor
        assert app.editor.active.path == Path("manuscript") / longest  # type: ignore[union-attr]
        # back to Analyzing: the same screen, as it was left
        again = await analyzing(pilot)
        assert again is screen
        assert pacing.sort_key == "words" and pacing.selected_key == f"manuscript/{longest}"
        await pilot.press("ctrl+q")
    saved = json.loads((novel / ".session" / "current.json").read_text())
    view = saved["current_state"]["views"]["analyzing"]
    assert view["view"] == "pacing" and view["sort"] == "words" and view["descending"]
    assert view["selection"] == f"manuscript/{longest}"

    second = WritersFactoryApp(novel, user_themes=tmp_path / "themes")
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert second.stage_id == "analyzing"
        screen = second.screen
        assert isinstance(screen, AnalyzingScreen)
        await wait_until(pilot, lambda: screen.measures is not None)
        pacing = screen.query_one("#an-pacing", SortableTable)
        await wait_until(pilot, lambda: pacing.selected_key == f"manuscript/{longest}")
        assert pacing.sort_key == "words" and pacing.descending
        crumbs = screen.query_one(Breadcrumbs)
        await wait_until(pilot, lambda: len(crumbs.trail) == 4)
        assert crumbs.trail[:3] == ("Home", "Analyzing", "Pacing")
        # the writer's files were reopened behind the stage screen
        assert second.editor.active is not None
        assert second.editor.active.path == Path("manuscript") / longest


async def test_scoring_weakest_first_and_jump(novel: Path, tmp_path: Path) -> None:
    configure(novel)
    record_workflow(novel, "manuscript/chapter-07.md", score="Prose 5/10\n**Overall: 4/10**")
    app = WritersFactoryApp(novel, user_themes=tmp_path / "themes")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, ScoringScreen))
        screen = app.screen
        assert isinstance(screen, ScoringScreen)
        await wait_until(pilot, lambda: screen.settled)
        assert app.session.data.current_state.stage == "scoring"
        table = screen.query_one("#sc-cards", SortableTable)
        assert table.row_count == 61, "every chapter has its scorecard"
        measures = screen.measures
        assert measures is not None
        totals = {path: score.total for path, score in measures.scores.items()}
        weakest = keys(table)[0]
        assert totals[weakest] == min(totals.values()), "lowest first"
        assert [totals[k] for k in keys(table)] == sorted(totals.values())
        assert measures.ai_scores == {"manuscript/chapter-07.md": 40.0}
        row = table.get_row("manuscript/chapter-07.md")
        assert str(row[3]) == "40"
        title = next(
            c.title for c in measures.report.chapters if measures.chapter_path(c.path) == weakest
        )
        crumbs = screen.query_one(Breadcrumbs)
        await wait_until(pilot, lambda: crumbs.trail == ("Home", "Scoring", "Scorecard", title))
        card = str(screen.query_one("#sc-card").render())
        assert f"local score {totals[weakest]} / 100" in card
        # over time: the rubric on each version the history kept (the session's start kept one)
        await wait_until(pilot, lambda: bool(chapter_versions(novel, weakest)))
        await pilot.press("t")
        await wait_until(pilot, lambda: weakest in screen.histories)
        points = screen.histories[weakest]
        assert points and points[0].local == totals[weakest]
        card = str(screen.query_one("#sc-card").render())
        assert "scores over time" in card and f"local {totals[weakest]}" in card
        await wait_until(pilot, lambda: crumbs.trail == ("Home", "Scoring", "Over time", title))
        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.stage_id == "writing")
        await wait_until(pilot, lambda: app.editor.active is not None)
        assert app.editor.active.path.as_posix() == weakest  # type: ignore[union-attr]
        # a one-off AI score of the chapter is kept, and the scorecard shows it
        app.ai.model_override = Answers("Prose 6/10\nOverall: 6/10").model
        app.ai.command("score_chapter")
        await wait_for_pane(pilot, PaneState.DONE)
        kept = load_scores(novel / ".session").latest(weakest)
        assert kept is not None and kept.score == 60.0
        await pilot.press("f5")
        await wait_until(pilot, lambda: str(table.get_row(weakest)[3]) == "60")
        await pilot.press("ctrl+q")

    second = WritersFactoryApp(novel, user_themes=tmp_path / "themes")
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = second.screen
        assert isinstance(screen, ScoringScreen)
        await wait_until(pilot, lambda: screen.settled)
        table = screen.query_one("#sc-cards", SortableTable)
        assert str(table.get_row(weakest)[3]) == "60", "the AI score is there after a restart"
        assert screen.over_time, "the view the writer left"


async def test_writing_shows_the_chapters_outline_card(novel: Path, tmp_path: Path) -> None:
    app = WritersFactoryApp(novel, user_themes=tmp_path / "themes")
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f2")
        card = app.query_one(OutlineCard)
        await app.open_path(novel / "manuscript" / "chapter-05.md")
        await wait_until(pilot, lambda: card.shown is not None)
        shown = card.shown
        assert shown is not None and shown.card is not None
        assert shown.card.title == "Chapter 5"
        assert shown.card.summary == "What chapter 5 must do."
        assert shown.words > 500 and shown.target is None
        assert card.display and card.region.width > 0
        text = str(card.query_one("#outline-card-text", Static).render())
        assert "Chapter 5" in text and "no chapter target set" in text
        # the words follow the writing (they stayed at the count made on opening)
        before = shown.words
        area = app.editor.active
        assert area is not None
        area.move_cursor(area.document.end)
        area.insert(" Five more words typed here.")
        await wait_until(pilot, lambda: card.shown is not None and card.shown.words == before + 5)
        # a target set for the open chapter shows at once (it waited for another file)
        await app.targets.apply(TargetSettings(chapter=4000), Path("manuscript/chapter-05.md"))
        await wait_until(pilot, lambda: card.shown is not None and card.shown.target == 4000)
        await pilot.press("f3")  # another stage: the card goes
        await wait_until(pilot, lambda: not card.display)
        # a chapter with a target set (as the targets dialog keeps it): the card shows progress
        app.workspace.preferences.set("targets.chapters", {"manuscript/chapter-06.md": 3000})
        await pilot.press("f2")
        await app.open_path(novel / "manuscript" / "chapter-06.md")
        await wait_until(
            pilot,
            lambda: (
                card.shown is not None
                and card.shown.card is not None
                and card.shown.card.title == "Chapter 6"
            ),
        )
        assert card.shown is not None and card.shown.target == 3000
        text = str(card.query_one("#outline-card-text", Static).render())
        assert " / 3,000 words" in text, text


def outline_titles(project: Path) -> list[str]:
    text = (project / "planning" / "outline.md").read_text(encoding="utf-8")
    return [c.title for c in parse_outline(text).cards]


async def test_board_reorders_edits_and_adds_cards_durably(novel: Path, tmp_path: Path) -> None:
    app = WritersFactoryApp(novel, user_themes=tmp_path / "themes")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("alt+b")
        await wait_until(pilot, lambda: isinstance(app.screen, CreationBoard))
        board = app.screen
        assert isinstance(board, CreationBoard)
        await wait_until(pilot, lambda: board.settled)
        assert app.stage_id == "creation"
        cards = board.query_one("#board-outline", OptionList)
        assert cards.option_count == 61
        assert board.board is not None
        names = [entry.name for entry in board.board.bible]
        assert board.query_one("#board-bible", OptionList).option_count == len(names)
        assert {"Elizabeth Bennet", "Mr. Darcy", "Jane Bennet", "Mr. Bingley"} <= set(names)
        cards.focus()
        cards.highlighted = 2  # Chapter 3
        await pilot.press("alt+up")
        await wait_until(pilot, lambda: outline_titles(novel)[1:3] == ["Chapter 3", "Chapter 2"])
        text = (novel / "planning" / "outline.md").read_text(encoding="utf-8")
        assert "## Chapter 3\nWhat chapter 3 must do.\n\n## Chapter 2\n" in text
        assert text.startswith("# Outline\n")
        assert len(outline_titles(novel)) == 61
        await wait_until(pilot, lambda: cards.highlighted == 1)
        # edit the moved card
        await pilot.press("e")
        editor = await ready_screen(pilot, CardEditor, focused="#card-title")
        editor.query_one("#card-title", Input).value = "Chapter 3: the ball"
        editor.query_one("#card-body", TextArea).text = "Darcy refuses to dance."
        await click_when_ready(pilot, "#keep")
        await wait_until(pilot, lambda: "Chapter 3: the ball" in outline_titles(novel))
        assert outline_titles(novel)[1] == "Chapter 3: the ball"
        # add a card at the end while a write is still in flight (as when the writer is quick):
        # it waits for that write instead of being refused and lost
        board._writing = True
        await pilot.press("a")
        editor = await ready_screen(pilot, CardEditor, focused="#card-title")
        editor.query_one("#card-title", Input).value = "Epilogue"
        await pilot.press("tab", "tab", "enter")  # title → body → Keep
        await wait_until(pilot, lambda: app.screen is board)
        await pilot.pause()
        assert "Epilogue" not in outline_titles(novel)
        board._writing = False
        board._run_waiting()
        await wait_until(pilot, lambda: outline_titles(novel)[-1:] == ["Epilogue"])
        assert len(outline_titles(novel)) == 62
        await wait_until(pilot, lambda: board.view_state.selection == "Epilogue")
        await pilot.press("ctrl+q")

    second = WritersFactoryApp(novel, user_themes=tmp_path / "themes")
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot)
        board = second.screen
        assert isinstance(board, CreationBoard), "the board was left open: it comes back"
        await wait_until(pilot, lambda: board.settled)
        cards = board.query_one("#board-outline", OptionList)
        assert cards.highlighted == 61, "on the card the writer left it"
        crumbs = board.query_one(Breadcrumbs)
        await wait_until(pilot, lambda: crumbs.trail == ("Home", "Creation", "Board", "Epilogue"))
        await pilot.press("escape")
        await wait_until(pilot, lambda: second.current_mode == "workspace")
        assert second.stage_id == "creation"


async def test_enhancing_accepts_one_change_and_rejects_another(
    novel: Path, tmp_path: Path
) -> None:
    chapter = "manuscript/chapter-03.md"
    original = (novel / chapter).read_text(encoding="utf-8")
    paras = original.split("\n\n")
    second, fifth = paras[2], paras[5]
    proposal = list(paras)
    proposal[2] = "A tighter second paragraph."
    proposal[5] = "A fifth paragraph the writer will not take."
    words = [w for w in paras[7].split() if not set(w) & set('"“”')][:6]
    quote = " ".join(words)
    critique = (
        "## Problems\n\n"
        f"- The line “{quote}” drags.\n"
        "- Paragraph 9 repeats what the reader knows.\n"
    )
    record_workflow(novel, chapter, rewrite="\n\n".join(proposal), critique=critique)
    app = WritersFactoryApp(novel, user_themes=tmp_path / "themes")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("f2")
        await app.open_path(novel / chapter)
        area = app.editor.active
        assert area is not None
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, EnhancingScreen))
        screen = app.screen
        assert isinstance(screen, EnhancingScreen)
        await wait_until(pilot, lambda: screen.proposal is not None and len(screen.changes) == 2)
        assert screen.changes[0].old == (second.strip(),)
        await pilot.press("y")  # accept the first
        await wait_until(pilot, lambda: len(screen.changes) == 1)
        assert "A tighter second paragraph." in area.text
        assert second.strip() not in area.text
        await wait_until(pilot, lambda: area.dirty)  # an edit of the buffer, saved as typing is
        await pilot.press("n")  # reject the other
        await wait_until(pilot, lambda: not screen.changes)
        assert fifth.strip() in area.text
        assert "will not take" not in area.text
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.current_mode == "workspace")
        assert app.editor.active is area, "the editor was never re-created"
        area.undo()  # the accepted change is one undoable edit
        await pilot.pause()
        assert area.text == original
        await pilot.press("f3")
        await wait_until(pilot, lambda: len(screen.changes) == 1)  # the rejected stays out
        assert screen.changes[0].new == ("A tighter second paragraph.",)
        # critique notes: each jumps to the passage it quotes, or the paragraph it names
        await wait_until(pilot, lambda: screen.notes_for == area.path and len(screen.notes) == 2)
        notes = screen.query_one("#en-notes", OptionList)
        assert notes.display and notes.option_count == 2
        notes.focus()
        notes.highlighted = 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.stage_id == "writing" and area.has_focus)
        assert " ".join(area.selected_text.split()) == quote
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.screen is screen)
        notes.focus()
        notes.highlighted = 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.stage_id == "writing" and area.has_focus)
        assert area.selected_text == paragraphs(area.text)[8].text
        # earlier versions: the chapter as the session's start kept it, compared and taken back
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.screen is screen and len(screen.changes) == 1)
        screen.query_one("#en-changes").focus()
        await pilot.press("y")  # the buffer now differs from the kept version in one place
        await wait_until(pilot, lambda: "A tighter second paragraph." in area.text)
        await wait_until(pilot, lambda: bool(chapter_versions(novel, chapter)))
        await pilot.press("v")
        picker = await ready_screen(pilot, VersionPicker, focused="#versions")
        versions = picker.query_one("#versions", OptionList)
        assert versions.option_count >= 2
        # the oldest: the chapter as the novel was written (an auto-save may have kept a newer)
        versions.highlighted = versions.option_count - 1
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: screen.proposal is not None and "version" in screen.proposal.source
        )
        await wait_until(pilot, lambda: len(screen.changes) == 1)
        assert screen.changes[0].new == (second.strip(),)
        await pilot.press("y")
        await wait_until(pilot, lambda: area.text == original)


async def ask_board(pilot: Pilot[Any], board: CreationBoard, label: str, model: Answers) -> None:
    """Choose ``label`` in the board's stage panel and wait for its proposed cards."""
    left = len(model.answers)
    panel = board.query_one(StagePanel)
    panel.focus()
    panel.highlighted = next(
        n for n in range(panel.option_count) if str(panel.get_option_at_index(n).prompt) == label
    )
    await pilot.press("enter")
    await wait_until(pilot, lambda: len(model.answers) < left and board.asking is None)


async def test_board_ai_actions_propose_cards_kept_or_left(novel: Path, tmp_path: Path) -> None:
    configure(novel)
    model = Answers(
        "## Chapter 62: After\nThey marry.\n\n## Chapter 63: Coda\nYears later.",
        "## Charlotte Lucas\nElizabeth's practical friend.",
    )
    outline_before = (novel / "planning" / "outline.md").read_text(encoding="utf-8")
    bible_before = (novel / "reference" / "characters.md").read_text(encoding="utf-8")
    app = WritersFactoryApp(novel, user_themes=tmp_path / "themes")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model.model
        await pilot.press("alt+b")
        await wait_until(pilot, lambda: isinstance(app.screen, CreationBoard))
        board = app.screen
        assert isinstance(board, CreationBoard)
        await wait_until(pilot, lambda: board.settled)
        proposed = board.query_one(ProposedCards)
        assert not proposed.display, "no proposals: the board looks as before"
        await ask_board(pilot, board, "Draft the outline", model)
        assert app.current_mode == "board", "the answer came to the board, not the editor"
        assert [p.title for p in proposed.cards] == ["Chapter 62: After", "Chapter 63: Coda"]
        assert proposed.display
        assert logged(novel)[0][0] == "outline", "the call was paid for and logged as any"
        assert app.ai.pane.state is PaneState.IDLE and app.ai.pending is None
        assert (novel / "planning" / "outline.md").read_text(encoding="utf-8") == outline_before
        await wait_until(pilot, lambda: board.query_one("#board-proposed").has_focus)
        await pilot.press("y")  # keep the first: the outline gains the card
        await wait_until(pilot, lambda: outline_titles(novel)[-1:] == ["Chapter 62: After"])
        await wait_until(pilot, lambda: [p.title for p in proposed.cards] == ["Chapter 63: Coda"])
        text = (novel / "planning" / "outline.md").read_text(encoding="utf-8")
        assert text.startswith(outline_before) and text.endswith(
            "## Chapter 62: After\nThey marry.\n\n"
        )
        await pilot.press("n")  # leave the second: no file changes
        await wait_until(pilot, lambda: not proposed.cards)
        assert not proposed.display
        assert (novel / "planning" / "outline.md").read_text(encoding="utf-8") == text
        assert outline_titles(novel).count("Chapter 63: Coda") == 0
        # a character: kept into the story bible, and the bible column shows it
        await ask_board(pilot, board, "Build characters", model)
        assert [p.title for p in proposed.cards] == ["Charlotte Lucas"]
        await wait_until(pilot, lambda: board.query_one("#board-proposed").has_focus)
        await pilot.press("y")
        await wait_until(pilot, lambda: not proposed.cards)
        bible = (novel / "reference" / "characters.md").read_text(encoding="utf-8")
        assert bible.startswith(bible_before)
        assert bible.endswith("## Charlotte Lucas\nElizabeth's practical friend.\n\n")
        await wait_until(
            pilot,
            lambda: (
                board.board is not None and "Charlotte Lucas" in [e.name for e in board.board.bible]
            ),
        )
        assert not (novel / "reference" / "world.md").exists()
        await pilot.press("ctrl+q")


async def test_a_board_action_cancelled_at_the_cost_question_proposes_nothing(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    configure(project, threshold=Decimal("0"))  # every call asks first
    model = Answers("## Never sent")
    outline = project / "planning" / "outline.md"
    before = outline.read_bytes() if outline.exists() else None
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ai.model_override = model.model
        await pilot.press("f1")  # Creation is the board
        await wait_until(pilot, lambda: isinstance(app.screen, CreationBoard))
        board = app.screen
        assert isinstance(board, CreationBoard)
        await wait_until(pilot, lambda: board.settled)
        board.ask_for_cards("world")
        await ready_screen(pilot, CostConfirmScreen)
        await click_when_ready(pilot, "#cancel", CostConfirmScreen)
        await wait_until(pilot, lambda: board.asking is None)
        assert app.screen is board and app.current_mode == "board"
        assert board.query_one(ProposedCards).cards == []
        assert not board.query_one(ProposedCards).display
        assert model.answers == ["## Never sent"], "nothing was sent"
        assert logged(project) == []
    assert (outline.read_bytes() if outline.exists() else None) == before
    assert not (project / "reference" / "world.md").exists()
