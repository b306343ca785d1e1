"""The watchdog side of the watcher: observer threads, event translation, folder upkeep.

Imported only when a watcher starts, so the CLI never pays for watchdog. Everything here
runs on watchdog's threads; it hands plain :class:`RawEvent` lists to ``post`` and never
touches the event loop itself.

A recursive watch dies with its folder, so the project root is also watched (not
recursively, folder events only): when a watched folder appears there, a fresh recursive
watch is scheduled and the folder's contents are announced, because files written before
the watch existed produce no events of their own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from writers_factory.watch.changes import RawEvent, RawKind
from writers_factory.watch.ignore import IGNORED_FOLDERS, is_ignored

logger = logging.getLogger(__name__)

Post = Callable[[list[RawEvent]], None]

FOLDER_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    DirCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
    FileMovedEvent,
    DirMovedEvent,
]
"""Opened / closed-without-writing / attribute events never mean new content."""

ROOT_EVENTS: list[type[FileSystemEvent]] = [DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


def _path(raw: str | bytes) -> Path:
    return Path(os.fsdecode(raw))


def translate(event: FileSystemEvent, root: Path, folder: Path) -> list[RawEvent]:
    """Turn one event from a folder's recursive watch into raw events (often none)."""
    is_dir = event.is_directory
    src = _path(event.src_path)
    if event.event_type == "moved":
        dest = _path(event.dest_path)
        src_ignored, dest_ignored = is_ignored(src, root), is_ignored(dest, root)
        if src_ignored and dest_ignored:
            return []
        if src_ignored:  # a temp file renamed onto its target: an atomic save
            return [RawEvent(RawKind.REPLACED, dest, None, is_dir)]
        if dest_ignored:  # renamed to a backup name: gone as far as the writer's files go
            return [RawEvent(RawKind.DELETED, src, None, is_dir)]
        return [RawEvent(RawKind.MOVED, src, dest, is_dir)]
    if src == folder or is_ignored(src, root):
        return []  # the folder itself is reported by the root watch
    if event.event_type == "created":
        return [RawEvent(RawKind.CREATED, src, None, is_dir)]
    if event.event_type in ("modified", "closed") and not is_dir:
        return [RawEvent(RawKind.MODIFIED, src, None, False)]
    if event.event_type == "deleted":
        return [RawEvent(RawKind.DELETED, src, None, is_dir)]
    return []


def announce_tree(folder: Path, root: Path) -> list[RawEvent]:
    """CREATED events for a folder that just appeared and everything already inside it."""
    found = [RawEvent(RawKind.CREATED, folder, None, True)]
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if d not in IGNORED_FOLDERS]
        for name in dirnames:
            if not is_ignored(here / name, root):
                found.append(RawEvent(RawKind.CREATED, here / name, None, True))
        for name in filenames:
            if not is_ignored(here / name, root):
                found.append(RawEvent(RawKind.CREATED, here / name, None, False))
    return found


def scan_tree(root: Path, folders: Iterable[str]) -> set[Path]:
    """Every path that exists in the watched folders now (the coalescer's starting view)."""
    if not root.is_dir():
        raise FileNotFoundError(2, "project folder not found (nothing to watch)", str(root))
    existing: set[Path] = set()
    for name in folders:
        folder = root / name
        if folder.is_dir():
            existing.update(event.path for event in announce_tree(folder, root))
    return existing


class _FolderHandler(FileSystemEventHandler):
    def __init__(self, root: Path, folder: Path, post: Post) -> None:
        self._root, self._folder, self._post = root, folder, post

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            events = translate(event, self._root, self._folder)
        except Exception:  # a surprise here must not kill watchdog's thread
            logger.exception("could not interpret file event %r", event)
            return
        if events:
            self._post(events)


