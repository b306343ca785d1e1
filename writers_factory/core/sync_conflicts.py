"""Conflict copies left by file-syncing tools, recognised by name: pure logic over names.

When two machines change the same file of a synced folder before either has the other's
change, the syncing tool keeps both: the original name holds one side, and a *conflict
copy* beside it, named after the original, holds the other. Such a copy is not a new
chapter (counting it would double the book) and not a stray file to ignore (it holds the
writer's words from the other machine): the app recognises it, says so, and offers to merge
it back.

The naming patterns recognised (``stem`` and ``.ext`` are the original's):

* ``stem (Host's conflicted copy 2026-11-30).ext``, ``… (1)).ext``, ``… ) (1).ext``, and
  ``stem (conflicted copy 2026-11-30 101112).ext`` (a marker in words, in brackets);
* ``stem.sync-conflict-20261130-101112-ABCDEF7.ext`` (date, time, a device id of seven);
* ``stem_conflict-20261130-101112.ext`` (date and time after an underscore);
* ``stem-HOSTNAME.ext`` and ``stem-HOSTNAME-1.ext`` (a machine's name appended) — only when
  the original is beside it and the suffix looks like a machine name as systems make them
  (``DESKTOP-AB12CD3``: four to fifteen capitals, digits and hyphens, with at least one
  capital and one digit), since ``chapter-two.md``, ``chapter-IV.md`` or ``chapter-FINAL.md``
  is a chapter;
* ``stem (1).ext`` (a numbered duplicate) — only when the original is beside it.

The last two are *weak* patterns: a writer may well name a file that way, so they count
only with the original present. Nothing here reads the disk; the caller passes the names
beside the file.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Literal

Pattern = Literal[
    "conflicted-copy", "sync-conflict", "underscore-conflict", "host-suffix", "numbered"
]

_BRACKETED = re.compile(
    r"^(?P<stem>.+?) \((?:[^()]*?'s )?conflicted copy(?: [0-9]{4}-[0-9]{2}-[0-9]{2})?"
    r"(?: [0-9]{6})?(?: \([0-9]+\))?\)(?: \([0-9]+\))?$",
    re.IGNORECASE,
)
_DEVICE = re.compile(r"^(?P<stem>.+?)\.sync-conflict-[0-9]{8}-[0-9]{6}-[A-Z0-9]{7}$")
_UNDERSCORE = re.compile(r"^(?P<stem>.+?)_conflict-[0-9]{8}-[0-9]{6}$")
_NUMBERED = re.compile(r"^(?P<stem>.+?) \([0-9]{1,3}\)$")
_HOST = re.compile(
    r"^(?=[A-Z0-9-]*[A-Z])(?=[A-Z0-9-]*[0-9])[A-Z0-9][A-Z0-9-]{3,14}(?:-[0-9]{1,3})?$"
)

STRONG: tuple[tuple[Pattern, re.Pattern[str]], ...] = (
    ("conflicted-copy", _BRACKETED),
    ("sync-conflict", _DEVICE),
    ("underscore-conflict", _UNDERSCORE),
)
"""Patterns that say "conflict" in the name: recognised whether or not the original is there."""


@dataclass(frozen=True)
class ConflictCopy:
    """A name recognised as a conflict copy: of which original, by which naming pattern."""

    name: str
    original: str
    pattern: Pattern

    @property
    def weak(self) -> bool:
        """Recognised only because the original is beside it (see the module's rules)."""
        return self.pattern in ("host-suffix", "numbered")


def _splits(name: str) -> list[tuple[str, str]]:
    """(stem, extension) readings of ``name``: with its last extension, and whole."""
    found: list[tuple[str, str]] = []
    dot = name.rfind(".")
    if dot > 0 and " " not in name[dot:] and ")" not in name[dot:]:
        found.append((name[:dot], name[dot:]))
    found.append((name, ""))
    return found


def _host_original(stem: str, ext: str, beside: Container[str]) -> str | None:
    """The original of ``stem-HOST[-n]ext``: the longest ``stem`` part present beside it."""
    cuts = [i for i, char in enumerate(stem) if char == "-" and i > 0]
    for cut in reversed(cuts):
        host = stem[cut + 1 :]
        if _HOST.match(host):
            original = stem[:cut] + ext
            if original in beside:
                return original
    return None


def recognise(name: str, beside: Container[str] = ()) -> ConflictCopy | None:
    """``name`` as a conflict copy, or ``None``; ``beside``: the names in the same folder
    (the weak patterns need their original among them)."""
    if not name or name.startswith("."):
        return None
    for stem, ext in _splits(name):
        for pattern, regex in STRONG:
            match = regex.match(stem)
            if match is not None:
                return ConflictCopy(name, match["stem"] + ext, pattern)
    for stem, ext in _splits(name):
        match = _NUMBERED.match(stem)
        if match is not None and match["stem"] + ext in beside:
            return ConflictCopy(name, match["stem"] + ext, "numbered")
        original = _host_original(stem, ext, beside)
        if original is not None:
            return ConflictCopy(name, original, "host-suffix")
    return None


def is_conflict_copy(name: str, beside: Container[str] = ()) -> bool:
    """True when ``name`` is a conflict copy (see :func:`recognise`)."""
    return recognise(name, beside) is not None


def describe(copy: ConflictCopy) -> str:
    """A line for the writer: which file, of which original."""
    return f"{copy.name} is a conflict copy of {copy.original}"
