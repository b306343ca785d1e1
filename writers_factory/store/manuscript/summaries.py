"""Chapter summaries the writer kept from the AI: ``.session/summaries.json``.

A summary is kept per chapter (its project-relative path), for the planning board and as
cheaper context than the whole chapter later. Kept in the session, not beside the chapter:
the manuscript holds only the writer's own files. A file that does not parse or validate is
set aside into ``corrupt/`` (never overwritten) and the summaries start afresh.
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

FILE_NAME = "summaries.json"


class ChapterSummary(BaseModel):
    """One chapter's summary and when it was kept."""

    model_config = ConfigDict(extra="allow")

    text: str
    updated: StoreDatetime
    operation: str = "summarise_chapter"


class ChapterSummaries(StoreModel):
    """``summaries.json``: chapter path (``manuscript/chapter-01.md``) -> its summary."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "summaries"

    chapters: dict[str, ChapterSummary] = Field(default_factory=dict)


def summaries_path(session_dir: Path) -> Path:
    return Path(session_dir) / FILE_NAME


def load_summaries(session_dir: Path) -> ChapterSummaries:
    """The kept summaries; a damaged file is set aside (named in ``corrupt/``) and none kept.

    Blocking: the TUI calls it in a thread.
    """
    return read_or_set_aside(session_dir, summaries_path(session_dir), ChapterSummaries)


def keep_summary(session_dir: Path, chapter: str, text: str) -> ChapterSummaries:
    """Keep ``text`` as ``chapter``'s summary (replacing an earlier one), durably."""
    summaries = load_summaries(session_dir)
    summaries.chapters[chapter] = ChapterSummary(text=text.strip(), updated=utcnow())
    write_atomic(summaries_path(session_dir), dumps(summaries.model_dump(mode="json")))
    return summaries
