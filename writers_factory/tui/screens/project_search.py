"""Find (and replace) in the whole project: results grouped by file with their lines, and a
preview of every change, each line ticked or not, before anything is replaced.

The screen only shows and asks: reading, replacing and undoing are done by a
:class:`SearchSource` (``controllers/project_search.py``) in threads.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static, Tree
from textual.widgets.tree import TreeNode

from writers_factory.core.search.matching import BadPattern, SearchQuery
from writers_factory.core.search.project import Outcome, ProjectResults, chosen_lines
from writers_factory.core.search.replacing import LineHit

MAX_SHOWN = 2000
"""Lines listed at most (all are still replaced, ticked, unless unticked)."""
CONTEXT = 30
"""Characters shown before the first match of a line."""

NodeData = tuple[str, int | None]
"""(path, line) of a results row; line None for a file's row."""


class SearchSource(Protocol):
    """What the screen asks of the controller (all reading and writing in threads there)."""

    async def search(self, query: SearchQuery, replace_with: str | None) -> ProjectResults: ...

    async def replace(
        self, query: SearchQuery, replace_with: str, chosen: dict[str, set[int]]
    ) -> Outcome: ...

    async def undo(self) -> Outcome | None: ...

    async def open_at(self, path: str, line: int, column: int, length: int) -> None: ...


def _window(text: str, start: int) -> tuple[str, int]:
    """``text`` from a little before ``start`` (with "…" when cut), and how much was cut."""
    if start <= CONTEXT:
        return text, 0
    cut = start - CONTEXT
    return "…" + text[cut:], cut - 1


def hit_label(hit: LineHit, ticked: bool | None) -> Text:
    """One result row: tick, line number, the line with its matches marked (and, in a
    preview, the line after the replacement)."""
    label = Text()
    if ticked is not None:
        label.append("[x] " if ticked else "[ ] ", style="bold")
    label.append(f"{hit.line + 1:>5}  ", style="dim")
    shown, cut = _window(hit.text, hit.columns[0][0])
    line = Text(shown)
    for start, end in hit.columns:
        line.stylize("reverse", start - cut, min(end, len(hit.text)) - cut)
    label.append_text(line)
    if hit.after is not None:
        after, _ = _window(hit.after, hit.columns[0][0])
        label.append("  →  ", style="bold")
        label.append(after, style="green")
    return label


