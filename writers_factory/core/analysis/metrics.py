"""The measures of one text: readability, dialogue, sentence spread and overuse.

Each public function takes plain text so it is easy to call and test; ``*_of`` twins take a
:class:`Scan` so a manuscript is tokenised once and its chapters' scans merged for totals.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Collection, Iterable
from itertools import compress, pairwise
from operator import or_

from writers_factory.core.analysis.models import (
    DialogueStats,
    PhraseUse,
    Readability,
    SentenceSpread,
    TextReport,
    WordUse,
)
from writers_factory.core.analysis.stopwords import STOPWORDS
from writers_factory.core.analysis.text import (
    QuoteStyle,
    Scan,
    detect_quote_style,
    scan,
)

NAME_SHARE = 0.8
"""A word capitalised in at least this share of its uses is taken for a name ("Elizabeth")
and left out of overused words: a heroine's name is not a habit to cut."""


def readability_of(s: Scan) -> Readability:
    """Flesch reading ease = 206.835 − 1.015·(words/sentences) − 84.6·(syllables/words);
    Flesch–Kincaid grade = 0.39·(words/sentences) + 11.8·(syllables/words) − 15.59."""
    n_words, n_sent = len(s.words), len(s.sentence_lengths)
    if not n_words or not n_sent:
        return Readability(
            words=n_words,
            sentences=n_sent,
            syllables=s.syllables,
            flesch_reading_ease=None,
            flesch_kincaid_grade=None,
        )
    wps, spw = n_words / n_sent, s.syllables / n_words
    return Readability(
        words=n_words,
        sentences=n_sent,
        syllables=s.syllables,
        flesch_reading_ease=206.835 - 1.015 * wps - 84.6 * spw,
        flesch_kincaid_grade=0.39 * wps + 11.8 * spw - 15.59,
    )


def readability(text: str) -> Readability:
    return readability_of(scan(text))


def dialogue_of(s: Scan, style: QuoteStyle) -> DialogueStats:
    n = len(s.words)
    return DialogueStats(
        words=n,
        dialogue_words=s.dialogue_words,
        ratio=s.dialogue_words / n if n else 0.0,
        style=style,
    )


def dialogue_ratio(text: str, style: QuoteStyle | None = None) -> DialogueStats:
    """Share of words inside quotation marks; the style is detected when not given."""
    style = style or detect_quote_style(text)
    return dialogue_of(scan(text, style), style)


def nearest_rank(sorted_values: list[int], pct: float) -> int:
    """The nearest-rank percentile: the smallest value with ``pct``% of values at or below.

    Chosen over interpolation so a writer (and a test) can check it by counting.
    """
    if not sorted_values:
        return 0
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def spread_of(s: Scan) -> SentenceSpread:
    lengths = s.sentence_lengths
    if not lengths:
        return SentenceSpread(
            count=0, mean=0.0, median=0.0, stdev=0.0, p10=0, p90=0, longest=0, longest_text=""
        )
    ordered = sorted(lengths)
    return SentenceSpread(
        count=len(lengths),
        mean=statistics.fmean(lengths),
        median=float(statistics.median(ordered)),
        stdev=statistics.pstdev(lengths),
        p10=nearest_rank(ordered, 10),
        p90=nearest_rank(ordered, 90),
        longest=ordered[-1],
        longest_text=s.longest_sentence,
    )


def sentence_spread(text: str) -> SentenceSpread:
    """Sentence lengths in words; the stdev is the population one (every sentence counts)."""
    return spread_of(scan(text))


def _per_thousand(count: int, total: int) -> float:
    return count * 1000 / total if total else 0.0


def _lowered(words: Iterable[str]) -> list[str]:
    return [w.lower().replace("’", "'") for w in words]


def content_word_counts(words: Iterable[str], *, exclude_names: bool = True) -> Counter[str]:
    """Lower-cased counts of words a writer chose: no stopwords, no short words, no names."""
    words = list(words)
    counts: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for tok, low in zip(words, _lowered(words), strict=True):
        if len(low) < 3 or low in STOPWORDS or not low[0].isalpha():
            continue
        counts[low] += 1
        if tok[0].isupper():
            capitalised[low] += 1
    if exclude_names:
        for word, cap in capitalised.items():
            if cap >= NAME_SHARE * counts[word]:
                del counts[word]
    return counts


