"""Watching the project's writing folders for changes made outside Writers Factory.

``ProjectWatcher`` runs the watchdog observer on ``manuscript/``, ``reference/`` and
``planning/`` and delivers debounced batches of :class:`FileChange` on the asyncio loop. The
app's own writes are recognised by content: record the bytes in :class:`KnownContent`
before writing them, and a change whose content matches is not reported.

Importing this package does not import watchdog; starting a watcher does.
"""

from writers_factory.watch.changes import ChangeKind, FileChange
from writers_factory.watch.known import KnownContent
from writers_factory.watch.watcher import DEFAULT_FOLDERS, ProjectWatcher

__all__ = ["DEFAULT_FOLDERS", "ChangeKind", "FileChange", "KnownContent", "ProjectWatcher"]
