"""A chapter's scores over time: the local rubric on each version the history kept, and
every AI score it was given.

Local scores are not stored: each earlier version of the chapter that the snapshot history
kept is scored again by the same rubric (free, offline), so every point is measured the
same way and the history reaches back as far as the snapshots do. AI scores cannot be
re-run for free, so they come from where they were kept: ``.session/scores.json`` (one-off
"Score chapter" calls) and the finished workflows' score steps. Blocking: run it in a thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from writers_factory.core.analysis.scoring import score_locally

VERSIONS_SCORED = 40
"""The newest versions scored again (older ones are left out of the view)."""


@dataclass(frozen=True)
class ScorePoint:
    at: datetime
    label: str
    """Why the version was kept, or which model scored."""
    local: int | None = None
    ai: float | None = None


def local_points(project: Path, chapter: str) -> list[ScorePoint]:
    """The rubric's score of each version of ``chapter`` kept in the history, newest first."""
    from writers_factory.store.snapshots.reading import file_text, history_of
    from writers_factory.store.snapshots.repository import SnapshotRepository
    from writers_factory.store.snapshots.triggers import Trigger

    repo = SnapshotRepository(Path(project) / ".session")
    if not repo.exists() or repo.head() is None:
        return []
    points = []
    for info in history_of(repo, chapter)[:VERSIONS_SCORED]:
        text = file_text(repo, info.id, chapter)
        if text is None:  # the chapter was deleted in this snapshot
            continue
        try:
            why = Trigger(info.meta.trigger).label
        except ValueError:
            why = info.meta.message or info.meta.trigger
        points.append(ScorePoint(info.meta.taken_at, why, local=score_locally(text).total))
    return points


def ai_points(project: Path, chapter: str) -> list[ScorePoint]:
    """Every AI score ``chapter`` was given, one-off or in a workflow."""
    from writers_factory.ai.analysis.given_scores import given_scores

    return [
        ScorePoint(given.at, f"AI score ({given.source})", ai=given.score)
        for given in given_scores(project)
        if given.chapter == chapter
    ]


def score_history(project: Path, chapter: str) -> list[ScorePoint]:
    """Local and AI points of ``chapter``, oldest first."""
    points = local_points(project, chapter) + ai_points(project, chapter)
    return sorted(points, key=lambda p: p.at)
