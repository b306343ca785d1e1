"""AI scores of chapters, kept as they were given: ``.session/scores.json``.

A one-off "Score chapter" call answers in prose; the figure read from it (0–100) is kept
here per chapter with when it was given and by which model, whether or not the writer then
inserts the answer as a note, so the scorecard shows it after a restart and a chapter's
scores can be followed over time. Scores of workflow runs stay in their workflow records.
A file that does not parse or validate is set aside into ``corrupt/`` (never overwritten)
and the scores start afresh.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.jsonfile import read_or_set_aside
from writers_factory.store.base.model_base import StoreDatetime, StoreModel
from writers_factory.store.base.paths import utcnow
from writers_factory.store.base.serialisers import dumps

FILE_NAME = "scores.json"
KEPT_PER_CHAPTER = 100
"""The newest scores kept per chapter (older ones are dropped as new ones come)."""


class AIScore(BaseModel):
    """One score a model gave a chapter."""

    model_config = ConfigDict(extra="allow")

    score: float = Field(ge=0, le=100)
    at: StoreDatetime
    operation: str = "score"
    model: str = ""


class ChapterScores(StoreModel):
    """``scores.json``: chapter path (``manuscript/chapter-01.md``) -> its AI scores, oldest
    first."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "scores"

    chapters: dict[str, list[AIScore]] = Field(default_factory=dict)

    def latest(self, chapter: str) -> AIScore | None:
        kept = self.chapters.get(chapter)
        return kept[-1] if kept else None


def scores_path(session_dir: Path) -> Path:
    return Path(session_dir) / FILE_NAME


def load_scores(session_dir: Path) -> ChapterScores:
    """The kept scores; a damaged file is set aside (named in ``corrupt/``) and none kept.

    Blocking: the TUI calls it in a thread.
    """
    return read_or_set_aside(session_dir, scores_path(session_dir), ChapterScores)


def keep_score(
    session_dir: Path, chapter: str, score: float, *, operation: str = "score", model: str = ""
) -> ChapterScores:
    """Add ``score`` as ``chapter``'s newest AI score, durably."""
    scores = load_scores(session_dir)
    kept = scores.chapters.setdefault(chapter, [])
    kept.append(AIScore(score=score, at=utcnow(), operation=operation, model=model))
    del kept[:-KEPT_PER_CHAPTER]
    write_atomic(scores_path(session_dir), dumps(scores.model_dump(mode="json")))
    return scores
