"""The registry that lets the watcher tell the app's own writes from the writer's.

Timing guesses ("ignore events for 1 s after we save") lose real external edits that land
inside the window and report our own slow saves as foreign. Content is the honest test: the
app records what it is about to write, and a change whose bytes equal that record is ours.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import NamedTuple

from writers_factory.store.base.digests import Sha256, sha256_hex


class KnownDigest(NamedTuple):
    """Size first so most foreign changes are told apart without reading the file."""

    size: int
    sha256: str | Sha256
    """A save's hash may still be computing while its bytes are written (:class:`Sha256`):
    it is asked for only when a change of the same size needs comparing."""


def _key(path: Path) -> str:
    # abspath, not resolve: no disk access, so callers may use it from any thread cheaply,
    # and the watcher reports paths built from the same project root the app uses.
    return os.path.normpath(os.path.abspath(os.fspath(path)))


def digest_of(data: bytes) -> KnownDigest:
    """The record kept for ``data``."""
    return KnownDigest(len(data), sha256_hex(data))


class KnownContent:
    """Thread-safe map of path -> digest of the bytes the app last wrote or loaded there.

    The app calls :meth:`remember` *before* writing, so the change event can never arrive
    before the record does; the watcher calls :meth:`matches` from its worker threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._digests: dict[str, KnownDigest] = {}

    def remember(self, path: Path, data: bytes, sha256: str | Sha256 | None = None) -> None:
        """Record ``data`` as the app's own content of ``path`` (replacing any earlier record);
        ``sha256`` when the caller hashes it already (a save hashes its bytes once, while it
        writes them: the record never waits for that hash)."""
        digest = digest_of(data) if sha256 is None else KnownDigest(len(data), sha256)
        with self._lock:
            self._digests[_key(path)] = digest

    def forget(self, path: Path) -> None:
        """Drop the record, e.g. when the app deletes the file or a write failed."""
        with self._lock:
            self._digests.pop(_key(path), None)

    def move(self, src: Path, dest: Path) -> None:
        """Carry the record along when the app itself renames a file."""
        with self._lock:
            digest = self._digests.pop(_key(src), None)
            if digest is not None:
                self._digests[_key(dest)] = digest

    def matches(self, path: Path, data: bytes) -> bool:
        """True when ``data`` is exactly what the app last recorded for ``path``."""
        with self._lock:
            known = self._digests.get(_key(path))
        if known is None or known.size != len(data):
            return False
        expected = known.sha256 if isinstance(known.sha256, str) else known.sha256.hexdigest()
        return sha256_hex(data) == expected

    def size_of(self, path: Path) -> int | None:
        """The recorded size, so the watcher reads a file only when it could match."""
        with self._lock:
            known = self._digests.get(_key(path))
        return None if known is None else known.size

    def __len__(self) -> int:
        with self._lock:
            return len(self._digests)
