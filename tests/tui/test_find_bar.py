"""The editor's find bar in the real app: ctrl+f, a count, next and previous, case and
whole word, a bad regular expression said inline, replace and replace all undone by one
ctrl+z, escape back to the text; and a 3.2 MB chapter searched and replaced off the loop."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import SIZE, started, wait_until
from tests.tui.test_saving import open_chapter
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.editor import BufferArea
from writers_factory.tui.widgets.find_bar import INLINE, FindBar

CHAPTER = "manuscript/chapter-01.md"
TEXT = (
    "# Chapter 1\n\n"
    "Jane walked to the lighthouse. jane was not alone.\n"
    "JANE! called Janet from the shore.\n"
    "Then Jane saw the ships.\n"
)


async def open_find(pilot: Pilot[Any], app: WritersFactoryApp) -> FindBar:
    await pilot.press("ctrl+f")
    bar = app.editor.find_bar
    await wait_until(pilot, lambda: bar.display and app.focused is bar.query_one("#find-input"))
    return bar


async def find(pilot: Pilot[Any], bar: FindBar, text: str) -> None:
    field = bar.query_one("#find-input", Input)
    field.value = ""
    await pilot.press(*text)
    await wait_until(pilot, lambda: bar.settled)


def selected(area: BufferArea) -> str:
    return area.selected_text


async def test_find_count_next_previous_options_replace_and_undo(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    (project / CHAPTER).write_text(TEXT, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        area.move_cursor((0, 0))
        bar = await open_find(pilot, app)

        await find(pilot, bar, "jane")
        assert bar.count_text == "1 of 5"  # Jane, jane, JANE, Jane, and the "Jane" of Janet
        assert selected(area) == "Jane" and area.selection.start == (2, 0)
        assert len(area.marks) == 5
        await pilot.press("down")
        assert bar.count_text == "2 of 5" and selected(area) == "jane"
        await pilot.press("enter")
        assert bar.count_text == "3 of 5" and selected(area) == "JANE"
        await pilot.press("up", "up", "up")
        assert bar.count_text == "5 of 5"  # wraps round

        await pilot.press("alt+c")  # match case
        await wait_until(pilot, lambda: bar.count_text.endswith("of 1"))
        assert selected(area) == "jane"
        await pilot.press("alt+c", "alt+e")  # whole words, any case
        await wait_until(pilot, lambda: bar.count_text.endswith("of 4"))

        await pilot.press("alt+x")  # a regular expression, not valid yet
        await find(pilot, bar, "(jane")
        assert "Not a valid regular expression" in bar.message
        assert bar.found is None and bar.count_text == "" and area.marks == []
        await find(pilot, bar, r"j\w+")  # valid again: whole words starting with j
        assert bar.message == "" and bar.count_text.endswith("of 5")
        await pilot.press("alt+x")
        await find(pilot, bar, "jane")
        await wait_until(pilot, lambda: bar.count_text.endswith("of 4"))

        # replace one, then all the rest; one ctrl+z takes the "all" back, one more the one
        bar.query_one("#replace-input", Input).value = "Lizzy"
        first = area.selection.start
        await pilot.press("alt+r")
        assert area.document.get_line(first[0]).count("Lizzy") == 1
        assert bar.count_text.endswith("of 3")
        await pilot.press("alt+a")
        await wait_until(pilot, lambda: bar.count_text == "No matches")
        assert "Replaced 3" in bar.message
        assert re.search(r"\bjane\b", area.text, re.IGNORECASE) is None
        assert "Janet" in area.text and area.text.count("Lizzy") == 4
        assert area.dirty
        area.focus()
        await pilot.press("ctrl+z")
        assert area.text.count("Lizzy") == 1
        await pilot.press("ctrl+z")
        assert area.text == TEXT

        bar = await open_find(pilot, app)
        await pilot.press("escape")
        assert not bar.display and app.focused is area and area.marks == []


async def test_a_large_chapter_is_searched_and_replaced_in_a_thread(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    block = "Jane walked out.\n" + "The lighthouse stood in the sea and the wind.\n" * 9
    text = "# Novel\n\n" + block * 7000  # 3.2 MB, 7,000 names
    assert len(text) > INLINE * 10
    (project / CHAPTER).write_text(text, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot)
        area.move_cursor((0, 0))
        bar = await open_find(pilot, app)
        await find(pilot, bar, "jane")
        await wait_until(pilot, lambda: bar.count_text == "1 of 7000")
        assert bar.thread_searches >= 1
        bar.query_one("#replace-input", Input).value = "Lizzy"
        await pilot.press("alt+a")
        await wait_until(pilot, lambda: bar.count_text == "No matches")
        assert bar.thread_searches >= 3  # the search, the replacement, the search after
        assert area.document.get_line(2) == "Lizzy walked out."
        assert area.document.line_count == text.count("\n") + 1
        area.focus()
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: area.document.get_line(2).startswith("Jane"))
        assert area.text == text
