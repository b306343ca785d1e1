"""The TextArea built on the documents of this package."""

from __future__ import annotations

import asyncio
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from rich.text import Text
from textual._tree_sitter import TREE_SITTER, get_language
from textual.cache import LRUCache
from textual.document._document_navigator import DocumentNavigator
from textual.geometry import Region, Size
from textual.reactive import Reactive, reactive
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, LanguageDoesNotExist, Selection

from writers_factory.tui.widgets.document.highlights import VisibleHighlights
from writers_factory.tui.widgets.document.lines import LineDocument, Work
from writers_factory.tui.widgets.document.wrapping import FastWrappedDocument

PARSE_IN_THREAD = 200_000
"""Texts longer than this (characters) are shown first and parsed in a thread."""
SETTLE_AFTER = 0.02
"""Seconds after an edit that its parse runs (``SyntaxDocument.settle``): after the key's
paint (a frame is under 17 ms), as a turn of the event loop of its own; keys typed sooner
are parsed together."""


Mark = tuple[tuple[int, int], tuple[int, int]]
"""A stretch of text to show marked (a search match): its start and end locations."""


class ScaledTextArea(TextArea):
    """A TextArea whose work per keystroke is proportional to the edit and the lines on
    screen: incremental parsing with byte offsets found locally, highlights looked up for
    the visible lines only, a cached text, length and wrapped height. An edit's parse runs a
    moment after the key is painted, in a turn of the event loop of its own (``_settle``).

    A large text opens without waiting for its syntax tree: it is shown plain, parsed in a
    thread, then highlighted (edits made meanwhile are replayed onto the tree).

    Each row drawn is kept under a key of everything its drawing reads — that row's line,
    its wrapping and highlights, and the cursor, selection and bracket only when they touch
    that line. Textual keys its rows by screen row and, when soft-wrapped, by the whole
    selection, drops them all at every edit, and repaints the whole area whenever the
    cursor moves: every key drew every row on screen again and the screen composed them all.
    Here a cursor move or an edit compares the key of each row on screen with the key it was
    drawn with, and repaints only the rows that differ (the row typed in; every row below
    when an edit adds a row; those whose highlights an edit changed).

    Marks (:meth:`set_marks`: the matches of a search) are styled as their lines are drawn,
    found by bisection: thousands of them cost nothing for the lines off screen. They are
    underlined too: the cursor line's and the selection's backgrounds are drawn over them.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = TextArea.COMPONENT_CLASSES | {
        "text-area--mark",
        "text-area--mark-current",
    }
    DEFAULT_CSS = """
    ScaledTextArea {
        & .text-area--mark { background: $warning 35%; text-style: underline; }
        & .text-area--mark-current {
            background: $warning; color: $background; text-style: bold underline;
        }
    }
    """

    selection: Reactive[Selection] = reactive(
        Selection(), init=False, always_update=True, repaint=False
    )
    """As TextArea's, but a change repaints only the rows it changed (``_repaint_rows``)."""

    def __init__(self, text: str = "", *, language: str | None = None, **options: Any) -> None:
        self._drawn: dict[int, tuple[object, ...] | None] = {}
        """Per row of the widget, the key it was last drawn with."""
        self._editing = False
        self._settling: Timer | None = None
        """The parse of the edits made since the last one, waiting (``_settle``)."""
        self._edited_row: int | None = None
        """While an edit within one line is made: that line (the only one whose
        highlights it can change before its parse: the others are kept)."""
        self._document_language: str | None = None
        # TextArea builds a document of the text twice before this one; start it empty
        super().__init__("", language=language, **options)
        self._marks: list[Mark] = []
        self._mark_starts: list[tuple[int, int]] = []
        self._current_mark: int | None = None
        self._marks_version: int | None = None
        self._parsing: LineDocument | None = None
        """The document a thread is parsing now."""
        self._rows: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        """Rows drawn, by everything their drawing reads (``_row_key``)."""
        self._view: tuple[object, ...] | None = None
        """What every row's drawing reads, taken once per ``render_lines``."""
        self._set_document(text, language)

    # -- marks ---------------------------------------------------------------------------------

    def set_marks(self, marks: list[Mark], current: int | None = None) -> None:
        """Show ``marks`` (sorted by start) until the text next changes; ``current`` (an
        index into them) stands out. An empty list takes them away."""
        self._marks = marks
        self._mark_starts = [start for start, _ in marks]
        self._current_mark = current
        self._marks_version = getattr(self.document, "version", None)
        self._line_cache.clear()
        self.refresh()

    # -- drawing rows ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._rows.clear()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._view = self._view_key()
        try:
            return super().render_lines(crop)
        finally:
            self._view = None

    def render_line(self, y: int) -> Strip:
        document = self.document
        empty = not len(document) if isinstance(document, LineDocument) else not document.text
        if empty and self.placeholder:
            self._drawn[y] = None
            return super().render_line(y)  # Textual draws the placeholder (and joins no text)
        key = self._row_key(y)
        self._drawn[y] = key
        self.work.rows_drawn += 1
        strip = self._rows.get(key)
        if strip is None:
            self.work.rows_rendered += 1
            strip = self._render_line(y)
            self._rows[key] = strip
        return strip

    def _repaint_rows(self) -> None:
        """Repaint the rows on screen whose drawing would differ from what they show."""
        if not self.is_mounted:
            return
        drawn, key_of = self._drawn, self._row_key
        self._view = self._view_key()
        try:
            stale = [y for y in range(self.size.height) if drawn.get(y) != key_of(y)]
        finally:
            self._view = None
        if not stale:
            return
        width = max(self.virtual_size.width, self.size.width)
        first = stale[0]
        if len(stale) == stale[-1] - first + 1:  # one run of rows (nearly always)
            self.refresh(Region(0, first, width, len(stale)))
        else:
            self.refresh(*(Region(0, y, width, 1) for y in stale))

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """An edit, undo or redo: rows are compared once it is over (not at the cursor move
        within it, while the highlights are still those of the text before)."""
        if self._editing:
            yield
            return
        self._editing = True
        try:
            yield
        finally:
            self._editing = False
        self._repaint_rows()
        self._settle_later()

    def _settle_later(self) -> None:
        """Parse the edits a moment from now (once for any keys typed meanwhile)."""
        document = self.document
        if self._settling is None and getattr(document, "unsettled", False) and self.is_attached:
            self._settling = self.set_timer(SETTLE_AFTER, self._settle, name="syntax-settle")

    def _settle(self) -> None:
        """The edits parsed; where the syntax changed, its rows found and drawn again."""
        from writers_factory.tui.widgets.document.syntax import SyntaxDocument

        self._settling = None
        document = self.document
        if isinstance(document, SyntaxDocument) and document.settle():
            self._build_highlight_map()
            self._repaint_rows()

    def _refresh_size(self) -> None:
        """A soft-wrapped area of a set size (laid out already) whose text an edit makes
        grow or shrink by a row scrolls further: that lays nothing out. Textual's virtual
        size asks for a layout of the whole screen at each change (a paragraph typed onto a
        new row redrew every widget); here it is set without one and the scrollbars follow
        it, as a layout would have made them. Showing or hiding a scrollbar still lays the
        screen out (those ask for it); a new text or width is laid out as Textual does."""
        styles = self.styles
        fixed = not (styles.height is None or styles.height.is_auto) and not (
            styles.width is None or styles.width.is_auto
        )
        if not (self._editing and self.soft_wrap and fixed and self.container_size):
            super()._refresh_size()  # a new text, a new width: laid out as Textual does
            return
        size = Size(0, self.wrapped_document.height)
        if size != self.virtual_size:
            self.set_reactive(TextArea.virtual_size, size)
            self._scroll_update(size)
        self._refresh_scrollbars()

    def _watch_selection(self, previous_selection: Selection, selection: Selection) -> None:
        super()._watch_selection(previous_selection, selection)
        if not self._editing:
            self._repaint_rows()

    def edit(self, edit: Edit) -> EditResult:
        top, bottom = edit.top, edit.bottom
        within = top[0] == bottom[0] and "\n" not in edit.text and "\r" not in edit.text
        self._edited_row = top[0] if within else None
        try:
            with self._changing():
                return super().edit(edit)
        finally:
            self._edited_row = None

    def _undo_batch(self, edits: Sequence[Edit]) -> None:
        with self._changing():
            super()._undo_batch(edits)

    def _redo_batch(self, edits: Sequence[Edit]) -> None:
        with self._changing():
            super()._redo_batch(edits)

    def _view_key(self) -> tuple[object, ...]:
        """What the drawing of every row reads, apart from its own line."""
        marks = self.marks
        return (
            self.size,
            self.scroll_offset.x,
            self.scrollable_content_region.width,
            None if self.soft_wrap else self.virtual_size.width,
            self.theme,
            id(self._theme),
            self.soft_wrap,
            self.show_line_numbers,
            self.line_number_start,
            self.gutter_width,
            self.indent_width,
            self.read_only,
            self.show_cursor,
            self.highlight_cursor_line,
            self.match_cursor_bracket,
            self.has_focus,
            (id(marks), self._current_mark) if marks else None,
        )

    def _row_key(self, y: int) -> tuple[object, ...]:
        """Everything the drawing of row ``y`` (of the widget) reads."""
        view = self._view or self._view_key()
        row = self.scroll_offset.y + y
        wrapped = self.wrapped_document
        if row >= wrapped.height:
            return (view, row)
        line_index, section = wrapped._offset_to_line_info[row]
        highlights = self._highlights
        found = tuple(highlights[line_index]) if highlights and self._theme else ()
        start, end = selection = self.selection
        top, bottom = sorted(selection)
        selected = selection if start != end and top[0] <= line_index <= bottom[0] else None
        cursor = None
        if end[0] == line_index:
            cursor = (end, self._draw_cursor, self.suggestion, self._matching_bracket_location)
        bracket = self._matching_bracket_location
        if bracket is not None and (bracket[0] != line_index or start != end):
            bracket = None
        return (
            view,
            row,
            line_index,
            section,
            self.document[line_index],
            tuple(wrapped.get_offsets(line_index)),
            found,
            selected,
            cursor,
            bracket,
        )

    @property
    def marks(self) -> list[Mark]:
        """The marks shown, or none once the text changed after they were set."""
        if getattr(self.document, "version", None) != self._marks_version:
            return []
        return self._marks

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        marks = self.marks
        if not marks:
            return line
        starts = self._mark_starts
        index = bisect_left(starts, (line_index, 0))
        if index == len(starts) or starts[index][0] != line_index:
            return line
        style = self.get_component_rich_style("text-area--mark", partial=True)
        current = self.get_component_rich_style("text-area--mark-current", partial=True)
        length = len(line)
        while index < len(starts) and starts[index][0] == line_index:
            (_, column), (end_row, end_column) = marks[index]
            end = end_column if end_row == line_index else length
            line.stylize(current if index == self._current_mark else style, column, end)
            index += 1
        return line

    @property
    def work(self) -> Work:
        """What the current document has done that could grow with its size."""
        document = self.document
        return document.work if isinstance(document, LineDocument) else Work()

    @property
    def parsed(self) -> bool:
        """False while the syntax tree of a large text is still being built."""
        return getattr(self.document, "parsed", True)

    def _watch_language(self, language: str | None) -> None:
        if language != self._document_language:
            super()._watch_language(language)

    def _set_document(self, text: str, language: str | None) -> None:
        from writers_factory.tui.widgets.document.syntax import SyntaxDocument

        self._highlight_query = None
        self._document_language = language
        document: LineDocument
        if TREE_SITTER and language:
            registered = self._languages.get(language)
            if registered is not None:
                query = registered.highlight_query
                grammar = registered.language or get_language(language)
            else:
                query = self._get_builtin_highlight_query(language)
                grammar = get_language(language)
            if grammar is None:
                raise LanguageDoesNotExist(f"no tree-sitter language called {language!r}")
            document = SyntaxDocument(text, grammar, parse=len(text) <= PARSE_IN_THREAD)
            self._highlight_query = document.prepare_query(query)
        else:
            document = LineDocument(text)
        self.document = document
        self.wrapped_document = FastWrappedDocument(
            document, tab_width=self.indent_width, work=document.work
        )
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()
        if self.is_attached:
            self.call_after_refresh(self._parse_in_thread)

    def _on_mount(self, event: Any) -> None:
        super()._on_mount(event)
        # after the first paint: the parsing thread would hold the interpreter lock meanwhile
        self.call_after_refresh(self._parse_in_thread)

    def _parse_in_thread(self) -> None:
        from writers_factory.tui.widgets.document.syntax import SyntaxDocument, parse_in_thread

        document = self.document
        if not isinstance(document, SyntaxDocument) or document.parsed:
            return
        if self._parsing is document:
            return  # one parse at a time: the one running replays what comes meanwhile
        self._parsing = document
        text = document.text_to_parse()

        async def parse() -> None:
            try:
                tree = await asyncio.to_thread(parse_in_thread, document.language, text)
            finally:
                self._parsing = None
            if self.document is document:
                if not document.adopt_tree(tree):
                    self._parse_in_thread()  # too much changed meanwhile: once more
                    return
                self._build_highlight_map()
                self.refresh()

        self.run_worker(parse(), group="syntax", exit_on_error=False)

    def _build_highlight_map(self) -> None:
        # after every edit, undo and redo: a large one may have left the document to be
        # parsed again in a thread
        if self.is_attached and not self.parsed and self._parsing is None:
            self.call_after_refresh(self._parse_in_thread)
        self._line_cache.clear()
        query, document = self._highlight_query, self.document
        row = self._edited_row
        forget = getattr(self._highlights, "forget", None)  # a lazily filled map's
        if row is not None and forget is not None:
            # an edit within one line, the tree not parsed yet: no other line's nodes moved
            forget(row)
        elif query is not None and isinstance(document, LineDocument):
            self._highlights = VisibleHighlights(document, query, document.work)
        else:
            self._highlights = defaultdict(list)
