"""The editor: one tab per open file, each a TextArea showing one open :class:`Document`.

The widget holds the text; its :class:`Document` (in the workspace's registry) holds the
rest — path, what is on disk, revisions — so whether a tab is unsaved is derived from the
document, never set on the widget. Every change of the text becomes a new revision at the
moment it happens (not when a message is handled later), so a snapshot always knows which
revision its text is.

A tab is built when first shown: the files restored at start-up get their tab (title,
unsaved mark) at once, but only the active one gets its TextArea, its text parsed and laid
out. Until then an :class:`Unbuilt` record stands in for the widget as the document's
text source (the file's text as read, the cursor to restore), so saving, journaling and the
session's open files see every tab alike.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import AwaitMount
from textual.widgets import Static, Tab, TabbedContent, TabPane, TextArea
from textual.widgets.text_area import DocumentBase, Edit, EditResult, Selection

from writers_factory.core.spelling import word_spans
from writers_factory.core.typography import smart_replacement
from writers_factory.store.manuscript.buffers import FileBuffer
from writers_factory.store.manuscript.documents import Document, Documents, TextParts, line_count
from writers_factory.tui.spelling.highlights import MISSPELLED, SpellingHighlights
from writers_factory.tui.spelling.speller import Speller
from writers_factory.tui.widgets.document.area import ScaledTextArea
from writers_factory.tui.widgets.document.lines import EditWindow, LineDocument
from writers_factory.tui.widgets.messages import BufferEdited, FileSwitched

if TYPE_CHECKING:
    from writers_factory.tui.widgets.find_bar import FindBar


@dataclass(frozen=True)
class OpenBuffer:
    """A snapshot of one open file, for saving and for the session's open-file list."""

    path: Path
    """Project-relative."""
    text: str
    cursor: tuple[int, int]
    """``(line, column)``, both from 0."""
    dirty: bool
    disk: FileBuffer


@cache
def markdown_language() -> str | None:
    """``"markdown"`` when tree-sitter and its Markdown grammar are installed, else plain text."""
    wanted = ("tree_sitter", "tree_sitter_markdown")
    return "markdown" if all(importlib.util.find_spec(name) for name in wanted) else None


@cache
def _highlight_query(language: str) -> str:
    # Textual reads the grammar's query file from disk for every new buffer and every
    # load_text; once per process, and in a thread (``prepare_highlighting``), is enough.
    return TextArea._get_builtin_highlight_query(language)


def prepare_highlighting() -> None:
    """Blocking: find, import and read the Markdown grammar, compile its highlight query
    (start-up runs it in a thread).

    Disk I/O never runs on the event loop: done here first, opening or reloading a buffer
    only uses what is cached.
    """
    language = markdown_language()
    if language is not None:
        from textual._tree_sitter import get_language

        from writers_factory.tui.widgets.document.syntax import compiled_query

        grammar = get_language(language)
        if grammar is not None:
            # compiled here too, and the syntax module imported: neither on the loop
            compiled_query(grammar, _highlight_query(language))


