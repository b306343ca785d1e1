"""The project watcher inside the app: outside changes reach the session, the tree, the editor.

Each batch from :class:`ProjectWatcher` arrives on the event loop. It is recorded at once
(session ``file_changes``, and the history for manuscript files), synchronously, so the
batch that ``stop()`` delivers on quit is recorded before the final save. Showing it — tree
reload, a notice, open buffers — runs in a worker:

* a clean open buffer whose file changed is reloaded in place, cursor kept;
* a dirty one asks keep mine / take theirs / keep both; neither side is ever overwritten
  without that choice (escape leaves the buffer unsaved, and the next save asks again);
* a deleted open file keeps its buffer, marked unsaved, so the text can be saved back;
* a moved open file is followed by its buffer.

The app's own buffer saves never come back as changes: :meth:`ProjectWatch.remember` is the
``remember`` hook every save passes to :class:`FileBuffer`. File actions the app records
itself (new, rename, delete, restore) are matched against the session's records and not
recorded twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from textual.widgets import TextArea

from writers_factory.store.buffers import ENCODING, DiskState, FileBuffer, sha256_of
from writers_factory.store.journal import Journal
from writers_factory.tui.screens.conflict import ConflictChoice, ConflictScreen
from writers_factory.tui.widgets.messages import FileRenamed
from writers_factory.watch import ChangeKind, FileChange, KnownContent, ProjectWatcher

if TYPE_CHECKING:
    from writers_factory.store.session_models import FileChangeRecord
    from writers_factory.tui.app import WritersFactoryApp
    from writers_factory.tui.widgets.editor import BufferArea

SHOWN_NAMES = 4
"""How many changed files a notice names before it says "and N more"."""

RecordKey = tuple[str, str, str | None, datetime]


class ActivityHooks(Protocol):
    """What the watcher tells the writing statistics (``WritingActivity``)."""

    def saved(self, path: Path, data: bytes) -> None: ...

    def rebase(self, path: Path, text: str) -> None: ...

    def outside_change(self, kind: str, path: Path, dest: Path | None = None) -> None: ...


def _key(record: FileChangeRecord) -> RecordKey:
    return (record.kind, record.path, record.dest, record.at)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class ProjectWatch:
    """Starts and stops with the app; applies each batch of outside changes."""

    def __init__(
        self,
        app: WritersFactoryApp,
        activity: ActivityHooks | None = None,
        *,
        debounce: float = 0.25,
    ) -> None:
        self.app = app
        self.activity = activity
        self.debounce = debounce
        self.known = KnownContent()
        self.watcher: ProjectWatcher | None = None
        self.batches = 0
        """Batches handled so far (tests wait on it instead of sleeping)."""
        self._claimed: set[RecordKey] = set()
        self._asking: set[Path] = set()
        self._stopping = False
        self._since: datetime | None = None

    @property
    def running(self) -> bool:
        return self.watcher is not None and self.watcher.running

    # ------------------------------------------------------------------ the save hook
    def remember(self, path: Path, data: bytes) -> None:
        """``FileBuffer``'s remember hook: ``data`` is about to be written to ``path``."""
        self.known.remember(path, data)
        if self.activity is not None:
            self.activity.saved(path, data)

    # ------------------------------------------------------------------ life cycle
    async def start(self) -> bool:
        """Start watching; without watches (inotify limits) the app runs on, and says so."""
        watcher = ProjectWatcher(
            self.app.project, self.known, self._on_changes, debounce=self.debounce
        )
        self._stopping = False
        self._since = datetime.now(UTC)
        self._claimed = {_key(r) for r in self.app.session.data.file_changes}
        try:
            await watcher.start()
        except OSError as exc:
            self.app.notify(
                f"Changes made to the project by other programs will not be noticed: {exc}",
                title="Not watching the project",
                severity="warning",
                timeout=12,
            )
            return False
        self.watcher = watcher
        return True

    async def stop(self) -> None:
        """Stop watching; changes already seen are recorded before this returns."""
        self._stopping = True
        watcher, self.watcher = self.watcher, None
        if watcher is not None:
            await watcher.stop()

    # ------------------------------------------------------------------ a batch
    def _on_changes(self, changes: list[FileChange]) -> None:
        """On the loop: record now (quit may follow at once), show in a worker."""
        changes = self._record(changes)
        if not changes:
            return
        if self._stopping:
            self.batches += 1
            return
        self.app.run_worker(self._show(changes), group="project-watch", exit_on_error=False)

    def _record(self, changes: list[FileChange]) -> list[FileChange]:
        """Record each change once; drop those the app already recorded as its own action."""
        session = self.app.session
        recorded = [r for r in session.data.file_changes if _key(r) not in self._claimed]
        outside: list[FileChange] = []
        for change in changes:
            kind = change.kind.value
            rel = session.relative(change.path)
            dest = None if change.dest is None else session.relative(change.dest)
            own = next((r for r in recorded if (r.kind, r.path, r.dest) == (kind, rel, dest)), None)
            if own is not None:
                self._claimed.add(_key(own))
                recorded.remove(own)
                continue
            outside.append(change)
            if not session.read_only:
                session.record_file_change(kind, change.path, change.dest)
                self._claimed.add(_key(session.data.file_changes[-1]))
            if self.activity is not None and not change.is_directory:
                self.activity.outside_change(kind, change.path, change.dest)
        return outside

    async def _show(self, changes: list[FileChange]) -> None:
        try:
            if any(c.kind is not ChangeKind.MODIFIED or c.is_directory for c in changes):
                await self.app.project_tree.reload()
            self.app.notify(self.summary(changes), title="Changed outside Writers Factory")
            for area in list(self.app.editor.buffers()):
                await self._follow(area, changes)
        finally:
            self.batches += 1

    def summary(self, changes: list[FileChange]) -> str:
        """``manuscript/a.md modified, notes.md created`` — what the writer should know."""
        names: list[str] = []
        for change in changes:
            name = self.app.session.relative(change.path)
            if change.kind is ChangeKind.MOVED and change.dest is not None:
                names.append(f"{name} moved to {self.app.session.relative(change.dest)}")
            else:
                names.append(f"{name} {change.kind.value}")
        shown = ", ".join(names[:SHOWN_NAMES])
        more = len(names) - SHOWN_NAMES
        return shown + (f" and {more} more" if more > 0 else "")

    # ------------------------------------------------------------------ open buffers
    async def _follow(self, area: BufferArea, changes: Iterable[FileChange]) -> None:
        path = self.app.project / area.path
        for change in changes:
            if change.kind is ChangeKind.MOVED and change.dest is not None:
                if _inside(path, change.path):
                    await self._moved(area, change.dest / path.relative_to(change.path))
                    return
            elif change.kind is ChangeKind.DELETED and _inside(path, change.path):
                await self._check(area, deleted=True)
                return
            elif change.path == path:
                await self._check(area, deleted=False)
                return

    async def _check(self, area: BufferArea, *, deleted: bool) -> None:
        """Compare the file with what the buffer was loaded from, then act on the difference."""
        if area.path in self._asking:
            return  # the question already on screen reads the disk when answered
        try:
            data = await asyncio.to_thread(_read, area.disk.path)
        except OSError as exc:
            self.app.notify(f"{area.path.as_posix()} could not be read: {exc}", severity="error")
            return
        if data is None:
            if area.disk.base_sha256 is not None:
                self._deleted(area)
            return
        if area.disk.base_sha256 is not None and sha256_of(data) == area.disk.base_sha256:
            return  # what the buffer was loaded from or last saved: nothing new
        if area.dirty:
            self.app.run_worker(self._ask(area, data), group="project-watch-ask")
        else:
            self._reload(area, data)

    def _reload(self, area: BufferArea, data: bytes) -> None:
        """A clean buffer takes the new text in place; the cursor stays where it was."""
        text = data.decode(ENCODING, errors="replace")
        line, col = area.cursor_location
        self._show_text(area, text, data)
        line = min(line, area.document.line_count - 1)
        col = min(col, len(area.document.get_line(line)))
        area.move_cursor((line, col))
        self.app.notify(f"{area.path.as_posix()} was reloaded: it changed on disk.")

    def _show_text(self, area: BufferArea, text: str, data: bytes) -> None:
        """Show the disk's text as the saved state (no edit event: nothing was typed)."""
        area.disk.base_sha256 = sha256_of(data)
        with contextlib.suppress(OSError):
            area.disk.base_mtime = area.disk.path.stat().st_mtime
        with area.prevent(TextArea.Changed):
            area.load_text(text)
        area.dirty = False
        self.app.editor.refresh_title(area.path)
        if self.activity is not None:
            self.activity.rebase(area.disk.path, text)

    def _deleted(self, area: BufferArea) -> None:
        area.dirty = True
        self.app.editor.refresh_title(area.path)
        self.app.notify(
            f"{area.path.as_posix()} was deleted outside Writers Factory. Its text stays "
            "open, unsaved: saving offers to write it back.",
            severity="warning",
            timeout=10,
        )

    async def _moved(self, area: BufferArea, dest: Path) -> None:
        old = area.path
        try:
            new = dest.relative_to(self.app.project)
        except ValueError:
            self._deleted(area)
            return
        if self.app.editor.find(new) is not None:
            self._deleted(area)  # the name is taken by another open buffer: keep ours aside
            return
        self.app.editor.rename(old, new, dest)
        session = self.app.session
        line, col = area.cursor_location
        session.close_file(old)
        session.open_file(new, line, col)
        self.app.post_message(FileRenamed(old, new))
        self.app.notify(f"{old.as_posix()} was moved to {new.as_posix()}; the tab follows it.")

    async def _ask(self, area: BufferArea, data: bytes) -> None:
        """A dirty buffer's file changed: the writer decides, nothing is written before."""
        path = area.path
        self._asking.add(path)
        try:
            choice = await self._question(area, data)
            await self._apply(area, choice)
        except OSError as exc:
            self.app.notify(
                f"{path.as_posix()}: {exc}. Nothing was overwritten; your text is still open.",
                severity="error",
                timeout=12,
            )
        finally:
            self._asking.discard(path)

    async def _question(self, area: BufferArea, data: bytes) -> ConflictChoice | None:
        theirs = len(data.decode(ENCODING, errors="replace"))
        screen = ConflictScreen(
            area.path.as_posix(), DiskState.CHANGED_OUTSIDE, len(area.text), theirs
        )
        answer: asyncio.Future[ConflictChoice | None] = asyncio.get_running_loop().create_future()

        def done(choice: ConflictChoice | None) -> None:
            if not answer.done():
                answer.set_result(choice)

        self.app.push_screen(screen, callback=done)
        return await answer

    async def _apply(self, area: BufferArea, choice: ConflictChoice | None) -> None:
        path, text, disk = area.path, area.text, area.disk
        journal = Journal(self.app.project)
        editor = self.app.editor
        if choice is ConflictChoice.KEEP_MINE:
            await asyncio.to_thread(disk.keep_mine, text, remember=self.remember)
            editor.mark_saved(path, text)
            with contextlib.suppress(OSError):
                await asyncio.to_thread(journal.discard_if_saved, path, text)
            self.app.notify(f"Your text of {path.as_posix()} was saved over the other version.")
        elif choice is ConflictChoice.TAKE_THEIRS:
            if not await self._take_theirs(area, disk):
                return
            with contextlib.suppress(OSError):
                await asyncio.to_thread(journal.set_aside_entry, path, datetime.now(UTC))
            self.app.notify(f"{path.as_posix()} now shows the version on disk.")
        elif choice is ConflictChoice.KEEP_BOTH:
            now = datetime.now(UTC).astimezone()
            written, _ = await asyncio.to_thread(disk.keep_both, text, now, remember=self.remember)
            with contextlib.suppress(OSError):
                await asyncio.to_thread(journal.set_aside_entry, path, datetime.now(UTC))
            await self._take_theirs(area, disk)
            copy_disk, copy_text = await asyncio.to_thread(FileBuffer.load, written.path)
            copy = written.path.relative_to(self.app.project)
            await editor.open(copy, copy_text, copy_disk, activate=False)
            await self.app.project_tree.reload()
            self.app.notify(
                f"Your version is saved as {copy.as_posix()}; {path.as_posix()} shows theirs."
            )
        else:
            self.app.notify(
                f"{path.as_posix()} changed on disk and was not saved; your text stays open "
                "and the next save asks again.",
                severity="warning",
            )

    async def _take_theirs(self, area: BufferArea, disk: FileBuffer) -> bool:
        data = await asyncio.to_thread(_read, disk.path)
        if data is None:
            self._deleted(area)
            return False
        self._show_text(area, data.decode(ENCODING, errors="replace"), data)
        return True


def _read(path: Path) -> bytes | None:
    try:
        return Path(os.fspath(path)).read_bytes()
    except FileNotFoundError:
        return None
