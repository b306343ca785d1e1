"""The project tree: only the writer's folders, never the session store or build output.

``manuscript/`` is listed in reading order (``manuscript/order.toml``, else natural order:
chapter-2 before chapter-10), parts (sub-folders) placed like chapters, each chapter and
part with its word count; alt+up / alt+down move the selected chapter or part (the app
writes the new order). Listing, ordering and counting run in the tree's thread workers; the
words are counted only once the tree is told to (:meth:`ProjectTree.start_counting`, see
``tree_counts.py``): at start-up the chapters are listed at once, counted after.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DirectoryTree
from textual.widgets.directory_tree import DirEntry
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from writers_factory.core.order import NaturalKey, child_key, natural_key, ranks
from writers_factory.project import TREE_FOLDERS
from writers_factory.store.base.durable import is_temp_file
from writers_factory.store.manuscript.order import is_chapter, read_order
from writers_factory.tui.widgets.tree_counts import BATCH, HeldCounts, WordCounts

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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+up", "move_in_order(-1)", "Move up", id="tree.move_up", show=False),
        Binding("alt+down", "move_in_order(1)", "Move down", id="tree.move_down", show=False),
    ]

    @dataclass
    class OrderProblems(Message):
        """``manuscript/order.toml`` has lines refused or naming nothing (said once each)."""

        problems: tuple[str, ...]

    @dataclass
    class MoveRequested(Message):
        """The writer asked to move a chapter or part (absolute ``path``) ``step`` places."""

        path: Path
        step: int

    def __init__(self, project: Path, *, id: str | None = None) -> None:
        self.marks: dict[str, str] = {}
        """Project-relative POSIX path -> change mark; set first: labels render in __init__."""
        self.counts = WordCounts()
        """Words shown beside chapters and parts (filled in threads)."""
        self.held = HeldCounts()
        """What listings and saves would count, until the tree is told to count."""
        self._reported: set[str] = set()
        self._reported_lock = threading.Lock()
        self.builds = 0
        """Times the tree's lines were built afresh, every label measured (tests count them)."""
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

    @property
    def relisting(self) -> bool:
        """A reload is under way (it puts the cursor back where it was when it started)."""
        return self._relisting.locked()

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
            changed = {
                self.project / relative
                for relative in marks.keys() | self.marks.keys()
                if marks.get(relative) != self.marks.get(relative)
            }
            self.marks = marks
            self._relabel(changed)  # labels are cached per line: a new mark needs a redraw

    def _relabel(self, paths: set[Path]) -> None:
        """Draw the labels of ``paths`` again (a word count or a mark changed), keeping the
        tree's lines: only their text changed, and this happens after every save while the
        writer types. Rebuilding the lines (``_invalidate``, or Textual's line-cache clear)
        measures every label of the tree — hundreds of chapters, tens of milliseconds on
        the loop — to find the widest, and redrawing every line on screen cost as much
        again; here only the relabelled lines are measured and repainted, and the tree
        grows wider when one of them outgrew it (narrower labels leave it as it was until
        the next rebuild: a column of slack costs nothing)."""
        lines = self._tree_lines_cached
        if lines is None:  # built afresh before the next paint anyway
            self._line_cache.clear()
            self._updates += 1
            self.refresh()
            return
        guide_depth, show_root = self.guide_depth, self.show_root
        widest = self.virtual_size.width
        for line in lines:
            node = line.node
            if node.data is not None and Path(node.data.path) in paths:
                node.refresh()  # its line only: lines are drawn by their nodes' updates
                width = self.get_label_width(node)
                widest = max(widest, width + line._get_guide_width(guide_depth, show_root))
        if widest > self.virtual_size.width:
            self.virtual_size = Size(widest, len(lines))

    def _build(self) -> None:
        self.builds += 1
        super()._build()

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
        words = None if node.data is None else self.counts.shown(Path(node.data.path))
        if words is not None:
            label.append(f" {words:,}", style="dim")
        return label

    # ------------------------------------------------------------------ reading order
    @work(thread=True, exit_on_error=False)
    def _load_directory(self, node: TreeNode[DirEntry]) -> list[Path]:
        """A folder's entries; under ``manuscript/`` in reading order, with word counts."""
        assert node.data is not None
        path = Path(node.data.path).expanduser().resolve()
        content = list(self.filter_paths(self._directory_content(path, get_current_worker())))
        manuscript = (self.project / "manuscript").resolve()
        if path != manuscript and manuscript not in path.parents:
            return sorted(content, key=lambda p: (not self._safe_is_dir(p), p.name.lower()))
        order = read_order(manuscript)
        rank = ranks(order.entries)
        if path == manuscript:
            self._report_order(order.problems)
        keyed: list[tuple[tuple[int, float, NaturalKey], Path]] = []
        counted: list[tuple[Path, bool]] = []
        for entry in content:
            relative = entry.relative_to(manuscript).as_posix()
            if self._safe_is_dir(entry):
                counted.append((entry, True))
                keyed.append(((0, *child_key(relative, rank)), entry))
            elif is_chapter(entry, manuscript):
                counted.append((entry, False))
                keyed.append(((0, *child_key(relative, rank)), entry))
            else:
                keyed.append(((1, 0.0, natural_key(entry.name)), entry))
        if not self.held.hold(counted):  # counting is free: the labels come with the list
            for entry, part in counted:
                self.counts.show(entry, self.counts.of_entry(entry, part, manuscript))
        keyed.sort(key=lambda item: item[0])
        return [entry for _, entry in keyed]

    def _report_order(self, problems: list[str]) -> None:
        """Post the order file's problems not posted before (in the listing's thread): lines
        refused, a file that does not parse. A line naming nothing is only ignored here (the
        compile and the analysis list those): a chapter deleted outside the app leaves one,
        and that needs no warning."""
        found = list(problems)
        with self._reported_lock:
            new = tuple(p for p in found if p not in self._reported)
            self._reported.update(new)
        if new:
            self.post_message(self.OrderProblems(new))

    def start_counting(self) -> None:
        """Count the words of the chapters and parts listed so far, in one pass in a thread,
        the labels updated a batch at a time; from the end of that pass, each folder listed
        is counted as it is listed. Until this is called, nothing is read to be counted
        (the app calls it once start-up is over). Once; later calls do nothing."""
        if self.held.tell():
            self._count_held()

    @property
    def counting(self) -> bool:
        """Counts are held back or being made: not every label has its words yet."""
        return not self.held.free

    @work(group="tree-count", exit_on_error=False)
    async def _count_held(self) -> None:
        """The held pass: one worker, a thread hop per batch, the labels after each."""
        manuscript = (self.project / "manuscript").resolve()
        try:
            while batch := self.held.take(BATCH):
                changed = await asyncio.to_thread(self._count_entries, batch, manuscript)
                if changed:
                    self._relabel(changed)
        finally:
            self.held.release()  # stopped early (the app closing): listings count again

    def _count_entries(self, batch: list[tuple[Path, bool]], manuscript: Path) -> set[Path]:
        for path, part in batch:
            self.counts.show(path, self.counts.of_entry(path, part, manuscript))
        return {path for path, _ in batch}

    def recount(self, paths: Iterable[Path]) -> None:
        """Count the words of saved chapters (and their parts) again, in a thread."""
        self._recount(list(paths))

    @work(group="tree-recount")
    async def _recount(self, paths: list[Path]) -> None:
        changed = await asyncio.to_thread(self._recount_files, paths)
        if changed:
            self._relabel(changed)

    def _recount_files(self, paths: list[Path]) -> set[Path]:
        """Count ``paths`` again; the tree paths whose shown count was set. While counts
        are held (the held pass not over), the chapters and their parts join the held
        entries instead: the pass may have read a chapter just before it was saved, and
        counts it again after."""
        manuscript = (self.project / "manuscript").resolve()
        changed: set[Path] = set()
        for path in paths:
            absolute = (path if path.is_absolute() else self.project / path).resolve()
            if manuscript not in absolute.parents or not is_chapter(absolute, manuscript):
                continue
            showing = self._showing(absolute, manuscript)
            if self.held.hold((shown, part) for shown, _, part in showing):
                continue
            for shown, counted, part in showing:
                if self.counts.shown(shown) is not None:
                    self.counts.show(shown, self.counts.of_entry(counted, part, manuscript))
                    changed.add(shown)
        return changed

    def _showing(self, chapter: Path, manuscript: Path) -> list[tuple[Path, Path, bool]]:
        """Where ``chapter``'s words show, and its parts': each tree path (resolved, and as
        listed under the project) with the path counted for it and whether it is a part."""
        found: list[tuple[Path, Path, bool]] = []
        item = chapter
        while item != manuscript:
            listed = self.project / "manuscript" / item.relative_to(manuscript)
            found += [(shown, item, item != chapter) for shown in dict.fromkeys((item, listed))]
            item = item.parent
        return found

    def action_move_in_order(self, step: int) -> None:
        """alt+up / alt+down: ask the app to move the selected chapter or part."""
        node = self.cursor_node
        if node is not None and node.data is not None:
            self.post_message(self.MoveRequested(Path(node.data.path), step))

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        chosen: list[Path] = []
        for path in paths:
            if path.parent == self.project:
                if path.name in TREE_FOLDERS and path.is_dir():
                    chosen.append(path)
            elif not path.name.startswith(".") and not is_temp_file(path):
                chosen.append(path)
        return chosen
