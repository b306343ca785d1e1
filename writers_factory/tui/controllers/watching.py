"""The project watcher inside the app: outside changes reach the session, the tree, the editor.

Each batch from :class:`ProjectWatcher` arrives on the event loop. It is recorded at once
(session ``file_changes``, and the history for manuscript files), synchronously, so the
batch that ``stop()`` delivers on quit is recorded before the final save. Showing it — tree
reload, a notice, open buffers — runs in a worker:

* a clean open buffer whose file changed is reloaded in place, cursor kept;
* a dirty one gets the keep mine / take theirs / keep both question at once, from the save
  coordinator (the one place conflicts are resolved, with the journal); neither side is
  ever overwritten without that choice;
* a deleted open file keeps its buffer, marked unsaved and journaled, so it can be saved back;
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
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from writers_factory.store.manuscript.buffers import ENCODING, Outgoing, sha256_of
from writers_factory.tui.controllers.writing import TRACKED_FOLDERS
from writers_factory.tui.widgets.messages import FileRenamed
from writers_factory.watch import ChangeKind, FileChange, KnownContent, ProjectWatcher

if TYPE_CHECKING:
    from writers_factory.core.common_ends import CommonEnds
    from writers_factory.store.session.models import FileChangeRecord
    from writers_factory.tui.controllers.ports import UI, Snapshots, Views
    from writers_factory.tui.widgets.editor import BufferArea
    from writers_factory.tui.workspace import Workspace

SHOWN_NAMES = 4
"""How many changed files a notice names before it says "and N more"."""

RecordKey = tuple[str, str, str | None, datetime]


class ActivityHooks(Protocol):
    """What the watcher tells the writing statistics (``WritingActivity``)."""

    def saved(
        self,
        path: Path,
        data: bytes,
        previous: bytes | None = None,
        text: str | None = None,
        ends: CommonEnds | None = None,
    ) -> None: ...

    def rebase(self, path: Path, text: str) -> None: ...

    def outside_change(self, kind: str, path: Path, dest: Path | None = None) -> None: ...

    def outside_changes(self, changes: list[tuple[str, str, str | None]]) -> None: ...


class Saving(Protocol):
    """What the watcher asks of the save coordinator (``controllers/saving.py``)."""

    enabled: bool

    def request_save(self, reason: str = "auto", *, interactive: bool = False) -> None: ...

    async def write_journal(self, path: Path) -> bool: ...


def _key(record: FileChangeRecord) -> RecordKey:
    return (record.kind, record.path, record.dest, record.at)


def _relative(path: Path, root: str) -> str:
    """Project-relative POSIX form by string arithmetic (``root`` ends with a separator):
    a burst brings a thousand paths to the loop, and ``Path.relative_to`` costs ~30 µs each."""
    text = os.path.normpath(os.fspath(path))
    if text.startswith(root):
        return text[len(root) :].replace(os.sep, "/")
    return Path(text).as_posix()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class ProjectWatch:
    """Starts and stops with the app; applies each batch of outside changes."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        views: Views,
        activity: ActivityHooks | None = None,
        *,
        saving: Callable[[], Saving | None] = lambda: None,
        debounce: float = 0.25,
        snapshots: Snapshots | None = None,
        appeared: Callable[[list[Path]], None] | None = None,
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.snapshots = snapshots
        """Asked to keep the buffer's text before an outside change replaces it."""
        self.activity = activity
        self.appeared = appeared
        """Told the files each batch brought (created, or moved in): a conflict copy?"""
        self._saving = saving
        """The save coordinator, once start-up has made one."""
        self.debounce = debounce
        self.known = KnownContent()
        self.watcher: ProjectWatcher | None = None
        self.batches = 0
        """Batches handled so far (tests wait on it instead of sleeping)."""
        self._claimed: set[RecordKey] = set()
        self._stopping = False
        self._since: datetime | None = None
        self._stop_task: asyncio.Task[None] | None = None

    @property
    def saving(self) -> Saving | None:
        """The save coordinator, once start-up made one (none while read-only)."""
        saving = self._saving()
        return saving if saving is not None and saving.enabled else None

    @property
    def running(self) -> bool:
        return self.watcher is not None and self.watcher.running

    # ------------------------------------------------------------------ the save hook
    def remember(self, outgoing: Outgoing) -> None:
        """``FileBuffer``'s remember hook (a save's thread): bytes about to be written.

        The hash is handed on unfinished (it is computed while the bytes are written) and the
        words count gets the text the save encoded, never the bytes decoded again, with what
        it shares with the text written before (found by the save's encoding)."""
        self.known.remember(outgoing.path, outgoing.data, outgoing.digest)
        if self.activity is not None:
            self.activity.saved(
                outgoing.path, outgoing.data, outgoing.previous, outgoing.text, outgoing.ends
            )

    # ------------------------------------------------------------------ life cycle
    async def start(self) -> bool:
        """Start watching; without watches (inotify limits) the app runs on, and says so."""
        watcher = ProjectWatcher(
            self.workspace.project,
            self.known,
            self._on_changes,
            folders=TRACKED_FOLDERS,
            debounce=self.debounce,
        )
        self._stopping = False
        self._since = datetime.now(UTC)
        self._claimed = {_key(r) for r in self.workspace.session.data.file_changes}
        try:
            await watcher.start()
        except OSError as exc:
            self.ui.notify(
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

    def stop_soon(self) -> None:
        """Exit without quit (unmount, signals): stop in the background, wait for nothing.

        The final save must not wait for the observer's threads; they are daemon threads and
        are stopped on one of their own, so even a cancelled stop cannot keep them running.
        """
        if self.watcher is None:
            return
        self._stopping = True
        self._stop_task = asyncio.get_running_loop().create_task(self.stop())

    # ------------------------------------------------------------------ a batch
    def _on_changes(self, changes: list[FileChange]) -> None:
        """On the loop: record now (quit may follow at once), show in a worker."""
        self.workspace.metrics.count("watcher_batches")
        self.workspace.metrics.count("watcher_events", len(changes))
        changes = self._record(changes)
        self._mark_tree()
        if not changes:
            return
        if self._stopping:
            self.batches += 1
            return
        if self.appeared is not None:
            self.appeared(_arrivals(changes))
        self.ui.start(partial(self._show, changes), group="project-watch")

    def _mark_tree(self) -> None:
        """Marks in the tree for this session's changes (a dialog on top, a conflict or the
        statistics, does not hide the tree from the views)."""
        tree = None if self._stopping else self.views.tree
        if tree is None:
            return
        data = self.workspace.session.data
        tree.show_changes(data.file_changes, data.started_at)

    def _record(self, changes: list[FileChange]) -> list[FileChange]:
        """Record each change once; drop those the app already recorded as its own action.

        A whole batch is one assignment to the session and one to the history, whatever its
        size: a burst of a thousand outside changes must not hold the loop (the paths are
        made relative by string arithmetic, the app's own records found by a dictionary).
        """
        session = self.workspace.session
        root = os.path.join(os.path.normpath(os.path.abspath(self.workspace.project)), "")
        own: dict[tuple[str, str, str | None], list[FileChangeRecord]] = {}
        for record in session.data.file_changes:
            if _key(record) not in self._claimed:
                own.setdefault((record.kind, record.path, record.dest), []).append(record)
        outside: list[FileChange] = []
        rows: list[tuple[str, str, str | None]] = []
        files: list[tuple[str, str, str | None]] = []
        for change in changes:
            kind = change.kind.value
            rel = _relative(change.path, root)
            dest = None if change.dest is None else _relative(change.dest, root)
            mine = own.get((kind, rel, dest))
            if mine:
                self._claimed.add(_key(mine.pop(0)))
                continue
            outside.append(change)
            rows.append((kind, rel, dest))
            if not change.is_directory:
                files.append((kind, rel, dest))
        if rows and not session.read_only:
            session.record_file_changes(rows)
            kept = session.data.file_changes
            self._claimed.update(_key(r) for r in kept[max(0, len(kept) - len(rows)) :])
        if files and self.activity is not None:
            self.activity.outside_changes(files)
        return outside

    async def _show(self, changes: list[FileChange]) -> None:
        try:
            tree = self.views.tree
            if tree is not None and any(
                c.kind is not ChangeKind.MODIFIED or c.is_directory for c in changes
            ):
                await tree.relist()
            self.ui.notify(self.summary(changes), title="Changed outside Writers Factory")
            editor = self.views.editor
            for path in [] if editor is None else editor.paths():
                # a tab never shown is built only when its file is among the changes
                if editor is None or not _touches(self.workspace.project / path, changes):
                    continue
                area = await editor.built(path)
                if area is not None:
                    await self._follow(area, changes)
        finally:
            self.batches += 1

    def summary(self, changes: list[FileChange]) -> str:
        """``manuscript/a.md modified, notes.md created`` — what the writer should know."""
        session = self.workspace.session
        names: list[str] = []
        for change in changes[:SHOWN_NAMES]:  # the rest is a count: a burst is thousands
            name = session.relative(change.path)
            if change.kind is ChangeKind.MOVED and change.dest is not None:
                names.append(f"{name} moved to {session.relative(change.dest)}")
            else:
                names.append(f"{name} {change.kind.value}")
        shown = ", ".join(names)
        more = len(changes) - SHOWN_NAMES
        return shown + (f" and {more} more" if more > 0 else "")

    # ------------------------------------------------------------------ open buffers
    async def _follow(self, area: BufferArea, changes: Iterable[FileChange]) -> None:
        path = self.workspace.project / area.path
        for change in changes:
            if change.kind is ChangeKind.MOVED and change.dest is not None:
                if _inside(path, change.path):
                    await self._moved(area, change.dest / path.relative_to(change.path))
                    return
            elif (
                change.kind is ChangeKind.DELETED and _inside(path, change.path)
            ) or change.path == path:
                await self._check(area)
                return

    async def _check(self, area: BufferArea) -> None:
        """Compare the file with what the buffer was loaded from, then act on the difference.

        Read, hashed and decoded in a thread: a changed novel is megabytes."""
        try:
            found = await asyncio.to_thread(_read_hashed, area.disk.path)
        except OSError as exc:
            self.ui.notify(f"{area.path.as_posix()} could not be read: {exc}", severity="error")
            return
        if found is None:
            if area.disk.base_sha256 is not None:
                self._deleted(area)
            return
        digest, text = found
        if area.disk.base_sha256 is not None and digest == area.disk.base_sha256:
            return  # what the buffer was loaded from or last saved: nothing new
        if area.dirty:
            self._ask(area)
        else:
            self._reload(area, digest, text)

    def _reload(self, area: BufferArea, digest: str, text: str) -> None:
        """A clean buffer takes the new text in place; the cursor stays where it was."""
        if self.snapshots is not None:
            self.snapshots.request(
                "before-external-change",
                message=f"{area.path.as_posix()} changed outside Writers Factory",
                overrides={area.path.as_posix(): area.text},
            )
        area.disk.base_sha256 = digest
        with contextlib.suppress(OSError):
            area.disk.base_mtime = area.disk.path.stat().st_mtime
        area.show_disk_text(text)  # nothing was typed: no edit, no journal; cursor kept
        self._refresh_title(area)
        if self.activity is not None:
            self.activity.rebase(area.disk.path, text)
        self.ui.notify(f"{area.path.as_posix()} was reloaded: it changed on disk.")

    def _ask(self, area: BufferArea) -> None:
        """Unsaved text and a changed file: the save coordinator asks keep mine / take
        theirs / keep both now (its save meets the conflict); nothing is written before."""
        saving = self.saving
        if saving is not None:
            saving.request_save("changed-outside", interactive=True)
            return
        self.ui.notify(
            f"{area.path.as_posix()} changed on disk while you have unsaved text in it; "
            "nothing was overwritten.",
            severity="warning",
            timeout=10,
        )

    def _deleted(self, area: BufferArea) -> None:
        """Keep the text open as unsaved (and journaled): saving offers to write it back."""
        area.doc.disk_gone()
        self._refresh_title(area)
        saving = self.saving
        if saving is not None:
            job = partial(saving.write_journal, area.path)
            self.ui.start(job, group="journal", exit_on_error=True)
        self.ui.notify(
            f"{area.path.as_posix()} was deleted outside Writers Factory. Its text stays "
            "open, unsaved: saving offers to write it back.",
            severity="warning",
            timeout=10,
        )

    async def _moved(self, area: BufferArea, dest: Path) -> None:
        old = area.path
        try:
            new = dest.relative_to(self.workspace.project)
        except ValueError:
            self._deleted(area)
            return
        editor = self.views.editor
        if editor is None:
            return  # the screens are gone: the app is closing
        if editor.is_open(new):
            self._deleted(area)  # the name is taken by another open buffer: keep ours aside
            return
        editor.rename(old, new, dest)
        session = self.workspace.session
        line, col = area.cursor_location
        session.close_file(old)
        session.open_file(new, line, col)
        self.ui.post(FileRenamed(old, new))
        self.ui.notify(f"{old.as_posix()} was moved to {new.as_posix()}; the tab follows it.")

    def _refresh_title(self, area: BufferArea) -> None:
        editor = self.views.editor
        if editor is not None:
            editor.refresh_title(area.path)


def _arrivals(changes: list[FileChange]) -> list[Path]:
    """The files a batch brought: created, or moved to their place."""
    found: list[Path] = []
    for change in changes:
        if change.is_directory:
            continue
        if change.kind is ChangeKind.CREATED:
            found.append(change.path)
        elif change.kind is ChangeKind.MOVED and change.dest is not None:
            found.append(change.dest)
    return found


def _touches(path: Path, changes: Iterable[FileChange]) -> bool:
    """Whether ``changes`` concern the open file ``path`` (what ``_follow`` acts on)."""
    for change in changes:
        if change.kind is ChangeKind.MOVED and change.dest is not None:
            if _inside(path, change.path):
                return True
        elif (change.kind is ChangeKind.DELETED and _inside(path, change.path)) or (
            change.path == path
        ):
            return True
    return False


def _read_hashed(path: Path) -> tuple[str, str] | None:
    """In a thread: the file's hash and text (``None``: no file)."""
    try:
        data = Path(os.fspath(path)).read_bytes()
    except FileNotFoundError:
        return None
    return sha256_of(data), data.decode(ENCODING, errors="replace")
