"""One keystroke in a whole novel (3.2 MB of Markdown) does work bounded by the edit and the
lines on screen: counted, never timed."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tests.tui.conftest import wait_until
from writers_factory.tui.widgets.document.area import ScaledTextArea
from writers_factory.tui.widgets.document.highlights import BLOCK
from writers_factory.tui.widgets.document.lines import Work
from writers_factory.tui.widgets.document.syntax import SyntaxDocument

PARAGRAPH = (
    "It was in July, 1805, and the speaker was the well-known Anna Pávlovna\n"
    "Schérer, maid of honor and confidante to the Empress Márya Fëdorovna.\n"
    "With these words she greeted Prince Vasíli Kurágin, a man of high rank\n"
    "and importance, who was the first to arrive at her reception.\n\n"
)


def novel(size: int = 3_200_000) -> str:
    chapters, chapter, length = [], 0, 0
    while length < size:
        chapter += 1
        text = f"## CHAPTER {chapter}\n\n" + PARAGRAPH * 40
        chapters.append(text)
        length += len(text.encode())
    return "# BOOK ONE\n\n" + "".join(chapters)


class Novel(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield ScaledTextArea(self.text, language="markdown", soft_wrap=True)


def used(after: Work, before: Work) -> dict[str, int]:
    return {
        field.name: getattr(after, field.name) - getattr(before, field.name)
        for field in dataclasses.fields(Work)
    }


async def type_key(pilot: Pilot[Any], area: ScaledTextArea, key: str) -> None:
    length = len(area.document)  # type: ignore[arg-type]
    await pilot.press(key)
    await wait_until(pilot, lambda: len(area.document) != length)  # type: ignore[arg-type]
    await pilot.pause()  # and painted


async def test_a_keystroke_in_a_whole_novel_works_on_the_edit_and_the_screen_only() -> None:
    text = novel()
    app = Novel(text)
    async with app.run_test(size=(100, 40)) as pilot:
        area = app.query_one(ScaledTextArea)
        area.focus()
        await wait_until(pilot, lambda: area.parsed, timeout=300)
        middle = area.document.line_count // 2
        area.move_cursor((middle, 10), center=True)
        # the screen at the new place painted (its lines highlighted) before the first key, so
        # that key's count is its own work: on a busy machine the paint came after the key
        await wait_until(pilot, lambda: middle in area._highlights)
        await pilot.pause()
        for key in ("x", "y", "enter", "z", "backspace"):
            before = dataclasses.replace(area.work)
            await type_key(pilot, area, key)
            work = used(area.work, before)
            assert work["joins"] == 0, (key, work)  # drawing never joins the whole text
            # only the first edit at a place finds where its line starts, once
            assert work["lines_measured"] <= (middle + 1 if key == "x" else 2), (key, work)
            assert work["lines_wrapped"] <= 2, (key, work)
            assert work["rows_renumbered"] <= 4, (key, work)
            assert work["lines_highlighted"] <= 2 * BLOCK, (key, work)
            assert work["bytes_parsed"] <= 4 * len(PARAGRAPH.encode()), (key, work)
        assert area.document[middle].endswith("xy")  # the edits landed where typed
        assert area.text.count("xy") == 1


async def test_keys_are_parsed_after_their_paint_once_and_a_new_heading_is_drawn_then() -> None:
    """An edit's parse waits for the key's paint (in a chapter without headings, one section
    the grammar re-parses whole, it was half of each key's work): keys typed meanwhile are
    parsed with it, once; a structure they change (a line made a heading) is drawn then."""
    app = Novel(PARAGRAPH * 3)
    async with app.run_test(size=(100, 40)) as pilot:
        area = app.query_one(ScaledTextArea)
        area.focus()
        area.move_cursor((5, 0))  # the start of the second paragraph
        await pilot.pause()
        assert "heading.marker" not in {name for *_, name in area._highlights[5]}
        before = dataclasses.replace(area.work)
        area.insert("#")
        area.insert(" ")
        document = area.document
        assert isinstance(document, SyntaxDocument) and document.unsettled
        assert used(area.work, before)["parses"] == 0
        await wait_until(pilot, lambda: not document.unsettled)
        assert used(area.work, before)["parses"] == 1
        await pilot.pause()
        assert {name for *_, name in area._highlights[5]} == {"heading.marker", "heading"}
        assert area.document[5].startswith("# It was in July")


async def test_a_key_within_a_line_finds_the_highlights_of_its_own_block_only() -> None:
    """Before its parse, an edit within one line moves no other line's nodes: the other
    lines' highlights (and misspellings) on screen are kept, not looked up again."""
    app = Novel("a line of prose\n" * (3 * BLOCK))
    async with app.run_test(size=(100, 40)) as pilot:
        area = app.query_one(ScaledTextArea)
        area.focus()
        area.move_cursor((BLOCK + 5, 0), center=True)  # the screen shows lines of two blocks
        await pilot.pause()
        await wait_until(pilot, lambda: BLOCK - 5 in area._highlights)
        before = dataclasses.replace(area.work)
        await type_key(pilot, area, "x")
        assert used(area.work, before)["lines_highlighted"] == BLOCK
        await wait_until(pilot, lambda: not area.document.unsettled)  # type: ignore[attr-defined]
        assert area.document[BLOCK + 5] == "xa line of prose"


async def test_a_large_text_shows_at_once_and_is_highlighted_when_parsed() -> None:
    text = novel(600_000)
    app = Novel(text)
    async with app.run_test(size=(100, 40)) as pilot:
        area = app.query_one(ScaledTextArea)
        area.focus()
        typed_before_the_tree = not area.parsed
        await pilot.press("!")
        await wait_until(pilot, lambda: area.parsed, timeout=300)
        await pilot.pause()
        assert typed_before_the_tree
        assert area.text == "!" + text
        assert {name for *_, name in area._highlights[2]} == {"heading.marker", "heading"}


async def test_the_editor_says_a_large_file_is_highlighted_in_the_background(
    tmp_path: Path,
) -> None:
    from writers_factory.store.manuscript.buffers import FileBuffer
    from writers_factory.store.manuscript.documents import Documents
    from writers_factory.tui.widgets.editor import BufferArea

    text = novel(600_000)
    doc = Documents().open(Path("novel.md"), FileBuffer(tmp_path / "novel.md", "0" * 64, 0.0), text)

    class Editor(App[None]):
        def compose(self) -> ComposeResult:
            yield BufferArea(doc, text, id="novel")

    app = Editor()
    async with app.run_test(size=(100, 40)) as pilot:
        area = app.query_one(BufferArea)
        await wait_until(pilot, lambda: any("novel.md" in n.message for n in app._notifications))
        notice = next(n for n in app._notifications if "novel.md" in n.message)
        assert "0.6 MB" in notice.message and "background" in notice.message
        await wait_until(pilot, lambda: area.parsed, timeout=300)
        assert not area.dirty  # opening is not an edit
