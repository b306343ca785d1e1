"""Immutable results of local analysis, each able to show itself as table rows.

The TUI shows these as tables (label/value rows) and a chart (a series of (label, value)),
and may save them as JSON: frozen pydantic models give all three without a second copy of
the field list.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from writers_factory.core.analysis.text import QuoteStyle

Row = tuple[str, str]
"""One table row: a label and its formatted value."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


class Readability(_Frozen):
    """Flesch reading ease (higher = easier; fiction is usually 60-80) and grade level."""

    words: int
    sentences: int
    syllables: int
    flesch_reading_ease: float | None
    flesch_kincaid_grade: float | None

    def rows(self) -> list[Row]:
        return [
            ("Flesch reading ease", _fmt(self.flesch_reading_ease)),
            ("Flesch–Kincaid grade", _fmt(self.flesch_kincaid_grade)),
            ("Syllables per word", _fmt(self.syllables / self.words if self.words else None, 2)),
        ]


class DialogueStats(_Frozen):
    words: int
    dialogue_words: int
    ratio: float
    style: QuoteStyle

    def rows(self) -> list[Row]:
        return [
            ("Dialogue", f"{self.ratio:.0%} of words"),
            ("Quote style", self.style.value),
        ]


class SentenceSpread(_Frozen):
    """Sentence lengths in words; percentiles use the nearest-rank method."""

    count: int
    mean: float
    median: float
    stdev: float
    p10: int
    p90: int
    longest: int
    longest_text: str

    def rows(self) -> list[Row]:
        return [
            ("Sentences", f"{self.count:,}"),
            ("Mean sentence length", _fmt(self.mean)),
            ("Median sentence length", _fmt(self.median)),
            ("Sentence length spread (stdev)", _fmt(self.stdev)),
            ("Short/long sentences (p10/p90)", f"{self.p10} / {self.p90}"),
            ("Longest sentence", f"{self.longest} words"),
        ]


class WordUse(_Frozen):
    word: str
    count: int
    per_thousand: float
    """Uses per 1,000 words of the text: comparable across chapters of any length."""


class PhraseUse(_Frozen):
    phrase: str
    n: int
    count: int
    per_thousand: float


class TextReport(_Frozen):
    """Everything local analysis says about one text (a chapter or a whole manuscript)."""

    words: int
    readability: Readability
    dialogue: DialogueStats
    sentences: SentenceSpread
    overused_words: list[WordUse]
    overused_phrases: list[PhraseUse]

    def rows(self) -> list[Row]:
        return [
            ("Words", f"{self.words:,}"),
            *self.readability.rows(),
            *self.dialogue.rows(),
            *self.sentences.rows(),
        ]

    def word_rows(self) -> list[Row]:
        return [(w.word, f"{w.count} ({w.per_thousand:.1f}/1000)") for w in self.overused_words]

    def phrase_rows(self) -> list[Row]:
        return [(p.phrase, f"{p.count} ({p.per_thousand:.2f}/1000)") for p in self.overused_phrases]


Pace = Literal["slow", "steady", "fast"]
Metric = Literal["words", "dialogue_ratio", "mean_sentence_length", "reading_ease", "pace_index"]


class ChapterReport(_Frozen):
    """One chapter's line in the pacing table."""

    index: int
    path: str
    """Relative to the manuscript folder, with forward slashes."""
    title: str
    words: int
    dialogue_ratio: float
    mean_sentence_length: float
    reading_ease: float | None
    pace_index: float
    """How fast the chapter reads *for this manuscript*: (dialogue share z-score minus mean
    sentence length z-score), itself standardised across chapters; above 0 is faster than
    this book's average, beyond ±1 is marked fast/slow."""
    pace: Pace


class ManuscriptReport(_Frozen):
    folder: str
    chapters: list[ChapterReport]
    totals: TextReport
    problems: list[str]
    """Files that could not be read, each with the reason; they are left out."""

    def rows(self) -> list[Row]:
        return [("Chapters", str(len(self.chapters))), *self.totals.rows()]

    def pacing_rows(self) -> list[tuple[str, ...]]:
        """Header row first, then one row per chapter."""
        header = ("#", "Chapter", "Words", "Dialogue", "Mean sentence", "Pace")
        body = [
            (
                str(c.index),
                c.title,
                f"{c.words:,}",
                f"{c.dialogue_ratio:.0%}",
                f"{c.mean_sentence_length:.1f}",
                c.pace,
            )
            for c in self.chapters
        ]
        return [header, *body]

    def series(self, metric: Metric = "words") -> list[tuple[str, float]]:
        """(chapter label, value) points for a chart, in reading order."""
        out: list[tuple[str, float]] = []
        for c in self.chapters:
            value = getattr(c, metric)
            out.append((c.title, float(value) if value is not None else 0.0))
        return out


class ScoreComponent(_Frozen):
    name: str
    points: float
    max_points: float
    value: str
    explanation: str


class LocalScore(_Frozen):
    """An offline rubric: four equally weighted components, each explained."""

    total: int
    components: list[ScoreComponent]

    def rows(self) -> list[Row]:
        return [("Local score", f"{self.total} / 100")] + [
            (c.name, f"{c.points:.1f} / {c.max_points:.0f} — {c.explanation}")
            for c in self.components
        ]
