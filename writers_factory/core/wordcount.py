"""Counting words the way writers count them, and how many an edit added and removed.

A word count that disagrees with the writer's own sense of "words" makes daily targets feel
wrong, so the rules follow manuscript conventions rather than ``str.split``:

* Markdown markup does not count: heading and list markers, emphasis, link targets and
  images, HTML tags, HTML comments (``<!-- notes -->``), a YAML front-matter block, bare URLs
  and reference-link definitions.
* A hyphenated or contracted word is one word: ``well-known``, ``don't``, ``rock’n’roll``.
* An em-dash or en-dash (or ``--``) splits words even without spaces: ``wait—what`` is two.
* Numbers are words (``1984`` is a word in a sentence).
* Chinese, Japanese and Korean are counted by characters, as writers of those languages
  count: every Han character, kana and Hangul syllable is one "word". Mixed text counts its
  Latin words plus its CJK characters (``Tokyo東京`` is three).

This module is the one counter of the product: the status bar, the statistics, the
snapshots, the tree and the local analysis all count through :func:`count_words` (or
:func:`words`), so two views of the same text never disagree.

Markup never spans a blank line (as in Markdown, where a link or an inline tag ends at a
paragraph break), except a front-matter block and an HTML comment. That makes the count a
sum over paragraph blocks: :func:`count_words_stepwise` counts a whole novel chunk by chunk,
so a worker thread counting it hands the interpreter back between chunks and typing stays
fluid, and its sum is exactly :func:`count_words`.

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
from collections.abc import Iterator
from functools import cache

from writers_factory.core.common_ends import CommonEnds, common_ends

EXACT_LIMIT = 20_000
"""Above this many differing words on either side, ``word_delta`` uses the multiset count."""

CHUNK_CHARS = 64_000
"""About this many characters per step of :func:`count_words_stepwise` (a few ms each)."""

# A newline that does not start a blank line: markup may run over soft line breaks only.
_SOFT = r"(?:\n(?![ \t]*\n))"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_IMAGE = re.compile(rf"!\[(?:[^\]\n]|{_SOFT})*\]\((?:[^)\n]|{_SOFT})*\)")
_LINK = re.compile(rf"\[((?:[^\]\n]|{_SOFT})*)\]\((?:[^)\n]|{_SOFT})*\)")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?|ftp)://\S+", re.IGNORECASE)
_TAG = re.compile(rf"</?[A-Za-z](?:[^<>\n]|{_SOFT})*>")
_DASH = re.compile(r"[\u2014\u2013\u2015\u2012]")
_HYPHENS = re.compile(r"-{2,}")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")

CJK = (
    "\u1100-\u11ff"  # Hangul jamo
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # iteration marks, Hangzhou numerals
    "\u3040-\u30ff"  # hiragana, katakana (with the long-vowel mark)
    "\u3130-\u318f"  # Hangul compatibility jamo
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f\uac00-\ud7ff"  # Hangul syllables and extended jamo
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
"""Characters counted one by one (Chinese, Japanese and Korean scripts)."""

# One CJK character, or letters/digits (no CJK) joined by single inner hyphens or apostrophes
_PART = rf"[^\W_{CJK}]+"
WORD_PATTERN = rf"[{CJK}]|{_PART}(?:[-'\u2019\u2010\u2011]{_PART})*"
"""A word as the whole product counts it (see the module's rules)."""


@cache
def word_re() -> re.Pattern[str]:
    """:data:`WORD_PATTERN`, compiled when the first text is counted: its classes (every
    letter and digit of Unicode but the CJK ranges) take 5 ms to compile, which every
    start-up paid at import, before the chapter was shown, for a count made after."""
    return re.compile(WORD_PATTERN)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _mask_text(text: str) -> str:
    """Markup as spaces of the same length (newlines kept), so offsets stay put."""
    return _NOT_NEWLINE.sub(" ", text)


def _mask(match: re.Match[str]) -> str:
    return _mask_text(match.group())


def _mask_link(match: re.Match[str]) -> str:
    start, end = match.span(1)
    whole = match.group()
    base = match.start()
    inner = whole[start - base : end - base]
    return _mask_text(whole[: start - base]) + inner + _mask_text(whole[end - base :])


def masked(text: str) -> str:
    """``text`` with every markup character replaced by a space (same length, same lines).

    Words found in it are found at their offsets in ``text``: the analysis relies on it to
    place words in sentences and quotations.
    """
    text = _FRONT_MATTER.sub(_mask, text)
    text = _COMMENT.sub(_mask, text)
    return _mask_paragraphs(text)


def _mask_paragraphs(text: str) -> str:
    """Markup within paragraphs as spaces. A pattern that cannot match without a piece of
    text is skipped when that piece is absent: the URL pattern (``\b`` first) gives the
    regex engine no literal to search for, so it was tried at every position of the text —
    two thirds of the masking of a novel's prose, which has no URL; the reference
    definitions' one at every line."""
    text = _IMAGE.sub(_mask, text)
    text = _LINK.sub(_mask_link, text)
    if "]:" in text:
        text = _REF_DEF.sub(_mask, text)
    text = _AUTOLINK.sub(_mask, text)
    if "://" in text:
        text = _URL.sub(_mask, text)
    text = _TAG.sub(_mask, text)
    text = _DASH.sub(" ", text)  # one character for one: no callback per dash
    return _HYPHENS.sub(_mask, text) if "--" in text else text


def prose(text: str) -> str:
    """The text with markup blanked out, as a writer would read it aloud."""
    return masked(text)


def _chunks(text: str, size: int) -> Iterator[str]:
    """``text`` cut at blank lines into pieces of about ``size`` characters, front matter
    and comments blanked first; counting the pieces counts the whole (see module notes)."""
    text = _FRONT_MATTER.sub(_mask, text, count=1)
    if "<!--" in text:
        text = _COMMENT.sub(_mask, text)
    start, length = 0, len(text)
    while start < length:
        end = length
        if length - start > size:
            cut = _BLANK_LINE.search(text, start + size)
            end = cut.start() if cut is not None else length
        yield text[start:end]
        start = end


def words(text: str) -> list[str]:
    """The words of ``text`` in order (markup dropped), as counted by :func:`count_words`."""
    found: list[str] = []
    for chunk in _chunks(text, CHUNK_CHARS):
        found.extend(word_re().findall(_mask_paragraphs(chunk)))
    return found


def count_words_stepwise(text: str, size: int = CHUNK_CHARS) -> Iterator[int]:
    """The words of ``text`` chunk by chunk (yields each chunk's count; they sum to
    :func:`count_words`). For a worker thread: the interpreter is free between chunks."""
    for chunk in _chunks(text, size):
        yield len(word_re().findall(_mask_paragraphs(chunk)))


def count_words(text: str) -> int:
    """How many words a writer would say ``text`` has; the product's one word counter."""
    return sum(count_words_stepwise(text))


def word_delta(old_text: str, new_text: str, ends: CommonEnds | None = None) -> tuple[int, int]:
    """(words added, words removed) going from ``old_text`` to ``new_text``.

    A changed word counts once as removed and once as added, as in a tracked-changes view.
    Only the paragraphs that differ are split into words (see :func:`differing_part`): a
    save of a whole novel with a sentence typed costs a comparison, not two whole counts.
    ``ends``: the texts' common ends when the caller (a save) found them already; used only
    when they are the ends of these very two strings.
    """
    if ends is not None and ends.between(old_text, new_text):
        if ends.same:  # already compared: not again
            return 0, 0
    elif old_text == new_text:
        return 0, 0
    start, old_end, new_end = differing_part(old_text, new_text, ends)
    return sequence_delta(words(old_text[start:old_end]), words(new_text[start:new_end]))


def _blank(text: str, start: int, end: int) -> bool:
    return not text[start:end].strip(" \t")


def _blank_line_before(text: str, limit: int) -> int:
    """The start of the last blank-line break (``_BLANK_LINE``) lying wholly before
    ``limit``; 0 when there is none (the text's start is a boundary too)."""
    end = text.rfind("\n", 0, limit)
    while end > 0:
        start = text.rfind("\n", 0, end)
        if start < 0:
            break
        if _blank(text, start + 1, end):
            return start
        end = start
    return 0


def _blank_line_from(text: str, first: int) -> int:
    """The start of the first blank-line break starting at or after ``first``; the text's
    length when there is none."""
    start = text.find("\n", first)
    while start >= 0:
        end = text.find("\n", start + 1)
        if end < 0:
            break
        if _blank(text, start + 1, end):
            return start
        start = end
    return len(text)


_OPENER_TRIES = 64
"""``<`` characters looked at one by one before searching for ``<!--`` itself."""


def _last_opener(text: str, start: int, end: int) -> int:
    """Where the last ``<!--`` in ``text[start:end]`` begins (-1: none).

    Searching for one character is many times faster than for four (half a novel: 0.05 ms
    against 0.8), and prose holds few ``<``: the ``<`` are visited from the end, and the
    four-character search runs only in a text full of them.
    """
    at = end
    for _ in range(_OPENER_TRIES):
        at = text.rfind("<", start, at)
        if at < 0 or text.startswith("<!--", at, end):
            return at
    return text.rfind("<!--", start, at)


def _comments_close(text: str, start: int, end: int) -> bool:
    """No HTML comment opened in ``text[start:end]`` runs on past ``end``."""
    opener = _last_opener(text, start, end)
    return opener < 0 or text.find("-->", opener + 4, end) >= 0


def differing_part(
    old_text: str, new_text: str, ends: CommonEnds | None = None
) -> tuple[int, int, int]:
    """``(start, old_end, new_end)``: the paragraphs where the texts differ, so that
    ``words(old_text)`` is ``words(old_text[:start]) + words(old_text[start:old_end]) +
    words(old_text[old_end:])`` (and the same for ``new_text``) with the first and last parts
    equal in both.

    The cuts are at blank lines inside the shared beginning and end: markup never spans a
    blank line (see the module's notes), but for the front matter and HTML comments, which
    widen the part when one runs across a cut. Whole texts at worst, never a different count.
    """
    if ends is None or not ends.between(old_text, new_text):
        ends = common_ends(old_text, new_text)
    shared, tail = ends.prefix, ends.suffix
    start = _blank_line_before(old_text, shared)
    old_end = _blank_line_from(old_text, len(old_text) - tail)
    new_end = old_end - len(old_text) + len(new_text)
    cuts = [old_end, new_end]
    # both texts hold the same characters before ``start``: one search for an open comment
    if start and not _comments_close(old_text, 0, start):
        start = 0
    for text in (old_text, new_text):
        front = _FRONT_MATTER.match(text) if text.startswith("---") else None
        if front is not None and front.end() > start:
            start = 0
    for n, text in enumerate((old_text, new_text)):
        front = _FRONT_MATTER.match(text) if text.startswith("---") else None
        if (front is not None and front.end() > cuts[n]) or not _comments_close(
            text, start, cuts[n]
        ):
            return start, len(old_text), len(new_text)
    return start, cuts[0], cuts[1]


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
