"""Counting words the way writers count them, and how many an edit added and removed.

A word count that disagrees with the writer's own sense of "words" makes daily targets feel
wrong, so the rules follow manuscript conventions rather than ``str.split``:

* Markdown markup does not count: heading and list markers, emphasis, link targets and
  images, HTML tags, HTML comments (``<!-- notes -->``), a YAML front-matter block, bare URLs
  and reference-link definitions.
* A hyphenated or contracted word is one word: ``well-known``, ``don't``, ``rock’n’roll``.
* An em-dash or en-dash (or ``--``) splits words even without spaces: ``wait—what`` is two.
* Numbers are words (``1984`` is a word in a sentence).

``word_delta`` compares word sequences, not characters. It trims the common beginning and end
first (an edit is usually local), then runs ``difflib`` on what differs. When that middle part
is still large (over ``EXACT_LIMIT`` words on either side) it falls back to a multiset
approximation: words whose count went up are "added", down are "removed". That approximation
ignores word order, so moving a paragraph counts as nothing added or removed — an acceptable
error for statistics, and it keeps a save of a whole novel in one file from stalling.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

EXACT_LIMIT = 20_000
"""Above this many differing words on either side, ``word_delta`` uses the multiset count."""

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?|ftp)://\S+", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_DASHES = re.compile(r"[\u2014\u2013\u2015\u2012]|-{2,}")
# letters/digits, joined by single inner hyphens or apostrophes (straight or curly)
_WORD = re.compile(r"[^\W_]+(?:[-'\u2019\u2010\u2011][^\W_]+)*")


def prose(text: str) -> str:
    """The text with markup removed, as a writer would read it aloud."""
    text = _FRONT_MATTER.sub("", text)
    text = _COMMENT.sub(" ", text)
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_DEF.sub(" ", text)
    text = _AUTOLINK.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _TAG.sub(" ", text)
    return _DASHES.sub(" ", text)


def words(text: str) -> list[str]:
    """The words of ``text`` in order (markup dropped), as counted by :func:`count_words`."""
    return _WORD.findall(prose(text))


def count_words(text: str) -> int:
    """How many words a writer would say ``text`` has."""
    return len(words(text))


def word_delta(old_text: str, new_text: str) -> tuple[int, int]:
    """(words added, words removed) going from ``old_text`` to ``new_text``.

    A changed word counts once as removed and once as added, as in a tracked-changes view.
    """
    return sequence_delta(words(old_text), words(new_text))


def sequence_delta(old: list[str], new: list[str]) -> tuple[int, int]:
    """:func:`word_delta` on already split word lists."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    a, b = old[start:end_old], new[start:end_new]
    if not a or not b:
        return len(b), len(a)
    if len(a) > EXACT_LIMIT or len(b) > EXACT_LIMIT:
        return _multiset_delta(a, b)
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def _multiset_delta(a: list[str], b: list[str]) -> tuple[int, int]:
    before, after = Counter(a), Counter(b)
    return sum((after - before).values()), sum((before - after).values())
