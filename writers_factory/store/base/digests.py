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
import os
import threading
from collections import Counter
from collections.abc import Callable, Sequence
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


States = dict[int, "hashlib._Hash"]
"""Hashing states by byte offset: the hash of the bytes before each offset, resumable."""


def sha256_marked(
    data: bytes, marks: Sequence[int] = (), resume: States | None = None, kept: int = 0
) -> tuple[str, States]:
    """The SHA-256 of ``data`` as hex, and the hashing state at each of ``marks``; counted
    as one whole-content hash.

    ``resume``: the states of bytes whose first ``kept`` bytes ``data`` shares; hashing
    starts from the furthest of them at or before ``kept`` instead of from the start (an
    edit near the end of a novel hashes only its end again).
    """
    calls_by_thread[threading.get_ident()] += 1
    start, states = 0, {}
    hasher = hashlib.sha256()
    if resume:
        usable = [at for at in resume if 0 < at <= kept]
        if usable:
            start = max(usable)
            hasher = resume[start].copy()
            states = {at: state for at, state in resume.items() if at <= start}
    view = memoryview(data)
    for at in marks:
        if start < at < len(data):
            hasher.update(view[start:at])
            states[at] = hasher.copy()
            start = at
    hasher.update(view[start:])
    return hasher.hexdigest(), states


class Sha256:
    """The SHA-256 of some bytes, possibly still being computed on a helper thread.

    A save must know the hash of what it writes (the journal records which file its entries
    were typed on top of; the watcher tells the app's own writes by it), but nothing needs it
    before the bytes are on disk. :meth:`in_background` hands the hashing to a helper thread
    at once: the hash releases the interpreter's lock, so it runs while the durable write
    waits on the disk, and a second core makes it free. :meth:`hexdigest` waits for it.
    With marks, the states at them are kept, and the next save of the same file resumes
    from the last one before its first changed byte (see :func:`sha256_marked`).

    The helper threads are started once and kept (starting a thread waits until the system
    runs it: milliseconds on a busy machine, as much as the hash itself).
    """

    __slots__ = ("_future", "_states", "_value")

    def __init__(self, value: str) -> None:
        self._value: str | None = value
        self._states: States | None = None
        self._future: Future[tuple[str, States]] | None = None

    @classmethod
    def in_background(
        cls,
        data: bytes | Callable[[], bytes],
        marks: Sequence[int] = (),
        resume: Sha256 | None = None,
        kept: int = 0,
    ) -> Sha256:
        """Start hashing ``data`` on a helper thread (here and now when none can be used:
        the interpreter is shutting down and the last save runs); ``resume``: the hash of
        bytes whose first ``kept`` bytes ``data`` shares, hashed with marks. ``data`` may
        be a function giving the bytes, called on the helper thread first (a save's bytes
        are joined from their parts there, not on the thread that writes them)."""
        digest = cls.__new__(cls)
        digest._value, digest._states, digest._future = None, None, None
        if not kept:
            resume = None
        try:
            digest._future = helpers().submit(_resumed, data, marks, resume, kept)
        except RuntimeError:
            digest._value, digest._states = _resumed(data, marks, resume, kept)
        return digest

    def _result(self) -> None:
        if self._value is None:
            assert self._future is not None
            self._value, self._states = self._future.result()

    def hexdigest(self) -> str:
        """The hash as hex, once computed (waits for the helper thread)."""
        self._result()
        assert self._value is not None
        return self._value

    def states(self) -> States | None:
        """The hashing states at the marks (waits), ``None`` when hashed without them."""
        if self._future is None:
            return self._states
        self._result()
        return self._states

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sha256):
            return self.hexdigest() == other.hexdigest()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.hexdigest())

    def __repr__(self) -> str:
        return f"Sha256({self.hexdigest()!r})"


def _resumed(
    data: bytes | Callable[[], bytes], marks: Sequence[int], resume: Sha256 | None, kept: int
) -> tuple[str, States]:
    """On the helper thread: the bytes, the hash resumed from (submitted before this one, so
    never queued behind it), then the hash."""
    found = data if isinstance(data, bytes) else data()
    states = None if resume is None else resume.states()
    return sha256_marked(found, marks, states, kept)


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def helpers() -> ThreadPoolExecutor:
    """The store's helper threads, kept: hashing a save's bytes (:meth:`Sha256.in_background`)
    and its conflict check run there while the save's own thread waits on the disk. Two: a
    save's hash and check at once."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sha256")
        return _pool


def _forget_helpers() -> None:
    """In a forked child: the parent's helper threads are not there; make new ones."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_forget_helpers)
