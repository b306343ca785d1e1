"""Moving chapters and parts in the reading order, from the tree's keys or the palette.

The move is computed and ``manuscript/order.toml`` written in a thread (the durable path);
then the tree lists the manuscript again, its cursor still on the moved chapter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import ModalScreen

from writers_factory.store.manuscript.order import follow, move_in_order

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI, Views
    from writers_factory.tui.workspace import Workspace


class OrderActions:
    """Move up / move down of one workspace."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        views: Views,
        *,
        remember: Callable[[Path, bytes], None] | None = None,
    ) -> None:
        self._one_at_a_time = asyncio.Lock()
        """Moves run in order: two at once would both read the old order and one be lost."""
        self.remember = remember
        """Told the order file's bytes before they are written (the watcher's own-write
        registry: the app's reorder is no change made outside)."""
        self.workspace = workspace
        self.ui = ui
        self.views = views

    @property
    def manuscript(self) -> Path:
        return self.workspace.project / "manuscript"

    def selected(self) -> Path | None:
        """The tree's selection when the tree has focus, else the open chapter."""
        tree = self.views.tree
        if tree is not None and tree.has_focus:
            node = tree.cursor_node
            if node is not None and node.data is not None:
                return Path(node.data.path)
        editor = self.views.editor
        area = None if editor is None else editor.active
        return self.workspace.project / area.path if area is not None else None

    def move_selected(self, step: int) -> None:
        target = self.selected()
        if target is None:
            self.ui.notify("Select a chapter or part in the tree, or open a chapter, first.")
            return
        self.move(target, step)

    def move(self, target: Path, step: int) -> None:
        """Move ``target`` (absolute) ``step`` places among its siblings."""
        if self.ui.showing(ModalScreen):
            return
        if self.workspace.session.read_only:
            self.ui.notify("This project is open read-only; the order cannot be changed.")
            return
        self.ui.start(partial(self._move, target, step), group="manuscript-order")

    async def _move(self, target: Path, step: int) -> None:
        async with self._one_at_a_time:  # keys pressed fast: each move sees the last one's
            await self._move_now(target, step)

    async def _move_now(self, target: Path, step: int) -> None:
        folder = self.manuscript
        try:
            real = await asyncio.to_thread(lambda: (target.resolve(), folder.resolve()))
        except OSError as exc:
            self.ui.notify(str(exc), severity="error")
            return
        path, manuscript = real
        if manuscript not in path.parents:
            self.ui.notify("Only chapters and parts in manuscript/ have a reading order.")
            return
        name = path.relative_to(manuscript).as_posix()
        try:
            moved = await asyncio.to_thread(
                partial(move_in_order, manuscript, path, step, remember=self.remember)
            )
        except OSError as exc:
            self.ui.notify(f"The order could not be saved: {exc}", severity="error")
            return
        if moved is None:
            where = "first" if step < 0 else "last"
            self.ui.notify(f"{name} is already {where} in its folder (or not a chapter).")
            return
        tree = self.views.tree
        if tree is not None:
            await tree.relist()

    async def follow(self, old: Path, new: Path | None) -> None:
        """The app renamed (``new``) or deleted (``None``) the project file ``old``
        (project-relative): the order file follows, so the chapter keeps its place."""
        if self.workspace.session.read_only or old.parts[:1] != ("manuscript",):
            return
        moved = None
        if new is not None:
            if new.parts[:1] != ("manuscript",):
                return
            moved = Path(*new.parts[1:]).as_posix()
        try:
            changed = await asyncio.to_thread(
                partial(
                    follow,
                    self.manuscript,
                    Path(*old.parts[1:]).as_posix(),
                    moved,
                    remember=self.remember,
                )
            )
        except OSError as exc:
            self.ui.notify(f"The reading order could not follow: {exc}", severity="warning")
            return
        tree = self.views.tree
        if changed and tree is not None:
            await tree.relist()  # the rename's own relist ran before the order followed
