"""``history.json``: the session being written now, the last 20 sessions, yearly summaries.

The current session's entry is updated in memory by ``record_*`` calls and written at each
auto-save, so a crash loses at most one auto-save interval of statistics instead of the whole
session. An entry whose session never ended (no ``end_time``) and is not the one running now
is marked ``interrupted``; its last activity stands in for the end.

Only the last ``KEEP_SESSIONS`` sessions are kept in full; older ones are folded into one
:class:`YearSummary` per year (of their start, UTC), never thrown away. The file is written
gzip-compressed under the same name once it passes 1 MB and read back transparently.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from writers_factory.core.hours import as_utc, hour_key
from writers_factory.store.base.events import Callbacks, ProblemKind, StoreProblem
from writers_factory.store.base.jsonfile import JsonFile
from writers_factory.store.base.paths import SessionPaths, utcnow
from writers_factory.store.history.models import (
    KEEP_SESSIONS,
    HistoryData,
    HistoryEntry,
    YearSummary,
)

IDLE_THRESHOLD = timedelta(minutes=5)
"""A gap between two activities longer than this is idle time (the whole gap)."""

COMPRESS_OVER = 1_000_000


class HistoryFile(JsonFile[HistoryData]):
    """``history.json`` with the v0 bare-list layout accepted."""

    def adapt(self, raw: Any) -> Any:
        if isinstance(raw, list):
            return {"sessions": raw}
        return raw


def _minutes(delta: timedelta) -> float:
    return round(max(delta.total_seconds(), 0.0) / 60.0, 2)


class SessionHistory:
    """The writer's sessions, written as they go (see the module docstring)."""

    def __init__(
        self,
        session_dir: Path,
        *,
        callbacks: Callbacks | None = None,
        clock: Callable[[], datetime] | None = None,
        read_only: bool = False,
        idle_threshold: timedelta = IDLE_THRESHOLD,
    ) -> None:
        self.paths = SessionPaths(Path(session_dir))
        self._clock = clock or utcnow
        self.idle_threshold = idle_threshold
        self._file = HistoryFile(
            self.paths,
            self.paths.history,
            HistoryData,
            compress_over=COMPRESS_OVER,
            read_only=read_only,
            callbacks=callbacks,
            unreadable="read-only",
        )
        self._file.load_sync()
        self._current: HistoryEntry | None = None
        migrated = any(p.kind is ProblemKind.MIGRATED for p in self._file.problems)
        if self._roll_over() or migrated:
            self._file.mark_dirty()  # written back in the current layout at the next save

    # ------------------------------------------------------------------ reading
    @property
    def data(self) -> HistoryData:
        return self._file.value

    @property
    def sessions(self) -> list[HistoryEntry]:
        """The last sessions in full, oldest first (the running one, if any, last)."""
        return list(self.data.sessions)

    @property
    def yearly(self) -> dict[int, YearSummary]:
        return dict(self.data.yearly)

    @property
    def current(self) -> HistoryEntry | None:
        return self._current

    @property
    def problems(self) -> list[StoreProblem]:
        return list(self._file.problems)

    @property
    def read_only(self) -> bool:
        return self._file.read_only

    def stop_writing(self) -> None:
        """Write nothing more: the project was taken over by another writer."""
        self._file.read_only = True

    @property
    def path(self) -> Path:
        return self._file.path

    def has_changes(self) -> bool:
        return self._file.dirty

    # ------------------------------------------------------------------ the session
    def begin(self, session_id: str, started_at: datetime) -> None:
        """Open this session's entry, or continue it when one with that id already exists."""
        for entry in self.data.sessions:
            if entry.session_id == session_id:
                entry.end_time = None
                entry.interrupted = False
                self._current = entry
                break
        else:
            start = as_utc(started_at)
            entry = HistoryEntry(session_id=session_id, start_time=start, last_activity=start)
            self.data.sessions.append(entry)
            self._current = entry
        for other in self.data.sessions:
            if other is not self._current and other.end_time is None and not other.interrupted:
                other.interrupted = True
        self._roll_over()
        self._refresh()

    def end(self, at: datetime) -> None:
        """Close the session cleanly; call ``save``/``save_sync`` afterwards."""
        entry = self._require()
        self.record_activity(at)
        entry.end_time = as_utc(at)
        self._refresh()
        self._current = None

    def record_activity(self, at: datetime) -> None:
        """The writer did something at ``at``; a long gap before it is idle time."""
        entry = self._require()
        moment = as_utc(at)
        last = entry.last_activity or entry.start_time
        if moment <= last:
            return
        gap = moment - last
        if gap > self.idle_threshold:
            entry.idle_minutes = round(entry.idle_minutes + _minutes(gap), 2)
        entry.last_activity = moment
        self._refresh()

    def record_words(self, added: int, removed: int, pasted: int = 0) -> None:
        """``added``/``removed``: every word in and out; ``pasted``: of those, the net words
        that came by pasting (negative when a paste was undone), kept apart from typing."""
        if added < 0 or removed < 0:
            raise ValueError(f"word counts cannot be negative (added={added}, removed={removed})")
        entry = self._require()
        now = self._clock()
        entry.words_added += added
        entry.words_removed += removed
        entry.words_pasted += pasted
        key = hour_key(now)
        for name, count in (
            ("words_by_hour", added),
            ("removed_by_hour", removed),
            ("pasted_by_hour", pasted),
        ):
            if count:
                hours = dict(getattr(entry, name))
                hours[key] = hours.get(key, 0) + count
                setattr(entry, name, hours)
        self.record_activity(now)
        self._refresh()

    def record_file_created(self, path: Path | str) -> None:
        self.record_files(created=[path])

    def record_file_modified(self, path: Path | str) -> None:
        """A file created in this session is listed as created only."""
        self.record_files(modified=[path])

    def record_files(
        self, *, created: Iterable[Path | str] = (), modified: Iterable[Path | str] = ()
    ) -> None:
        """Files created and modified, a whole batch at once (a burst of outside changes):
        each list is assigned, and validated, once."""
        entry = self._require()
        known_created = set(entry.files_created)
        new_created: list[str] = []
        for path in created:
            rel = self._relative(path)
            if rel not in known_created:
                known_created.add(rel)
                new_created.append(rel)
        known_modified = set(entry.files_modified)
        new_modified: list[str] = []
        for path in modified:
            rel = self._relative(path)
            if rel not in known_modified and rel not in known_created:
                known_modified.add(rel)
                new_modified.append(rel)
        if new_created:
            entry.files_created = [*entry.files_created, *new_created]
        if new_modified:
            entry.files_modified = [*entry.files_modified, *new_modified]
        self.record_activity(self._clock())
        self._refresh()

    def record_operation(self, op_type: str, cost: Decimal) -> None:
        entry = self._require()
        ops = dict(entry.operations_count)
        ops[op_type] = ops.get(op_type, 0) + 1
        entry.operations_count = ops
        entry.total_cost = entry.total_cost + Decimal(cost)
        self.record_activity(self._clock())
        self._refresh()

    # ------------------------------------------------------------------ saving
    def merge(self, entries: Iterable[HistoryEntry]) -> tuple[int, int, list[str]]:
        """Take the sessions of another copy of the project that this one lacks, by id.

        Returns ``(added, identical, conflicting ids)``: a session both copies hold with
        different figures keeps this copy's entry and is named, never summed twice. Older
        sessions then fold into their year's summary as usual; written at the next save.
        """
        mine = {entry.session_id: entry for entry in self.data.sessions}
        added, same, conflicts = 0, 0, []
        fresh: list[HistoryEntry] = []
        for entry in entries:
            found = mine.get(entry.session_id)
            if found is None:
                fresh.append(entry.model_copy(deep=True))
                mine[entry.session_id] = entry
                added += 1
            elif found.model_dump(mode="json") == entry.model_dump(mode="json"):
                same += 1
            else:
                conflicts.append(entry.session_id)
        if fresh:
            sessions = sorted([*self.data.sessions, *fresh], key=lambda e: e.start_time)
            self.data.sessions = sessions
            self._roll_over()
            self._file.mark_dirty()
        return added, same, conflicts

    async def save(self) -> bool:
        """Write in a thread when something changed; True when bytes reached the disk.

        The durable writer creates a missing ``.session/`` itself, in the thread.
        """
        return await self._file.save()

    def save_sync(self) -> bool:
        """The same, synchronously (quit and signal handlers, where workers are gone)."""
        return self._file.save_sync()

    # ------------------------------------------------------------------ internals
    def _require(self) -> HistoryEntry:
        if self._current is None:
            raise RuntimeError("no session is open in the history: call begin() first")
        return self._current

    def _relative(self, path: Path | str) -> str:
        candidate = Path(path)
        project = self.paths.project
        if candidate.is_absolute():
            # Pure path arithmetic: this runs on the UI loop for every watched change.
            normal = Path(os.path.abspath(candidate))
            try:
                return normal.relative_to(os.path.abspath(project)).as_posix()
            except ValueError:
                return candidate.as_posix()
        return candidate.as_posix()

    def _refresh(self) -> None:
        entry = self._current
        if entry is not None:
            duration = _minutes(entry.effective_end - entry.start_time)
            entry.duration_minutes = duration
            entry.active_minutes = round(max(duration - entry.idle_minutes, 0.0), 2)
        self._file.mark_dirty()

    def _roll_over(self) -> bool:
        """Fold the oldest sessions beyond ``KEEP_SESSIONS`` into their year's summary."""
        if len(self.data.sessions) <= KEEP_SESSIONS:
            return False
        sessions = sorted(self.data.sessions, key=lambda entry: entry.start_time)
        extra = len(sessions) - KEEP_SESSIONS
        # the oldest sessions go, except the running one (it is still being written)
        old = [e for e in sessions if e is not self._current][:extra]
        folded = {id(e) for e in old}
        yearly = dict(self.data.yearly)
        for entry in old:
            year = entry.start_time.year
            summary = yearly.get(year) or YearSummary()
            summary.absorb(entry)
            yearly[year] = summary
        self.data.sessions = [e for e in sessions if id(e) not in folded]
        self.data.yearly = dict(sorted(yearly.items()))
        return True
