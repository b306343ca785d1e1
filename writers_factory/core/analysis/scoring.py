"""The offline "Scoring" stage: a 0-100 rubric from measurable traits, each explained.

It cannot judge story or voice — only a model (or a reader) can — so it scores what prose
craft books agree is measurable, and says *why* each component scored as it did so the
number is never a mystery. Four components of 25 points each:

* Readability band — Flesch reading ease 50-80 (where most published fiction sits) earns
  full points, falling linearly to zero 30 points outside the band.
* Sentence variety — the spread of sentence lengths relative to their mean (coefficient of
  variation); 0.5 or more earns full points. Monotonous rhythm scores low.
* Dialogue balance — 20-50 % of words in dialogue earns full points, falling linearly to
  zero at 0 % and at 90 %.
* Repetition — lexical variety as the moving-average type-token ratio (MATTR) over 50-word
  windows, which, unlike a plain type-token ratio, does not fall as a text grows: 0.72 or
  more earns full points, 0.50 or less none.
"""

from __future__ import annotations

import statistics

from writers_factory.core.analysis.metrics import overused_words_of, readability_of
from writers_factory.core.analysis.models import LocalScore, ScoreComponent
from writers_factory.core.analysis.text import Scan, detect_quote_style, normalise_apostrophes, scan

COMPONENT_POINTS = 25.0
MATTR_WINDOW = 50


def _band(value: float, low: float, high: float, fall_low: float, fall_high: float) -> float:
    """1 inside [low, high], falling linearly to 0 at low-fall_low and high+fall_high."""
    if low <= value <= high:
        return 1.0
    if value < low:
        return max(0.0, 1 - (low - value) / fall_low)
    return max(0.0, 1 - (value - high) / fall_high)


def _component(name: str, share: float, value: str, why: str) -> ScoreComponent:
    """One rubric line: ``share`` (0-1) of the component's points, with the reason shown.

    Every component scores the same way, so the points rule lives here once; a component
    that cannot be measured passes a share of 0 and the value "—".
    """
    return ScoreComponent(
        name=name,
        points=round(share * COMPONENT_POINTS, 1),
        max_points=COMPONENT_POINTS,
        value=value,
        explanation=why,
    )


def mattr(words: list[str], window: int = MATTR_WINDOW) -> float:
    """Moving-average type-token ratio; a text shorter than the window uses its own length."""
    low = [normalise_apostrophes(w.lower()) for w in words]
    if not low:
        return 0.0
    if len(low) <= window:
        return len(set(low)) / len(low)
    counts: dict[str, int] = {}
    for w in low[:window]:
        counts[w] = counts.get(w, 0) + 1
    total = len(counts)
    for i in range(window, len(low)):
        out, into = low[i - window], low[i]
        counts[out] -= 1
        if not counts[out]:
            del counts[out]
        counts[into] = counts.get(into, 0) + 1
        total += len(counts)
    return total / (len(low) - window + 1) / window


def _readability(s: Scan) -> ScoreComponent:
    ease = readability_of(s).flesch_reading_ease
    if ease is None:
        return _component("Readability band", 0.0, "—", "no sentences to measure")
    share = _band(ease, 50, 80, 30, 30)
    if share == 1:
        why = f"reading ease {ease:.1f} is inside the 50–80 band of most published fiction"
    elif ease < 50:
        why = f"reading ease {ease:.1f} is below 50: long sentences or long words make it dense"
    else:
        why = f"reading ease {ease:.1f} is above 80: very short words and sentences throughout"
    return _component("Readability band", share, f"{ease:.1f}", why)


def _variety(s: Scan) -> ScoreComponent:
    lengths = s.sentence_lengths
    if len(lengths) < 2:
        return _component(
            "Sentence variety", 0.0, "—", "fewer than two sentences: no variety to measure"
        )
    cv = statistics.pstdev(lengths) / statistics.fmean(lengths)
    share = min(1.0, cv / 0.5)
    why = (
        f"sentence lengths vary by {cv:.2f}× their mean: a lively rhythm"
        if share == 1
        else f"sentence lengths vary by only {cv:.2f}× their mean (0.50 wanted): "
        "mix short and long sentences"
    )
    return _component("Sentence variety", share, f"{cv:.2f}", why)


def _dialogue(s: Scan) -> ScoreComponent:
    if not s.words:
        return _component("Dialogue balance", 0.0, "—", "no words")
    ratio = s.dialogue_words / len(s.words)
    share = _band(ratio, 0.2, 0.5, 0.2, 0.4)
    if share == 1:
        why = f"{ratio:.0%} dialogue balances scene and summary (20–50% wanted)"
    elif ratio < 0.2:
        why = f"{ratio:.0%} dialogue: mostly narration (20–50% wanted)"
    else:
        why = f"{ratio:.0%} dialogue: little narration to ground it (20–50% wanted)"
    return _component("Dialogue balance", share, f"{ratio:.0%}", why)


def _repetition(s: Scan) -> ScoreComponent:
    if not s.words:
        return _component("Repetition", 0.0, "—", "no words")
    variety = mattr(s.words)
    share = min(1.0, max(0.0, (variety - 0.5) / 0.22))
    top = overused_words_of(s, limit=3)
    most = ", ".join(f"“{w.word}” ×{w.count}" for w in top) or "none"
    why = f"lexical variety {variety:.2f} (0.72 wanted); most repeated: {most}"
    return _component("Repetition", share, f"{variety:.2f}", why)


def score_locally(text: str) -> LocalScore:
    """Score a chapter offline, free and instantly; pure, no I/O."""
    s = scan(text, detect_quote_style(text))
    components = [_readability(s), _variety(s), _dialogue(s), _repetition(s)]
    return LocalScore(total=round(sum(c.points for c in components)), components=components)
