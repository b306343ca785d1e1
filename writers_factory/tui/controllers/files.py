"""New file, rename, delete, restore and close — the project tree's actions.

Each action asks first (a modal), then does the disk work in a thread, and only then
updates the tree, the tabs and the session, so a refused or failed action changes nothing.
Deletes go to the project trash and a file with unsaved text is never deleted or closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen

from writers_factory import project as projects
from writers_factory.store.manuscript import trash
from writers_factory.tui.screens.file_modals import ConfirmModal, NameModal
from writers_factory.tui.widgets.editor import BufferArea
from writers_factory.tui.widgets.messages import FileRenamed, SignificantAction

if TYPE_CHECKING:
    from writers_factory.tui.app import WritersFactoryApp


class FileActions:
    """The file flows of one workspace app; the app's ``action_*`` methods call these."""

    def __init__(self, app: WritersFactoryApp) -> None:
        self.app = app

    @property
    def project(self) -> Path:
        return self.app.project

    def _can_act(self) -> bool:
        app = self.app
        if isinstance(app.screen, ModalScreen):
            return False  # one question at a time
        if app.session.read_only:
            app.notify("This project is open read-only; files cannot be changed.")
            return False
        return True

    def target(self) -> Path | None:
        """The file an action applies to: the tree's selection when the tree has focus."""
        tree = self.app.project_tree
        if tree.has_focus:
            node = tree.cursor_node
            if node is not None and node.data is not None and not node.allow_expand:
                return Path(node.data.path)
        area = self.app.editor.active
        return self.project / area.path if area is not None else None

    def target_folder(self) -> Path:
        node = self.app.project_tree.cursor_node
        if node is None or node.data is None:
            return self.project / "manuscript"
        path = Path(node.data.path)
        return path if node.allow_expand else path.parent

    def _run(self, flow: Coroutine[Any, Any, None]) -> None:
        self.app.run_worker(flow, group="file-action")

    def new_file(self) -> None:
        if self._can_act():
            self._run(self._new_file(self.target_folder()))

    def _run_on_target(self, flow: Callable[[Path], Coroutine[Any, Any, None]]) -> None:
        """Start ``flow`` on :meth:`target`, or say why not: one rule for every file action."""
        target = self.target()
        if target is None:
            self.app.notify("Select a file in the tree or open one first.")
        elif self._can_act():
            self._run(flow(target))

    def rename(self) -> None:
        self._run_on_target(self._rename)

    def delete(self) -> None:
        self._run_on_target(self._delete)

    def restore_last(self) -> None:
        if self._can_act():
            self._run(self._restore_last())

    def close(self) -> None:
        area = self.app.editor.active
        if area is not None:
            self._run(self._close(area))

    async def _new_file(self, folder: Path) -> None:
        app = self.app
        folder = projects.writable_folder(self.project, folder)
        where = folder.relative_to(self.project).as_posix()
        name = await app.push_screen_wait(
            NameModal("New file", f"Name of the new file in {where}/", ok_label="Create")
        )
        if name is None:
            return
        try:
            created = await asyncio.to_thread(projects.new_file, self.project, folder, name)
        except (projects.ProjectError, OSError) as exc:
            app.notify(str(exc), severity="error")
            return
        relative = created.relative_to(self.project)
        app.session.record_file_change("created", relative)
        await app.project_tree.reload()
        await app.open_path(created)
        app.post_message(SignificantAction("file_created", relative))

    async def _rename(self, target: Path) -> None:
        app = self.app
        old = target.relative_to(self.project)
        name = await app.push_screen_wait(
            NameModal(
                "Rename file", f"New name for {old.as_posix()}", target.name, ok_label="Rename"
            )
        )
        if name is None or name == target.name:
            return
        try:
            renamed = await asyncio.to_thread(projects.rename_file, self.project, target, name)
        except (projects.ProjectError, OSError) as exc:
            app.notify(str(exc), severity="error")
            return
        new = renamed.relative_to(self.project)
        area = app.editor.find(old)
        if area is not None:
            app.editor.rename(old, new, renamed)
            line, col = area.cursor_location
            app.session.close_file(old)
            app.session.open_file(new, line, col)
            app.update_breadcrumbs()
        app.session.record_file_change("moved", old, new)
        await app.project_tree.reload()
        app.post_message(FileRenamed(old, new))
        app.post_message(SignificantAction("file_renamed", new))

    async def _delete(self, target: Path) -> None:
        app = self.app
        relative = target.relative_to(self.project)
        area = app.editor.find(relative)
        if area is not None and area.dirty:
            app.notify(
                f"{relative.name} has unsaved changes; save it (ctrl+s) before deleting.",
                severity="warning",
            )
            return
        confirmed = await app.push_screen_wait(
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
            app.notify(str(exc), severity="error")
            return
        if area is not None:
            await app.editor.close(relative)
            app.session.close_file(relative)
        app.session.record_file_change("deleted", relative)
        await app.project_tree.reload()
        app.update_breadcrumbs()
        app.notify(f"{relative.as_posix()} moved to the trash.")
        app.post_message(SignificantAction("file_deleted", relative))

    async def _restore_last(self) -> None:
        app = self.app
        entries = await asyncio.to_thread(trash.list_trash, self.project)
        if not entries:
            app.notify("The trash is empty.")
            return
        try:
            restored = await asyncio.to_thread(trash.restore, self.project, entries[0])
        except OSError as exc:
            app.notify(str(exc), severity="error")
            return
        relative = restored.relative_to(self.project)
        app.session.record_file_change("created", relative)
        await app.project_tree.reload()
        app.notify(f"Restored {relative.as_posix()}.")
        await app.open_path(restored)
        app.post_message(SignificantAction("file_restored", relative))

    async def _close(self, area: BufferArea) -> None:
        app = self.app
        if not await app.before_close(area.snapshot()):
            return
        await app.editor.close(area.path)
        app.session.close_file(area.path)
        app.update_breadcrumbs()
