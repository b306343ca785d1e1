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

calls_by_thread: Counter[int] = Counter()
"""Whole-content hashes so far, by ``threading.get_ident()`` of the thread that made them."""


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as hex; counted."""
    calls_by_thread[threading.get_ident()] += 1
    return hashlib.sha256(data).hexdigest()


def calls_on(thread_id: int) -> int:
    """How many whole-content hashes ran on ``thread_id`` so far."""
    return calls_by_thread[thread_id]
