"""How much two versions of a text share at their start and at their end.

An edit is usually local, so two texts a save apart share all but a few sentences. The save
re-encodes only the part between their common ends (``store/manuscript/encoded.py``) and the
words count splits only the paragraphs there (``wordcount.word_delta``); both ask this module,
on a whole novel, so it must cost a memory compare, not a loop over characters in Python.

The interpreter's own ``startswith``/``endswith`` compare in C and stop at the first
difference. The whole shorter text is tried first (no copy at all: typing at the end of a
chapter is answered in one compare); otherwise blocks of ``BLOCK`` characters are compared
(one block copied each time), then the block that differs is halved down to the character.

Even a memory compare of a whole novel costs about as much as a third of its durable write.
The editor knows where the writer edited since the text was last saved: it hands that on as
:class:`Unchanged` (so many characters at the start and at the end untouched), and only the
window between them is compared — with exactly the result of comparing the whole texts (a
shared start that runs on past the window is followed on; see :func:`common_ends`).
``compared_by_thread`` counts the characters compared, so a test can say, on any machine,
"a one-key edit compared a few characters, not the novel".
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

BLOCK = 1 << 16
"""Characters compared at a time before halving."""

compared_by_thread: Counter[int] = Counter()
"""Characters compared so far (each block or half block counted at its length), by
``threading.get_ident()`` of the thread that compared them."""


def _count(chars: int) -> None:
    compared_by_thread[threading.get_ident()] += chars


def common_prefix(a: str, b: str, start: int = 0, first: int | None = None) -> int:
    """How many leading characters ``a`` and ``b`` share.

    ``start`` and ``first`` (an editor's window, see :func:`common_ends`): they are known
    to share ``start`` characters, and to differ, if anywhere near, within the ``first``
    after them: compared from there, that window first, the whole text never tried.
    """
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if first is None:
        _count(len(short))
        if long.startswith(short):
            return len(short)
    lo, limit, block = start, len(short), BLOCK if first is None else max(1, first)
    while lo < limit:
        hi = min(lo + block, limit)
        block = BLOCK
        _count(hi - lo)
        if long.startswith(short[lo:hi], lo):
            lo = hi
            continue
        while hi - lo > 1:  # short[lo:hi] differs somewhere; everything before lo is shared
            mid = (lo + hi) // 2
            _count(mid - lo)
            if long.startswith(short[lo:mid], lo):
                lo = mid
            else:
                hi = mid
        return lo
    return lo


def common_suffix(a: str, b: str, limit: int, start: int = 0) -> int:
    """How many trailing characters (at most ``limit``) ``a`` and ``b`` share.

    ``limit`` keeps the suffix from overlapping a prefix already counted: pass
    ``min(len(a), len(b)) - common_prefix(a, b)``. ``start``: they are known to share that
    many trailing characters already (at most ``limit``).
    """
    la, lb, lo = len(a), len(b), start
    while lo < limit:
        hi = min(lo + BLOCK, limit)
        _count(hi - lo)
        if a.endswith(b[lb - hi : lb - lo], 0, la - lo):
            lo = hi
            continue
        while hi - lo > 1:
            mid = (lo + hi) // 2
            _count(mid - lo)
            if a.endswith(b[lb - mid : lb - lo], 0, la - lo):
                lo = mid
            else:
                hi = mid
        return lo
    return lo


@dataclass(frozen=True)
class Unchanged:
    """What an editor knows of a text it shows: its first ``head`` and last ``tail``
    characters are those of ``base`` (the text it was last saved as), untouched by every
    edit since (typing, undo and redo, pastes, replacements all lie between them).

    Only a claim about that very string: used only when the text compared against is
    ``base`` itself (the same object), never a copy that happens to be equal.
    """

    base: str
    head: int
    tail: int

    def applies(self, old: str, new: str) -> bool:
        """Whether this may stand in for comparing ``old`` and ``new`` outside the window."""
        head, tail = self.head, self.tail
        return (
            old is self.base and head >= 0 and tail >= 0 and head + tail <= min(len(old), len(new))
        )


@dataclass(frozen=True)
class CommonEnds:
    """What ``new`` shares with ``old``: ``prefix`` leading and ``suffix`` trailing characters
    (not overlapping). Found once by a save and handed to the words count with the texts,
    which it uses only for these very two strings (:meth:`between`)."""

    old: str
    new: str
    prefix: int
    suffix: int

    def between(self, old: str, new: str) -> bool:
        """Whether these are the ends of exactly ``old`` and ``new`` (the same objects)."""
        return old is self.old and new is self.new

    @property
    def same(self) -> bool:
        """Whether the two texts are equal (all of each shared)."""
        return self.prefix == len(self.old) == len(self.new)


def common_ends(old: str, new: str, unchanged: Unchanged | None = None) -> CommonEnds:
    """The common beginning and end of ``old`` and ``new``.

    With ``unchanged`` (see :class:`Unchanged`) only the window between its head and tail is
    compared — but for a shared start running on past the window (text typed after the same
    text), followed on until the texts differ — so the result is exactly the whole compare's.
    """
    if unchanged is None or not unchanged.applies(old, new):
        prefix = common_prefix(old, new)
        return CommonEnds(
            old, new, prefix, common_suffix(old, new, min(len(old), len(new)) - prefix)
        )
    head, tail = unchanged.head, unchanged.tail
    window = min(len(old), len(new)) - head - tail
    prefix = common_prefix(old, new, head, window + 1)
    limit = min(len(old), len(new)) - prefix
    suffix = limit if tail >= limit else common_suffix(old, new, limit, tail)
    return CommonEnds(old, new, prefix, suffix)
