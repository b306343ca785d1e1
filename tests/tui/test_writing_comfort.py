"""Writing comfort in the real app: spell check, focus mode, go to line, smart quotes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from tests.tui.conftest import SIZE, ready_screen, started, wait_until
from writers_factory.store import Preferences
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.go_to_line import GoToLineScreen
from writers_factory.tui.screens.spelling import ADD, IGNORE, SpellingScreen
from writers_factory.tui.spelling.highlights import MISSPELLED
from writers_factory.tui.widgets.editor import BufferArea
from writers_factory.tui.widgets.status_bar import StatusBar

CHAPTER = Path("manuscript/chapter-01.md")
TEXT = (
    "# The Lighthouse\n"
    "\n"
    "Orlaith counted the shps every evening.\n"
    "See [the map](https://exmaple.org/mapp) and `frobnicate`.\n"
)


def open_chapter(project: Path, text: str = TEXT, line: int = 2, col: int = 0) -> None:
    """The chapter holds ``text`` and the last session left it open at ``(line, col)``."""
    (project / CHAPTER).write_text(text, encoding="utf-8")
    session = Session(project)
    session.open_file(CHAPTER.as_posix(), line, col)
    session.set_screen("editor")
    session.close_sync()


async def chapter_area(pilot: Pilot[Any]) -> BufferArea:
    app = await started(pilot)
    area = app.editor.active
    assert area is not None and area.path == CHAPTER
    area.focus()
    await wait_until(pilot, lambda: app.focused is area)
    return area


def flagged(area: BufferArea, row: int) -> list[str]:
    """The words of ``row`` the editor highlights as misspelled (from its highlight data)."""
    line = area.document[row].encode()
    return [
        line[start:end].decode()
        for start, end, name in area._highlights[row]
        if name == MISSPELLED and end is not None
    ]


def underlined(area: BufferArea, row: int) -> str:
    """The text of ``row`` as drawn with an underline (the strip's styles, not pixels)."""
    y = area.wrapped_document.location_to_offset((row, 0))[1] - area.scroll_offset.y
    runs: list[str] = [""]
    for segment in area._render_line(y):
        if segment.style is not None and segment.style.underline:
            runs[-1] += segment.text
        elif runs[-1]:
            runs.append("")
    return "|".join(run for run in runs if run)


async def choose(pilot: Pilot[Any], option_id: str | None = None, text: str | None = None) -> None:
    screen = await ready_screen(pilot, SpellingScreen, focused="#spelling-options")
    options = screen.query_one(OptionList)
    for index in range(options.option_count):
        option = options.get_option_at_index(index)
        if option.id == option_id or (text is not None and str(option.prompt) == text):
            options.highlighted = index
            break
    else:
        raise AssertionError(f"no option {option_id or text!r}")
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, SpellingScreen))