def overused_words_of(
    s: Scan, limit: int = 20, min_count: int = 3, counts: Counter[str] | None = None
) -> list[WordUse]:
    """Most frequent content words, ranked by uses per 1,000 words (ties alphabetically)."""
    total = len(s.words)
    counts = content_word_counts(s.words) if counts is None else counts
    ranked = sorted(
        ((w, c) for w, c in counts.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0])
    )
    return [
        WordUse(word=w, count=c, per_thousand=_per_thousand(c, total)) for w, c in ranked[:limit]
    ]


def overused_words(text: str, limit: int = 20, min_count: int = 3) -> list[WordUse]:
    return overused_words_of(scan(text), limit, min_count)


def _count_ngrams(sentences: list[list[str]], chosen: Collection[str]) -> Counter[tuple[str, ...]]:
    """2-, 3- and 4-grams per sentence that hold a chosen word; built from C-level iterators
    (zip/compress/Counter.update) because a long novel has millions of them."""
    counts: Counter[tuple[str, ...]] = Counter()
    for sent in sentences:
        low = _lowered(sent)
        has = [w in chosen for w in low]
        has2 = list(map(or_, has, has[1:]))
        has3 = list(map(or_, has2, has[2:]))
        has4 = map(or_, has3, has[3:])
        counts.update(compress(pairwise(low), has2))
        counts.update(compress(zip(low, low[1:], low[2:], strict=False), has3))
        counts.update(compress(zip(low, low[1:], low[2:], low[3:], strict=False), has4))
    return counts


def overused_phrases_of(
    s: Scan, limit: int = 20, min_count: int = 2, counts: Counter[str] | None = None
) -> list[PhraseUse]:
    """Repeated 2-4-word phrases inside sentences that contain at least one content word.

    "of the" is grammar and "Mr Darcy" a name, not habits, so a phrase needs a word that
    :func:`content_word_counts` keeps. A phrase that only ever occurs inside a longer
    repeated phrase is folded into it ("deep breath" into "took a deep breath"). Ranked by
    count, then longer phrases first.
    """
    chosen = content_word_counts(s.words) if counts is None else counts
    grams = _count_ngrams(s.sentences_of_words, chosen)
    repeated = {g: c for g, c in grams.items() if c >= min_count}
    subsumed: set[tuple[str, ...]] = set()
    for gram, c in repeated.items():
        if len(gram) > 2:
            for part in (gram[:-1], gram[1:]):
                if repeated.get(part) == c:
                    subsumed.add(part)
    ranked = sorted(
        ((g, c) for g, c in repeated.items() if g not in subsumed),
        key=lambda gc: (-gc[1], -len(gc[0]), gc[0]),
    )
    total = len(s.words)
    return [
        PhraseUse(phrase=" ".join(g), n=len(g), count=c, per_thousand=_per_thousand(c, total))
        for g, c in ranked[:limit]
    ]


def overused_phrases(text: str, limit: int = 20, min_count: int = 2) -> list[PhraseUse]:
    return overused_phrases_of(scan(text), limit, min_count)


def report_of(s: Scan, style: QuoteStyle, limit: int = 20) -> TextReport:
    counts = content_word_counts(s.words)
    return TextReport(
        words=s.counted,
        readability=readability_of(s),
        dialogue=dialogue_of(s, style),
        sentences=spread_of(s),
        overused_words=overused_words_of(s, limit, counts=counts),
        overused_phrases=overused_phrases_of(s, limit, counts=counts),
    )


def analyze_text(text: str, style: QuoteStyle | None = None, limit: int = 20) -> TextReport:
    """Every local measure of one chapter or passage; pure, no I/O."""
    style = style or detect_quote_style(text)
    return report_of(scan(text, style), style, limit)
