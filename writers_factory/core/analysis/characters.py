"""How often each story-bible character appears in each chapter: pure text work, no I/O.

A character is named by a ``## `` heading of a story-bible file ("## Elizabeth Bennet").
Writers rarely repeat a full name, so a mention is the full name or any of its words that
is a name rather than a title ("Elizabeth", "Bennet"; never "Mr" or "The"). Matches are
whole words, longest first, and never overlap, so "Elizabeth Bennet" counts once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TITLES = frozenset(
    {"the", "a", "an", "mr", "mrs", "miss", "ms", "dr", "sir", "lady", "lord", "of", "de", "von"}
)
"""Words of a name that say nothing about who is meant."""


def character_names(markdown: str) -> list[str]:
    """The ``## `` headings of a story-bible file, in order, each once."""
    names: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("## "):
            name = line[3:].strip().strip("#").strip()
            if name and name not in names:
                names.append(name)
    return names


def name_variants(name: str) -> list[str]:
    """The full name, then each of its words that could stand for it alone."""
    words = [w for w in re.findall(r"[\w'’-]+", name) if w]
    variants = [" ".join(words)] if words else []
    variants += [w for w in words if w.lower().rstrip(".") not in TITLES and len(w) > 1]
    return list(dict.fromkeys(variants))


def _pattern(name: str) -> re.Pattern[str] | None:
    variants = sorted(name_variants(name), key=len, reverse=True)
    if not variants:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, v.split())) for v in variants)
    return re.compile(rf"(?<![\w'’])(?:{alternatives})(?![\w'’])")


def mentions(text: str, names: Iterable[str]) -> dict[str, int]:
    """Mentions of each name in ``text`` (case-sensitive: names are capitalised)."""
    counts: dict[str, int] = {}
    for name in names:
        pattern = _pattern(name)
        counts[name] = 0 if pattern is None else len(pattern.findall(text))
    return counts
