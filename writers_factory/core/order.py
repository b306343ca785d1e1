"""The reading order of a manuscript: natural sorting, the writer's own order, moves.

Pure logic over project-relative POSIX paths (relative to ``manuscript/``); reading and
writing the order file is ``store/manuscript/order.py``.

A manuscript is a tree: chapter files, and parts (sub-folders) holding chapters (or parts of
their own). Within each folder the children are read in the writer's order where the order
file lists them, then every child it does not list, in natural order ("chapter-2" before
"chapter-10"), so a chapter added later never disappears: it comes last in its folder until
the writer moves it. A part is placed like a chapter, by its own line ("part-two/") or by
the first line naming something inside it.

The order file lists the whole book, flattened: a part's line, then its chapters. A
listed path that no longer exists is ignored (and reported by the caller), never an error:
a chapter renamed outside the app must not make the book unreadable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from math import inf

NaturalKey = tuple[tuple[int, int | str], ...]

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> NaturalKey:
    """Sort key treating digit runs as numbers: chapter-2 < chapter-10, case-insensitive."""
    key: list[tuple[int, int | str]] = []
    for part in _DIGITS.split(text.lower()):
        if part.isdigit():
            key.append((0, int(part)))
        elif part:
            key.append((1, part))
    return tuple(key)


def clean_entry(entry: str) -> str:
    """An order line as a path: surrounding space and a part's trailing "/" dropped."""
    return entry.strip().rstrip("/")


def ranks(order: Sequence[str]) -> dict[str, int]:
    """Path -> the first line of ``order`` naming it or something inside it."""
    found: dict[str, int] = {}
    for index, entry in enumerate(order):
        parts = [p for p in clean_entry(entry).split("/") if p]
        for depth in range(1, len(parts) + 1):
            found.setdefault("/".join(parts[:depth]), index)
    return found


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


def _name(path: str) -> str:
    return path.rpartition("/")[2]


def child_key(path: str, rank: dict[str, int]) -> tuple[float, NaturalKey]:
    """Where ``path`` goes among its siblings: its rank when listed, then natural order."""
    return (rank.get(path, inf), natural_key(_name(path)))


@dataclass(frozen=True)
class Arrangement:
    """The chapters in reading order, and the order lines that named nothing."""

    chapters: list[str]
    missing: list[str] = field(default_factory=list)


def arrange(chapters: Iterable[str], order: Sequence[str] = ()) -> Arrangement:
    """The chapters (paths relative to ``manuscript/``) in reading order.

    Each folder's children (chapters and parts) are ordered by :func:`child_key`; a part's
    chapters come together, where the part stands.
    """
    files = list(dict.fromkeys(chapters))
    ordered, known = _arrange(files, ranks(order))
    missing = [entry for entry in order if clean_entry(entry) not in known]
    return Arrangement(ordered, missing)


def _arrange(files: list[str], rank: dict[str, int]) -> tuple[list[str], set[str]]:
    children: dict[str, set[str]] = {}
    for path in files:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            children.setdefault("/".join(parts[: depth - 1]), set()).add("/".join(parts[:depth]))
    is_file = set(files)
    out: list[str] = []

    def walk(folder: str) -> None:
        for child in sorted(children.get(folder, ()), key=lambda p: child_key(p, rank)):
            if child in is_file:
                out.append(child)
            else:
                walk(child)

    walk("")
    return out, {path for kids in children.values() for path in kids}


def listing(chapters: Sequence[str]) -> list[str]:
    """The order file's lines for ``chapters`` in reading order: each part's line ("part/")
    before its first chapter."""
    lines: list[str] = []
    seen: set[str] = set()
    for path in chapters:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in seen:
                seen.add(folder)
                lines.append(folder + "/")
        lines.append(path)
    return lines


def siblings(chapters: Sequence[str], folder: str) -> list[str]:
    """The children of ``folder`` (chapters and parts) in the order ``chapters`` reads them."""
    found: list[str] = []
    prefix = folder + "/" if folder else ""
    for path in chapters:
        if not path.startswith(prefix):
            continue
        child = prefix + path[len(prefix) :].split("/")[0]
        if child not in found:
            found.append(child)
    return found


def move(chapters: Sequence[str], target: str, step: int) -> list[str] | None:
    """The reading order after moving ``target`` (a chapter or a part) ``step`` places among
    its siblings; ``None`` when it cannot move (first or last already, or not in the book).

    ``chapters`` is the current reading order (:func:`arrange`); the answer is the new one,
    ready for :func:`listing`. Only the target's folder changes; every other folder keeps
    its order.
    """
    target = clean_entry(target)
    kids = siblings(chapters, _parent(target))
    if target not in kids or step == 0:
        return None
    index = kids.index(target)
    goal = index + step
    if not 0 <= goal < len(kids):
        return None
    kids.insert(goal, kids.pop(index))
    rank = ranks(listing(chapters))
    rank.update({kid: place for place, kid in enumerate(kids)})
    return _arrange(list(chapters), rank)[0]
