"""Every AI score the book's chapters were given, wherever it was kept.

A one-off "Score chapter" answer is kept in ``scores.json``, a workflow's score step in its
record under ``workflows/``; each author of a co-written book keeps theirs in their own
folder. The scorecard wants the newest of each chapter and a chapter's scores over time want
all of them: both read them here, the one way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from writers_factory.core.analysis.ai_score import score_from_answer


@dataclass(frozen=True)
class GivenScore:
    chapter: str
    """Project-relative, as recorded (only compared with the book's chapters, never opened)."""
    at: datetime
    score: float
    source: str
    """What gave it: the model or operation of a one-off score, else the workflow's title."""


def given_scores(project: Path) -> Iterator[GivenScore]:
    """Blocking (read in a thread): the scores of every author's folder; unreadable workflow
    records passed over, a damaged ``scores.json`` set aside."""
    from writers_factory.ai.workflows import WorkflowFileError, load_workflow, workflows_dir
    from writers_factory.store.base.paths import SESSION_DIR, author_roots
    from writers_factory.store.manuscript.ai_scores import load_scores

    session = Path(project) / SESSION_DIR
    roots = (session, *author_roots(session))  # the book's scores, whichever author asked
    for root in roots:
        for chapter, kept in load_scores(root).chapters.items():
            for one in kept:
                yield GivenScore(chapter, one.at, one.score, one.model or one.operation)
    folders = [workflows_dir(root) for root in roots]
    for path in (p for folder in folders if folder.is_dir() for p in folder.glob("*.json")):
        try:
            record = load_workflow(path)
        except WorkflowFileError:
            continue
        named = record.inputs.get("path")
        step = next((s for s in record.steps if s.name == "score"), None)
        if record.status != "finished" or not isinstance(named, str):
            continue
        value = None if step is None or step.output is None else score_from_answer(step.output)
        if value is not None:
            yield GivenScore(named, record.updated, value, record.title)
