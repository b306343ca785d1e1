"""The one function that hashes a whole file's content, and a count of where it ran.

Hashing a chapter costs time proportional to its length; on the event loop that is a stall
the writer feels, once per keystroke if it sneaks into the typing path. Every whole-content
hash of the manuscript side (buffers, recovery, the watcher's known content) goes through
:func:`sha256_hex`, which counts its calls per thread. The count is two integer updates —
nothing next to the hash itself — and lets a test say, on any machine, "typing hashed
nothing on the loop".
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor

calls_by_thread: Counter[int] = Counter()
"""Whole-content hashes so far, by ``threading.get_ident()`` of the thread that made them."""


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as hex; counted."""
    calls_by_thread[threading.get_ident()] += 1
    return hashlib.sha256(data).hexdigest()


def calls_on(thread_id: int) -> int:
    """How many whole-content hashes ran on ``thread_id`` so far."""
    return calls_by_thread[thread_id]


class Sha256:
    """The SHA-256 of some bytes, possibly still being computed on a helper thread.

    A save must know the hash of what it writes (the journal records which file its entries
    were typed on top of; the watcher tells the app's own writes by it), but nothing needs it
    before the bytes are on disk. :meth:`in_background` hands the hashing to a helper thread
    at once: the hash releases the interpreter's lock, so it runs while the durable write
    waits on the disk, and a second core makes it free. :meth:`hexdigest` waits for it.

    The helper threads are started once and kept (starting a thread waits until the system
    runs it: milliseconds on a busy machine, as much as the hash itself).
    """

    __slots__ = ("_future", "_value")

    def __init__(self, value: str) -> None:
        self._value: str | None = value
        self._future: Future[str] | None = None

    @classmethod
    def in_background(cls, data: bytes) -> Sha256:
        """Start hashing ``data`` on a helper thread (here and now when none can be used:
        the interpreter is shutting down and the last save runs)."""
        digest = cls.__new__(cls)
        digest._value, digest._future = None, None
        try:
            digest._future = _helpers().submit(sha256_hex, data)
        except RuntimeError:
            digest._value = sha256_hex(data)
        return digest

    def hexdigest(self) -> str:
        """The hash as hex, once computed (waits for the helper thread)."""
        if self._value is None:
            assert self._future is not None
            self._value = self._future.result()
            self._future = None
        return self._value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sha256):
            return self.hexdigest() == other.hexdigest()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.hexdigest())

    def __repr__(self) -> str:
        return f"Sha256({self.hexdigest()!r})"


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _helpers() -> ThreadPoolExecutor:
    """The helper threads of :meth:`Sha256.in_background` (two: two saves at once)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sha256")
        return _pool
