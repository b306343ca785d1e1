"""The project tree: only the writer's folders, never the session store or build output."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.widgets import DirectoryTree
from textual.widgets.directory_tree import DirEntry
from textual.widgets.tree import TreeNode

from writers_factory.project import TREE_FOLDERS
from writers_factory.store.base.durable import is_temp_file

if TYPE_CHECKING:
    from writers_factory.store.session.models import FileChangeRecord

MARKS = {"created": "+", "modified": "\u25cf", "moved": "\u2192"}
"""The mark shown after a file changed this session: created, modified, moved in."""


def session_marks(records: Iterable[FileChangeRecord], since: datetime) -> dict[str, str]:
    """Project-relative path -> mark, from the records of this session, oldest first.

    A file created and then modified stays "created" (it is new to the writer); a moved
    file's mark goes with it to its destination; a deleted file loses its mark, so a file
    later re-created at that name is marked afresh.
    """
    marks: dict[str, str] = {}
    for record in records:
        if record.at < since:
            continue
        if record.kind == "created":
            marks[record.path] = MARKS["created"]
        elif record.kind == "modified":
            marks.setdefault(record.path, MARKS["modified"])
        elif record.kind == "deleted":
            marks.pop(record.path, None)
        elif record.dest is not None:
            marks.pop(record.path, None)
            marks[record.dest] = MARKS["moved"]
    return marks


class ProjectTree(DirectoryTree):
    """A DirectoryTree of ``manuscript/``, ``reference/`` and ``planning/`` only.

    Folder contents are read by DirectoryTree in its own thread worker, so a large
    manuscript never stalls the event loop.
    """

    def __init__(self, project: Path, *, id: str | None = None) -> None:
        self.marks: dict[str, str] = {}
        """Project-relative POSIX path -> change mark; set first: labels render in __init__."""
        super().__init__(project, id=id)
        self.project = project
        self.show_root = False
        self.guide_depth = 2
        self._relisting = asyncio.Lock()
        self._reopen: set[Path] = set()
        """Folders to open again when their parent is filled afresh (see _populate_node)."""
        self._reveal: Path | None = None
        """The file to put the cursor on at start, once its folders are listed (reveal)."""
        self._revealing = False
        self._placing = False

    async def relist(self) -> None:
        """Reload the listing, keeping open folders open and the cursor where it was.

        One at a time: a reload started while another is re-opening folders cancels that
        one's folder reads, and the folders it had not re-opened yet stay closed (a file
        action and the watcher often reload together).
        """
        async with self._relisting:
            await self.reload()

    def _populate_node(self, node: TreeNode[DirEntry], content: Iterable[Path]) -> None:
        """Fill ``node`` afresh, keeping the folders that were open under it open.

        A reload's "folder opened" message can arrive after a second reload has reset that
        folder; the tree then reads the folder once more and fills it with new, closed
        children, after every reload has finished. Without this, manuscript/ folded shut
        for good now and then when a file action and the watcher reloaded together.
        """
        stack = list(node.children)
        while stack:
            child = stack.pop()
            if child.is_expanded and child.data is not None:
                self._reopen.add(child.data.path)
                stack.extend(child.children)
        super()._populate_node(node, content)
        for child in node.children:
            if child.data is not None and child.data.path in self._reopen:
                self._reopen.discard(child.data.path)
                child.expand()
        self._advance_reveal()

    # -- where the writer starts ---------------------------------------------------------------
    def reveal(self, active: Path | None) -> None:
        """At start: open the folders down to ``active`` (the chapter being written) and put
        the cursor on it; without one, or when it is not in the tree, open ``manuscript/``
        and put the cursor on its first file.

        The tree lists folders in a thread, so this advances as each folder arrives. It
        gives way to the writer: once anything else has put the cursor somewhere, it stops.
        """
        if active is not None and not active.is_absolute():
            active = self.project / active
        self._reveal = active
        self._revealing = True
        self._advance_reveal()

    @property
    def revealing(self) -> bool:
        """True until :meth:`reveal` has put the cursor in place (or given way)."""
        return self._revealing or self._placing

    def _advance_reveal(self) -> None:
        if not self._revealing:
            return
        if self.cursor_node is not None:
            self._revealing = False  # the writer (or a test) chose a place first
            return
        manuscript = self.project / "manuscript"
        wanted = self._reveal or manuscript
        node = self.root
        while True:
            if node.data is None or not node.data.loaded:
                if node is not self.root and not node.is_expanded:
                    node.expand()  # listed in a thread; _populate_node calls back
                return
            if node is self.root:
                opened = self._child_towards(node, manuscript)
                if opened is not None and not opened.is_expanded:
                    opened.expand()  # the chapters are shown even when a note is active
            step = self._child_towards(node, wanted)
            if step is None:
                if self._reveal is not None:  # not in the tree (closed, or not ours)
                    self._reveal = None
                    self._advance_reveal()
                    return
                first = next((c for c in node.children if not c.allow_expand), None)
                self._finish_reveal(first)
                return
            assert step.data is not None
            if step.data.path == wanted and (not step.allow_expand or wanted != manuscript):
                self._finish_reveal(step)
                return
            if not step.is_expanded:
                step.expand()
            node = step

    def _child_towards(self, node: TreeNode[DirEntry], wanted: Path) -> TreeNode[DirEntry] | None:
        for child in node.children:
            if child.data is None:
                continue
            path = Path(child.data.path)
            if path == wanted or path in wanted.parents:
                return child
        return None

    def _finish_reveal(self, node: TreeNode[DirEntry] | None) -> None:
        self._revealing = False
        if node is not None:
            self._placing = True
            self.call_after_refresh(self._place_cursor, node)

    def _place_cursor(self, node: TreeNode[DirEntry]) -> None:
        self._placing = False
        if self.cursor_node is not None:
            return  # the writer moved first
        _ = self._tree_lines  # the lines, and so the node's line number, are current
        self.move_cursor(node)

    def show_changes(self, records: Iterable[FileChangeRecord], since: datetime) -> None:
        """Mark the files changed since ``since`` (the session start) and redraw the labels."""
        marks = session_marks(records, since)
        if marks != self.marks:
            self.marks = marks
            self._invalidate()  # labels are cached per line: a new mark needs a redraw

    def mark_of(self, node: TreeNode[DirEntry]) -> str | None:
        """The change mark of ``node``, if its file changed this session."""
        if node.data is None or not self.marks:
            return None
        try:
            relative = Path(node.data.path).relative_to(self.project).as_posix()
        except ValueError:
            return None
        return self.marks.get(relative)

    def render_label(self, node: TreeNode[DirEntry], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        mark = self.mark_of(node)
        if mark is not None:
            label.append(f" {mark}", style="bold")
        return label

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        chosen: list[Path] = []
        for path in paths:
            if path.parent == self.project:
                if path.name in TREE_FOLDERS and path.is_dir():
                    chosen.append(path)
            elif not path.name.startswith(".") and not is_temp_file(path):
                chosen.append(path)
        return chosen
