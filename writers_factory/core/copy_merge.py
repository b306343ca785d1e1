"""A file and its conflict copy made one, change by change: pure text work.

The two texts are compared paragraph by paragraph (``core/paragraph_diff.py``, the comparison
the Enhancing stage uses). Each change is taken from one side: ``"original"`` keeps the
file's paragraphs, ``"copy"`` takes the copy's. When the snapshot history holds the file as
it was before the two machines parted (the *ancestor*), each change says which side made
it, and the proposed choice is that side's: a paragraph only the other machine edited comes
over, one only this machine edited stays. A change both sides made, or one the ancestor
cannot tell, keeps the original until the writer chooses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from writers_factory.core.paragraph_diff import Hunk, Paragraph, hunks, paragraphs, replacement

Side = Literal["original", "copy"]
Origin = Literal["original", "copy", "both", "unknown"]


@dataclass(frozen=True)
class Change:
    """One difference between the file and its copy, who made it, and the side proposed."""

    hunk: Hunk
    origin: Origin
    proposed: Side


def _origin(hunk: Hunk, known: set[str] | None) -> Origin:
    if known is None:
        return "unknown"
    old_known = all(p in known for p in hunk.old)
    new_known = all(p in known for p in hunk.new)
    if old_known and new_known:
        if not hunk.new:
            return "copy"  # the copy removed paragraphs both once had
        if not hunk.old:
            return "original"  # the original removed them
        return "unknown"
    if old_known:
        return "copy"
    if new_known:
        return "original"
    return "both"


def _split(hunk: Hunk, spans: list[Paragraph]) -> list[Hunk]:
    """A run of paragraphs replaced one for one, as one change per paragraph: each may have
    been made on a different machine, and each is chosen on its own."""
    if hunk.kind != "replace" or len(hunk.old) != len(hunk.new) or len(hunk.old) == 1:
        return [hunk]
    inside = [p for p in spans if hunk.start <= p.start and p.end <= hunk.end]
    if [p.text for p in inside] != list(hunk.old):
        return [hunk]
    return [
        Hunk("replace", (old.text,), (new,), old.start, old.end)
        for old, new in zip(inside, hunk.new, strict=True)
        if old.text != new
    ]


def changes(original: str, copy: str, ancestor: str | None = None) -> list[Change]:
    """The changes between ``original`` and ``copy``, each with the side proposed."""
    known = None if ancestor is None else {p.text for p in paragraphs(ancestor)}
    spans = paragraphs(original)
    found: list[Change] = []
    for hunk in [part for whole in hunks(original, copy) for part in _split(whole, spans)]:
        origin = _origin(hunk, known)
        found.append(Change(hunk, origin, "copy" if origin == "copy" else "original"))
    return found


def merged(original: str, found: list[Change], chosen: Mapping[int, Side]) -> str:
    """``original`` with each change taken from the side chosen (``chosen[index]``, else the
    side proposed). The changes' spans refer to ``original``; they are applied from the last
    to the first, so each span still means what it meant."""
    text = original
    for index in range(len(found) - 1, -1, -1):
        change = found[index]
        if chosen.get(index, change.proposed) == "copy":
            start, end, new = replacement(text, change.hunk)
            text = text[:start] + new + text[end:]
    return text
