"""The history of the book: a timeline, a coloured diff against the text now, and restore.

Four views of one screen: the open chapter's snapshots, the whole project's, "what I
wrote today" (the project against where the day started) and the deleted files that a
snapshot still holds. The screen only shows and asks: every read, diff and restore is done
by a :class:`HistorySource` (``controllers/history.py``), in threads, so the screen never
touches the disk and never holds the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal, Protocol

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

Mode = Literal["file", "project", "today", "deleted"]
MAX_DIFF_LINES = 4000
"""A diff longer than this is cut (the rest is named, not drawn: the screen stays fast)."""


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline (or, for deleted files, one file and where it was last)."""

    id: str
    when: str
    trigger: str
    message: str
    added: int
    removed: int
    path: str | None = None


class HistorySource(Protocol):
    """What the screen asks of the controller (all reading happens in threads there)."""

    async def timeline(self, path: str | None) -> list[TimelineEntry]: ...

    async def diff(self, snapshot_id: str, path: str | None) -> list[str]: ...

    async def today(self) -> list[str]: ...

    async def deleted(self) -> list[TimelineEntry]: ...

    async def restore(self, snapshot_id: str, path: str) -> bool: ...


def coloured(lines: list[str]) -> Text:
    """A unified diff as rich text: additions green, deletions red, hunks and names dim."""
    text = Text()
    shown = lines[:MAX_DIFF_LINES]
    for line in shown:
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("@@"):
            style = "cyan"
        else:
            style = ""
        text.append(line + "\n", style=style)
    if len(lines) > len(shown):
        text.append(f"… {len(lines) - len(shown)} more lines not shown\n", style="italic")
    if not lines:
        text.append("No differences from the text now.", style="italic")
    return text


def entry_label(entry: TimelineEntry) -> str:
    if entry.path is not None and entry.trigger == "deleted":
        return f"{entry.path}  (last in {entry.when})"
    message = f" — {entry.message}" if entry.message else ""
    return f"{entry.when}  {entry.trigger}{message}  +{entry.added} -{entry.removed}"


class HistoryScreen(ModalScreen[None]):
    """Timeline on the left, the diff of the chosen snapshot against now on the right."""

    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > #history-dialog {
        width: 95%; height: 90%; border: thick $accent; background: $surface; padding: 0 1;
    }
    HistoryScreen #history-title { text-style: bold; height: 1; }
    HistoryScreen #history-body { height: 1fr; }
    HistoryScreen #history-timeline { width: 2fr; height: 1fr; }
    HistoryScreen #history-diff { width: 3fr; height: 1fr; border-left: solid $primary; }
    HistoryScreen #history-buttons { height: 3; }
    HistoryScreen #history-status { height: 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="modal.cancel"),
        Binding("r", "restore", "Restore this version", show=True),
    ]

    def __init__(self, source: HistorySource, mode: Mode, path: str | None = None) -> None:
        super().__init__(classes="wf-modal")
        self.source = source
        self.mode: Mode = mode
        self.path = path
        self.entries: list[TimelineEntry] = []
        self.loaded = False
        """True once the timeline (or the day's diff) is on screen (tests wait on it)."""
        self.diff_for: str | None = None
        """The snapshot whose diff is on screen."""

    def _title(self) -> str:
        return {
            "file": f"History of {self.path}",
            "project": "History of the whole project",
            "today": "What I wrote today",
            "deleted": "Deleted files kept in snapshots",
        }[self.mode]

    def compose(self) -> ComposeResult:
        with Vertical(id="history-dialog"):
            yield Label(self._title(), id="history-title")
            with Horizontal(id="history-body"):
                if self.mode != "today":
                    yield OptionList(id="history-timeline")
                with VerticalScroll(id="history-diff"):
                    yield Static("Reading the history…", id="history-diff-text")
            yield Label("", id="history-status")
            with Horizontal(id="history-buttons"):
                if self.mode in ("file", "deleted"):
                    yield Button("Restore this version", variant="primary", id="restore")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="history-load")
    async def load(self) -> None:
        diff = self.query_one("#history-diff-text", Static)
        if self.mode == "today":
            diff.update(coloured(await self.source.today()))
            self.loaded = True
            return
        if self.mode == "deleted":
            self.entries = await self.source.deleted()
        else:
            self.entries = await self.source.timeline(self.path if self.mode == "file" else None)
        timeline = self.query_one(OptionList)
        timeline.add_options(
            [Option(entry_label(e), id=str(i)) for i, e in enumerate(self.entries)]
        )
        if not self.entries:
            diff.update(Text("No snapshots yet.", style="italic"))
        else:
            timeline.highlighted = 0
            timeline.focus()
        self.loaded = True

    def selected(self) -> TimelineEntry | None:
        if self.mode == "today" or not self.entries:
            return None
        index = self.query_one(OptionList).highlighted
        return None if index is None else self.entries[index]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        entry = self.selected()
        if entry is not None:
            self.show_diff(entry)

    @work(exclusive=True, group="history-diff")
    async def show_diff(self, entry: TimelineEntry) -> None:
        path = entry.path if self.mode == "deleted" else self.path if self.mode == "file" else None
        lines = await self.source.diff(entry.id, path)
        self.query_one("#history-diff-text", Static).update(coloured(lines))
        self.diff_for = entry.id

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "restore":
            self.action_restore()
        else:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_restore(self) -> None:
        entry = self.selected()
        path = entry.path if entry is not None and self.mode == "deleted" else self.path
        if entry is None or path is None or self.mode not in ("file", "deleted"):
            return
        self.restore(entry.id, path)

    @work(exclusive=True, group="history-restore")
    async def restore(self, snapshot_id: str, path: str) -> None:
        status = self.query_one("#history-status", Label)
        status.update("Keeping the text now as a snapshot first…")
        if await self.source.restore(snapshot_id, path):
            self.dismiss(None)
        else:
            status.update("Nothing was restored.")
