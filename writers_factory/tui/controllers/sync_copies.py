"""Conflict copies a syncing tool left: told at start and when one appears, merged by choice.

At start (after the workspace is back, before the costs and the history load) the copies in
``.session/`` are merged (``store/session_copies.py``: a backup of ``.session/`` first; cost
operations by id, history sessions by session id) and the writer told what was done; then
the copies in the writer's folders are counted and the writer told where to find them. The
watcher hands over every file that appears, and a conflict copy among them is told at once.

"Sync conflict copies" (the palette) lists them; choosing one shows it beside its original
change by change (``screens/sync_copies.py``). "Apply" keeps the book first (a snapshot,
awaited: nothing changes unless it is kept, open files' unsaved text included), then writes
the merged text to the original — as one edit in its buffer when it is open (ctrl+z takes it
back), else through the durable path and only if the file still holds what was compared —
and moves the copy to the trash. "Not now" changes nothing.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.store.snapshots.triggers import Trigger

if TYPE_CHECKING:
    from writers_factory.core.copy_merge import Change, Side
    from writers_factory.store.manuscript.buffers import FileBuffer, Remember
    from writers_factory.store.session_copies import CopiesReport
    from writers_factory.store.sync_copies import Ancestor, SyncCopy
    from writers_factory.tui.controllers.ports import UI, Snapshots, Views
    from writers_factory.tui.widgets.editor import BufferArea
    from writers_factory.tui.workspace import Workspace

PALETTE = "Sync conflict copies"
"""The palette entry's title (named in notices)."""


def session_notice(report: CopiesReport) -> str:
    """What the start-up merge of ``.session/`` copies did, for a notice."""
    parts = [
        f"{len(report.copies)} conflict cop{'y' if len(report.copies) == 1 else 'ies'} of "
        "session files found"
    ]
    if report.operations_added or report.operations_already_here:
        parts.append(
            f"cost operations: {report.operations_added} added, "
            f"{report.operations_already_here} already here"
        )
    if report.sessions_added or report.sessions_already_here:
        parts.append(
            f"sessions: {report.sessions_added} added, {report.sessions_already_here} already here"
        )
    parts += report.notes
    if report.backup:
        parts.append(f"backup first: .session/backups/{report.backup}")
    return "\n".join(parts)


def _merge_session_copies(project: Path) -> CopiesReport:
    """In a thread: the store modules are imported there too, not on the event loop at
    start-up (they are only needed for this)."""
    from writers_factory.store.session_copies import merge_session_copies

    return merge_session_copies(project, apply=True)


def _find_copies(project: Path) -> list[SyncCopy]:
    """In a thread, its module imported there (see ``_merge_session_copies``)."""
    from writers_factory.store.sync_copies import find_copies

    return find_copies(project)