class BufferArea(ScaledTextArea):
    """A TextArea bound to one open document (typing in a whole novel stays fast)."""

    BINDINGS: ClassVar[list[BindingType]] = [  # added to TextArea's own
        Binding("ctrl+home", "document_start", "Start of document", show=False),
        Binding("ctrl+end", "document_end", "End of document", show=False),
        Binding("ctrl+shift+home", "document_start(True)", "Select to start", show=False),
        Binding("ctrl+shift+end", "document_end(True)", "Select to end", show=False),
        # f7 belongs to the app (ask the bible); select all keeps the key writers expect
        Binding("ctrl+a", "select_all", "Select all", show=False),
    ]

    def on_mount(self) -> None:
        if not self.parsed:  # a large file: say why it shows without highlighting for now
            megabytes = char_total(self.document) / 1_000_000
            self.notify(
                f"{self.path.name} ({megabytes:.1f} MB) is shown; its Markdown is being "
                "highlighted in the background.",
                title="Large file",
                timeout=4,
            )

    def action_document_start(self, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_document_end(self, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)

    @staticmethod
    def _get_builtin_highlight_query(language_name: str) -> str:
        return _highlight_query(language_name)

    # -- pasted text is told apart from typing (the writing statistics count it apart) ------

    async def _on_paste(self, event: events.Paste) -> None:
        self._pasting = True
        try:
            await super()._on_paste(event)
        finally:
            self._pasting = False
        event.prevent_default()  # handled: Textual would call TextArea's handler again

    def action_paste(self) -> None:
        self._pasting = True
        try:
            super().action_paste()
        finally:
            self._pasting = False

    def edit(self, edit: Edit) -> EditResult:
        result = super().edit(edit)
        if getattr(self, "_pasting", False) and edit.text:
            # the same Edit object comes back to _undo_batch/_redo_batch from the history
            self._pastes[id(edit)] = edit
            self._told_paste(edit.text)
        return result

    def _told_paste(self, text: str, *, undone: bool = False) -> None:
        # at once, not by message: a save that starts right after the paste must know it
        hook = self.paste_hook
        if hook is not None:
            hook(self.path, text, undone)

    def _undo_batch(self, edits: Sequence[Edit]) -> None:
        if edits:
            # TextArea re-measures (and may hide its scrollbar, scrolling to the cursor)
            # before it puts the cursor back: a cursor left below the end of a long paste
            # being undone made that lookup fail and closed the app. The start of the
            # earliest edit lies in the text both before and after the undo.
            self.selection = Selection.cursor(min(edit.top for edit in edits))
        super()._undo_batch(edits)
        for edit in edits:
            if self._pastes.get(id(edit)) is edit:
                self._told_paste(edit.text, undone=True)

    def _redo_batch(self, edits: Sequence[Edit]) -> None:
        super()._redo_batch(edits)
        for edit in edits:
            if self._pastes.get(id(edit)) is edit:
                self._told_paste(edit.text)

    def __init__(self, doc: Document, text: str, *, id: str) -> None:
        self.doc = doc
        self.speller: Speller | None = None
        """Underlines misspellings while set (spell check on and a word list loaded)."""
        self.smart_quotes = False
        """Typed quotes become curly ones and two hyphens an em-dash (a preference)."""
        self._pasting = False
        self._pastes: dict[int, Edit] = {}
        """Pastes still in the undo history, by the id of their edit."""
        self.paste_hook: PasteHook | None = None
        """Told of each paste, paste undone and paste redone (the writing statistics)."""
        # TextArea's constructor parses the text for its language, then setting the language
        # reactive parses it all again (its watcher): given after, the text is parsed once;
        # and built empty, it is not split into lines and wrapped for a document thrown away
        super().__init__("", soft_wrap=True, tab_behavior="indent", id=id)
        language = markdown_language()
        self.set_reactive(TextArea.language, language)
        self._set_document(text, language)
        doc.bind(self)

    @property
    def path(self) -> Path:
        """Project-relative."""
        return self.doc.path

    # -- spelling -------------------------------------------------------------------------

    def set_speller(self, speller: Speller | None) -> None:
        """Check the lines on screen with ``speller`` (``None``: spell check off)."""
        if speller is self.speller:
            return
        self.speller = speller
        self._build_highlight_map()
        self.refresh()

    def recheck(self) -> None:
        """Draw the misspellings again (the writer's words changed)."""
        self._build_highlight_map()
        self.refresh()

    def _build_highlight_map(self) -> None:
        kept = self._highlights
        super()._build_highlight_map()
        if self._highlights is kept:
            return  # an edit within one line: that line forgotten, the others kept
        speller = getattr(self, "speller", None)
        if speller is not None:
            self._highlights = SpellingHighlights(self.document, self._highlights, speller)

    def _set_theme(self, theme: str) -> None:
        super()._set_theme(theme)
        styles = dict(self._theme.syntax_styles)  # the theme's own dict is shared: a copy
        styles[MISSPELLED] = Style(underline=True, color=_error_colour(self))
        self._theme.syntax_styles = styles

    def misspelled_at_cursor(self) -> tuple[tuple[int, int], tuple[int, int], str] | None:
        """The misspelled word the cursor is in or just after: ``(start, end, word)``."""
        if self.speller is None:
            return None
        row, column = self.cursor_location
        line = self.document[row]
        for start, end in self.speller.misspelled(line):
            if start <= column <= end:
                return (row, start), (row, end), line[start:end]
        return None

    def word_at_cursor(self) -> tuple[tuple[int, int], tuple[int, int], str] | None:
        """Any word the cursor is in or just after (to add a known word is pointless, but
        ignoring or adding one the list lacks is the writer's call)."""
        row, column = self.cursor_location
        line = self.document[row]
        for start, end in word_spans(line):
            if start <= column <= end:
                return (row, start), (row, end), line[start:end]
        return None

    def replace_word(self, start: tuple[int, int], end: tuple[int, int], text: str) -> None:
        """Put ``text`` in place of the word from ``start`` to ``end``: one undo brings the
        word back."""
        self.history.checkpoint()
        self.replace(text, start, end)
        self.history.checkpoint()

    # -- smart quotes ---------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls the ``_on_key`` of every class of the widget, this one first: left
        # alone, the key goes on to TextArea's, which types it; handled here, it stops here
        character = event.character
        if (
            not self.smart_quotes
            or self.read_only
            or character not in ('"', "'", "-")
            or self.selection.start != self.selection.end
        ):
            return
        row, column = self.cursor_location
        change = smart_replacement(self.document[row][:column], character)
        if change is None:
            return
        event.stop()
        event.prevent_default()
        self._restart_blink()
        back, text = change
        # what was typed first, as an edit of its own; then the change, as another: one
        # undo gives back exactly what was typed
        self.history.checkpoint()
        self._replace_via_keyboard(character, (row, column), (row, column))
        self.history.checkpoint()
        self._replace_via_keyboard(text, (row, column - back), (row, column + 1))
        self.history.checkpoint()

    @property
    def disk(self) -> FileBuffer:
        return self.doc.disk

    @property
    def dirty(self) -> bool:
        return self.doc.dirty

    # -- the document's view of the text (``TextSource``) -------------------------------------

    def line_total(self) -> int:
        return self.document.line_count

    def char_total(self) -> int:
        return char_total(self.document)

    def text_parts(self) -> TextParts:
        """The text for a save, the journal or a count: the lines' list copied here, joined
        by the thread that uses them (a whole-text join never runs on the loop)."""
        document = self.document
        if isinstance(document, LineDocument):
            joined = document.joined_text
            if joined is not None:
                return TextParts.of(joined)
        return TextParts(list(document.lines), document.newline)

    def mark_edits(self) -> EditWindow | None:
        """Follow the edits from now on (see ``LineDocument.mark_edits``)."""
        document = self.document
        return document.mark_edits() if isinstance(document, LineDocument) else None

    def unchanged_since(self, mark: object) -> tuple[int, int] | None:
        """Characters untouched at the start and the end since ``mark``; ``None`` when the
        document was replaced since (a reload) or the mark is not one of it."""
        document = self.document
        if not isinstance(document, LineDocument) or not isinstance(mark, EditWindow):
            return None
        return document.unchanged_since(mark)

    def forget(self, mark: object) -> None:
        document = self.document
        if isinstance(document, LineDocument) and isinstance(mark, EditWindow):
            document.forget(mark)

    # -- every change is a revision ----------------------------------------------------------

    def post_message(self, message: Message) -> bool:
        # TextArea posts Changed right after each edit, undo, redo and load, from within the
        # method that changed the text: the revision is bumped here, in step with the text.
        if isinstance(message, TextArea.Changed) and message.text_area is self:
            doc = getattr(self, "doc", None)
            if doc is not None and doc.source is self:
                doc.edited()
        return super().post_message(message)

    # -- what a key tells the rest of the workspace -----------------------------------------
    #
    # Bubbling walks a message through every widget between this area and the app (the tab
    # pane, its switcher, the tabbed content, the editor, the workspace's panes, the screen),
    # each a turn of the loop that handles nothing, for each of three messages per key. Only
    # this area reads Changed, only the editor and the app read BufferEdited, only the app
    # reads SelectionChanged: each goes straight to whoever reads it.

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()  # BufferEdited says it to the editor and the app
        edited = BufferEdited(self.path, self.doc.revision)
        editor = next((node for node in self.ancestors if isinstance(node, Editor)), None)
        (editor or self.app).post_message(edited)  # the editor hands it on to the app

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        event.stop()
        self.app.post_message(event)  # the cursor's place, for the session and status bar

    def show_disk_text(self, text: str) -> None:
        """Show ``text`` just read from the file (a reload, "take theirs"): nothing typed,
        nothing unsaved, and the cursor where it was (clamped to the new text)."""
        line, col = self.cursor_location
        with self.prevent(TextArea.Changed):  # a reload is not typing
            self.load_text(text)
        self.doc.adopt_disk(text)
        line = min(line, self.document.line_count - 1)
        col = min(col, len(self.document.get_line(line)))
        self.move_cursor((line, col))

    def snapshot(self) -> OpenBuffer:
        return OpenBuffer(self.path, self.text, self.cursor_location, self.dirty, self.disk)


def _error_colour(area: TextArea) -> str:
    try:
        return area.app.current_theme.error or "red"
    except Exception:  # no app yet (built before mounting): the plain colour
        return "red"


def char_total(document: DocumentBase) -> int:
    """``len(document.text)`` without joining the lines into one string."""
    if isinstance(document, LineDocument):
        return len(document)
    lines = document.lines
    return sum(map(len, lines)) + len(document.newline) * (len(lines) - 1)


PasteHook = Callable[[Path, str, bool], None]
"""(project-relative path, text, undone): text pasted into a buffer, or a paste undone."""

_ANY = Path("\0any")
"""Held switches wait for this path, which no tab has."""


class Unbuilt:
    """A tab not shown yet: the text its editor will show and the cursor to put back.

    Bound to its document as the text source until the tab is built (``TextSource``): a tab
    never shown was never typed in, so its text is the file's as read.
    """

    def __init__(self, doc: Document, text: str, cursor: tuple[int, int]) -> None:
        self.doc = doc
        self.text = text
        self.cursor_location = cursor
        doc.bind(self)

    def line_total(self) -> int:
        return line_count(self.text)

    def char_total(self) -> int:
        return len(self.text)

    def text_parts(self) -> TextParts:
        return TextParts.of(self.text)

    def mark_edits(self) -> object | None:
        return None  # never edited: the tab built later follows its own edits

    def unchanged_since(self, mark: object) -> tuple[int, int] | None:
        return None

    def forget(self, mark: object) -> None:
        pass

    def snapshot(self) -> OpenBuffer:
        doc = self.doc
        return OpenBuffer(doc.path, self.text, self.cursor_location, doc.dirty, doc.disk)


def tab_title(path: Path, dirty: bool) -> str:
    """The tab's title: the name, then the unsaved mark or as many cells of space, so the
    tab keeps its width as the mark comes and goes (see :func:`retitle`)."""
    return f"{path.name}{' •' if dirty else '  '}"


def retitle(tab: Tab, title: str) -> None:
    """Show ``title`` on ``tab``. The mark comes and goes at every auto-save and the next
    keystroke; a new label lays the whole screen out again (a width may have changed), so a
    title of the same width is only repainted."""
    new = Content.from_text(title)
    if new.cell_length != tab.label.cell_length:
        tab.label = title
        return
    # what the setter keeps, without its layout, nor its "relabelled" message (the tabs then
    # move their underline: it stays, the width being the same)
    tab._label = new
    Static.update(tab, new, layout=False)


class Editor(Vertical):
    """The tabbed editor; empty, it shows a hint instead of a blank pane.

    It keeps the workspace's registry of open documents in step with its tabs: a tab opened
    registers its document, a tab closed or renamed updates it.
    """

    def __init__(self, documents: Documents | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.documents = Documents() if documents is None else documents
        self._counter = 0
        self._panes: dict[Path, str] = {}
        self._unbuilt: dict[Path, Unbuilt] = {}
        """Tabs whose editor is built when first shown (``open_later``)."""
        self._building: dict[Path, asyncio.Event] = {}
        self._last_active: Path | None = None
        self._quiet_until: Path | None = None
        self.read_only = False
        """New tabs are read-only (the project is open in another live instance)."""
        self.speller: Speller | None = None
        """Checks the spelling of every tab (``None``: spell check off)."""
        self.smart_quotes = False
        """Every tab turns typed quotes curly and two hyphens into an em-dash."""
        self.paste_hook: PasteHook | None = None
        """Given to every tab: told of pastes as they happen (see ``BufferArea``)."""
        self._find_bar: FindBar | None = None
        """Mounted the first time it is wanted (``find_bar``), not at start: hidden until
        ctrl+f, its dozen widgets would only slow the first paint."""
        self._find_bar_mount: AwaitMount | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            "No file open — choose one in the project tree (ctrl+o), or create one (ctrl+n).",
            id="editor-empty",
        )
        yield TabbedContent(id="editor-tabs")

    @property
    def find_bar(self) -> FindBar:
        """The find bar, mounted (below the tabs, hidden) the first time it is wanted; its
        own widgets are there once ``find_bar_mounted`` is awaited (``show_find`` does)."""
        if self._find_bar is None:
            from writers_factory.tui.widgets.find_bar import FindBar

            self._find_bar = FindBar(id="find-bar")
            self._find_bar_mount = self.mount(self._find_bar)
        return self._find_bar

    async def find_bar_mounted(self) -> FindBar:
        """The find bar with its widgets mounted (mounting it, the first time)."""
        bar = self.find_bar
        if self._find_bar_mount is not None:
            await self._find_bar_mount
            self._find_bar_mount = None
        return bar

    async def show_find(self) -> bool:
        """Open the find bar on the active tab (ctrl+f); False when no file is open."""
        area = self.active
        if area is None:
            return False
        bar = await self.find_bar_mounted()
        area = self.active  # the tab may have changed while the bar mounted
        if area is None:
            return False
        bar.open(area)
        return True

    def on_mount(self) -> None:
        self._show_empty()

    def _show_empty(self) -> None:
        empty = not self._panes
        self.query_one("#editor-empty").display = empty
        self.query_one("#editor-tabs").display = not empty

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one("#editor-tabs", TabbedContent)

    def find(self, path: Path) -> BufferArea | None:
        """The editor of ``path``'s tab; ``None`` when no tab shows it or it was never
        shown (``built`` builds it)."""
        pane_id = self._panes.get(path)
        if pane_id is None or path in self._unbuilt or path in self._building:
            return None
        found = self.tabs.get_pane(pane_id).query(BufferArea)
        return found.first() if found else None

    def buffers(self) -> list[BufferArea]:
        """The built editors, in tab order (a tab never shown has none: its text is the
        file's, nothing to save or search there that the disk does not hold)."""
        return [area for path in self._panes if (area := self.find(path)) is not None]

    def paths(self) -> list[Path]:
        """Every open file (built or not), in tab order."""
        return list(self._panes)

    def is_open(self, path: Path) -> bool:
        return path in self._panes

    def snapshots(self) -> list[OpenBuffer]:
        """Every open file, built or not, in tab order: path, text, cursor, unsaved."""
        found: list[OpenBuffer] = []
        for path in self._panes:
            area = self.find(path)
            pending = self._unbuilt.get(path)
            if area is not None:
                found.append(area.snapshot())
            elif pending is not None:
                found.append(pending.snapshot())
        return found

    def text_of(self, path: Path) -> str | None:
        """The text ``path``'s tab shows (built or not); ``None`` when it is not open."""
        area = self.find(path)
        if area is not None:
            return area.text
        pending = self._unbuilt.get(path)
        return None if pending is None else pending.text

    def cursor_of(self, path: Path) -> tuple[int, int] | None:
        area = self.find(path)
        if area is not None:
            return area.cursor_location
        pending = self._unbuilt.get(path)
        return None if pending is None else pending.cursor_location

    async def built(self, path: Path) -> BufferArea | None:
        """The editor of ``path``'s tab, built now if it was never shown (its text parsed,
        its cursor put back where it was); ``None`` when no tab shows ``path``."""
        pending = self._unbuilt.pop(path, None)
        if pending is not None:
            done = self._building[path] = asyncio.Event()
            try:
                await self._build(pending)
            finally:
                del self._building[path]
                done.set()
        elif (building := self._building.get(path)) is not None:
            await building.wait()
        return self.find(path)

    async def _build(self, pending: Unbuilt) -> None:
        doc = pending.doc
        pane_id = self._panes.get(doc.path)
        if pane_id is None:
            return  # closed meanwhile
        area = self._new_area(doc, pending.text, pane_id)
        await self.tabs.get_pane(pane_id).mount(area)
        self._place(area, pending.cursor_location, activate=False)

    async def show_active(self) -> BufferArea | None:
        """The active tab's editor, built if it was never shown."""
        pane = self.tabs.active_pane
        path = None if pane is None else self._path_of(pane.id)
        return None if path is None else await self.built(path)

    def _path_of(self, pane_id: str | None) -> Path | None:
        return next((path for path, pid in self._panes.items() if pid == pane_id), None)

    @property
    def active(self) -> BufferArea | None:
        pane = self.tabs.active_pane
        if pane is None:
            return None
        found = pane.query(BufferArea)
        return found.first() if found else None

    async def open(
        self,
        path: Path,
        text: str,
        disk: FileBuffer,
        cursor: tuple[int, int] = (0, 0),
        *,
        activate: bool = True,
    ) -> BufferArea:
        """Open ``path`` with ``text`` just read from ``disk`` (or switch to its tab)."""
        area = await self.built(path)
        if area is None:
            area = await self._add(self.documents.open(path, disk, text), text)
        self._place(area, cursor, activate)
        return area

    async def open_later(
        self, path: Path, text: str, disk: FileBuffer, cursor: tuple[int, int] = (0, 0)
    ) -> None:
        """Open ``path`` in a tab of its own whose editor is built when first shown (the
        files restored at start-up: only the active one is needed to type)."""
        await self.open_all_later([(path, text, disk, cursor)])

    async def open_all_later(
        self, files: Sequence[tuple[Path, str, FileBuffer, tuple[int, int]]]
    ) -> None:
        """:meth:`open_later` for each of ``files`` (path, text, disk, cursor), in order, the
        tabs mounted together: one tab awaited after another was a round of mounting, styling
        and messages each, one after the other on the loop, at every start."""
        tabs = self.tabs
        adding: list[AwaitComplete] = []
        for path, text, disk, cursor in files:
            if path in self._panes:
                continue
            doc = self.documents.open(path, disk, text)
            self._counter += 1
            pane_id = f"buffer-{self._counter}"
            self._unbuilt[path] = Unbuilt(doc, text, cursor)
            self._panes[path] = pane_id
            # each tab and pane is placed at once (in this order); only their mounting waits
            adding.append(tabs.add_pane(TabPane(tab_title(path, doc.dirty), id=pane_id)))
        for added in adding:
            await added
        self._show_empty()

    async def open_document(
        self, doc: Document, text: str, cursor: tuple[int, int] = (0, 0), *, activate: bool = True
    ) -> BufferArea:
        """Show ``text`` as ``doc`` — text that is not the file's (recovered, given by a
        caller). A tab already open on the file takes the document over; its undo history
        goes, as with any reload."""
        self.documents.add(doc)
        pending = self._unbuilt.pop(doc.path, None)  # never shown: built with this text
        area = None if pending is not None else await self.built(doc.path)
        if pending is not None:
            pane_id = self._panes[doc.path]
            area = self._new_area(doc, text, pane_id)
            await self.tabs.get_pane(pane_id).mount(area)
        elif area is None:
            area = await self._add(doc, text)
        else:
            area.doc = doc
            doc.bind(area)
            area.load_text(text)
        self._place(area, cursor, activate)
        return area

    async def _add(self, doc: Document, text: str) -> BufferArea:
        self._counter += 1
        pane_id = f"buffer-{self._counter}"
        area = self._new_area(doc, text, pane_id)
        self._panes[doc.path] = pane_id
        await self.tabs.add_pane(TabPane(tab_title(doc.path, doc.dirty), area, id=pane_id))
        self._show_empty()
        return area

    def _new_area(self, doc: Document, text: str, pane_id: str) -> BufferArea:
        area = BufferArea(doc, text, id=f"{pane_id}-text")
        area.paste_hook = self.paste_hook
        area.read_only = self.read_only or doc.disk.read_only_reason is not None
        area.smart_quotes = self.smart_quotes
        area.set_speller(self.speller)
        return area

    def _place(self, area: BufferArea, cursor: tuple[int, int], activate: bool) -> None:
        line = min(cursor[0], area.document.line_count - 1)
        col = min(cursor[1], len(area.document.get_line(line)))
        area.move_cursor((line, col), center=True)
        self.refresh_title(area.path)
        if activate:
            self.activate(area.path)

    def activate(self, path: Path) -> None:
        pane_id = self._panes.get(path)
        if pane_id is not None and self.tabs.active != pane_id:
            self.tabs.active = pane_id

    def hold_switches(self) -> None:
        """Announce no tab switch until :meth:`activate_quietly`: tabs opened at start-up
        (restored, recovered) are not the writer switching files, and must not set off the
        save a switch does."""
        self._quiet_until = _ANY

    def activate_quietly(self, path: Path | None) -> None:
        """Make ``path`` the active tab without announcing it, nor the switches still on
        their way until it is active; then announce switches again."""
        if path is None or path not in self._panes or self._last_active == path:
            self._quiet_until = None
        else:
            self._quiet_until = path
        if path is not None:
            self.activate(path)

    async def close(self, path: Path) -> None:
        pane_id = self._panes.pop(path, None)
        self._unbuilt.pop(path, None)
        self.documents.close(path)
        if pane_id is None:
            return
        await self.tabs.remove_pane(pane_id)
        self._show_empty()
        if not self._panes:
            if self._find_bar is not None:
                self._find_bar.retarget(None)
                self._find_bar.display = False
            self._notify_switch(None)

    def rename(self, old: Path, new: Path, absolute: Path) -> None:
        """Make the buffer of ``old`` follow the file to ``new`` (``absolute`` on disk)."""
        pane_id = self._panes.pop(old, None)
        if pane_id is None:
            return
        self._panes[new] = pane_id
        pending = self._unbuilt.pop(old, None)
        if pending is not None:
            self._unbuilt[new] = pending
        doc = pending.doc if pending is not None else self._built_area(pane_id).doc
        if self.documents.rename(old, new, absolute) is None:
            doc.rename(new, absolute)
        self.refresh_title(new)
        if self._last_active == old:
            self._last_active = new

    def _built_area(self, pane_id: str) -> BufferArea:
        return self.tabs.get_pane(pane_id).query_one(BufferArea)

    def set_speller(self, speller: Speller | None) -> None:
        """Check every tab (and those opened later) with ``speller``; ``None``: off."""
        self.speller = speller
        for area in self.buffers():
            area.set_speller(speller)

    def recheck_spelling(self) -> None:
        """Draw every tab's misspellings again (a word was added or ignored)."""
        for area in self.buffers():
            area.recheck()

    def set_smart_quotes(self, on: bool) -> None:
        self.smart_quotes = on
        for area in self.buffers():
            area.smart_quotes = on

    def refresh_title(self, path: Path) -> None:
        """Show the unsaved mark (•) in the tab title, as the document says."""
        pane_id = self._panes.get(path)
        area = self.find(path)
        pending = self._unbuilt.get(path)
        if pane_id is None or (area is None and pending is None):
            return
        dirty = area.dirty if area is not None else pending is not None and pending.doc.dirty
        tab = self.tabs.get_tab(pane_id)
        title = tab_title(path, dirty)
        if str(tab.label) != title:
            retitle(tab, title)

    def on_buffer_edited(self, event: BufferEdited) -> None:
        event.stop()
        self.app.post_message(event)  # straight to the app (saving, journal, counts)
        self.refresh_title(event.path)
        bar = self._find_bar
        if bar is not None and bar.target is not None and bar.target is self.find(event.path):
            bar.text_changed()

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        if self._quiet_until is not _ANY:  # while restoring, the restore builds what shows
            await self.show_active()
        pane = self.tabs.active_pane
        if self._find_bar is not None:  # never opened: it takes the active tab when it opens
            self._find_bar.retarget(self.active)
        self._notify_switch(None if pane is None else self._path_of(pane.id))

    def _notify_switch(self, path: Path | None) -> None:
        if self._quiet_until is not None:
            self._last_active = path
            if path == self._quiet_until:
                self._quiet_until = None
            return
        if path == self._last_active:
            return
        previous, self._last_active = self._last_active, path
        self.post_message(FileSwitched(path, previous))
