"""Turning prose into words, sentences, syllables and quoted spans, in one pass.

Everything here is a heuristic tuned for novels, so each rule is written down where it is
applied. The scan works paragraph by paragraph (blank lines separate paragraphs) because a
paragraph break ends a sentence and — in fiction — resets an unclosed quotation: a speech
running over several paragraphs opens each one with a quote mark and closes only the last.
"""

from __future__ import annotations

import bisect
import enum
import re
import unicodedata
from dataclasses import dataclass, field

from writers_factory.core.wordcount import masked, word_re

WORD_RE = word_re()
"""A word as the product's one counter sees it (``core.wordcount``): letters/digits joined
by apostrophes or single hyphens ("don't", "well-known"), a dash separating words, each
Chinese, Japanese or Korean character a word. Markup is blanked first (``masked``), so the
analysis and the word counts shown everywhere else agree on every text."""

_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n")
_BOUNDARY_RE = re.compile(r"([.!?…]+)([\"'”’)\]]*)(?=\s|$)")
_ABBREVIATIONS = "mr mrs ms dr st jr sr prof rev col gen capt lt sgt maj hon messrs mme mlle vs etc"
ABBREVIATIONS: frozenset[str] = frozenset(_ABBREVIATIONS.split())
"""Words whose trailing full stop does not end a sentence ("Mr. Bennet")."""

_LAST_WORD_RE = re.compile(r"([^\W_]+)$")
_OPEN_PUNCT = "([{—–-"
_CLOSE_PUNCT = ".,!?;:…—–-"


class QuoteStyle(enum.StrEnum):
    """Which quotation marks carry the dialogue of a text."""

    DOUBLE = "double"  # "…" or “…”
    SINGLE = "single"  # '…' or ‘…’ (British novels)


def normalise_apostrophes(word: str) -> str:
    return word.replace("’", "'")


def _silent_suffix(w: str) -> bool:
    """A final "-ed"/"-es" that adds no syllable ("walked", "likes")."""
    if len(w) <= 4:
        return False
    if w.endswith("ed"):
        return w[-3] not in "td"
    return w.endswith("es") and w[-3] not in "sxzcg" and not w.endswith(("ches", "shes"))


def count_syllables(word: str) -> int:
    """Estimate the syllables of one English word; the rules Flesch scores depend on.

    1. Accents are removed and only the letters a-z kept; a word without letters (a
       number such as "1805") counts as one syllable.
    2. Words of three letters or fewer have one syllable ("the", "cat", "eye").
    3. A final silent "e" is dropped ("make" -> "mak"), except after a consonant + "l"
       ("table", "little"), where "-le" is its own syllable.
    4. A final "-es" or "-ed" is dropped when it is silent: "-ed" is voiced only after t/d
       ("wanted"), "-es" only after s, x, z, c, g, ch, sh ("boxes", "places").
    5. Each run of vowels (a, e, i, o, u, y) is one syllable; a leading "y" before a vowel
       is a consonant ("young", "yes").
    6. At least one syllable.
    """
    w = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if "a" <= c <= "z")
    if not w or len(w) <= 3:
        return 1
    if _silent_suffix(w):
        w = w[:-2]
    elif w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        w = w[:-1]
    elif w.endswith("le") and len(w) > 2 and w[-3] in "aeiouy":
        w = w[:-1]  # "-ale", "-ole": the e is silent ("whale", "hole")
    if w.startswith("y") and len(w) > 1 and w[1] in "aeiou":
        w = w[1:]
    return max(1, len(re.findall(r"[aeiouy]+", w)))


def detect_quote_style(text: str) -> QuoteStyle:
    """Double quotes win unless single-quote openers clearly outnumber them.

    Double marks are unambiguous; single marks double as apostrophes, so only a single
    mark at the start of a word after a space (an opener) is counted.
    """
    doubles = text.count('"') // 2 + text.count("“")
    singles = len(re.findall(r"(?:^|(?<=[\s(\[—–]))['‘](?=\w)", text))
    return QuoteStyle.SINGLE if singles > doubles else QuoteStyle.DOUBLE


