"""The history screen's source and the "Snapshot now" action.

Reads the snapshot repository in threads and compares it with the text the writer has
now: an open chapter's buffer (unsaved edits included), else the file on disk. Restoring
first has the snapshot worker keep the present (``before-restore``, awaited: nothing is
replaced unless it is kept), then puts the old text in the editor as one edit the writer
can undo (ctrl+z); a deleted file is written back first, then opened. History itself is
never rewritten.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.store.snapshots.triggers import Trigger
from writers_factory.tui.screens.file_modals import NameModal
from writers_factory.tui.screens.history import HistoryScreen, Mode, TimelineEntry

if TYPE_CHECKING:
    from writers_factory.store.snapshots.models import SnapshotInfo
    from writers_factory.store.snapshots.repository import SnapshotRepository
    from writers_factory.tui.controllers.ports import UI, Snapshots, Views
    from writers_factory.tui.workspace import Workspace

DELETED_SEARCH = 500
"""How many snapshots back a deleted file is looked for."""


def _label(trigger: str) -> str:
    try:
        return Trigger(trigger).label
    except ValueError:
        return trigger


def _entry(info: SnapshotInfo) -> TimelineEntry:
    meta = info.meta
    return TimelineEntry(
        id=info.id,
        when=meta.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
        trigger=_label(meta.trigger),
        message=meta.message,
        added=meta.added,
        removed=meta.removed,
    )


class HistoryController:
    """Implements :class:`~writers_factory.tui.screens.history.HistorySource`."""

    def __init__(self, workspace: Workspace, ui: UI, views: Views, snapshots: Snapshots) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.snapshots = snapshots

    # -- actions -------------------------------------------------------------------------------

    def show(self, mode: Mode) -> None:
        path: str | None = None
        if mode == "file":
            editor = self.views.editor
            area = None if editor is None else editor.active
            if area is None:
                self.ui.notify("Open a chapter to see its history; here is the project's.")
                mode = "project"
            else:
                path = area.path.as_posix()
        self.ui.show(HistoryScreen(self, mode, path))

    def snapshot_now(self) -> None:
        self.ui.start(self._snapshot_now, group="snapshot-now")

    async def _snapshot_now(self) -> None:
        message = await self.ui.ask(
            NameModal(
                "Snapshot now",
                "A few words for the history (what is this moment?)",
                ok_label="Take snapshot",
            )
        )
        if message is None:
            return
        try:
            ident = await self.snapshots.take(
                Trigger.MANUAL, message=message, overrides=self._unsaved()
            )
        except Exception as exc:
            self.ui.notify(f"The snapshot could not be taken: {exc}", severity="error")
            return
        if ident is not None:
            self.ui.notify(f"Snapshot {ident[:10]} taken: {message}", title="Snapshots")

    # -- what the writer has now -------------------------------------------------------------

    def _unsaved(self) -> dict[str, str]:
        """Open chapters whose text is not yet in their file (taken on the loop: references)."""
        editor = self.views.editor
        if editor is None:
            return {}
        return {a.path.as_posix(): a.text for a in editor.buffers() if a.dirty}

    def _open_text(self, path: str) -> str | None:
        editor = self.views.editor
        return None if editor is None else editor.text_of(Path(path))

    def _repository(self) -> SnapshotRepository:
        from writers_factory.store.snapshots.repository import SnapshotRepository

        return SnapshotRepository(self.workspace.project / ".session")

    # -- the screen's source -----------------------------------------------------------------

    async def timeline(self, path: str | None) -> list[TimelineEntry]:
        def read() -> list[TimelineEntry]:
            from writers_factory.store.snapshots.reading import history_of, walk

            repo = self._repository()
            if not repo.exists() or repo.head() is None:
                return []
            infos = history_of(repo, path) if path is not None else list(walk(repo))
            return [_entry(info) for info in infos]

        return await asyncio.to_thread(read)

    async def diff(self, snapshot_id: str, path: str | None) -> list[str]:
        overrides = self._unsaved()
        if path is not None:
            now = self._open_text(path)
            return await asyncio.to_thread(self._diff_file, snapshot_id, path, now)
        return await asyncio.to_thread(self._diff_project, snapshot_id, overrides)

    def _diff_file(self, snapshot_id: str, path: str, now: str | None) -> list[str]:
        from writers_factory.store.snapshots.reading import file_text, unified

        old = file_text(self._repository(), snapshot_id, path)
        if now is None:
            disk = self.workspace.project / path
            now = disk.read_text("utf-8", errors="replace") if disk.is_file() else ""
        return unified(old or "", now, f"{snapshot_id[:10]}/{path}", f"now/{path}")

    def _project_now(self, overrides: dict[str, str]) -> dict[str, str]:
        from writers_factory.store.snapshots.capture import is_project_path, project_files

        found: dict[str, str] = {}
        for rel, path, _st in project_files(self.workspace.project):
            if is_project_path(rel):
                try:
                    found[rel] = path.read_bytes().decode("utf-8", errors="replace")
                except OSError:
                    continue
        found.update(overrides)
        return found

    def _diff_project(self, snapshot_id: str, overrides: dict[str, str]) -> list[str]:
        from writers_factory.store.snapshots.capture import is_project_path
        from writers_factory.store.snapshots.reading import blob_bytes, files_of, unified

        repo = self._repository()
        then = {p: b for p, b in files_of(repo, snapshot_id).items() if is_project_path(p)}
        now = self._project_now(overrides)
        lines: list[str] = []
        for path in sorted(set(then) | set(now)):
            old = (
                blob_bytes(repo, then[path]).decode("utf-8", errors="replace")
                if path in then
                else None
            )
            new = now.get(path)
            if old == new:
                continue
            lines += unified(
                old or "",
                new or "",
                f"{snapshot_id[:10]}/{path}" if old is not None else "/dev/null",
                f"now/{path}" if new is not None else "/dev/null",
            )
        return lines

    async def today(self) -> list[str]:
        overrides = self._unsaved()

        def read() -> list[str]:
            from writers_factory.store.snapshots.reading import first_of_day

            repo = self._repository()
            if not repo.exists() or repo.head() is None:
                return []
            start = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
            base = first_of_day(repo, start)
            return [] if base is None else self._diff_project(base.id, overrides)

        return await asyncio.to_thread(read)

    async def deleted(self) -> list[TimelineEntry]:
        def read() -> list[TimelineEntry]:
            from writers_factory.store.snapshots.capture import is_project_path
            from writers_factory.store.snapshots.reading import files_of, walk

            repo = self._repository()
            if not repo.exists() or repo.head() is None:
                return []
            project = self.workspace.project
            found: dict[str, TimelineEntry] = {}
            for index, info in enumerate(walk(repo)):
                if index >= DELETED_SEARCH:
                    break
                for path in files_of(repo, info.id):
                    if path in found or not is_project_path(path):
                        continue
                    if (project / path).exists():
                        continue
                    entry = _entry(info)
                    found[path] = TimelineEntry(
                        entry.id, entry.when, "deleted", entry.message, 0, 0, path
                    )
            return sorted(found.values(), key=lambda e: e.path or "")

        return await asyncio.to_thread(read)

    async def restore(self, snapshot_id: str, path: str) -> bool:
        from writers_factory.store.snapshots.restore import project_path, version_of
        from writers_factory.store.snapshots.taker import Snapshotter

        project = self.workspace.project
        try:
            rel = project_path(project, path)
            _commit, data = await asyncio.to_thread(
                version_of, Snapshotter(project), snapshot_id, rel
            )
        except (OSError, ValueError) as exc:
            self.ui.notify(f"Could not read that version: {exc}", severity="error")
            return False
        text = data.decode("utf-8", errors="replace")
        now = self._open_text(rel)
        try:
            await self.snapshots.take(
                Trigger.RESTORE,
                message=f"before restoring {rel} from {snapshot_id[:10]}",
                overrides=None if now is None else {rel: now},
            )
        except Exception as exc:
            self.ui.notify(
                f"The text now could not be kept first, so nothing was restored: {exc}",
                severity="error",
            )
            return False
        target = project / rel
        if self._open_text(rel) is None and not await asyncio.to_thread(target.exists):
            from writers_factory.store.base.durable import write_atomic

            try:
                await asyncio.to_thread(write_atomic, target, data, private=False)
            except OSError as exc:
                self.ui.notify(f"Could not write {rel}: {exc}", severity="error")
                return False
            await self.views.open_path(target)
            self.ui.notify(f"{rel} was restored from snapshot {snapshot_id[:10]}.")
            return True
        await self.views.open_path(target)
        editor = self.views.editor
        area = None if editor is None else editor.find(Path(rel))
        if area is None:
            self.ui.notify(f"{rel} could not be opened to restore it.", severity="error")
            return False
        area.replace(text, (0, 0), area.document.end)  # one edit: ctrl+z takes it back
        self.ui.notify(
            f"{rel} now shows the version of {snapshot_id[:10]} (ctrl+z undoes it); "
            "it is saved like any edit."
        )
        return True
