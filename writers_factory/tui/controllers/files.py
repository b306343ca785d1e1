"""New file, rename, delete, restore and close — the project tree's actions.

Each action asks first (a modal), then does the disk work in a thread, and only then
updates the tree, the tabs and the session, so a refused or failed action changes nothing.
Deletes go to the project trash and a file with unsaved text is never deleted or closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen

from writers_factory import project as projects
from writers_factory.store.manuscript import trash
from writers_factory.tui.screens.file_modals import ConfirmModal, NameModal
from writers_factory.tui.widgets.messages import FileRenamed, SignificantAction

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI, Views
    from writers_factory.tui.widgets.editor import BufferArea, OpenBuffer
    from writers_factory.tui.workspace import Workspace

BeforeClose = Callable[["OpenBuffer"], Awaitable[bool]]
"""Asked before a tab closes; False keeps it open (the app refuses unsaved buffers)."""


def name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a file name (pure: no disk), for the dialog to show."""
    try:
        projects.check_file_name(name)
    except projects.ProjectError as exc:
        return _sentence(exc)
    return None


def _sentence(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) if isinstance(exc, OSError) else None
    text = str(text or exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


class FileActions:
    """The file flows of one workspace; the app's ``action_*`` methods call these."""

    def __init__(
        self, workspace: Workspace, ui: UI, views: Views, *, before_close: BeforeClose
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.before_close = before_close

    @property
    def project(self) -> Path:
        return self.workspace.project

    def _can_act(self) -> bool:
        if self.ui.showing(ModalScreen):
            return False  # one question at a time
        if self.workspace.session.read_only:
            self.ui.notify("This project is open read-only; files cannot be changed.")
            return False
        return True

    def target(self) -> Path | None:
        """The file an action applies to: the tree's selection when the tree has focus."""
        tree = self.views.tree
        if tree is not None and tree.has_focus:
            node = tree.cursor_node
            if node is not None and node.data is not None and not node.allow_expand:
                return Path(node.data.path)
        editor = self.views.editor
        area = None if editor is None else editor.active
        return self.project / area.path if area is not None else None

    def target_folder(self) -> Path:
        tree = self.views.tree
        node = None if tree is None else tree.cursor_node
        if node is None or node.data is None:
            return self.project / "manuscript"
        path = Path(node.data.path)
        return path if node.allow_expand else path.parent

    def _run(self, flow: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self.ui.start(flow, group="file-action", exit_on_error=True)

    def new_file(self) -> None:
        if self._can_act():
            self._run(partial(self._new_file, self.target_folder()))

    def _run_on_target(self, flow: Callable[[Path], Coroutine[Any, Any, None]]) -> None:
        """Start ``flow`` on :meth:`target`, or say why not: one rule for every file action."""
        target = self.target()
        if target is None:
            self.ui.notify("Select a file in the tree or open one first.")
        elif self._can_act():
            self._run(partial(flow, target))

    def rename(self) -> None:
        self._run_on_target(self._rename)

    def delete(self) -> None:
        self._run_on_target(self._delete)

    def restore_last(self) -> None:
        if self._can_act():
            self._run(self._restore_last)

    def close(self) -> None:
        editor = self.views.editor
        area = None if editor is None else editor.active
        if area is not None:
            self._run(partial(self._close, area))

    async def _reload_tree(self) -> None:
        tree = self.views.tree
        if tree is not None:
            await tree.relist()

    async def _named(
        self, title: str, prompt: str, name: str, ok_label: str, make: Callable[[str], Path]
    ) -> Path | None:
        """Ask for a name and ``make`` it (in a thread) until the disk takes one: a name it
        refuses is asked again, as typed, with the reason. ``None``: the writer cancelled,
        or gave back the name the dialog opened with (a rename to itself)."""
        first, error = name, ""
        while True:
            answer = await self.ui.ask(
                NameModal(title, prompt, name, ok_label=ok_label, check=name_problem, error=error)
            )
            if answer is None or (first and answer == first):
                return None
            name = answer
            try:
                return await asyncio.to_thread(make, name)
            except (projects.ProjectError, OSError) as exc:
                error = _sentence(exc)

    async def _new_file(self, folder: Path) -> None:
        ui, session = self.ui, self.workspace.session
        folder = projects.writable_folder(self.project, folder)
        where = folder.relative_to(self.project).as_posix()
        created = await self._named(
            "New file",
            f"Name of the new file in {where}/",
            "",
            "Create",
            lambda name: projects.new_file(self.project, folder, name),
        )
        if created is None:
            return
        relative = created.relative_to(self.project)
        session.record_file_change("created", relative)
        await self._reload_tree()
        await self.views.open_path(created)
        ui.post(SignificantAction("file_created", relative))

    async def _rename(self, target: Path) -> None:
        ui, session = self.ui, self.workspace.session
        old = target.relative_to(self.project)
        renamed = await self._named(
            "Rename file",
            f"New name for {old.as_posix()}",
            target.name,
            "Rename",
            lambda name: projects.rename_file(self.project, target, name),
        )
        if renamed is None:
            return
        new = renamed.relative_to(self.project)
        editor = self.views.editor
        cursor = None if editor is None else editor.cursor_of(old)
        if editor is not None and cursor is not None:
            editor.rename(old, new, renamed)
            line, col = cursor
            session.close_file(old)
            session.open_file(new, line, col)
            self.views.update_breadcrumbs()
        session.record_file_change("moved", old, new)
        await self._reload_tree()
        ui.post(FileRenamed(old, new))
        ui.post(SignificantAction("file_renamed", new))

    async def _delete(self, target: Path) -> None:
        ui, session = self.ui, self.workspace.session
        relative = target.relative_to(self.project)
        editor = self.views.editor
        area = None if editor is None else editor.find(relative)
        if area is not None and area.dirty:
            ui.notify(
                f"{relative.name} has unsaved changes; save it (ctrl+s) before deleting.",
                severity="warning",
            )
            return
        confirmed = await ui.ask(
            ConfirmModal(
                "Delete file",
                f"Move {relative.as_posix()} to the trash?\n"
                "You can restore it from the command palette (ctrl+p).",
                yes_label="Move to trash",
            )
        )
        if not confirmed:
            return
        try:
            await asyncio.to_thread(trash.move_to_trash, self.project, relative)
        except OSError as exc:
            ui.notify(str(exc), severity="error")
            return
        editor = self.views.editor
        if editor is not None and editor.is_open(relative):
            await editor.close(relative)
            session.close_file(relative)
        session.record_file_change("deleted", relative)
        await self._reload_tree()
        self.views.update_breadcrumbs()
        ui.notify(f"{relative.as_posix()} moved to the trash.")
        ui.post(SignificantAction("file_deleted", relative))

    async def _restore_last(self) -> None:
        ui, session = self.ui, self.workspace.session
        entries = await asyncio.to_thread(trash.list_trash, self.project)
        if not entries:
            ui.notify("The trash is empty.")
            return
        try:
            restored = await asyncio.to_thread(trash.restore, self.project, entries[0])
        except OSError as exc:
            ui.notify(str(exc), severity="error")
            return
        relative = restored.relative_to(self.project)
        session.record_file_change("created", relative)
        await self._reload_tree()
        ui.notify(f"Restored {relative.as_posix()}.")
        await self.views.open_path(restored)
        ui.post(SignificantAction("file_restored", relative))

    async def _close(self, area: BufferArea) -> None:
        if not await self.before_close(area.snapshot()):
            return
        editor = self.views.editor
        if editor is None:
            return
        await editor.close(area.path)
        self.workspace.session.close_file(area.path)
        self.views.update_breadcrumbs()