class ResultsTree(Tree[NodeData]):
    """The results, file by file; space ticks a line instead of folding a file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "screen.tick", "Tick or untick", show=False),
    ]


class ProjectSearchScreen(ModalScreen[None]):
    """Find across manuscript/, reference/ and planning/; preview and apply a replace."""

    DEFAULT_CSS = """
    ProjectSearchScreen { align: center middle; }
    ProjectSearchScreen > #ps-dialog {
        width: 95%; height: 90%; border: thick $accent; background: $surface; padding: 0 1;
    }
    ProjectSearchScreen #ps-title { text-style: bold; height: 1; }
    ProjectSearchScreen Horizontal { height: 1; margin-bottom: 1; }
    ProjectSearchScreen Input { width: 1fr; }
    ProjectSearchScreen Checkbox { width: auto; margin-left: 1; }
    ProjectSearchScreen Button { width: auto; min-width: 10; margin-left: 1; }
    ProjectSearchScreen #ps-status { height: auto; color: $text-muted; }
    ProjectSearchScreen #ps-results { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="modal.cancel"),
        Binding("space", "tick", "Tick or untick the line (or the whole file)", show=True),
        Binding("alt+p", "preview", "Preview the replacement", show=True),
        Binding("alt+a", "apply", "Replace the ticked lines", show=True),
        Binding("alt+u", "undo", "Undo the last replace", show=True),
    ]

    def __init__(self, source: SearchSource) -> None:
        super().__init__(classes="wf-modal")
        self.source = source
        self.results: ProjectResults | None = None
        self.query_searched: SearchQuery | None = None
        self.unticked: set[tuple[str, int]] = set()
        self.busy = False
        """A search, replace or undo is under way (tests wait on it)."""
        self.status = ""
        self.changing = False
        """A replace or an undo is changing files now."""
        self.done = 0
        """Searches, replaces and undos finished (tests wait on it)."""
        self.outcome: Outcome | None = None
        """What the last replace or undo did."""

    def compose(self) -> ComposeResult:
        with Vertical(id="ps-dialog"):
            yield Static("Find in project (manuscript, reference, planning)", id="ps-title")
            with Horizontal():
                yield Input(placeholder="Find", id="ps-find", compact=True)
                yield Checkbox("Case", id="ps-case", compact=True)
                yield Checkbox("Word", id="ps-word", compact=True)
                yield Checkbox("Regex", id="ps-regex", compact=True)
                yield Button("Search", id="ps-search", compact=True)
            with Horizontal():
                yield Input(placeholder="Replace with", id="ps-replace", compact=True)
                yield Button("Preview", id="ps-preview", compact=True)
                yield Button("Replace", id="ps-apply", compact=True, disabled=True)
                yield Button("Undo", id="ps-undo", compact=True)
            yield Static("Type what to find, then Enter.", id="ps-status")
            tree = ResultsTree("results", id="ps-results")
            tree.show_root = False
            yield tree

    def on_mount(self) -> None:
        self.query_one("#ps-find", Input).focus()

    def action_close(self) -> None:
        if self.changing:  # a replace or an undo under way finishes first (it goes on anyway)
            self._say("Still working… the files are being changed; close when it is done.")
            return
        self.dismiss(None)

    # -- asking --------------------------------------------------------------------------------

    def query_now(self) -> SearchQuery:
        return SearchQuery(
            self.query_one("#ps-find", Input).value,
            case_sensitive=self.query_one("#ps-case", Checkbox).value,
            whole_word=self.query_one("#ps-word", Checkbox).value,
            regex=self.query_one("#ps-regex", Checkbox).value,
        )

    def _say(self, text: str) -> None:
        self.status = text
        self.query_one("#ps-status", Static).update(text)

    @on(Input.Submitted, "#ps-find")
    @on(Button.Pressed, "#ps-search")
    def action_search(self) -> None:
        self._run_search(None)

    @on(Input.Submitted, "#ps-replace")
    @on(Button.Pressed, "#ps-preview")
    def action_preview(self) -> None:
        self._run_search(self.query_one("#ps-replace", Input).value)

    @work(exclusive=True, group="project-search")
    async def _run_search(self, replace_with: str | None) -> None:
        query = self.query_now()
        self.busy = True
        self._say("Searching…")
        try:
            results = await self.source.search(query, replace_with)
        except BadPattern as exc:
            self._show(None)
            self._say(str(exc))
            return
        finally:
            self.busy = False
            self.done += 1
        self.query_searched = query
        self.unticked = set()
        self._show(results)

    def _show(self, results: ProjectResults | None) -> None:
        self.results = results
        tree: Tree[NodeData] = self.query_one("#ps-results", Tree)
        tree.clear()
        self.query_one("#ps-apply", Button).disabled = True
        if results is None:
            return
        preview = results.replacement is not None
        self.query_one("#ps-apply", Button).disabled = not (preview and results.files)
        status = results.summary()
        if preview and results.files:
            status += " — untick what to keep (space), then Replace (alt+a)."
        elif results.files:
            status += " — Enter opens the file at the match."
        if results.skipped:
            status += f" Not searched: {'; '.join(results.skipped)}."
        self._say(status)
        shown = 0
        for found in results.files:
            node = tree.root.add(self._file_label(found.path), data=(found.path, None))
            for hit in found.hits:
                if shown >= MAX_SHOWN:
                    break
                label = hit_label(hit, True if preview else None)
                node.add_leaf(label, data=(found.path, hit.line))
                shown += 1
            node.expand()
        if shown >= MAX_SHOWN:
            tree.root.add_leaf(f"… more lines not listed (all {results.count} are ticked)")
        if results.files:
            tree.focus()

    def _file_label(self, path: str) -> Text:
        assert self.results is not None
        found = next(f for f in self.results.files if f.path == path)
        label = Text()
        if self.results.replacement is not None:
            lines = {hit.line for hit in found.hits}
            ticked = sum((path, line) not in self.unticked for line in lines)
            mark = "[x] " if ticked == len(lines) else "[ ] " if not ticked else "[-] "
            label.append(mark, style="bold")
        label.append(path, style="bold")
        open_note = ", open: unsaved text included" if found.open_in_editor else ""
        label.append(f"  ({found.count}{open_note})", style="dim")
        return label

    # -- ticking -------------------------------------------------------------------------------

    def action_tick(self) -> None:
        results = self.results
        tree: Tree[NodeData] = self.query_one("#ps-results", Tree)
        node = tree.cursor_node
        if results is None or results.replacement is None or node is None or not node.data:
            return
        path, line = node.data
        found = next(f for f in results.files if f.path == path)
        if line is not None:
            key = (path, line)
            self.unticked.symmetric_difference_update({key})
            hit = next(h for h in found.hits if h.line == line)
            node.set_label(hit_label(hit, key not in self.unticked))
            file_node = node.parent
        else:
            keys = {(path, hit.line) for hit in found.hits}
            if keys & self.unticked:
                self.unticked -= keys
            else:
                self.unticked |= keys
            file_node = node
            for child in node.children:
                if child.data and child.data[1] is not None:
                    hit = next(h for h in found.hits if h.line == child.data[1])
                    child.set_label(hit_label(hit, (path, hit.line) not in self.unticked))
        if file_node is not None:
            file_node.set_label(self._file_label(path))

    @on(Tree.NodeSelected, "#ps-results")
    def _open_match(self, event: Tree.NodeSelected[NodeData]) -> None:
        node: TreeNode[NodeData] = event.node
        if not node.data or node.data[1] is None or self.results is None:
            return
        path, line = node.data
        found = next(f for f in self.results.files if f.path == path)
        hit = next(h for h in found.hits if h.line == line)
        start, end = hit.columns[0]
        self.dismiss(None)
        self.app.call_later(self.source.open_at, path, line, start, end - start)

    # -- replacing -----------------------------------------------------------------------------

    @on(Button.Pressed, "#ps-apply")
    def action_apply(self) -> None:
        results, query = self.results, self.query_searched
        if results is None or results.replacement is None or query is None or self.busy:
            return
        self._apply(query, results.replacement, chosen_lines(results, self.unticked))

    @work(exclusive=True, group="project-search")
    async def _apply(
        self, query: SearchQuery, replace_with: str, chosen: dict[str, set[int]]
    ) -> None:
        self.busy = self.changing = True
        self._say("Replacing…")
        try:
            outcome = await self.source.replace(query, replace_with, chosen)
        except BadPattern as exc:
            self._say(str(exc))
            return
        finally:
            self.busy = self.changing = False
            self.done += 1
        self.outcome = outcome
        self._show(None)
        self._say(outcome.message() + " Undo (alt+u) brings the files back.")

    @on(Button.Pressed, "#ps-undo")
    def action_undo(self) -> None:
        if not self.busy:
            self._undo()

    @work(exclusive=True, group="project-search")
    async def _undo(self) -> None:
        self.busy = self.changing = True
        try:
            outcome = await self.source.undo()
        finally:
            self.busy = self.changing = False
            self.done += 1
        self.outcome = outcome
        if outcome is None:
            self._say("There is no replace to undo.")
        else:
            self._say(undo_message(outcome))


def undo_message(outcome: Outcome) -> str:
    files = f"{outcome.files} file{'s' if outcome.files != 1 else ''}"
    said = f"Undid the replace: {files} restored as they were before it."
    if outcome.left:
        said += " Left as they are: " + "; ".join(outcome.left)
    return said