class SyncCopies:
    """The copies: the start-up merge, the notices, the list and the merge of one."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        views: Views,
        snapshots: Snapshots,
        remember: Remember | None = None,
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.snapshots = snapshots
        self.remember = remember
        self.told: set[str] = set()
        """Copies the writer has been told about (a copy is told once)."""
        self.applied = 0
        """Merges done (tests wait on it)."""

    @property
    def project(self) -> Path:
        return self.workspace.project

    # ------------------------------------------------------------------ telling
    async def start(self) -> None:
        """At start: merge the ``.session/`` copies, then tell of the writer's ones."""
        if not self.workspace.read_only:
            try:
                report = await asyncio.to_thread(_merge_session_copies, self.project)
            except Exception as exc:  # start-up goes on whatever a copy holds; it is named
                self.ui.notify(
                    f"Conflict copies of session files were not merged: {exc}",
                    title="Synced folder",
                    severity="error",
                    timeout=15,
                )
            else:
                if report.copies:
                    self.ui.notify(
                        session_notice(report),
                        title="Synced folder",
                        severity="warning",
                        timeout=15,
                    )
        try:
            copies = await asyncio.to_thread(_find_copies, self.project)
        except OSError:
            return
        self._tell(copies)

    def seen(self, paths: list[Path]) -> None:
        """Files that appeared (the watcher's batch): tell of the conflict copies among them."""
        if paths and not self.ui.closing:
            self.ui.start(lambda: self._seen(paths), group="sync-copies")

    async def _seen(self, paths: list[Path]) -> None:
        from writers_factory.store.sync_copies import copies_among

        self._tell(await asyncio.to_thread(copies_among, self.project, paths))

    def _tell(self, copies: list[SyncCopy]) -> None:
        fresh = [c for c in copies if c.copy not in self.told]
        if not fresh:
            return
        self.told.update(c.copy for c in fresh)
        shown = ", ".join(c.copy for c in fresh[:3]) + (
            f" and {len(fresh) - 3} more" if len(fresh) > 3 else ""
        )
        self.ui.notify(
            f"A syncing tool left {len(fresh)} conflict cop{'y' if len(fresh) == 1 else 'ies'}: "
            f"{shown}. They are not counted as chapters. Choose “{PALETTE}” in the command "
            "palette to compare and merge.",
            title="Synced folder",
            severity="warning",
            timeout=15,
        )

    # ------------------------------------------------------------------ choosing
    def show(self) -> None:
        """The palette's "Sync conflict copies"."""
        self.ui.start(self._choose, group="sync-copies-screen", exclusive=True)

    async def _choose(self) -> None:
        from writers_factory.store.sync_copies import find_copies
        from writers_factory.tui.screens.sync_copies import CopiesScreen

        copies = await asyncio.to_thread(find_copies, self.project)
        if not copies:
            self.ui.notify("No conflict copies in manuscript/, reference/ or planning/.")
            return
        chosen = await self.ui.ask(CopiesScreen(copies))
        if chosen is not None:
            await self.resolve(chosen)

    async def _area(self, relative: str) -> BufferArea | None:
        """The open tab's editor (built if the tab was never shown: its text is compared
        and merged like any open file's)."""
        editor = self.views.editor
        return None if editor is None else await editor.built(Path(relative))

    async def resolve(self, copy: SyncCopy) -> bool:
        """Compare ``copy`` with its original, ask, and carry out the answer; True = applied."""
        from writers_factory.core.copy_merge import changes
        from writers_factory.tui.screens.sync_copies import ResolveScreen

        area = await self._area(copy.original)
        open_text = None if area is None else area.text
        try:
            disk, original, theirs, ancestor = await asyncio.to_thread(
                self._read, copy, open_text is None
            )
        except (OSError, UnicodeDecodeError) as exc:
            self.ui.notify(f"{copy.copy} could not be read: {exc}", severity="error")
            return False
        if open_text is not None:
            original = open_text
        found = await asyncio.to_thread(
            changes, original, theirs, None if ancestor is None else ancestor.text
        )
        chosen = await self.ui.ask(ResolveScreen(copy, found, ancestor))
        if chosen is None:
            return False
        return await self._apply(copy, original, found, chosen, disk)

    def _read(
        self, copy: SyncCopy, closed: bool
    ) -> tuple[FileBuffer | None, str, str, Ancestor | None]:
        """In a thread: the original (when closed), the copy, the common ancestor."""
        from writers_factory.store.manuscript.buffers import FileBuffer
        from writers_factory.store.sync_copies import ancestor_of

        disk, original = None, ""
        if closed:
            disk, original = FileBuffer.load(self.project / copy.original, project=self.project)
        path = self.project / copy.copy
        theirs = path.read_bytes().decode("utf-8-sig")
        made = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
        return disk, original, theirs, ancestor_of(self.project, copy.original, made)

    async def _apply(
        self,
        copy: SyncCopy,
        original: str,
        found: list[Change],
        chosen: dict[int, Side],
        disk: FileBuffer | None,
    ) -> bool:
        from writers_factory.core.copy_merge import merged

        if self.workspace.read_only:
            self.ui.notify("The project is open read-only: nothing was merged.", severity="warning")
            return False
        text = await asyncio.to_thread(merged, original, found, chosen)
        editor = self.views.editor
        unsaved = {
            a.path.as_posix(): a.text
            for a in ([] if editor is None else editor.buffers())
            if a.dirty
        }
        try:
            await self.snapshots.take(
                Trigger.SYNC_MERGE,
                message=f"before merging {copy.copy} into {copy.original}",
                overrides=unsaved,
            )
        except Exception as exc:
            self.ui.notify(
                f"The book could not be kept first ({exc}), so nothing changed.", severity="error"
            )
            return False
        area = await self._area(copy.original)
        if disk is None:  # open when compared
            if area is None or area.text != original:
                self.ui.notify(
                    f"{copy.original} changed while you chose; nothing changed. Compare again.",
                    severity="warning",
                )
                return False
            if text != original:
                if area.read_only:
                    self.ui.notify(f"{copy.original} is read-only; nothing changed.")
                    return False
                area.history.checkpoint()
                area.replace(text, (0, 0), area.document.end, maintain_selection_offset=False)
                area.history.checkpoint()
        elif area is not None:
            self.ui.notify(
                f"{copy.original} was opened while you chose; nothing changed. Compare again.",
                severity="warning",
            )
            return False
        else:
            problem = await asyncio.to_thread(self._write, disk, original, text)
            if problem is not None:
                self.ui.notify(f"{copy.original}: {problem}; nothing changed.", severity="warning")
                return False
        return await self._trash(copy)

    def _write(self, disk: FileBuffer, original: str, text: str) -> str | None:
        """In a thread: the merged text over the closed original, if it still holds what was
        compared; why not, else ``None``."""
        from writers_factory.store.manuscript.buffers import ReadOnlyFileError, SaveConflict

        if text == original:
            return None
        try:
            disk.save(text, remember=self.remember)
        except SaveConflict:
            return "changed on disk while you chose"
        except ReadOnlyFileError:
            return "read-only"
        except OSError as exc:
            return str(exc)
        return None

    async def _trash(self, copy: SyncCopy) -> bool:
        from writers_factory.store.manuscript.trash import move_to_trash

        relative = Path(copy.copy)
        editor = self.views.editor
        if editor is not None and editor.is_open(relative):
            await editor.close(relative)
            self.workspace.session.close_file(relative)
        try:
            await asyncio.to_thread(move_to_trash, self.project, relative)
        except OSError as exc:
            self.ui.notify(
                f"{copy.original} is merged, but {copy.copy} could not be moved to the trash: "
                f"{exc}",
                severity="error",
            )
            return False
        self.workspace.session.record_file_change("deleted", relative)
        self.told.discard(copy.copy)
        tree = self.views.tree
        if tree is not None:
            await tree.relist()
        self.applied += 1
        self.ui.notify(f"{copy.original} merged; {copy.copy} moved to the trash.")
        return True
