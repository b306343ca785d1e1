"""The shape of ``history.json``: the last sessions in full, older ones as yearly summaries.

Words are also kept per UTC hour (``words_by_hour``, keys ``YYYY-MM-DDTHH``) in every entry
and every yearly summary. Hours, not days, because the writer's local calendar is only known
when statistics are computed (and may change when they travel); an hour bucket maps to the
right local day for every whole-hour time zone, so daily totals and streaks stay exact long
after the sessions themselves were folded into a summary.

"Today N words" is the net change of typed words: per hour the words added
(``words_by_hour``, every word that arrived, pasted ones included), the words removed
(``removed_by_hour``) and the net words that arrived by pasting (``pasted_by_hour``, less any
paste undone; it may be negative in an hour when an earlier paste was undone). Typed words
of an hour = added − removed − pasted. Files written before those two maps existed have
only the added words: their days keep counting what they counted then.

Costs are ``Decimal`` and written as strings, so sums stay exact to the cent and beyond.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from writers_factory.core.hours import as_utc, parse_hour_key
from writers_factory.store.base import migrations
from writers_factory.store.base.model_base import StoreDatetime, StoreModel

KEEP_SESSIONS = 20
"""Sessions kept in full; older ones roll into :class:`YearSummary`."""


class _Record(BaseModel):
    # extra="allow": fields written by a newer Writers Factory survive our rewrite
    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)


def _valid_hour_keys(value: dict[str, int]) -> dict[str, int]:
    for key in value:
        try:
            parse_hour_key(key)
        except ValueError as exc:
            raise ValueError(f"hour key {key!r} is not YYYY-MM-DDTHH") from exc
    return value


class HistoryEntry(_Record):
    """One writing session, written while it runs so a crash keeps it."""

    session_id: str
    start_time: StoreDatetime
    end_time: StoreDatetime | None = None
    last_activity: StoreDatetime | None = None
    duration_minutes: float = Field(default=0.0, ge=0)
    idle_minutes: float = Field(default=0.0, ge=0)
    active_minutes: float = Field(default=0.0, ge=0)
    total_cost: Decimal = Decimal("0")
    files_created: list[str] = Field(default_factory=list)
    files_modified: list[str] = Field(default_factory=list)
    operations_count: dict[str, int] = Field(default_factory=dict)
    words_added: int = Field(default=0, ge=0)
    words_removed: int = Field(default=0, ge=0)
    words_by_hour: dict[str, int] = Field(default_factory=dict)
    removed_by_hour: dict[str, int] = Field(default_factory=dict)
    pasted_by_hour: dict[str, int] = Field(default_factory=dict)
    words_pasted: int = 0
    """Net words pasted in (pasted less pastes undone); part of ``words_added``."""
    interrupted: bool = False

    _hours = field_validator("words_by_hour", "removed_by_hour", "pasted_by_hour")(_valid_hour_keys)

    @field_validator("start_time", "end_time", "last_activity")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else as_utc(value)

    @property
    def effective_end(self) -> datetime:
        """When the session ended: its end, or for a running/interrupted one its last activity."""
        return self.end_time or self.last_activity or self.start_time


class YearSummary(_Record):
    """Everything long-term statistics need from the sessions of one year, and no more."""

    sessions: int = Field(default=0, ge=0)
    interrupted: int = Field(default=0, ge=0)
    total_minutes: float = Field(default=0.0, ge=0)
    active_minutes: float = Field(default=0.0, ge=0)
    idle_minutes: float = Field(default=0.0, ge=0)
    words_added: int = Field(default=0, ge=0)
    words_removed: int = Field(default=0, ge=0)
    total_cost: Decimal = Decimal("0")
    operations_count: dict[str, int] = Field(default_factory=dict)
    words_by_hour: dict[str, int] = Field(default_factory=dict)
    removed_by_hour: dict[str, int] = Field(default_factory=dict)
    pasted_by_hour: dict[str, int] = Field(default_factory=dict)
    words_pasted: int = 0
    first_start: StoreDatetime | None = None
    last_end: StoreDatetime | None = None

    _hours = field_validator("words_by_hour", "removed_by_hour", "pasted_by_hour")(_valid_hour_keys)

    def absorb(self, entry: HistoryEntry) -> None:
        """Fold one session in; sums are exact (Decimal costs, minutes rounded to 1/100)."""
        self.sessions += 1
        self.interrupted += 1 if entry.interrupted else 0
        self.total_minutes = round(self.total_minutes + entry.duration_minutes, 2)
        self.active_minutes = round(self.active_minutes + entry.active_minutes, 2)
        self.idle_minutes = round(self.idle_minutes + entry.idle_minutes, 2)
        self.words_added += entry.words_added
        self.words_removed += entry.words_removed
        self.total_cost = self.total_cost + entry.total_cost
        ops = dict(self.operations_count)
        for kind, count in entry.operations_count.items():
            ops[kind] = ops.get(kind, 0) + count
        self.operations_count = ops
        self.words_pasted += entry.words_pasted
        self.words_by_hour = _merged(self.words_by_hour, entry.words_by_hour)
        self.removed_by_hour = _merged(self.removed_by_hour, entry.removed_by_hour)
        self.pasted_by_hour = _merged(self.pasted_by_hour, entry.pasted_by_hour)
        if self.first_start is None or entry.start_time < self.first_start:
            self.first_start = entry.start_time
        end = entry.effective_end
        if self.last_end is None or end > self.last_end:
            self.last_end = end


def _merged(into: dict[str, int], more: dict[str, int]) -> dict[str, int]:
    hours = dict(into)
    for key, count in more.items():
        hours[key] = hours.get(key, 0) + count
    return hours


class HistoryData(StoreModel):
    """The whole ``history.json``."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "history"

    schema_version: int = 1
    sessions: list[HistoryEntry] = Field(default_factory=list)
    yearly: dict[int, YearSummary] = Field(default_factory=dict)

    def item_count(self) -> int:
        return len(self.sessions)


# --------------------------------------------------------------------------- migrations
@migrations.register("history", 0)
def _from_v0(raw: dict[str, Any]) -> dict[str, Any]:
    """v0: the first layout, ``{"sessions": [...]}`` (or a bare list, wrapped by the loader)
    with start, end, ``duration_minutes``, a float ``total_cost``, files and operation counts.

    It had no words, idle time or activity: the whole duration counts as active, the end is
    the last activity, and an entry without an end is an interrupted session. Anything that
    is not the expected shape is passed through untouched, so validation names the bad field
    instead of the migration crashing.
    """
    sessions = raw.get("sessions")
    if not isinstance(sessions, list):
        return raw
    upgraded: list[Any] = []
    for item in sessions:
        if not isinstance(item, dict):
            upgraded.append(item)
            continue
        entry = dict(item)
        cost = entry.get("total_cost")
        if isinstance(cost, float):
            entry["total_cost"] = repr(cost)  # shortest exact text: 2.47 stays "2.47"
        duration = entry.get("duration_minutes")
        if isinstance(duration, (int, float)) and not isinstance(duration, bool):
            entry.setdefault("active_minutes", duration)
        entry.setdefault("last_activity", entry.get("end_time"))
        entry.setdefault("interrupted", entry.get("end_time") is None)
        upgraded.append(entry)
    return {**raw, "sessions": upgraded}