class Bridge:
    """One observer watching one project; ``stop`` it once, from any thread."""

    def __init__(self, root: Path, folders: tuple[str, ...], post: Post) -> None:
        self._root = root
        self._folders = folders
        self._post = post
        self._lock = threading.Lock()
        self._closed = False
        self._watches: dict[str, tuple[ObservedWatch, tuple[int, int]]] = {}
        self._observer: BaseObserver = Observer()
        self._root_watch = self._observer.schedule(
            _RootHandler(self), str(root), recursive=False, event_filter=ROOT_EVENTS
        )

    def start(self) -> None:
        """Watch the folders that exist, then start the threads (which add the watches)."""
        missing = [name for name in self._folders if not self._schedule(name)]
        self._observer.start()
        # A folder created between the check above and the root watch going live would
        # never be noticed; hand it to the dispatcher thread as if the root watch saw it.
        for name in missing:
            if (self._root / name).is_dir():
                event = DirCreatedEvent(str(self._root / name))
                self._observer.event_queue.put((event, self._root_watch))

    def stop(self, timeout: float) -> bool:
        """Stop and join the observer; True when its thread has ended within ``timeout``."""
        with self._lock:
            self._closed = True
        try:
            self._observer.stop()
        except Exception:  # stopping must always get as far as the join
            logger.exception("error while stopping the file observer")
        with contextlib.suppress(RuntimeError):  # never started
            self._observer.join(timeout)
        return not self._observer.is_alive()

    # -- called on the dispatcher thread (and from start, before it runs) ---------------

    def _schedule(self, name: str) -> bool:
        folder = self._root / name
        try:
            info = folder.stat()
            if not folder.is_dir():
                return False
            watch = self._observer.schedule(
                _FolderHandler(self._root, folder, self._post),
                str(folder),
                recursive=True,
                event_filter=FOLDER_EVENTS,
            )
        except OSError as exc:
            if folder.exists():
                logger.warning("cannot watch %s: %s", folder, exc)
            return False
        self._watches[name] = (watch, (info.st_dev, info.st_ino))
        return True

    def _unschedule(self, name: str) -> None:
        entry = self._watches.pop(name, None)
        if entry is not None:
            with contextlib.suppress(KeyError):
                self._observer.unschedule(entry[0])

    def folder_appeared(self, name: str) -> None:
        with self._lock:
            if self._closed:
                return
            folder = self._root / name
            entry = self._watches.get(name)
            if entry is not None:
                try:
                    info = folder.stat()
                except OSError:
                    return
                if entry[1] == (info.st_dev, info.st_ino):
                    return  # already watching this very folder
                self._unschedule(name)
            if not self._schedule(name):
                return
            try:
                events = announce_tree(folder, self._root)
            except OSError as exc:
                logger.warning("cannot list %s: %s", folder, exc)
                events = [RawEvent(RawKind.CREATED, folder, None, True)]
        self._post(events)

    def folder_vanished(self, name: str) -> None:
        with self._lock:
            if self._closed:
                return
            self._unschedule(name)
        self._post([RawEvent(RawKind.DELETED, self._root / name, None, True)])

    def top_level(self, path: Path) -> str | None:
        """The watched folder name ``path`` is, if it is one."""
        if path.parent == self._root and path.name in self._folders:
            return path.name
        return None


class _RootHandler(FileSystemEventHandler):
    def __init__(self, bridge: Bridge) -> None:
        self._bridge = bridge

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            self._dispatch(event)
        except Exception:
            logger.exception("could not handle project folder event %r", event)

    def _dispatch(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            return
        bridge = self._bridge
        src = bridge.top_level(_path(event.src_path))
        if event.event_type == "moved":
            # A watched folder renamed away is gone from the project's point of view; one
            # renamed into place has just appeared.
            if src is not None:
                bridge.folder_vanished(src)
            dest = bridge.top_level(_path(event.dest_path))
            if dest is not None:
                bridge.folder_appeared(dest)
        elif src is not None and event.event_type == "created":
            bridge.folder_appeared(src)
        elif src is not None and event.event_type == "deleted":
            bridge.folder_vanished(src)


def start_bridge(root: Path, folders: tuple[str, ...], post: Post) -> Bridge:
    """Create and start the observer (blocking: it walks the folders to add watches)."""
    bridge = Bridge(root, folders, post)
    try:
        bridge.start()
    except BaseException:
        bridge.stop(1.0)
        raise
    return bridge
