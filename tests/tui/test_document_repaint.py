"""A keystroke repaints the rows it changed, and the screen still shows exactly the text.

The area compares each row on screen with the key it was drawn with and repaints only those
that differ; these tests count the rows (never time them) and check, after every kind of
change, that what is shown equals what a full repaint shows.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tests.tui.conftest import wait_until
from tests.tui.test_document_typing import PARAGRAPH, used
from writers_factory.tui.widgets.document.area import ScaledTextArea

TEXT = "# CHAPTER ONE\n\n" + PARAGRAPH * 12


class Chapter(App[None]):
    def compose(self) -> ComposeResult:
        yield ScaledTextArea(TEXT, language="markdown", soft_wrap=True, show_line_numbers=True)


async def ready(pilot: Pilot[Any]) -> ScaledTextArea:
    area = pilot.app.query_one(ScaledTextArea)
    area.focus()
    area.cursor_blink = False  # a blink would repaint the cursor row between the counts
    area.move_cursor((10, 12))
    await pilot.pause()
    return area


async def shown_is_fresh(pilot: Pilot[Any], area: ScaledTextArea, what: str) -> None:
    """The screen as painted row by row equals the screen painted afresh (once the edits
    are parsed: a structure they changed is drawn a moment after the key)."""
    await wait_until(pilot, lambda: not getattr(area.document, "unsettled", False))
    await pilot.pause()
    shown = pilot.app.export_screenshot()
    area._rows.clear()
    area.refresh()
    await pilot.pause()
    assert pilot.app.export_screenshot() == shown, what


async def test_a_key_repaints_and_draws_only_the_row_it_changed() -> None:
    async with Chapter().run_test(size=(100, 40)) as pilot:
        area = await ready(pilot)
        rows = area.size.height
        for key in ("x", "y", "z", "backspace", "left", "right"):
            before = dataclasses.replace(area.work)
            await pilot.press(key)
            await pilot.pause()
            work = used(area.work, before)
            # the row typed in, and the row the cursor left (a move): never the screen
            assert 1 <= work["rows_drawn"] <= 2 < rows, (key, work)
            assert work["rows_rendered"] <= 2, (key, work)
            assert work["joins"] == 0, (key, work)  # the text is never joined to draw it
        assert area.document[10].startswith("and importanxyce, who")


async def test_a_line_typed_onto_new_rows_lays_nothing_out() -> None:
    """A paragraph typed onto a new row makes the text one row taller: Textual laid the
    whole screen out for it (every widget drawn again); the area scrolls further instead."""
    from tests.tui.test_typing_cost import LayoutCount

    async with Chapter().run_test(size=(100, 40)) as pilot:
        area = await ready(pilot)
        layouts = LayoutCount(pilot.app.screen)
        height = area.wrapped_document.height
        await pilot.press(*(" and more" * 12))
        await pilot.pause()
        assert area.wrapped_document.height > height  # the line took more rows
        assert area.virtual_size.height == area.wrapped_document.height
        assert area.vertical_scrollbar.window_virtual_size == area.virtual_size.height
        assert layouts.count == 0
        await shown_is_fresh(pilot, area, "the line wraps onto new rows")
        area.scroll_end(animate=False)
        await pilot.pause()
        assert area.scroll_y == area.max_scroll_y == area.virtual_size.height - area.size.height


async def test_every_kind_of_change_leaves_the_screen_as_a_full_repaint_draws_it() -> None:
    async with Chapter().run_test(size=(100, 40)) as pilot:
        area = await ready(pilot)
        await pilot.press(*"Some words")
        await shown_is_fresh(pilot, area, "typing")
        await pilot.press("enter", "enter")
        await shown_is_fresh(pilot, area, "a new line moves every row below")
        await pilot.press("backspace", "backspace")
        await shown_is_fresh(pilot, area, "lines joined")
        await pilot.press(*(" and more" * 8))
        await shown_is_fresh(pilot, area, "the line wraps onto a new row")
        area.move_cursor((4, 0))
        await pilot.press("#", " ")
        await shown_is_fresh(pilot, area, "a heading: the highlights change")
        area.move_cursor((6, 0))  # an empty line
        await pilot.press(*"```")
        await shown_is_fresh(pilot, area, "a fence: the lines below change highlights only")
        await pilot.press("enter")
        await shown_is_fresh(pilot, area, "a new line in a fence")
        await pilot.press("shift+down", "shift+down", "shift+right")
        await shown_is_fresh(pilot, area, "a selection over lines")
        await pilot.press("down")
        await shown_is_fresh(pilot, area, "the selection gone")
        typed = area.text
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: area.text != typed)
        await shown_is_fresh(pilot, area, "undone")
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: area.text == typed)
        await shown_is_fresh(pilot, area, "redone")
        area.set_marks([((12, 0), (12, 5)), ((13, 2), (13, 9))], current=1)
        await shown_is_fresh(pilot, area, "marks")
        await pilot.press("x")
        await shown_is_fresh(pilot, area, "marks gone with the edit")
