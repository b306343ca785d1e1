"""What AI calls have cost, per session and per local day, week and month.

Every figure is an exact ``Decimal`` from genai-prices (or the writer's own price override),
never a guess: an unknown model is refused before anything is written. Operations are the
truth and are kept append-only in chunk files; ``costs.json`` is a derived summary of them
(one entry per chunk, see ``summary.py``) that is believed only while each chunk's stamp is
unchanged, so opening reads one small file and the last chunk, not every operation.

Several processes may log to one project: each write happens under an OS lock on
``costs/.lock``, after reading what the others appended, so nothing acknowledged is lost.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from datetime import datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from writers_factory.core.budget import exceeded_message, period_windows, warning_message
from writers_factory.core.prices import price, split_tokens
from writers_factory.store.base.events import Callbacks, ProblemKind, StoreProblem, call_listener
from writers_factory.store.base.jsonfile import describe_validation
from writers_factory.store.base.paths import SessionPaths, utcnow
from writers_factory.store.costs.chunks import ChunkStore
from writers_factory.store.costs.encoding import SummaryFile
from writers_factory.store.costs.errors import CostsBusyError, CostsReadOnlyError
from writers_factory.store.costs.ledger import PENDING, Totals, in_window
from writers_factory.store.costs.lock import CostsLock
from writers_factory.store.costs.migrations import LEGACY_BUDGET, MIGRATED_OPERATIONS
from writers_factory.store.costs.models import (
    CostSummary,
    OperationRecord,
    SessionCosts,
    new_operation_id,
    new_session_id,
)
from writers_factory.store.costs.summary import (
    HOURS_SLACK,
    LOCK_NAME,
    ChunkStats,
    Sealed,
    chunk_number,
    file_stamp,
    hours_start,
    key_of,
    stats_of,
    utc,
)
from writers_factory.store.preferences.preferences import PreferenceError, Preferences

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Listener = Callable[[OperationRecord | None], None] | Callable[[], None]

LEGACY_INVALID_OPERATIONS = "legacy_invalid_operations"


class CostTracker:
    """Logs AI operations and answers "what have I spent?" for the status bar and budgets."""

    def __init__(
        self,
        session_dir: Path,
        *,
        prefs: Preferences | None = None,
        callbacks: Callbacks | None = None,
        clock: Clock | None = None,
        tz: tzinfo | None = None,
        read_only: bool = False,
    ) -> None:
        self.paths = SessionPaths(Path(session_dir))
        self.callbacks = callbacks or Callbacks()
        self._clock: Clock = clock or utcnow
        self._tz = tz  # None: the system's local zone, looked up afresh each time
        self.prefs = (
            prefs
            if prefs is not None
            else Preferences(self.paths.root, callbacks=self.callbacks, read_only=read_only)
        )
        self.problems: list[StoreProblem] = []
        self.listeners: list[Listener] = []
        """Called after each logged operation (with it) and after a reset (with ``None``)."""
        self._lock: asyncio.Lock | None = None
        self._mutex = threading.RLock()
        """Guards the figures: a write runs in a worker thread while the UI reads them."""
        self._file_lock = CostsLock(self.paths.cost_chunks / LOCK_NAME)
        self._summary = SummaryFile(
            self.paths,
            self.paths.costs,
            CostSummary,
            callbacks=self.callbacks,
            read_only=read_only,
        )
        self._summary_stamp: str | None = None
        self._totals = Totals()
        self._version = 0
        self._periods: tuple[Any, dict[str, Decimal]] | None = None
        self._chunks = ChunkStore(
            self.paths,
            callbacks=self.callbacks,
            read_only=read_only,
            on_change=self._changed,
            mutex=self._mutex,
        )
        self._chunks.on_sealed = self._sealed_changed
        self._chunks_reported = 0
        self._summary.chunk_lines = self._chunks.listing_lines
        self._summary.sealed_line = self._chunks.sealed_line
        self._pending: list[OperationRecord] = []
        """Logged but not yet on disk (a write failed): counted, and written at the next save."""
        self._pending_stats = ChunkStats(file="pending")
        self._session_id = ""
        self._session_started = self._clock()
        self._load()

    # ------------------------------------------------------------------ the figures' upkeep
    def _changed(self, number: int, old: ChunkStats | None, new: ChunkStats | None) -> None:
        with self._mutex:
            if old is not None:
                self._totals.remove(old, number)
            if new is not None:
                self._totals.add(new, number)
            self._version += 1

    def _sealed_changed(self, old: Sealed | None, new: Sealed | None) -> None:
        with self._mutex:
            if old is not None:
                self._totals.add_sealed(old, -1)
            if new is not None:
                self._totals.add_sealed(new)
            self._version += 1

    def _set_pending(self, records: list[OperationRecord]) -> None:
        with self._mutex:
            self._totals.remove(self._pending_stats, PENDING)
            self._pending = records
            self._pending_stats = stats_of("pending", records, self._chunks.hours_from)
            self._totals.add(self._pending_stats, PENDING)
            self._version += 1

    def _collect_problems(self) -> None:
        fresh = self._chunks.problems[self._chunks_reported :]
        self._chunks_reported = len(self._chunks.problems)
        self.problems.extend(fresh)

    # ------------------------------------------------------------------ loading
    def _load(self) -> None:
        exists = self.paths.costs.exists() or self.paths.cost_chunks.exists()
        if self._summary.read_only or not exists:
            self._load_locked(write=False)
            return
        try:
            with self._file_lock.held():
                self._load_locked(write=True)
        except CostsBusyError as exc:
            # another process is busy writing: read without writing any repair now
            self._report(ProblemKind.LOCK, str(exc))
            self._load_locked(write=False)
        except OSError as exc:  # no lock file possible (a read-only folder): read only
            self._report(ProblemKind.LOCK, f"cannot take {self._file_lock.path}: {exc}")
            self._load_locked(write=False)

    def _load_locked(self, *, write: bool) -> None:
        summary = self._summary.load_sync()
        self._summary_stamp = file_stamp(self.paths.costs)
        self.problems.extend(self._summary.problems)
        restored = any(p.restored_from is not None for p in self._summary.problems)
        fresh = not self._summary.exists_on_disk and not restored
        now = self._clock()
        if fresh:
            summary.session = SessionCosts(id=new_session_id(now), started=now)
        listed, sealed = self._listed(summary)  # (assignments: the extras are read after)
        extras: dict[str, Any] = summary.__pydantic_extra__ or {}
        migrated_raw = extras.pop(MIGRATED_OPERATIONS, None)
        migrated = None if migrated_raw is None else self._validate_migrated(migrated_raw, extras)
        self._session_id, self._session_started = summary.session.id, summary.session.started
        self._chunks.hours_from = (
            utc(summary.hours_from) if summary.hours_from is not None else hours_start(now)
        )
        self._chunks.sync(listed, full=True, scan=True, sealed=sealed, migrated=migrated)
        self._collect_problems()
        moved = self._adopt_legacy_budget(extras)
        if fresh and not self._totals.count:
            return  # nothing to write until something is logged
        if not self.read_only:
            self._keep_hours(now)
            self._chunks.fold()
        if self._summary_is_current() and not (self._chunks.dirty or moved or migrated):
            return
        self._summary.mark_dirty()
        if write and not self.read_only:
            try:
                self._write_locked()  # repairs and migrations are kept at once
            except OSError as exc:
                log.warning("could not write repaired cost files: %s", exc)

    def _listed(self, summary: CostSummary) -> tuple[dict[int, ChunkStats], Sealed | None]:
        """The entries and the folded entry of ``summary`` (the chunk store keeps them)."""
        listed: dict[int, ChunkStats] = {}
        for entry in summary.chunks:
            number = None if entry is None else chunk_number(entry.file)
            if entry is not None and number is not None:
                listed.setdefault(number, entry)
        sealed = summary.sealed
        summary.chunks, summary.sealed = [], None
        return listed, sealed

    def _validate_migrated(self, raw: Any, extras: dict[str, Any]) -> list[OperationRecord]:
        """Operations of an old ``costs.json``; bad ones are reported and kept aside in it."""
        good: list[OperationRecord] = []
        bad: list[Any] = []
        for index, item in enumerate(raw if isinstance(raw, list) else [raw]):
            try:
                good.append(OperationRecord.model_validate(item))
            except ValidationError as exc:
                bad.append(item)
                reasons = "; ".join(f"{f}: {r}" for f, r in describe_validation(exc)[:3])
                self._report(
                    ProblemKind.INVALID_FIELD,
                    f"operation could not be read ({reasons}); kept under "
                    f"{LEGACY_INVALID_OPERATIONS} in costs.json, not counted",
                    field=f"operations.{index}",
                )
        if bad:
            earlier = extras.get(LEGACY_INVALID_OPERATIONS, [])
            earlier = earlier if isinstance(earlier, list) else [earlier]
            extras[LEGACY_INVALID_OPERATIONS] = [*earlier, *bad]
        return good

    def _adopt_legacy_budget(self, extras: dict[str, Any]) -> bool:
        """Move the budget of an old ``costs.json`` into preferences, where budgets live now.

        Returns whether it moved (``costs.json`` must then be written without it).
        """
        legacy = extras.get(LEGACY_BUDGET)
        if legacy is None or self.read_only:
            return False
        keep = f"kept under {LEGACY_BUDGET} in costs.json; set your budget in preferences"
        if self.prefs.read_only:
            self._report(
                ProblemKind.MIGRATED, f"old budget not moved: preferences are read-only; {keep}"
            )
            return False
        current = self.prefs.data.budget
        if current.limits():
            self._report(
                ProblemKind.MIGRATED,
                f"old budget {legacy!r} not moved: preferences.json already has limits; {keep}",
                field=LEGACY_BUDGET,
            )
            return False
        try:
            merged = {**current.model_dump(), **legacy} if isinstance(legacy, dict) else legacy
            self.prefs.set("budget", merged)
            self.prefs.save_sync()
        except (PreferenceError, OSError) as exc:
            self._report(
                ProblemKind.MIGRATED, f"old budget not moved ({exc}); {keep}", field=LEGACY_BUDGET
            )
            return False
        del extras[LEGACY_BUDGET]
        self._report(
            ProblemKind.MIGRATED,
            "the budget moved from costs.json to preferences.json",
            field="budget",
        )
        return True

    def _report(self, kind: ProblemKind, message: str, **extra: Any) -> None:
        problem = StoreProblem(self.paths.costs, kind, message, **extra)
        self.problems.append(problem)
        self.callbacks.error(problem)

    # ------------------------------------------------------------------ pricing
    def get_estimated_cost(
        self,
        model: str,
        input_tokens: int,
        output_tokens: int | None = None,
        *,
        operation: str | None = None,
        cache_read_tokens: int = 0,
        cache_write_tokens: int = 0,
    ) -> Decimal:
        """The exact price of a call of this size; raises ``UnknownModelError``, never $0.

        With both counts, they are priced as given. With one count only (the specification's
        ``get_estimated_cost(model, estimated_tokens)``), it is the whole call, split into
        input and output by the operation's usual share of output
        (:func:`~writers_factory.core.prices.split_tokens`: a scene written from a prompt is
        about one part output in five; a rewrite about half). Cached tokens are part of the
        input and are priced at their own rates.
        """
        if output_tokens is None:
            input_tokens, output_tokens = split_tokens(input_tokens, operation)
        return price(
            model,
            input_tokens,
            output_tokens,
            self.prefs.data.price_overrides,
            cache_read_tokens=cache_read_tokens,
            cache_write_tokens=cache_write_tokens,
        )

    def on_update(self, callback: Callable[..., None]) -> Callable[..., None]:
        """Register (or decorate) a listener for each logged operation and each reset.

        It may take the :class:`OperationRecord` (``None`` after a reset) or nothing.
        """
        self.listeners.append(callback)
        return callback

    # ------------------------------------------------------------------ other processes
    def _refresh_locked(self) -> None:
        """Under the lock, before writing: adopt whatever another process wrote meanwhile.

        ``costs.json`` unchanged means nobody wrote since (each write ends with it), unless a
        process died between its chunk and its summary: then only the last chunk, or a new
        one after it, can differ, so those are all that is checked.
        """
        stamp = file_stamp(self.paths.costs)
        if stamp != self._summary_stamp:
            summary = self._summary.load_sync()
            self._summary_stamp = file_stamp(self.paths.costs)
            self.problems.extend(p for p in self._summary.problems if p not in self.problems)
            theirs = summary.hours_from
            if theirs is not None and utc(theirs) > self._chunks.hours_from:
                self._retime(utc(theirs))
            listed, sealed = self._listed(summary)
            landed = self._chunks.sync(listed, full=True, sealed=sealed)
        else:
            last = max(self._chunks.infos, default=None)
            listed = {} if last is None else {last: self._chunks.infos[last]}
            landed = self._chunks.sync(listed, full=False)
        if landed:  # a write that raised had reached the disk after all
            self._set_pending([r for r in self._pending if not any(r == x for x in landed)])
        self._collect_problems()

    # ------------------------------------------------------------------ writing
    def _write_locked(self) -> None:
        """Write pending operations, repairs and the summary; the lock is held."""
        self._keep_hours(self._clock())
        pending = list(self._pending)
        try:
            self._chunks.write(pending)  # the operations first: they are the truth
        finally:
            if len(pending) != len(self._pending):
                self._set_pending(pending)
        self._chunks.fold()
        for name, value in self._summary_fields().items():
            setattr(self._summary.value, name, value)
        self._summary.mark_dirty()
        try:
            self._summary.save_sync()
            self._chunks.changed = False
        finally:
            self._summary_stamp = file_stamp(self.paths.costs)

    def _summary_fields(self) -> dict[str, Any]:
        """The figures ``costs.json`` shows people, from the entries."""
        with self._mutex:
            session = self._totals.session(self._session_id)
            return {
                "session": SessionCosts(
                    id=self._session_id,
                    started=self._session_started,
                    total=session.total,
                    operations=session.count,
                    by_model=dict(session.models),
                ),
                "total": self._totals.total,
                "operations_count": self._totals.count,
                "by_model": dict(self._totals.by_model),
                "hours_from": self._chunks.hours_from,
            }

    def _summary_is_current(self) -> bool:
        value = self._summary.value
        return not self._chunks.changed and all(
            getattr(value, name) == wanted for name, wanted in self._summary_fields().items()
        )

    def _keep_hours(self, now: datetime) -> None:
        """Keep hourly costs for this month (from 40 days back), and no older ones."""
        kept = self._chunks.hours_from
        month = period_windows(now, self._tz)["monthly"][0]
        wanted = hours_start(now)
        if kept > utc(month) or kept < wanted - HOURS_SLACK:
            self._retime(wanted)  # the clock moved back, or time went by

    def _retime(self, hours_from: datetime) -> None:
        self._chunks.retime(hours_from)
        self._set_pending(self._pending)

    def save_sync(self) -> None:
        """Write whatever is not on disk yet (normally nothing: logging writes at once).

        Synchronous, for quit and signal handlers; ``save`` runs it in a thread.
        """
        if self.read_only or not self._needs_write():
            return
        with self._file_lock.held():
            self._refresh_locked()
            self._write_locked()

    def _needs_write(self) -> bool:
        return bool(
            self._pending
            or self._chunks.dirty
            or self._summary.dirty
            or not self._summary_is_current()
        )

    async def save(self) -> None:
        async with self._get_lock():
            await asyncio.to_thread(self.save_sync)

    # ------------------------------------------------------------------ logging
    def _get_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def log_operation(
        self,
        operation: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        *,
        session_id: str | None = None,
        key: str | None = None,
        cache_read_tokens: int = 0,
        cache_write_tokens: int = 0,
    ) -> OperationRecord:
        """Price and record one call; nothing is written when the model cannot be priced.

        Cache reads and writes (part of ``input_tokens``, as providers report them) are
        recorded on the record and priced at their own rates.

        A ``key`` makes logging idempotent: it is stored on the record, and logging the same
        key again (e.g. a workflow step retried after a crash between its record and its
        cost) returns the operation already recorded instead of charging it twice — also
        when another process recorded it.

        A ``session_id`` other than the current one starts tracking that session, as
        :meth:`reset_session` would. When the disk refuses the write the operation stays
        counted in memory (the money was spent), is written with the next save, and the
        ``OSError`` is raised after ``on_error`` listeners were told. When the cost files are
        read-only (a newer version wrote them, or they were opened read-only) nothing can be
        recorded: :class:`CostsReadOnlyError` (an ``OSError``) names the file and why.
        """
        cost = self.get_estimated_cost(
            model,
            input_tokens,
            output_tokens,
            cache_read_tokens=cache_read_tokens,
            cache_write_tokens=cache_write_tokens,
        )
        async with self._get_lock():
            if key is not None and key in self._totals.keys:
                found = await asyncio.to_thread(self._find_key, key)
                if found is not None:
                    return found
            if self.read_only:
                raise self._read_only_error()
            now = self._clock()
            if session_id is not None and session_id != self._session_id:
                self._begin_session(session_id, now)
            fields: dict[str, Any] = {
                "timestamp": now,
                "operation": operation,
                "model": model,
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "cost": cost,
                "session_id": self._session_id,
                "id": new_operation_id(),
            }
            if cache_read_tokens:
                fields["cache_read_tokens"] = cache_read_tokens
            if cache_write_tokens:
                fields["cache_write_tokens"] = cache_write_tokens
            if key is not None:
                fields["key"] = key  # an extra field: older readers keep it untouched
            record = OperationRecord.model_validate(fields)
            logged = await asyncio.to_thread(self._log_sync, record, key)
        if logged is record:
            self._notify(record)
        return logged

    def _log_sync(self, record: OperationRecord, key: str | None) -> OperationRecord:
        counted = False
        try:
            with self._file_lock.held():
                self._refresh_locked()
                if key is not None:
                    found = self._find_key(key)
                    if found is not None:
                        return found
                if self.read_only:
                    raise self._read_only_error()
                self._set_pending([*self._pending, record])
                counted = True
                self._write_locked()
        except CostsReadOnlyError:
            raise
        except OSError:
            if not counted:  # the money was spent: count it, write it with the next save
                self._set_pending([*self._pending, record])
            raise
        return record

    def _find_key(self, key: str) -> OperationRecord | None:
        """The operation logged with ``key``, from memory or its chunk; ``None`` if none."""
        with self._mutex:
            where = self._totals.keys.get(key)
            pending = list(self._pending)
        if where is None:
            return None
        if where != PENDING:
            for record in self._chunks.records(where):
                if key_of(record) == key:
                    return record
        for record in pending:
            if key_of(record) == key:
                return record
        return None

    def _read_only_error(self) -> CostsReadOnlyError:
        for problem in self.problems:
            if problem.kind is ProblemKind.NEWER_VERSION:
                return CostsReadOnlyError(
                    problem.path,
                    "was written by a newer version of Writers Factory and is kept read-only "
                    "so it is never downgraded; update Writers Factory",
                )
        return CostsReadOnlyError(
            self.paths.costs, "was opened read-only (another window may have this project open)"
        )

    async def reset_session(self, session_id: str | None = None) -> None:
        """Start counting a new session (all earlier operations stay recorded).

        A session id that has operations already (the app resumed after a crash) counts
        them; a new one starts from zero. Read-only trackers count in memory only.
        """
        async with self._get_lock():
            now = self._clock()
            self._begin_session(session_id or new_session_id(now), now)
            if not self.read_only:
                await asyncio.to_thread(self.save_sync)
        self._notify(None)

    def _begin_session(self, session_id: str, now: datetime) -> None:
        with self._mutex:
            self._session_id, self._session_started = session_id, now
            self._version += 1
        self._summary.mark_dirty()

    def _notify(self, record: OperationRecord | None) -> None:
        for listener in list(self.listeners):
            try:
                call_listener(listener, record)
            except Exception:  # a status bar must not break cost logging
                log.exception("cost listener failed")

    # ------------------------------------------------------------------ figures
    @property
    def read_only(self) -> bool:
        return self._summary.read_only or self._chunks.read_only

    @property
    def session_id(self) -> str:
        return self._session_id

    @property
    def session_started(self) -> datetime:
        return self._session_started

    @property
    def session_total(self) -> Decimal:
        with self._mutex:
            return self._totals.session(self._session_id).total

    @property
    def by_model(self) -> dict[str, Decimal]:
        """This session's spend per model."""
        with self._mutex:
            return dict(self._totals.session(self._session_id).models)

    @property
    def by_model_all_time(self) -> dict[str, Decimal]:
        with self._mutex:
            return dict(self._totals.by_model)

    @property
    def total(self) -> Decimal:
        """Everything ever recorded in this project."""
        return self._totals.total

    @property
    def operations_count(self) -> int:
        return self._totals.count

    def period_totals(self) -> dict[str, Decimal]:
        """Spend in the current local day, week (from Monday) and month (from the 1st).

        Each period is a window with an end: an operation stamped in the future (the clock
        was wrong) counts on its own day, not in every period from now on.
        """
        windows = period_windows(self._clock(), self._tz)
        with self._mutex:
            key = (self._version, self._chunks.hours_from, tuple(windows.values()))
            if self._periods is not None and self._periods[0] == key:
                return dict(self._periods[1])
            totals = {
                period: self._totals.window(self._chunks.hours_from, start, end, self._exact)
                for period, (start, end) in windows.items()
            }
            key = (self._version, self._chunks.hours_from, tuple(windows.values()))
            self._periods = (key, totals)
            return dict(totals)

    def _exact(self, start: datetime, end: datetime) -> Decimal:
        """Spend in ``[start, end)`` counted from the operations (a part of an hour)."""
        with self._mutex:
            total = in_window(list(self._pending), start, end)
            spans = [(n, i.first, i.last) for n, i in self._chunks.infos.items() if i.count]
            sealed = self._chunks.sealed
            if sealed is not None:
                spans += [(n, *sealed.span(n)) for n in sealed.chunks]
        for number, first, last in spans:
            if first is not None and last is not None and first < end and last >= start:
                total += in_window(list(self._chunks.records(number)), start, end)
        return total

    @property
    def daily_total(self) -> Decimal:
        return self.period_totals()["daily"]

    @property
    def weekly_total(self) -> Decimal:
        return self.period_totals()["weekly"]

    @property
    def monthly_total(self) -> Decimal:
        return self.period_totals()["monthly"]

    def should_warn_budget(self, extra: Decimal = Decimal(0)) -> str | None:
        """A message naming each limit whose warning share the spend (plus ``extra``) reached."""
        return warning_message(self.period_totals(), self.prefs.data.budget, Decimal(extra))

    def budget_exceeded(self, extra: Decimal = Decimal(0)) -> str | None:
        """With a hard stop in preferences: a message when spend plus ``extra`` reaches a limit."""
        return exceeded_message(self.period_totals(), self.prefs.data.budget, Decimal(extra))

    def recent(self, n: int = 10) -> list[OperationRecord]:
        """The last ``n`` operations, oldest first (earlier chunks are read when needed)."""
        if n <= 0:
            return []
        with self._mutex:
            found = list(self._pending)[-n:]
            for number in reversed(self._chunks.numbers()):
                if len(found) >= n:
                    break
                found = self._chunks.records(number)[-(n - len(found)) :] + found
            return found

    def recent_outputs(self, operation: str, n: int = 9, *, look_back: int = 512) -> list[int]:
        """Output tokens of the last ``n`` completed runs of ``operation`` (newest last).

        What an estimate expects an operation to write is what it wrote lately in this
        project. Reads chunk files: callers on an event loop run it in a thread. Only the
        last ``look_back`` operations are searched, so a rare operation costs a bounded read.
        """
        found = [r.output_tokens for r in self.recent(look_back) if r.operation == operation]
        return found[-n:] if n > 0 else []

    def all_operations(self) -> list[OperationRecord]:
        """Every operation, chunk by chunk, then those not yet written (blocking I/O)."""
        with self._mutex:
            found: list[OperationRecord] = []
            for number in self._chunks.numbers():
                found.extend(self._chunks.records(number))
            return [*found, *self._pending]

    def merge_operations(self, incoming: list[OperationRecord]) -> tuple[int, int]:
        """Add the operations of another copy of the project that this one lacks, by id.

        Returns ``(added, already here)``; an operation already recorded (same id) is never
        counted twice. Blocking I/O under the costs lock, like logging.
        """
        if self.read_only:
            raise self._read_only_error()
        with self._file_lock.held():
            self._refresh_locked()
            known = {record.id for record in self.all_operations()}
            fresh: list[OperationRecord] = []
            for record in sorted(incoming, key=lambda r: r.timestamp):
                if record.id not in known:
                    known.add(record.id)
                    fresh.append(record)
            if fresh:
                self._set_pending([*self._pending, *fresh])
                self._write_locked()
        return len(fresh), len(incoming) - len(fresh)

    def operations_by_type(self, session_id: str | None = None) -> dict[str, int]:
        """How many operations of each kind, in one session or (``None``) in all sessions."""
        with self._mutex:
            return self._totals.operations_by_type(session_id)