def _double_spans(para: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for m in re.finditer(r"[\"“”]", para):
        mark = m.group()
        if start is None and mark in '"“':
            start = m.start()
        elif start is not None and mark in '"”':
            spans.append((start, m.end()))
            start = None
    if start is not None:
        spans.append((start, len(para)))
    return spans


_SINGLE_OPEN_RE = re.compile(r"(?:^|(?<=[\s(\[{—–-]))['‘](?=\S)")
_SINGLE_CLOSE_RE = re.compile(r"(?<=\S)['’](?![^\W_])")


def _single_spans(para: str) -> list[tuple[int, int]]:
    """Single-quote dialogue, telling closing quotes from apostrophes.

    An opener is a mark at the start of a word. A closer is a mark not followed by a
    letter (so "don't" is never one). Between one opener and the next, a closer after
    punctuation ("here.'") is preferred over one after a letter, because a plural
    possessive ("the boys' room") looks like a closer but is never followed-by-punctuation
    speech end. With no closer before the next opener the quote runs to the first closer
    at all, or to the paragraph's end.
    """
    spans: list[tuple[int, int]] = []
    openers = [m.start() for m in _SINGLE_OPEN_RE.finditer(para)]
    closers = [m.start() for m in _SINGLE_CLOSE_RE.finditer(para)]
    pos = 0
    for open_at in openers:
        if open_at < pos:
            continue
        nxt = bisect.bisect_right(openers, open_at)
        limit = openers[nxt] if nxt < len(openers) else len(para)
        lo = bisect.bisect_right(closers, open_at)
        hi = bisect.bisect_left(closers, limit)
        window = closers[lo:hi]
        chosen = next((c for c in window if para[c - 1] in _CLOSE_PUNCT), None)
        if chosen is None and window:
            chosen = window[0]
        if chosen is None and lo < len(closers):
            chosen = closers[lo]
        end = len(para) if chosen is None else chosen + 1
        spans.append((open_at, end))
        pos = end
    return spans


def quote_spans(para: str, style: QuoteStyle) -> list[tuple[int, int]]:
    """Character ranges of one paragraph that are inside dialogue quotes."""
    return _double_spans(para) if style is QuoteStyle.DOUBLE else _single_spans(para)


def _sentence_ends(para: str) -> list[int]:
    """Offsets where a sentence ends inside a paragraph (its end is always one).

    A terminator (. ! ? …, with any closing quotes) ends a sentence unless the next word
    starts lower-case ('"Why?" she asked.') or the full stop follows an abbreviation or
    a single capital initial ("Mr. Bennet", "J. Smith").
    """
    ends: list[int] = []
    for m in _BOUNDARY_RE.finditer(para):
        end = m.end()
        rest = para[end:].lstrip()
        if rest and rest[0].islower():
            continue
        if m.group(1) == ".":
            before = _LAST_WORD_RE.search(para, max(0, m.start() - 24), m.start())
            if before and (
                before.group(1).lower() in ABBREVIATIONS
                or (len(before.group(1)) == 1 and before.group(1).isupper())
            ):
                continue
        ends.append(end)
    if not ends or ends[-1] < len(para.rstrip()):
        ends.append(len(para))
    return ends


def paragraphs(text: str) -> list[str]:
    """Prose paragraphs; markdown headings and YAML front matter are not prose."""
    if text.startswith("---\n"):
        close = text.find("\n---\n", 4)
        if close != -1:
            text = text[close + 5 :]
    out: list[str] = []
    for block in _PARAGRAPH_RE.split(text):
        lines = [ln for ln in block.splitlines() if not ln.lstrip().startswith("#")]
        para = "\n".join(lines).strip()
        if para:
            out.append(para)
    return out


@dataclass
class Scan:
    """Raw counts of one text, from which every report is computed (and merged)."""

    words: list[str] = field(default_factory=list)
    dialogue_words: int = 0
    syllables: int = 0
    sentence_lengths: list[int] = field(default_factory=list)
    sentences_of_words: list[list[str]] = field(default_factory=list)
    longest_sentence: str = ""
    heading_words: int = 0
    """Words of headings: counted in the text's words, left out of its prose measures."""

    @property
    def counted(self) -> int:
        """The text's word count, equal to ``core.wordcount.count_words`` of it."""
        return len(self.words) + self.heading_words

    def merge(self, other: Scan) -> None:
        self.words.extend(other.words)
        self.heading_words += other.heading_words
        self.dialogue_words += other.dialogue_words
        self.syllables += other.syllables
        self.sentence_lengths.extend(other.sentence_lengths)
        self.sentences_of_words.extend(other.sentences_of_words)
        if len(other.longest_sentence.split()) > len(self.longest_sentence.split()):
            self.longest_sentence = other.longest_sentence


def scan(text: str, style: QuoteStyle | None = None) -> Scan:
    """One pass over ``text``: words, syllables, sentences and dialogue words."""
    style = style or detect_quote_style(text)
    text = masked(text)
    result = Scan()
    result.heading_words = sum(
        len(WORD_RE.findall(line)) for line in text.splitlines() if line.lstrip().startswith("#")
    )
    longest = 0
    syllable_cache: dict[str, int] = {}
    for para in paragraphs(text):
        matches = list(WORD_RE.finditer(para))
        starts = [m.start() for m in matches]
        tokens = [m.group() for m in matches]
        result.words.extend(tokens)
        for tok in tokens:
            n = syllable_cache.get(tok)
            if n is None:
                n = syllable_cache[tok] = count_syllables(tok)
            result.syllables += n
        for a, b in quote_spans(para, style):
            result.dialogue_words += bisect.bisect_left(starts, b) - bisect.bisect_left(starts, a)
        prev_char, prev_word = 0, 0
        for end in _sentence_ends(para):
            upto = bisect.bisect_left(starts, end)
            if upto > prev_word:
                result.sentence_lengths.append(upto - prev_word)
                result.sentences_of_words.append(tokens[prev_word:upto])
                if upto - prev_word > longest:
                    longest = upto - prev_word
                    result.longest_sentence = " ".join(para[prev_char:end].split())
            prev_char, prev_word = end, upto
    return result


def words(text: str) -> list[str]:
    """The words of ``text`` as written (see :data:`WORD_RE`)."""
    return scan(text).words


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, whitespace collapsed; for display and tests."""
    out: list[str] = []
    for para in paragraphs(masked(text)):
        prev = 0
        for end in _sentence_ends(para):
            chunk = " ".join(para[prev:end].split())
            if WORD_RE.search(chunk):
                out.append(chunk)
            prev = end
    return out