async def test_spell_check_underlines_suggests_adds_and_remembers(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    open_chapter(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        area = await chapter_area(pilot)
        await wait_until(pilot, lambda: area.speller is not None)
        # headings, link targets and code are not prose: only the words are checked
        assert flagged(area, 0) == []
        assert flagged(area, 2) == ["Orlaith", "shps"]
        assert flagged(area, 3) == []
        assert underlined(area, 2) == "Orlaith|shps"

        # a misspelled word typed is underlined as it lands
        area.move_cursor((2, len(area.document[2]) - 1))
        for key in ["space", "w", "i", "e", "r", "d"]:
            await pilot.press(key)
        assert area.document[2].endswith(" wierd.")
        await wait_until(pilot, lambda: "wierd" in flagged(area, 2))
        assert underlined(area, 2) == "Orlaith|shps|wierd"

        # a suggestion replaces it; one ctrl+z brings it back
        await pilot.press("alt+s")
        await choose(pilot, text="weird")
        assert area.document[2].endswith(" weird.")
        assert "weird" not in flagged(area, 2)
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: area.document[2].endswith(" wierd."))

        # a character's name goes to the project dictionary; a word can be ignored
        area.move_cursor((2, 3))
        await pilot.press("alt+s")
        await choose(pilot, ADD)
        dictionary = project / "dictionary.txt"
        await wait_until(pilot, dictionary.exists)
        assert dictionary.read_text(encoding="utf-8") == "Orlaith\n"
        area.move_cursor((2, 22))
        await pilot.press("alt+s")
        await choose(pilot, IGNORE)
        await wait_until(pilot, lambda: flagged(area, 2) == ["wierd"])

        # switched off: nothing underlined; the choice is kept in the preferences
        await app.run_action("toggle_spell_check")
        await wait_until(pilot, lambda: area.speller is None)
        assert flagged(area, 2) == []
        assert app.preferences.data.editor.spell_check is False
        await app.run_action("toggle_spell_check")
        await wait_until(pilot, lambda: area.speller is not None)
        await app.run_action("quit")

    # after a restart the dictionary's words are still known; ignoring lasted one session
    app = make_app()
    app.spelling.poll_every = 0.05
    async with app.run_test(size=SIZE) as pilot:
        area = await chapter_area(pilot)
        await wait_until(pilot, lambda: area.speller is not None)
        assert flagged(area, 2) == ["shps", "wierd"]
        assert app.preferences.data.editor.spell_check is True
        # the writer edits the dictionary elsewhere: its words count from then on
        dictionary.write_text("Orlaith\nshps\n", encoding="utf-8")
        await wait_until(pilot, lambda: flagged(area, 2) == ["wierd"])


async def test_a_language_without_a_dictionary_is_a_message_not_a_crash(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    prefs = Preferences(project / ".session")
    prefs.set("editor.spelling_language", "xx")
    prefs.save_sync()
    open_chapter(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        area = await chapter_area(pilot)
        await wait_until(
            pilot,
            lambda: any("no dictionary for 'xx'" in str(n.message) for n in app._notifications),
        )
        assert area.speller is None
        await pilot.press("x")
        assert area.document[2].startswith("xOrlaith")


async def test_focus_mode_keeps_the_save_indicator_and_restores_the_layout(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    open_chapter(project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        area = await chapter_area(pilot)
        sidebar = app.query_one("#sidebar")
        status = app.query_one(StatusBar)
        before = area.region
        assert sidebar.region

        await pilot.press("f11")
        await wait_until(pilot, lambda: not sidebar.region)
        await pilot.pause()
        assert app.focus_mode.on and app.focused is area
        assert status.region.height == 1 and status.region.y == SIZE[1] - 1  # still shown
        assert area.region.width <= app.preferences.data.editor.focus_width
        assert area.region.x > 0 and area.region.right < SIZE[0]  # a centred column
        assert app.session.data.current_state.focus_mode is True
        await pilot.press("x")
        assert area.document[2].startswith("xOrlaith")  # typing goes on

        await pilot.press("escape")
        await wait_until(pilot, lambda: bool(sidebar.region))
        await pilot.pause()
        assert not app.focus_mode.on and area.region == before
        assert app.session.data.current_state.focus_mode is False
        assert app.focused is area  # Escape left focus mode only, not the editor

        await pilot.press("f11")  # the same key leaves it too
        await wait_until(pilot, lambda: not sidebar.region)
        await pilot.press("f11")
        await wait_until(pilot, lambda: bool(sidebar.region))

        # typewriter scrolling: the cursor's line in the middle of the screen
        area.load_text("\n".join(f"line {n}" for n in range(200)))
        await app.run_action("typewriter")
        await pilot.press("f11")
        await wait_until(pilot, lambda: not sidebar.region)
        area.move_cursor((100, 0))
        middle = area.region.y + area.region.height // 2
        await wait_until(pilot, lambda: abs(area.cursor_screen_offset.y - middle) <= 1)
        await app.run_action("quit")

    app = make_app()  # remembered in the session: a restart shows focus mode again
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await wait_until(pilot, lambda: app.focus_mode.on)
        assert not app.query_one("#sidebar").region


async def test_go_to_line_and_smart_quotes(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    open_chapter(project, line=0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        area = await chapter_area(pilot)
        await pilot.press("ctrl+g")
        screen = await ready_screen(pilot, GoToLineScreen, focused="#line-input")
        field = screen.query_one(Input)
        assert field.value == "1"
        field.value = ""
        await pilot.press("9", "9", "enter")  # beyond the end: said, kept open
        await pilot.pause()
        assert app.screen is screen
        assert "no line 99" in str(screen.query_one("#line-error").render())
        await pilot.press("backspace", "backspace", "3", "enter")
        await wait_until(pilot, lambda: app.screen is not screen)
        assert area.cursor_location == (2, 0)
        assert app.focused is area

        # smart quotes: off by default; on, each conversion is one undo away from as typed
        await pilot.press('"')
        assert area.document[2].startswith('"Orlaith')
        await app.run_action("smart_quotes")
        assert app.preferences.data.editor.smart_quotes is True
        area.move_cursor((2, 0))
        await pilot.press("delete")
        text = '"Stay," she said -- it\'s late.'
        await pilot.press(*text)
        assert area.document[2].startswith("“Stay,” she said — it’s late.Orlaith")
        area.move_cursor((1, 0))
        await pilot.press('"')
        assert area.document[1] == "“"
        await pilot.press("ctrl+z")
        assert area.document[1] == '"'
        await pilot.press("ctrl+z")
        assert area.document[1] == ""
        await pilot.press("-", "-")
        assert area.document[1] == "--"  # at the start of a line: a rule, left alone
        await pilot.press("space", "-", "-")
        assert area.document[1] == "-- —"
        await pilot.press("ctrl+z")
        assert area.document[1] == "-- --"


FROZEN = datetime(2026, 1, 1, tzinfo=UTC)


def test_focus_mode_snapshot(
    snap_compare: Callable[..., bool], make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    open_chapter(project)

    async def prepare(pilot: Pilot[Any]) -> None:
        app = await started(pilot)
        area = app.editor.active
        assert area is not None
        area.cursor_blink = False
        bar = app.query_one(StatusBar)
        bar.clock = lambda: FROZEN
        bar.mark_saved(FROZEN)
        await wait_until(pilot, lambda: area.speller is not None)  # misspellings underlined
        await wait_until(pilot, lambda: bool(app.open_words.shown))  # counted in a thread
        await pilot.press("f11")
        await wait_until(pilot, lambda: not app.query_one("#sidebar").region)
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=prepare)
