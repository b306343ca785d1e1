"""What each snapshot records besides the files: the commit message's trailer.

A commit message reads ``<message>`` then a blank line then one trailer line,
``Snapshot-Meta: {json}``, holding :class:`SnapshotMeta` (with its ``schema_version``), so
``git log`` shows the writer's words first and a reader of ours gets every field back,
validated. A commit without that trailer (written by hand with stock git) is still listed,
with what its header says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, Field, ValidationError

from writers_factory.store.base.model_base import StoreDatetime, StoreModel

TRAILER = "Snapshot-Meta: "


class FileWords(BaseModel):
    """One file changed by a snapshot: its words now, and words added/removed since the
    parent snapshot (a changed word counts once each way, as in a tracked-changes view)."""

    words: int = Field(ge=0)
    added: int = Field(default=0, ge=0)
    removed: int = Field(default=0, ge=0)
    deleted: bool = False


class SnapshotMeta(StoreModel):
    """The trailer of a snapshot commit."""

    trigger: str
    author: str = ""
    taken_at: StoreDatetime = Field(default_factory=lambda: datetime.now(UTC))
    message: str = ""
    changed: dict[str, FileWords] = Field(default_factory=dict)
    """Files that differ from the parent snapshot (all files for the first one)."""
    total_words: int = Field(default=0, ge=0)
    """Words in every text file of manuscript/, reference/ and planning/."""
    session_sha256: dict[str, str] = Field(default_factory=dict)
    """SHA-256 of each ``.session/*.json`` recorded in the snapshot (checked at rollback)."""

    @property
    def added(self) -> int:
        return sum(f.added for f in self.changed.values())

    @property
    def removed(self) -> int:
        return sum(f.removed for f in self.changed.values())


def commit_message(meta: SnapshotMeta) -> bytes:
    subject = (meta.message.strip() or meta.trigger).replace("\n", " ")
    payload = json.dumps(meta.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return f"{subject}\n\n{TRAILER}{payload}\n".encode()


def parse_message(raw: bytes, *, fallback_time: datetime, author: str) -> SnapshotMeta:
    """The trailer's meta, or one made from the commit header when it is missing or bad."""
    text = raw.decode("utf-8", errors="replace")
    for line in reversed(text.splitlines()):
        if line.startswith(TRAILER):
            try:
                return SnapshotMeta.model_validate_json(line[len(TRAILER) :])
            except ValidationError:
                break
    subject = text.split("\n", 1)[0]
    return SnapshotMeta(trigger="unknown", author=author, taken_at=fallback_time, message=subject)


@dataclass(frozen=True)
class SnapshotInfo:
    """One entry of the timeline."""

    id: str
    """The commit's full hex id."""
    parent: str | None
    meta: SnapshotMeta

    @property
    def short(self) -> str:
        return self.id[:10]
