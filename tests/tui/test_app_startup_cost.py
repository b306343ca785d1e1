"""What start-up does before the writer can type, counted (never timed; ``make bench`` times).

- Reopening the last session's files is one paint: no full layout of the screen while the
  tabs mount (each tab mounted alone was one, and start-up grew with the open files); the
  tabs are mounted together, not one awaited after another.
- ``workspace.restored`` (keys reach the editor) comes before ``ready``, with every file
  open, and the cost tracker loads after it (its validation would delay the first keys).
- The highlight query is compiled once, in start-up's thread, not for every buffer.
- Of the files reopened, only the one shown gets its editor (a TextArea, its text parsed): the
  others are built when first shown, with their cursor put back exactly, and meanwhile count
  as open everywhere (the session's open files, a change on disk, quitting).
- Importing the app pulls in no AI library, nor the AI screens and workflow records that
  load when first used, nor the dialogs opened on demand (settings, targets, project
  search, compile progress), nor the controllers made when first used (writing statistics,
  the watcher, history, compiling...), nor the questions asked only on a lock, a conflict
  or a read-only file. When the writer can type, none of what loads after the first paint
  is imported yet; when start-up is over, none of what a key asks for.
- Listing the chapters at start-up (the book's word count, the chapter card) goes through the
  store, not the analysis package (its models and scoring load when a chapter is analysed).
- Nothing is shown before the reopened chapter (the first paint is the chapter, within a
  bound), and a resize to the size the screen already has lays nothing out.
- The AI pane, hidden until a call or a message, is not built at start-up (its widgets, its
  buttons' styles): it is mounted the first time it is wanted, where it always showed.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual._compositor import Compositor

from tests.tui.ai_support import no_providers
from tests.tui.conftest import SIZE, started, wait_until
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp

__all__ = ["no_providers"]

CHAPTERS = 6


@pytest.fixture
def six_open(project: Path) -> Path:
    for n in range(1, CHAPTERS + 1):
        lines = "\n".join(f"Line {i} of chapter {n}." for i in range(60))
        (project / "manuscript" / f"part-{n}.md").write_text(f"# Part {n}\n{lines}\n")
    session = Session(project)
    for n in range(1, CHAPTERS + 1):
        session.open_file(f"manuscript/part-{n}.md", 30 + n, 2)
    session.close_sync()
    return project


@pytest.fixture
def reflows(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every full layout of a screen, named by what was happening (``phase``)."""
    seen: list[str] = []
    original = Compositor.reflow

    def counting(self: Compositor, *args: Any, **kwargs: Any) -> Any:
        seen.append(phase[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "reflow", counting)
    yield seen


phase = ["start"]


def fresh(code: str, *args: str) -> str:
    """What ``code`` prints in a fresh interpreter (this one has imported everything)."""
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()


async def test_restoring_six_files_is_one_paint(
    make_app: Callable[[], WritersFactoryApp],
    six_open: Path,
    reflows: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app()
    restore = app.restore_workspace

    async def marked() -> None:
        phase[0] = "restore"
        try:
            await restore()
        finally:
            phase[0] = "after"

    monkeypatch.setattr(app, "restore_workspace", marked)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert len(app.open_buffers()) == CHAPTERS
        assert reflows.count("restore") == 0, reflows
        assert "after" in reflows  # the restored tabs were laid out once the batch ended
        active = app.editor.active
        assert active is not None and active.path == Path(f"manuscript/part-{CHAPTERS}.md")
        assert active.cursor_location == (30 + CHAPTERS, 2)
    phase[0] = "start"


async def test_the_reopened_tabs_are_mounted_together(
    make_app: Callable[[], WritersFactoryApp], six_open: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each tab awaited before the next was placed was a round of mounting, styling and
    messages of its own on the loop: all are placed before any has finished mounting."""
    from textual.widgets import TabbedContent, TabPane

    mounted_when_added: list[int] = []
    add_pane = TabbedContent.add_pane

    def counting(self: TabbedContent, pane: TabPane, **options: Any) -> Any:
        panes = self.query(TabPane)
        mounted_when_added.append(sum(1 for p in panes if p.is_mounted))
        return add_pane(self, pane, **options)

    monkeypatch.setattr(TabbedContent, "add_pane", counting)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert [b.path.name for b in app.open_buffers()] == [
            f"part-{n}.md" for n in range(1, CHAPTERS + 1)
        ]
        active = app.editor.active
        assert active is not None and active.path.name == f"part-{CHAPTERS}.md"
        assert active.cursor_location == (30 + CHAPTERS, 2)
        assert active.has_focus
    assert mounted_when_added == [0] * CHAPTERS


async def test_only_the_shown_tab_is_built_at_start(
    make_app: Callable[[], WritersFactoryApp], six_open: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from writers_factory.tui.widgets.document.syntax import SyntaxDocument
    from writers_factory.tui.widgets.editor import BufferArea

    areas: list[Path] = []
    parsed: list[str] = []
    make_area, make_document = BufferArea.__init__, SyntaxDocument.__init__

    def counting_area(self: BufferArea, doc: Any, text: str, **options: Any) -> None:
        areas.append(doc.path)
        make_area(self, doc, text, **options)

    def counting_document(self: SyntaxDocument, text: str, *args: Any, **options: Any) -> None:
        parsed.append(text.split("\n", 1)[0])
        make_document(self, text, *args, **options)

    monkeypatch.setattr(BufferArea, "__init__", counting_area)
    monkeypatch.setattr(SyntaxDocument, "__init__", counting_document)
    part = [Path(f"manuscript/part-{n}.md") for n in range(CHAPTERS + 1)]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert areas == [part[CHAPTERS]], "one editor at start: the active tab's"
        assert parsed == [f"# Part {CHAPTERS}"], "one text parsed at start"
        opened = app.open_buffers()
        assert [b.path for b in opened] == part[1:]
        assert [b.cursor for b in opened] == [(30 + n, 2) for n in range(1, CHAPTERS + 1)]
        assert not any(b.dirty for b in opened)
        assert app.editor.text_of(part[2]) == (six_open / part[2]).read_text()

        # first shown: built, the cursor where it was and on screen
        await pilot.press("ctrl+pageup")
        await wait_until(
            pilot, lambda: app.editor.active is not None and app.editor.active.path == part[5]
        )
        shown = app.editor.active
        assert shown is not None and shown.has_focus
        assert shown.cursor_location == (35, 2)
        await wait_until(pilot, lambda: shown.scroll_offset.y > 0)
        assert (
            shown.scroll_offset.y
            <= 35
            < shown.scroll_offset.y + shown.scrollable_content_region.height
        )
        assert areas == [part[6], part[5]]

        # a change on disk reaches a tab never shown (built to follow it)
        (six_open / part[1]).write_text("# Part 1, rewritten elsewhere\n")
        await wait_until(
            pilot, lambda: app.editor.text_of(part[1]) == "# Part 1, rewritten elsewhere\n"
        )
        assert not any(b.dirty for b in app.open_buffers())
        await pilot.press("ctrl+q")
    session = Session(six_open)
    try:
        kept = [(f.path, f.cursor_line, f.cursor_col) for f in session.data.open_files]
    finally:
        session.close_sync()
    expected = [(p.as_posix(), 30 + n, 2) for n, p in enumerate(part) if n]
    assert kept == expected, "tabs never shown stay open, at their cursors"
    assert (six_open / part[3]).read_text().startswith("# Part 3\n"), "never shown: untouched"


async def test_keys_reach_the_editor_before_costs_load(
    make_app: Callable[[], WritersFactoryApp], six_open: Path
) -> None:
    app = make_app()
    seen: dict[str, object] = {}
    async with app.run_test(size=SIZE) as pilot:
        await app.workspace.restored.wait()
        seen["ready"] = app.ready.is_set()
        seen["buffers"] = len(app.open_buffers())
        await started(pilot)
        assert app.cost_tracker is not None  # loaded before ready
    assert seen == {"ready": False, "buffers": CHAPTERS}


LAZY = (
    "pydantic_ai",
    "tiktoken",
    "genai_prices",
    "writers_factory.ai.workflows",
    "writers_factory.ai.conversations",
    "writers_factory.tui.screens.analysis_view",
    "writers_factory.tui.screens.bible_ask",
    "writers_factory.tui.screens.conversations",
    "writers_factory.tui.screens.model_picker",
    "writers_factory.tui.screens.workflow_resume",
    # dialogs opened on demand: imported by the controller that shows them, when it does
    "writers_factory.tui.screens.compile_progress",
    "writers_factory.tui.screens.project_search",
    "writers_factory.tui.screens.settings",
    "writers_factory.tui.screens.targets",
    # what the ready path never uses: planning and calling an AI operation, the statistics
    # screen, the crash-recovery question; the package metadata (and the e-mail parsing
    # it brings) read by the first model validator built, not by importing models
    "writers_factory.ai.runner",
    "writers_factory.tui.screens.statistics",
    "writers_factory.tui.screens.recovery",
    "importlib.metadata",
    "email",
    # the find bar (mounted on first ctrl+f) and the project search (made on first alt+f),
    # with the search core they bring
    "writers_factory.tui.widgets.find_bar",
    "writers_factory.tui.controllers.project_search",
    "writers_factory.core.search",
    # the AI operations' controller: made when the costs load, after the first paint
    "writers_factory.tui.controllers.ai",
    # the AI pane: mounted when first wanted (its message to the app lives in ``messages``)
    "writers_factory.tui.widgets.ai_pane",
    # the controllers the writer needs no sooner than a key, or than the loading that
    # follows the first paint: made (and imported) when first used, with what they bring
    "writers_factory.tui.controllers.writing",
    "writers_factory.tui.controllers.watching",
    "writers_factory.tui.controllers.sync_copies",
    "writers_factory.tui.controllers.spelling",
    "writers_factory.tui.controllers.backups",
    "writers_factory.tui.controllers.history",
    "writers_factory.tui.controllers.targets",
    "writers_factory.tui.controllers.settings",
    "writers_factory.tui.controllers.autosave",
    "writers_factory.tui.controllers.files",
    "writers_factory.tui.controllers.goto",
    "writers_factory.tui.controllers.order",
    "writers_factory.tui.controllers.compiling",
    "writers_factory.watch",
    "writers_factory.store.history",
    "writers_factory.core.statistics",
    "writers_factory.compile",
    "writers_factory.core.prices",
    # the questions asked on demand, or only on a lock, a conflict, a read-only file
    "writers_factory.tui.screens.history",
    "writers_factory.tui.screens.spelling",
    "writers_factory.tui.screens.go_to_line",
    "writers_factory.tui.screens.file_modals",
    "writers_factory.tui.screens.second_instance",
    "writers_factory.tui.screens.conflict",
    "writers_factory.tui.screens.read_only_file",
)


def test_importing_the_app_loads_no_ai_library_nor_the_ai_screens() -> None:
    probe = f"import sys, writers_factory.tui.app; print([m for m in {LAZY!r} if m in sys.modules])"
    assert fresh(probe) == "[]"


def test_importing_the_app_builds_no_model_nor_loads_the_analysis() -> None:
    """A model's validator is built when first used (``defer_build``): importing the app
    built every model of the store (and the targets' and statistics' of ``core``), most
    unused until much later. The chapter analysis (its
    models) loads when first counted."""
    probe = (
        "import sys, pydantic, writers_factory.tui.app\n"
        "def subs(c):\n"
        "    for s in c.__subclasses__():\n"
        "        yield s\n"
        "        yield from subs(s)\n"
        "ours = subs(pydantic.BaseModel)\n"
        "store = [m for m in ours if m.__module__.startswith('writers_factory.')]\n"
        "print(len(store) > 5, [m.__name__ for m in store if m.__pydantic_complete__],\n"
        "      [m for m in sys.modules if m.startswith('writers_factory.ai.analysis')])\n"
    )
    assert fresh(probe) == "True [] []"


def test_importing_the_app_compiles_no_word_pattern() -> None:
    """The word pattern (every letter of Unicode but the CJK ranges) took 5 ms to compile
    at import, before the chapter was shown; it is compiled by the first count, after."""
    probe = (
        "import re, writers_factory.tui.app\n"
        "from writers_factory.core.wordcount import WORD_PATTERN, word_re, count_words\n"
        "print(word_re.cache_info().currsize, count_words('two words'),\n"
        "      word_re.cache_info().currsize, word_re().pattern == WORD_PATTERN)\n"
    )
    assert fresh(probe) == "0 2 1 True"


def test_a_buffer_parses_its_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """TextArea parsed the text for its language in its constructor, then again when the
    language reactive was set: twice the work for every tab opened at start-up. And the
    text was first made a plain document (split into lines, wrapped), thrown away."""
    from textual.document._syntax_aware_document import SyntaxAwareDocument

    from writers_factory.store.manuscript.buffers import FileBuffer
    from writers_factory.store.manuscript.documents import Documents
    from writers_factory.tui.widgets.document.lines import LineDocument
    from writers_factory.tui.widgets.document.syntax import SyntaxDocument
    from writers_factory.tui.widgets.editor import BufferArea, markdown_language

    if markdown_language() is None:
        pytest.fail("the markdown grammar is part of the install; it is missing here")
    made: list[str] = []
    original = SyntaxDocument.__init__

    def counting(self: SyntaxDocument, text: str, language: Any, **options: Any) -> None:
        made.append(text)
        original(self, text, language, **options)

    monkeypatch.setattr(SyntaxDocument, "__init__", counting)
    text = "# Part\n\nIt was a *dark* night.\n"
    doc = Documents().open(
        Path("manuscript/part.md"), FileBuffer(Path("part.md"), None, None), text
    )
    split: list[str] = []
    make_lines = LineDocument.__init__

    def splitting(self: LineDocument, text: str) -> None:
        split.append(text)
        make_lines(self, text)

    monkeypatch.setattr(LineDocument, "__init__", splitting)
    area = BufferArea(doc, text, id="part")
    assert made == [text]
    assert [t for t in split if t] == [text], "the text split into lines once, not twice"
    assert isinstance(area.document, SyntaxAwareDocument)
    assert area.language == markdown_language()


def test_the_highlight_query_is_compiled_once_before_any_buffer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Compiling the Markdown highlight query cost more than parsing a chapter, on the loop,
    for every tab built and every reload: it is compiled once, in start-up's thread."""
    from textual.document import _syntax_aware_document

    from writers_factory.store.manuscript.buffers import FileBuffer
    from writers_factory.store.manuscript.documents import Documents
    from writers_factory.tui.widgets.document import syntax
    from writers_factory.tui.widgets.editor import (
        BufferArea,
        markdown_language,
        prepare_highlighting,
    )

    if markdown_language() is None:
        pytest.fail("the markdown grammar is part of the install; it is missing here")
    compiled: list[str] = []
    real = syntax.Query

    def counting(language: Any, query: str) -> Any:
        compiled.append(query[:20])
        return real(language, query)

    for module in (syntax, _syntax_aware_document):
        monkeypatch.setattr(module, "Query", counting)
    syntax.compiled_query.cache_clear()
    try:
        prepare_highlighting()
        assert len(compiled) == 1
        documents = Documents()
        for n in range(3):
            text = f"# Part {n}\n\nIt was a *dark* night.\n"
            path = Path(f"manuscript/part-{n}.md")
            doc = documents.open(path, FileBuffer(Path(path.name), None, None), text)
            area = BufferArea(doc, text, id=f"part-{n}")
            area.load_text("# Reloaded\n")
            assert area.document.query_syntax_tree(area._highlight_query)  # type: ignore[arg-type]
        assert len(compiled) == 1, "buffers and reloads reuse the query compiled at start"
    finally:
        syntax.compiled_query.cache_clear()


async def test_the_reopened_chapter_is_painted_before_the_rest_of_start_up_loads(
    make_app: Callable[[], WritersFactoryApp],
    six_open: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What loads after the restore (conflict copies, costs, history, the watcher) runs
    threads that share the interpreter with the loop: it starts once the reopened chapter
    has been painted, not alongside that first paint."""
    from textual.screen import Screen

    paints = [0]
    original = Screen._compositor_refresh

    def painting(screen: Screen[Any]) -> None:
        original(screen)
        paints[0] += 1

    monkeypatch.setattr(Screen, "_compositor_refresh", painting)
    app = make_app()
    seen: dict[str, int] = {}
    restored, start = app.workspace.restored, app.sync_copies.start

    def restored_set() -> None:
        seen.setdefault("restored", paints[0])
        type(restored).set(restored)

    async def starting() -> None:
        seen["loading"] = paints[0]
        await start()

    monkeypatch.setattr(restored, "set", restored_set)
    monkeypatch.setattr(app.sync_copies, "start", starting)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
    assert seen["loading"] > seen["restored"], seen


async def test_the_find_bar_is_mounted_when_first_opened(
    make_app: Callable[[], WritersFactoryApp], six_open: Path
) -> None:
    """Hidden until ctrl+f, the find bar's dozen widgets were composed, styled and laid out
    at every start: it is mounted the first time it is opened, below the tabs, and works
    there as before (``test_find_bar.py``)."""
    from writers_factory.tui.widgets.find_bar import FindBar

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.workspace_screen is not None
        assert not app.workspace_screen.query(FindBar)
        await pilot.press("ctrl+f")
        bar = app.editor.find_bar
        await wait_until(pilot, lambda: bar.display and app.focused is bar.query_one("#find-input"))
        assert list(app.workspace_screen.query(FindBar)) == [bar]
        assert app.editor.children[-1] is bar
        await pilot.press("escape", "ctrl+f")
        await wait_until(pilot, lambda: bar.display)
        assert list(app.workspace_screen.query(FindBar)) == [bar], "mounted once"


NOT_BY_READY = (
    # the chapter card and the book's word count list the chapters through the store: the
    # analysis package (its models, scoring, statistics) loads when a chapter is analysed
    "writers_factory.ai.analysis",
    "writers_factory.core.analysis",
    "statistics",
)
COUNT_PROBE = """
import sys
from pathlib import Path
import writers_factory.tui.app
from writers_factory.tui.controllers.targets import manuscript_words

assert manuscript_words(Path(sys.argv[1]), {}) > 0
print([m for m in sys.argv[2:] if m in sys.modules])
"""


def test_counting_the_book_lists_the_chapters_without_the_analysis(six_open: Path) -> None:
    """In a fresh interpreter (this one has imported everything): the book's word count,
    made at start-up, lists the chapters through the store and imports none of
    ``NOT_BY_READY``."""
    assert fresh(COUNT_PROBE, str(six_open), *NOT_BY_READY) == "[]"


NOT_BY_READY_APP = (
    # the status bar's "Today …" line has a module of its own: the statistics screen (and
    # the table widget it imports) loads when the writer opens it
    "writers_factory.tui.screens.statistics",
    "textual.widgets._data_table",
    # what a key asks for: the history, settings, targets, go-to-line and file dialogs,
    # moving chapters, compiling; the questions of a lock, a conflict, a read-only file
    "writers_factory.tui.controllers.history",
    "writers_factory.tui.screens.history",
    "writers_factory.tui.controllers.settings",
    "writers_factory.tui.controllers.targets",
    "writers_factory.tui.controllers.autosave",
    "writers_factory.tui.controllers.goto",
    "writers_factory.tui.screens.go_to_line",
    "writers_factory.tui.controllers.files",
    "writers_factory.tui.screens.file_modals",
    "writers_factory.tui.screens.spelling",
    "writers_factory.tui.controllers.order",
    "writers_factory.tui.controllers.compiling",
    "writers_factory.compile",
    "writers_factory.tui.screens.second_instance",
    "writers_factory.tui.screens.conflict",
    "writers_factory.tui.screens.read_only_file",
    # the validation library's plugin loader, off (``validation_plugins.py``): the package
    # metadata reader and the e-mail parsing it imports
    "importlib.metadata",
    "email",
    # the spell-checking package (its word lists are read as files: ``spelling/words.py``)
    # and the archive support of the resource readers (``resources.py``)
    "spellchecker",
    "zipfile",
    # the calendar set-up of the first ``strptime`` (``core/hours.py``)
    "_strptime",
)
NOT_BY_RESTORED = (
    *NOT_BY_READY_APP,
    # loaded once the reopened chapter is painted, while the writer types: the writing
    # statistics (the history), the watcher, the conflict copies, the backups, the costs
    "writers_factory.tui.controllers.writing",
    "writers_factory.store.history",
    "writers_factory.core.statistics",
    "writers_factory.tui.controllers.watching",
    "writers_factory.watch",
    "writers_factory.tui.controllers.sync_copies",
    "writers_factory.tui.controllers.spelling",
    "writers_factory.tui.controllers.backups",
    "writers_factory.tui.controllers.ai",
    "writers_factory.core.prices",
)
READY_PROBE = """
import asyncio, sys
from pathlib import Path
from writers_factory.tui.app import WritersFactoryApp

async def main() -> None:
    app = WritersFactoryApp(Path(sys.argv[1]), user_themes=Path(sys.argv[2]))
    until = app.ready if sys.argv[3] == "ready" else app.workspace.restored
    async with app.run_test():
        await asyncio.wait_for(until.wait(), 60)
        print([m for m in sys.argv[4:] if m in sys.modules])

asyncio.run(main())
"""


def loaded_by(until: str, project: Path, user_themes: Path, modules: tuple[str, ...]) -> str:
    """Which of ``modules`` a fresh interpreter (this one has imported everything) has
    imported when the app's ``until`` (``ready`` or ``restored``) is set."""
    return fresh(READY_PROBE, str(project), str(user_themes), until, *modules)


def test_start_up_imports_nothing_it_does_not_use(project: Path, user_themes: Path) -> None:
    """By the end of start-up none of ``NOT_BY_READY_APP`` is imported — each module
    imported is memory the writer keeps for the whole session."""
    assert loaded_by("ready", project, user_themes, NOT_BY_READY_APP) == "[]"


def test_the_writer_types_before_what_loads_after_the_first_paint_is_imported(
    six_open: Path, user_themes: Path
) -> None:
    """When the keys reach the editor (``workspace.restored``), with the last session's
    chapters open again, none of ``NOT_BY_RESTORED`` is imported: what loads after the
    first paint is imported then, not before the writer can type."""
    assert loaded_by("restored", six_open, user_themes, NOT_BY_RESTORED) == "[]"


@pytest.fixture
def shown_before_restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Paints that would reach the terminal (``App._display`` outside a batch), and full
    layouts, before ``workspace.restored`` is set."""
    from textual.app import App

    seen = {"shown": 0, "layouts": 0, "restored": 0}
    display, reflow = App._display, Compositor.reflow

    def displaying(app: App[Any], screen: Any, renderable: Any) -> None:
        if not app._batch_count and not seen["restored"]:
            seen["shown"] += 1
        display(app, screen, renderable)

    def counting(self: Compositor, *args: Any, **kwargs: Any) -> Any:
        if not seen["restored"]:
            seen["layouts"] += 1
        return reflow(self, *args, **kwargs)

    monkeypatch.setattr(App, "_display", displaying)
    monkeypatch.setattr(Compositor, "reflow", counting)
    yield seen


async def test_the_first_paint_is_the_reopened_chapter(
    make_app: Callable[[], WritersFactoryApp],
    six_open: Path,
    shown_before_restored: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Start-up painted the workspace empty, again at each size the terminal reported (the
    same size), again as the tree filled — full layouts and renders of the whole screen
    while the session loaded — before the chapter. Now nothing is shown before the chapter
    is open again, and the screen is laid out once (as composed) before it."""
    app = make_app()
    restored = app.workspace.restored

    def restored_set() -> None:
        shown_before_restored["restored"] = 1
        type(restored).set(restored)

    monkeypatch.setattr(restored, "set", restored_set)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        active = app.editor.active
        assert active is not None and active.has_focus
        assert active.cursor_location == (30 + CHAPTERS, 2)
        assert not app.first_paint.held
    assert shown_before_restored["shown"] == 0, shown_before_restored
    assert shown_before_restored["layouts"] <= 1, shown_before_restored


async def test_a_resize_to_the_same_size_lays_nothing_out(
    make_app: Callable[[], WritersFactoryApp], six_open: Path, reflows: list[str]
) -> None:
    """The terminal repeats its size as the app starts; each repeat was a full layout and
    paint. A size that differs is laid out as before."""
    from textual.events import Resize
    from textual.geometry import Size

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.pause()
        before = len(reflows)
        same = Size(*SIZE)
        app.post_message(Resize(same, same))
        await pilot.pause()
        await pilot.pause()
        assert len(reflows) == before
        await pilot.resize_terminal(SIZE[0] - 20, SIZE[1] - 6)
        await wait_until(pilot, lambda: app.editor.size.width < SIZE[0] - 30)
        assert len(reflows) > before
        assert app.screen.size == Size(SIZE[0] - 20, SIZE[1] - 6)


async def test_a_start_that_does_not_end_is_painted_all_the_same(
    make_app: Callable[[], WritersFactoryApp], six_open: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first paint waits for the reopened chapter, within a bound: a start-up held up
    (here the restore never starts) shows the workspace after ``HOLD_LIMIT``."""
    import asyncio

    app = make_app()
    never = asyncio.Event()

    async def held_up() -> bool:
        await never.wait()
        return False

    monkeypatch.setattr(app, "before_restore", held_up)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.workspace.loaded)
        await wait_until(pilot, lambda: not app.first_paint.held)
        assert not app.workspace.restored.is_set()
        assert app.screen.query("#editor")
        never.set()


@pytest.mark.usefixtures("no_providers")
async def test_the_ai_pane_is_mounted_when_first_wanted(
    make_app: Callable[[], WritersFactoryApp], six_open: Path
) -> None:
    """Composed at start-up, the hidden pane's nine widgets were styled and laid out, and
    Button's styles parsed for its three buttons, before the writer could type."""
    from textual.containers import Horizontal
    from textual.widgets import Button, Label

    from writers_factory.tui.widgets.ai_pane import AIPane, PaneState
    from writers_factory.tui.widgets.outline_card import OutlineCard

    def parsed(name: str) -> bool:
        return any(where == f"{name}.DEFAULT_CSS" for _, where in app.stylesheet.source)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = app.workspace_screen
        assert screen is not None
        assert not screen.query(AIPane) and not screen.query(Button)
        assert not parsed("AIPane") and not parsed("Button")

        # the first call (here: no provider) shows its message in the pane, where it was
        app.ai.command("rewrite")
        await wait_until(pilot, lambda: app.ai.pane.state is PaneState.MESSAGE)
        pane = screen.query_one(AIPane)
        await wait_until(pilot, lambda: pane.region.width > 0)
        row = screen.query_one("#workspace", Horizontal)
        assert pane.parent is row and isinstance(row.children[-2], OutlineCard)
        assert "needs an AI provider" in str(pane.query_one("#ai-title", Label).content)
        assert parsed("AIPane") and parsed("Button")
        app.ai.command("discard")
        await wait_until(pilot, lambda: pane.region.width == 0)
        assert app.ai.pane is pane, "mounted once"


async def test_quitting_before_start_up_ends_makes_no_watcher_nor_statistics(
    make_app: Callable[[], WritersFactoryApp], six_open: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The way out stopped the watcher and closed the statistics by making them (their
    modules imported, the watching library's too) when start-up had not: it stops and
    closes only what was made, and the quit is as clean as ever."""
    app = make_app()
    never = asyncio.Event()

    async def loading() -> None:
        await never.wait()  # start-up stays in its second half until the quit

    monkeypatch.setattr(app, "load_costs", loading)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.workspace.restored.is_set() and not app.ready.is_set())
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code is not None)
    assert "project_watch" not in vars(app) and "writing" not in vars(app)
    assert not (six_open / ".session" / "lock.json").exists()
    assert Session(six_open, read_only=True).data.clean_shutdown
