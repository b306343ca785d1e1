"""How much two versions of a text share at their start and at their end.

An edit is usually local, so two texts a save apart share all but a few sentences. The save
re-encodes only the part between their common ends (``store/manuscript/encoded.py``) and the
words count splits only the paragraphs there (``wordcount.word_delta``); both ask this module,
on a whole novel, so it must cost a memory compare, not a loop over characters in Python.

The interpreter's own ``startswith``/``endswith`` compare in C and stop at the first
difference. The whole shorter text is tried first (no copy at all: typing at the end of a
chapter is answered in one compare); otherwise blocks of ``BLOCK`` characters are compared
(one block copied each time), then the block that differs is halved down to the character.
"""

from __future__ import annotations

from dataclasses import dataclass

BLOCK = 1 << 16
"""Characters compared at a time before halving."""


def common_prefix(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if long.startswith(short):
        return len(short)
    lo, limit = 0, len(short)
    while lo < limit:
        hi = min(lo + BLOCK, limit)
        if long.startswith(short[lo:hi], lo):
            lo = hi
            continue
        while hi - lo > 1:  # short[lo:hi] differs somewhere; everything before lo is shared
            mid = (lo + hi) // 2
            if long.startswith(short[lo:mid], lo):
                lo = mid
            else:
                hi = mid
        return lo
    return lo


def common_suffix(a: str, b: str, limit: int) -> int:
    """How many trailing characters (at most ``limit``) ``a`` and ``b`` share.

    ``limit`` keeps the suffix from overlapping a prefix already counted: pass
    ``min(len(a), len(b)) - common_prefix(a, b)``.
    """
    la, lb, lo = len(a), len(b), 0
    while lo < limit:
        hi = min(lo + BLOCK, limit)
        if a.endswith(b[lb - hi : lb - lo], 0, la - lo):
            lo = hi
            continue
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if a.endswith(b[lb - mid : lb - lo], 0, la - lo):
                lo = mid
            else:
                hi = mid
        return lo
    return lo


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


def common_ends(old: str, new: str) -> CommonEnds:
    """The common beginning and end of ``old`` and ``new``."""
    prefix = common_prefix(old, new)
    return CommonEnds(old, new, prefix, common_suffix(old, new, min(len(old), len(new)) - prefix))
