"""The editor's find bar (ctrl+f): find, next and previous, a match count, replace and
replace all, with case, whole-word and regular-expression options.

Matching is ``core.search``'s, the same as the project search. A text longer than
:data:`INLINE` is searched in a thread (the bar shows "Searching…" meanwhile); only the
matches on screen are drawn (``ScaledTextArea.set_marks``). Replace all is one edit between
two undo checkpoints: one ctrl+z brings everything back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Static
from textual.widgets.text_area import Selection

from writers_factory.core.search.lines import line_starts, location
from writers_factory.core.search.matching import BadPattern, SearchQuery, check_replacement, spans
from writers_factory.core.search.replacing import Replacement, replacement
from writers_factory.tui.widgets.document.area import Mark, ScaledTextArea
from writers_factory.tui.widgets.document.lines import LineDocument

INLINE = 200_000
"""Texts up to this many characters are searched at once; longer ones in a thread."""

QUERY_DELAY = 0.2
"""Seconds after the last letter of the query before a long text is searched."""

RESEARCH_DELAY = 0.3
"""Seconds after the last keystroke in the editor before the matches are found again."""


@dataclass(frozen=True)
class Found:
    """The matches of one search in one version of a document."""

    marks: list[Mark]
    version: int | None


def find_marks(text: str, pattern: re.Pattern[str] | None) -> list[Mark]:
    """Every match of ``pattern`` in ``text`` as editor locations (blocking: whole text)."""
    found = spans(text, pattern)
    if not found:
        return []
    starts = line_starts(text)
    return [(location(starts, start), location(starts, end)) for start, end in found]


def _length(area: ScaledTextArea) -> int:
    document = area.document
    return len(document) if isinstance(document, LineDocument) else len(area.text)


def _version(area: ScaledTextArea) -> int | None:
    return getattr(area.document, "version", None)


class FindBar(Vertical):
    """Find and replace in the editor's active tab (``target``)."""

    DEFAULT_CSS = """
    FindBar {
        height: auto;
        background: $panel;
        padding: 0 1;
        display: none;
        & Horizontal { height: 1; }
        & Input { width: 1fr; }
        & #find-count { width: 18; padding: 0 1; color: $text-muted; }
        & Checkbox { width: auto; margin-left: 1; }
        & Button { width: auto; min-width: 9; margin-left: 1; }
        & #find-message { color: $warning; display: none; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close the find bar, back to the text", show=False),
        Binding("enter", "next", "Next match (in the find field)", show=False),
        Binding("down,f3", "next", "Next match", show=False),
        Binding("up,shift+f3", "previous", "Previous match", show=False),
        Binding("alt+c", "switch('case')", "Match case on/off", show=False),
        Binding("alt+e", "switch('word')", "Whole words on/off", show=False),
        Binding("alt+x", "switch('regex')", "Regular expression on/off", show=False),
        Binding("alt+r", "replace", "Replace this match", show=False),
        Binding("alt+a", "replace_all", "Replace all", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.target: ScaledTextArea | None = None
        self.found: Found | None = None
        self.current: int | None = None
        self.message = ""
        self.thread_searches = 0
        """Searches run in a thread (tests read it: a large text never blocks the loop)."""
        self.searching = False
        self._pattern: re.Pattern[str] | None = None
        self._query = SearchQuery("")
        self._timer: Timer | None = None
        self._due = False
        """A search is timed to start (the writer is still typing)."""
        self._note = ""
        """Said once the next search lands ("Replaced 17")."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="find-row"):
            yield Input(placeholder="Find", id="find-input", compact=True)
            yield Static("", id="find-count")
            yield Checkbox("Case", id="find-case", compact=True)
            yield Checkbox("Word", id="find-word", compact=True)
            yield Checkbox("Regex", id="find-regex", compact=True)
        with Horizontal(id="replace-row"):
            yield Input(placeholder="Replace with", id="replace-input", compact=True)
            yield Button("Replace", id="replace-one", compact=True)
            yield Button("All", id="replace-all", compact=True)
        yield Static("", id="find-message")

    # -- opening and closing -----------------------------------------------------------------

    def open(self, area: ScaledTextArea) -> None:
        """Show the bar on ``area``; a selection within one line becomes the query."""
        self.target = area
        self.display = True
        find = self.query_one("#find-input", Input)
        selected = area.selected_text
        if selected and "\n" not in selected:
            find.value = selected
        find.focus()
        if find.value:
            find.select_all()
        self.search()

    def retarget(self, area: ScaledTextArea | None) -> None:
        """The active tab changed: search it instead (the bar stays open)."""
        if self.target is not None and self.target is not area:
            self.target.set_marks([])
        self.target = area
        if self.display:
            self.search()

    def action_close(self) -> None:
        self.display = False
        area = self.target
        if area is not None:
            area.set_marks([])
            area.focus()

    # -- searching -----------------------------------------------------------------------------

    @property
    def query_now(self) -> SearchQuery:
        return SearchQuery(
            self.query_one("#find-input", Input).value,
            case_sensitive=self.query_one("#find-case", Checkbox).value,
            whole_word=self.query_one("#find-word", Checkbox).value,
            regex=self.query_one("#find-regex", Checkbox).value,
        )

    @on(Input.Changed, "#find-input")
    @on(Checkbox.Changed)
    def _query_changed(self) -> None:
        area = self.target
        if area is not None and _length(area) > INLINE:
            self._search_soon(QUERY_DELAY)  # not a pass over the whole novel per letter
        else:
            self.search()

    def action_switch(self, which: str) -> None:
        box = self.query_one(f"#find-{which}", Checkbox)
        box.value = not box.value

    def search(self) -> None:
        """Find the query's matches in the target: at once, or in a thread when long."""
        area = self.target
        self._due = False
        if self._timer is not None:
            self._timer.stop()
        self._query = query = self.query_now
        try:
            self._pattern = query.compile()
        except BadPattern as exc:
            self._pattern = None
            self._show(None, str(exc))
            return
        if area is None or self._pattern is None:
            self._show(None, "")
            return
        if _length(area) <= INLINE:
            self._found(area, Found(find_marks(area.text, self._pattern), _version(area)))
            return
        self.searching = True
        self._set_count("Searching…")
        # the lines are a list of immutable strings: a copy of it is a snapshot of the text
        self._search_in_thread(area, list(area.document.lines), self._pattern, _version(area))

    @work(thread=True, exclusive=True, group="find")
    def _search_in_thread(
        self,
        area: ScaledTextArea,
        lines: list[str],
        pattern: re.Pattern[str],
        version: int | None,
    ) -> None:
        self.thread_searches += 1
        marks = find_marks("\n".join(lines), pattern)
        self.app.call_from_thread(self._found, area, Found(marks, version), pattern)

    def _found(
        self, area: ScaledTextArea, found: Found, pattern: re.Pattern[str] | None = None
    ) -> None:
        if pattern is not None and pattern is not self._pattern:
            return  # the query changed meanwhile: a newer search is on its way
        if area is not self.target or found.version != _version(area):
            if area is self.target:
                self.search()  # the text changed meanwhile: find again in the new one
            return
        self.searching = False
        self.found = found
        self.current = self._nearest(area, found.marks)
        note, self._note = self._note, ""
        self._show(found, note)
        self._select_current(move=False)

    def _nearest(self, area: ScaledTextArea, marks: list[Mark]) -> int | None:
        """The first match at or after the cursor (the start of the selection), else the
        first: typing the query walks forward from where the writer is."""
        if not marks:
            return None
        here = min(area.selection.start, area.selection.end)
        for index, (start, _end) in enumerate(marks):
            if start >= here:
                return index
        return 0

    def _show(self, found: Found | None, message: str) -> None:
        if found is None:
            self.found, self.current = None, None
            if self.target is not None:
                self.target.set_marks([])
        self.message = message
        note = self.query_one("#find-message", Static)
        note.update(message)
        note.display = bool(message)
        self.searching = False
        self._set_count(self.count_text)

    @property
    def count_text(self) -> str:
        """ "3 of 17", "No matches", or nothing while there is no query."""
        if self.found is None:
            return ""
        total = len(self.found.marks)
        if not total:
            return "No matches"
        return f"{(self.current or 0) + 1} of {total}"

    def _set_count(self, text: str) -> None:
        self.query_one("#find-count", Static).update(text)

    def _select_current(self, *, move: bool = True) -> None:
        area, found = self.target, self.found
        if area is None or found is None:
            return
        area.set_marks(found.marks, self.current)
        if self.current is None:
            return
        start, end = found.marks[self.current]
        if move or area.selection != Selection(start, end):
            area.selection = Selection(start, end)
        area.scroll_cursor_visible(center=True)
        self._set_count(self.count_text)

    def text_changed(self) -> None:
        """The target's text changed: find again once the writer pauses."""
        if not self.display or self.target is None:
            return
        found = self.found
        if self.searching or (found is not None and found.version == _version(self.target)):
            return  # found in this text already (a replace here searched again at once)
        self._search_soon(RESEARCH_DELAY)

    def _search_soon(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._due = True
        self._timer = self.set_timer(delay, self.search, name="find-again")

    # -- moving --------------------------------------------------------------------------------

    def _fresh(self) -> Found | None:
        """The matches, if they are still those of the text (else a new search starts)."""
        area, found = self.target, self.found
        if area is None or found is None:
            return None
        if found.version != _version(area):
            self.search()
            return self.found if self.found is not found else None
        return found

    def _step(self, step: int) -> None:
        found = self._fresh()
        if found is None or not found.marks:
            return
        total = len(found.marks)
        self.current = 0 if self.current is None else (self.current + step) % total
        self._select_current()

    def action_next(self) -> None:
        self._step(1)

    def action_previous(self) -> None:
        self._step(-1)

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()

    # -- replacing -----------------------------------------------------------------------------

    @property
    def replacement_text(self) -> str:
        return self.query_one("#replace-input", Input).value

    @property
    def settled(self) -> bool:
        """The matches shown are those of the query as it reads now (tests wait on it)."""
        return not self.searching and not self._due and self._query == self.query_now

    def _replaceable(self) -> tuple[ScaledTextArea, re.Pattern[str], Found] | None:
        if self._query != self.query_now:  # typed faster than the search: the query now
            self.search()
        area, pattern = self.target, self._pattern
        found = self._fresh()
        if area is None or pattern is None or found is None or not found.marks:
            return None
        if area.read_only:
            self._show(found, "This file is read-only: nothing was replaced.")
            return None
        try:
            check_replacement(pattern, self.replacement_text, self._query.regex)
        except BadPattern as exc:
            self._show(found, str(exc))
            return None
        return area, pattern, found

    @on(Button.Pressed, "#replace-one")
    def action_replace(self) -> None:
        """Replace the current match (as one undoable edit), then go to the next."""
        ready = self._replaceable()
        if ready is None:
            return
        area, pattern, found = ready
        index = self.current or 0
        (row, column), (end_row, end_column) = found.marks[index]
        if end_row == row:  # the common case: found again in its line alone
            line = area.document.get_line(row)
            edit = replacement(
                line,
                pattern,
                self.replacement_text,
                regex=self._query.regex,
                only=(column, end_column),
            )
            if edit is not None:
                edit = Replacement(
                    edit.start,
                    edit.end,
                    (row, column),
                    (end_row, end_column),
                    edit.insert,
                    1,
                )
        else:
            text = area.text
            starts = line_starts(text)
            begin = starts[row] + column
            edit = replacement(
                text,
                pattern,
                self.replacement_text,
                regex=self._query.regex,
                only=(begin, starts[end_row] + end_column),
            )
        if edit is None:
            self.search()
            return
        self._edit(area, edit)
        self.search()  # the next match is the first at or after the cursor

    @on(Button.Pressed, "#replace-all")
    def action_replace_all(self) -> None:
        """Replace every match as one edit: one ctrl+z restores them all."""
        ready = self._replaceable()
        if ready is None:
            return
        area, pattern, _found = ready
        regex, insert = self._query.regex, self.replacement_text
        if _length(area) <= INLINE:
            edit = replacement(area.text, pattern, insert, regex=regex)
            self._replaced_all(area, edit, _version(area))
            return
        self.searching = True
        self._set_count("Replacing…")
        lines = list(area.document.lines)
        self._replace_in_thread(area, lines, pattern, insert, regex, _version(area))

    @work(thread=True, exclusive=True, group="find")
    def _replace_in_thread(
        self,
        area: ScaledTextArea,
        lines: list[str],
        pattern: re.Pattern[str],
        insert: str,
        regex: bool,
        version: int | None,
    ) -> None:
        self.thread_searches += 1
        edit = replacement("\n".join(lines), pattern, insert, regex=regex)
        self.app.call_from_thread(self._replaced_all, area, edit, version)

    def _replaced_all(
        self, area: ScaledTextArea, edit: Replacement | None, version: int | None
    ) -> None:
        self.searching = False
        if version != _version(area):
            self._show(self.found, "The text changed meanwhile: nothing was replaced.")
            self.search()
            return
        if edit is None:
            self.search()
            return
        self._edit(area, edit)
        self._note = f"Replaced {edit.count} (ctrl+z undoes it)."
        self.search()

    @staticmethod
    def _edit(area: ScaledTextArea, edit: Replacement) -> None:
        """One edit between two checkpoints: never merged with the typing around it."""
        area.history.checkpoint()
        area.replace(
            edit.insert, edit.start_location, edit.end_location, maintain_selection_offset=False
        )
        area.history.checkpoint()
