"""Typing costs no full-screen layout and no whole-text hash: counts, never times.

A full layout of the screen measures and places every widget; a hash of the chapter reads all
of it. Either, once per key, makes typing in a long chapter stall. Both are counted here in
ways that do not depend on the machine: the screen's layout-refresh signal (published after
every layout) and the per-thread count kept by the one hashing function of the store.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.message_pump import MessagePump
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import TextArea

from tests.tui.conftest import SIZE, started, wait_until
from tests.tui.test_saving import CHAPTER, indicator, open_chapter
from writers_factory.store.base import digests
from writers_factory.store.manuscript.documents import Snapshot
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.controllers.saving import SaveCoordinator
from writers_factory.tui.widgets.editor import BufferArea, Editor
from writers_factory.tui.widgets.messages import BufferEdited

KEYS = "It was a dark and stormy night; the rain fell."


class LayoutCount:
    """Full layouts of one screen, through its public layout-refresh signal."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.count = 0
        screen.screen_layout_refresh_signal.subscribe(screen, self._seen, immediate=True)

    def _seen(self, _screen: Screen[Any]) -> None:
        self.count += 1


class BareEditor(App[None]):
    """The baseline: one text area and nothing else."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextArea(self.text, id="bare")


async def bare_layouts(text: str) -> int:
    app = BareEditor(text)
    async with app.run_test(size=SIZE) as pilot:
        area = app.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause()
        layouts = LayoutCount(app.screen)
        await pilot.press(*KEYS)
        await pilot.pause()
        return layouts.count


async def chapter_saved(
    pilot: Pilot[Any], app: WritersFactoryApp, *, counted: bool = True
) -> tuple[BufferArea, SaveCoordinator]:
    """Open the chapter and wait for its first auto-save (and, ``counted``, its word count,
    which appears once from a thread): what a test measures afterwards is the typing's."""
    area = await open_chapter(pilot)
    assert app.saving is not None
    saving = app.saving
    await wait_until(pilot, lambda: not saving.busy and "Auto-saved" in indicator(app))
    if counted:
        await wait_until(pilot, lambda: bool(app.open_words.shown))
    return area, saving


async def test_typing_lays_the_screen_out_at_most_twice_more_than_a_bare_text_area(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    chapter = project / "manuscript" / "chapter-01.md"
    chapter.write_text("The first line.\n" * 400, encoding="utf-8")
    bare = await bare_layouts(chapter.read_text(encoding="utf-8"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area, _saving = await chapter_saved(pilot, app)
        layouts = LayoutCount(app.screen)
        loop_thread = threading.get_ident()
        hashes_before = digests.calls_on(loop_thread)

        await pilot.press(*KEYS)
        await pilot.pause()

        assert area.text.endswith(KEYS)
        assert indicator(app) == "● Unsaved changes"
        # the tab's unsaved mark may change its width once; the status bar never lays out
        assert layouts.count <= bare + 2, (layouts.count, bare)
        assert digests.calls_on(loop_thread) == hashes_before, "typing hashed the text"


async def test_typing_and_its_saves_never_join_the_text_on_the_loop(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """The journal, the auto-save and the open file's word count each need the whole text:
    each takes the editor's lines on the loop (a copy of the list) and joins them in its own
    thread. Joined on the loop, a long chapter's text was built there several times a
    second while the writer typed."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area, saving = await chapter_saved(pilot, app, counted=False)
        taken: list[Snapshot] = []
        snapshot = area.doc.snapshot

        def recorded() -> Snapshot | None:
            snap = snapshot()
            if snap is not None:
                taken.append(snap)
            return snap

        area.doc.snapshot = recorded  # type: ignore[method-assign]
        joins, counts = area.work.joins, app.open_words.counts

        await pilot.press(*KEYS)
        await wait_until(pilot, lambda: app.open_words.counts > counts)
        await saving.write_journal(area.path)
        report = await saving.save_all()

        assert report.saved == [project / CHAPTER]
        assert (project / CHAPTER).read_text(encoding="utf-8").endswith(KEYS)
        assert area.work.joins == joins, "the document's text was joined on the loop"
        loop_thread = threading.get_ident()
        assert taken, "the save took a snapshot"
        joined_on = [snap.parts.joined_on for snap in taken]
        assert loop_thread not in joined_on, joined_on
        assert any(thread is not None for thread in joined_on), "the save joined it"


async def test_saves_between_keys_lay_nothing_out(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """Auto-saves while the writer types: the tab's unsaved mark goes and comes back, the
    tree's word counts change. Each of those laid the whole screen out (17 layouts in the
    typing bench against the bare editor's 2); they are repainted now."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area, saving = await chapter_saved(pilot, app)
        await pilot.press(*"Warm ")  # the mark and the counts, once each, settle first
        await saving.save_all()
        await pilot.pause()
        tab = app.editor.tabs.get_tab(app.editor._panes[area.path])
        layouts = LayoutCount(app.screen)
        for word in ("Rain ", "fell ", "again "):
            await pilot.press(*word)
            await wait_until(pilot, lambda: str(tab.label).endswith("•"))
            report = await saving.save_all()
            assert report.saved, "the save wrote the chapter"
            await wait_until(pilot, lambda: not str(tab.label).endswith("•"))
            await pilot.pause()
        assert layouts.count == 0, layouts.count


async def test_a_key_hands_its_messages_to_their_readers_without_bubbling(
    make_app: Callable[[], WritersFactoryApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each key posts Changed, SelectionChanged and BufferEdited. Bubbled, each was handled
    in turn by the eight widgets from the text area up to the app (24 turns of the loop per
    key); only the area reads Changed, the editor and the app BufferEdited, the app
    SelectionChanged: each goes to them, and to nobody in between."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area, _saving = await chapter_saved(pilot, app, counted=False)
        posted: list[tuple[str, str]] = []
        post = MessagePump.post_message
        kinds = (TextArea.Changed, TextArea.SelectionChanged, BufferEdited)

        def recorded(pump: MessagePump, message: Message) -> bool:
            if isinstance(message, kinds):
                posted.append((type(message).__name__, type(pump).__name__))
            return post(pump, message)

        monkeypatch.setattr(MessagePump, "post_message", recorded)
        await pilot.press(*"Rain")
        await pilot.pause()
        monkeypatch.undo()

        assert area.text.endswith("Rain")
        readers = {
            "Changed": {BufferArea.__name__},
            "SelectionChanged": {BufferArea.__name__, type(app).__name__},
            "BufferEdited": {Editor.__name__, type(app).__name__},
        }
        for kind, reader in readers.items():
            assert {pump for name, pump in posted if name == kind} == reader, (kind, posted)
        assert len(posted) == 5 * len("Rain"), posted  # one post per reader per key
        assert "●" in indicator(app), "the app still heard of the edit (unsaved mark)"


async def test_start_up_objects_are_kept_out_of_full_collections_while_the_app_runs(
    make_app: Callable[[], WritersFactoryApp],
) -> None:
    """A full collection that walked every object of start-up stalled typing for 200 ms:
    once started, those objects are frozen (the collector skips them); at exit they are the
    collector's again, so nothing outlives the app."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert gc.get_freeze_count() > 10_000
        tracked = len(gc.get_objects())
        assert tracked < gc.get_freeze_count()  # what a full collection walks: the newer
        await app.action_quit()
    assert gc.get_freeze_count() == 0
