"""The words beside the project tree's chapters and parts: the counts, and those held back.

Counting a chapter reads it and runs the word counter over its text: for a whole novel
(hundreds of chapters, megabytes) a third of a second of interpreter time, in a thread that
shares the interpreter with the loop. At start-up that slowed the first paint of the
reopened chapter, and start-up's end, for labels the writer does not need yet. So the tree
lists its folders at once but holds what it would count (:class:`HeldCounts`) until it is
told to count (the app does, once the reopened chapter is painted and start-up is over);
then one pass counts everything held, a batch at a time, the labels updated per batch. From
then on a folder listed is counted as it is listed (an unchanged chapter is only a ``stat``:
:class:`WordCounts` keeps each count with the file's size and modification time).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from writers_factory.core.wordcount import count_words
from writers_factory.store.manuscript.order import is_chapter

BATCH = 32
"""Entries counted between two label updates in the held pass (the labels of a screenful,
not one update per chapter: each update measures and repaints the lines it changed)."""


class WordCounts:
    """Words per chapter file (cached by size and modification time) and per part folder.

    Filled in the tree's threads, read by the labels on the loop: one lock guards both.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[Path, tuple[tuple[int, int], int]] = {}
        self._shown: dict[Path, int] = {}

    def of_file(self, path: Path) -> int | None:
        """The words of a chapter file, counted again only when it changed (thread)."""
        try:
            info = path.stat()
        except OSError:
            return None
        stamp = (info.st_mtime_ns, info.st_size)
        with self._lock:
            known = self._files.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        try:
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError:
            return None
        words = count_words(text)
        with self._lock:
            self._files[path] = (stamp, words)
        return words

    def of_folder(self, folder: Path, manuscript: Path) -> int:
        """The words of every chapter under ``folder`` (a part), in a thread."""
        total = 0
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = Path(root) / name
                if is_chapter(path, manuscript):
                    total += self.of_file(path) or 0
        return total

    def of_entry(self, path: Path, part: bool, manuscript: Path) -> int | None:
        """The words of a chapter, or of a part (``part``) and all under it (thread)."""
        return self.of_folder(path, manuscript) if part else self.of_file(path)

    def show(self, path: Path, words: int | None) -> None:
        with self._lock:
            if words is None:
                self._shown.pop(path, None)
            else:
                self._shown[path] = words

    def shown(self, path: Path) -> int | None:
        with self._lock:
            return self._shown.get(path)


class HeldCounts:
    """Chapters and parts (path -> is a part) to count once the tree may count.

    Three states: holding (the tree has not been told to count: entries wait), the pass (told:
    one worker takes the held entries a batch at a time; entries listed or saved meanwhile
    join it) and free (the pass found nothing left: nothing is held any more, a listing counts
    its entries itself). Thread-safe: listings add from their threads, the pass takes from
    its own, and the state changes under the same lock, so no entry is added after the pass
    has looked for the last time.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[Path, bool] | None = {}
        """Path -> part, in the order listed (reading order); ``None`` once free."""
        self._told = False

    def hold(self, entries: Iterable[tuple[Path, bool]]) -> bool:
        """Keep ``entries`` for the pass; False once free (count them now, yourself)."""
        with self._lock:
            if self._held is None:
                return False
            for path, part in entries:
                self._held.pop(path, None)  # counted again after what was held before
                self._held[path] = part
            return True

    @property
    def free(self) -> bool:
        """The pass is over: nothing is held, listings count for themselves."""
        with self._lock:
            return self._held is None

    def tell(self) -> bool:
        """Counting may start; True the first time only (the caller starts the pass)."""
        with self._lock:
            if self._told:
                return False
            self._told = True
            return True

    def take(self, most: int) -> list[tuple[Path, bool]]:
        """Up to ``most`` held entries, oldest first; none left: free from now on, ``[]``."""
        with self._lock:
            if not self._held:
                self._held = None
                return []
            held = self._held
            return [(path, held.pop(path)) for path in list(islice(held, most))]

    def release(self) -> None:
        """Free now, dropping what is held (the pass stopped without finishing)."""
        with self._lock:
            self._held = None
