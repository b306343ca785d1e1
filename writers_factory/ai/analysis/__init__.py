"""Local manuscript analysis: free, offline, instant — the Analyzing and Scoring stages
without a model.

Pure functions over text (``analyze_text``, ``score_locally`` and the single measures) and
one reader of a manuscript folder (``analyze_manuscript``, synchronous: call it through
``asyncio.to_thread``). Results are frozen pydantic models with ``rows()`` for tables and,
for manuscripts, ``series()`` for charts.
"""

from __future__ import annotations

from writers_factory.ai.analysis.manuscript import analyze_manuscript, chapter_files, natural_key
from writers_factory.core.analysis.metrics import (
    analyze_text,
    dialogue_ratio,
    overused_phrases,
    overused_words,
    readability,
    sentence_spread,
)
from writers_factory.core.analysis.models import (
    ChapterReport,
    DialogueStats,
    LocalScore,
    ManuscriptReport,
    PhraseUse,
    Readability,
    ScoreComponent,
    SentenceSpread,
    TextReport,
    WordUse,
)
from writers_factory.core.analysis.scoring import mattr, score_locally
from writers_factory.core.analysis.text import (
    QuoteStyle,
    count_syllables,
    detect_quote_style,
    sentences,
    words,
)

__all__ = [
    "ChapterReport",
    "DialogueStats",
    "LocalScore",
    "ManuscriptReport",
    "PhraseUse",
    "QuoteStyle",
    "Readability",
    "ScoreComponent",
    "SentenceSpread",
    "TextReport",
    "WordUse",
    "analyze_manuscript",
    "analyze_text",
    "chapter_files",
    "count_syllables",
    "detect_quote_style",
    "dialogue_ratio",
    "mattr",
    "natural_key",
    "overused_phrases",
    "overused_words",
    "readability",
    "score_locally",
    "sentence_spread",
    "sentences",
    "words",
]
