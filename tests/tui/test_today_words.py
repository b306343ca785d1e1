""" "Today N words" is the net change of typed words, in the real app.

The real sequence a writer goes through: type, undo, paste (a terminal's paste event and
the editor's own ctrl+v), undo the paste; each step saved through the app's own save
coordinator, as auto-save does. Typing 46 words and undoing them leaves 0 today; a pasted
chapter is counted apart and never meets the day's target.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot

from tests.tui.conftest import SIZE, started, wait_until
from tests.tui.test_writing_activity import CHAPTER, WAIT, open_file, saver
from writers_factory.core.wordcount import count_words
from writers_factory.store import Preferences, SessionHistory
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.editor import BufferArea
from writers_factory.tui.widgets.status_bar import Part

TYPED = " ".join("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst")  # 46 words, key by key
PASTED = (
    "It is a truth universally acknowledged, that a single man in possession of a good "
    "fortune, must be in want of a wife.\n\n"
) * 20


async def save(pilot: Pilot[Any], app: WritersFactoryApp) -> None:
    report = await saver(app).save_all()
    assert report.ok
    await wait_until(pilot, lambda: not app.writing.busy, WAIT)


def progress(app: WritersFactoryApp) -> tuple[str, str]:
    part = app.query_one("#progress", Part)
    return part.shown, str(part.tooltip or "")


async def undo_until(pilot: Pilot[Any], area: BufferArea, text: str) -> None:
    for _ in range(200):
        if area.text == text:
            return
        await pilot.press("ctrl+z")
    raise AssertionError("undo did not bring the text back")


async def test_typing_undoing_and_pasting_count_the_net_typed_words(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    prefs = Preferences(project / ".session")
    prefs.set_daily_word_target(50)
    prefs.save_sync()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.writing.set_interval(3600)  # only the test's saves count words
        area = await open_file(pilot, app, CHAPTER)
        original = area.text
        area.focus()

        await pilot.press(*[("space" if c == " " else c) for c in " " + TYPED])
        await save(pilot, app)
        # the save's count reaches the history on the loop, just after the save itself
        await wait_until(pilot, lambda: progress(app)[0] == "Today 46/50 words · 92%")

        await undo_until(pilot, area, original)
        await save(pilot, app)
        # it showed 46: words added were never taken back by their removal
        await wait_until(pilot, lambda: progress(app)[0] == "Today 0/50 words · 0%")

        # a terminal paste (bracketed paste) of a chapter: counted apart, no 1089%
        app.post_message(events.Paste(PASTED))  # as the terminal driver delivers it
        await wait_until(pilot, lambda: area.text != original)
        await save(pilot, app)
        pasted = count_words(PASTED)
        told = f"pasted or imported: {pasted:,} words"
        await wait_until(pilot, lambda: told in progress(app)[1])
        assert progress(app)[0] == "Today 0/50 words · 0%"

        # the paste undone takes its words away from the pasted ones, not from typing
        await undo_until(pilot, area, original)
        await save(pilot, app)
        await wait_until(pilot, lambda: "pasted" not in progress(app)[1])
        assert progress(app)[0] == "Today 0/50 words · 0%"

        # ctrl+v from the editor's clipboard, with a few typed words after it
        app.copy_to_clipboard(PASTED)
        await pilot.press("ctrl+v", "space", "t", "h", "e", "n", "space", "g", "o")
        await save(pilot, app)
        await wait_until(pilot, lambda: progress(app)[0] == "Today 2/50 words · 4%")
        assert told in progress(app)[1]
        session_id = app.session.session_id
        await pilot.press("ctrl+q")

    history = SessionHistory(project / ".session", read_only=True)
    entry = next(e for e in history.sessions if e.session_id == session_id)
    assert entry.words_pasted == pasted
    assert entry.words_added - entry.words_removed - entry.words_pasted == 2
