"""The editor: one tab per open file, each a TextArea that knows its file and dirty state.

A buffer carries the :class:`FileBuffer` it was loaded from, so the saving layer can write
it with conflict detection, and a ``dirty`` flag that only the saving layer clears (via
:meth:`Editor.mark_saved`) once the text it wrote is still the text on screen.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane, TextArea

from writers_factory.store.manuscript.buffers import FileBuffer
from writers_factory.tui.widgets.messages import BufferEdited, FileSwitched


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
    """Blocking: find, import and read the Markdown grammar (start-up runs it in a thread).

    Disk I/O never runs on the event loop: done here first, opening or reloading a buffer
    only uses what is cached.
    """
    language = markdown_language()
    if language is not None:
        from textual._tree_sitter import get_language

        get_language(language)
        _highlight_query(language)


class BufferArea(TextArea):
    """A TextArea bound to one project file."""

    @staticmethod
    def _get_builtin_highlight_query(language_name: str) -> str:
        return _highlight_query(language_name)

    def __init__(self, path: Path, text: str, disk: FileBuffer, *, id: str) -> None:
        super().__init__(
            text, language=markdown_language(), soft_wrap=True, tab_behavior="indent", id=id
        )
        self.path = path
        self.disk = disk
        self.dirty = False

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # Let the event bubble too: the app reads it for nothing, but others may.
        self.dirty = True
        self.post_message(BufferEdited(self.path, self.text))

    def snapshot(self) -> OpenBuffer:
        return OpenBuffer(self.path, self.text, self.cursor_location, self.dirty, self.disk)


def tab_title(path: Path, dirty: bool) -> str:
    return f"{path.name}{' •' if dirty else ''}"


class Editor(Vertical):
    """The tabbed editor; empty, it shows a hint instead of a blank pane."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._counter = 0
        self._panes: dict[Path, str] = {}
        self._last_active: Path | None = None
        self.read_only = False
        """New tabs are read-only (the project is open in another live instance)."""

    def compose(self) -> ComposeResult:
        yield Static(
            "No file open — choose one in the project tree (ctrl+o), or create one (ctrl+n).",
            id="editor-empty",
        )
        yield TabbedContent(id="editor-tabs")

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
        pane_id = self._panes.get(path)
        if pane_id is None:
            return None
        return self.tabs.get_pane(pane_id).query_one(BufferArea)

    def buffers(self) -> list[BufferArea]:
        """Open buffers in tab order."""
        return [area for path in self._panes if (area := self.find(path)) is not None]

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
        dirty: bool = False,
        activate: bool = True,
    ) -> BufferArea:
        """Open ``path`` in a new tab (or reuse its tab) with ``text`` and the cursor placed."""
        area = self.find(path)
        if area is None:
            self._counter += 1
            pane_id = f"buffer-{self._counter}"
            area = BufferArea(path, text, disk, id=f"{pane_id}-text")
            area.read_only = self.read_only
            self._panes[path] = pane_id
            pane = TabPane(tab_title(path, dirty), area, id=pane_id)
            await self.tabs.add_pane(pane)
            self._show_empty()
        elif dirty:
            area.load_text(text)
        area.dirty = dirty or area.dirty
        line = min(cursor[0], area.document.line_count - 1)
        col = min(cursor[1], len(area.document.get_line(line)))
        area.move_cursor((line, col), center=True)
        self.refresh_title(path)
        if activate:
            self.activate(path)
        return area

    def activate(self, path: Path) -> None:
        pane_id = self._panes.get(path)
        if pane_id is not None and self.tabs.active != pane_id:
            self.tabs.active = pane_id

    async def close(self, path: Path) -> None:
        pane_id = self._panes.pop(path, None)
        if pane_id is None:
            return
        await self.tabs.remove_pane(pane_id)
        self._show_empty()
        if not self._panes:
            self._notify_switch(None)

    def rename(self, old: Path, new: Path, absolute: Path) -> None:
        """Make the buffer of ``old`` follow the file to ``new`` (``absolute`` on disk)."""
        pane_id = self._panes.pop(old, None)
        if pane_id is None:
            return
        self._panes[new] = pane_id
        area = self.tabs.get_pane(pane_id).query_one(BufferArea)
        area.path = new
        area.disk.path = absolute
        self.refresh_title(new)
        if self._last_active == old:
            self._last_active = new

    def refresh_title(self, path: Path) -> None:
        """Show the dirty mark (•) in the tab title."""
        pane_id = self._panes.get(path)
        area = self.find(path)
        if pane_id is None or area is None:
            return
        self.tabs.get_tab(pane_id).label = tab_title(path, area.dirty)

    def mark_saved(self, path: Path, text: str) -> bool:
        """Clear the dirty flag if ``text`` (what was just written) is still what is shown."""
        area = self.find(path)
        if area is None or area.text != text:
            return False
        area.dirty = False
        self.refresh_title(path)
        return True

    def on_buffer_edited(self, event: BufferEdited) -> None:
        area = self.find(event.path)
        pane_id = self._panes.get(event.path)
        if area is not None and pane_id is not None and area.dirty:
            tab = self.tabs.get_tab(pane_id)
            title = tab_title(event.path, True)
            if str(tab.label) != title:
                tab.label = title

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        area = self.active
        self._notify_switch(area.path if area is not None else None)

    def _notify_switch(self, path: Path | None) -> None:
        if path == self._last_active:
            return
        previous, self._last_active = self._last_active, path
        self.post_message(FileSwitched(path, previous))
