"""What AI calls have cost, per session and per local day, week and month.

Every figure is an exact ``Decimal`` from genai-prices (or the writer's own price override),
never a guess: an unknown model is refused before anything is written. Operations are the
truth and are kept append-only in chunk files; ``costs.json`` is a readable summary rebuilt
from them at load, so a crash between the two writes can never leave wrong totals behind.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from writers_factory.core.budget import exceeded_message, period_starts, warning_message
from writers_factory.core.prices import price
from writers_factory.store.base.events import Callbacks, ProblemKind, StoreProblem
from writers_factory.store.base.jsonfile import describe_validation
from writers_factory.store.base.paths import SessionPaths, utcnow
from writers_factory.store.costs.chunks import ChunkStore
from writers_factory.store.costs.encoding import SummaryFile
from writers_factory.store.costs.errors import CostsReadOnlyError
from writers_factory.store.costs.ledger import Ledger
from writers_factory.store.costs.migrations import LEGACY_BUDGET, MIGRATED_OPERATIONS
from writers_factory.store.costs.models import (
    CostSummary,
    OperationRecord,
    SessionCosts,
    new_session_id,
)
from writers_factory.store.preferences.preferences import PreferenceError, Preferences

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Listener = Callable[[OperationRecord | None], None]

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
        self._summary = SummaryFile(
            self.paths,
            self.paths.costs,
            CostSummary,
            callbacks=self.callbacks,
            read_only=read_only,
        )
        self._chunks = ChunkStore(self.paths, callbacks=self.callbacks, read_only=read_only)
        self._summary.chunk_lines = self._chunks.listing_lines
        self._ledger = Ledger()
        self._keys: dict[str, OperationRecord] = {}
        """Idempotency keys of logged operations (only keyed ones: workflow steps)."""
        self._session = SessionCosts(id="", started=self._clock())
        self._load()

    # ------------------------------------------------------------------ loading
    def _load(self) -> None:
        summary = self._summary.load_sync()
        self.problems.extend(self._summary.problems)
        restored = any(p.restored_from is not None for p in self._summary.problems)
        fresh = not self._summary.exists_on_disk and not restored
        if fresh:
            now = self._clock()
            summary.session = SessionCosts(id=new_session_id(now), started=now)
        extras: dict[str, Any] = summary.__pydantic_extra__ or {}
        migrated_raw = extras.pop(MIGRATED_OPERATIONS, None)
        migrated = None if migrated_raw is None else self._validate_migrated(migrated_raw, extras)
        # Session totals are recomputed from the operations; the stored ones are only a cache.
        self._session = summary.session.model_copy(
            update={"total": Decimal(0), "operations": 0, "by_model": {}}
        )
        self._chunks.load(summary.chunks, self._feed, migrated=migrated)
        self.problems.extend(self._chunks.problems)
        self._adopt_legacy_budget(extras)
        before = summary.model_dump(mode="json")
        self._sync_summary()
        summary.chunks = self._chunks.listing()
        changed = summary.model_dump(mode="json") != before
        repaired = changed and (not fresh or self._ledger.count > 0)
        if repaired or migrated is not None or self._chunks.dirty:
            self._summary.mark_dirty()
            if not self.read_only:
                try:
                    self.save_sync()  # repairs and migrations are kept at once
                except OSError as exc:
                    log.warning("could not write repaired cost files: %s", exc)

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

    def _adopt_legacy_budget(self, extras: dict[str, Any]) -> None:
        """Move the budget of an old ``costs.json`` into preferences, where budgets live now."""
        legacy = extras.get(LEGACY_BUDGET)
        if legacy is None or self.read_only:
            return
        keep = f"kept under {LEGACY_BUDGET} in costs.json; set your budget in preferences"
        if self.prefs.read_only:
            self._report(
                ProblemKind.MIGRATED, f"old budget not moved: preferences are read-only; {keep}"
            )
            return
        current = self.prefs.data.budget
        if current.limits():
            self._report(
                ProblemKind.MIGRATED,
                f"old budget {legacy!r} not moved: preferences.json already has limits; {keep}",
                field=LEGACY_BUDGET,
            )
            return
        try:
            merged = {**current.model_dump(), **legacy} if isinstance(legacy, dict) else legacy
            self.prefs.set("budget", merged)
            self.prefs.save_sync()
        except (PreferenceError, OSError) as exc:
            self._report(
                ProblemKind.MIGRATED, f"old budget not moved ({exc}); {keep}", field=LEGACY_BUDGET
            )
            return
        del extras[LEGACY_BUDGET]
        self._report(
            ProblemKind.MIGRATED,
            "the budget moved from costs.json to preferences.json",
            field="budget",
        )

    def _feed(self, record: OperationRecord) -> None:
        self._ledger.add(record)
        key = (record.model_extra or {}).get("key")
        if isinstance(key, str):
            self._keys[key] = record
        if record.session_id == self._session.id:
            self._count_in_session(record)

    def _count_in_session(self, record: OperationRecord) -> None:
        session = self._session
        by_model = dict(session.by_model)
        by_model[record.model] = by_model.get(record.model, Decimal(0)) + record.cost
        self._session = session.model_copy(
            update={
                "total": session.total + record.cost,
                "operations": session.operations + 1,
                "by_model": by_model,
            }
        )

    def _sync_summary(self) -> None:
        """Bring ``costs.json``'s readable figures in line with the operations."""
        summary = self._summary.value
        summary.session = self._session
        summary.total = self._ledger.total
        summary.operations_count = self._ledger.count
        summary.by_model = dict(self._ledger.by_model)
        # the chunk index is encoded straight from the chunk store (see SummaryFile)

    def _report(self, kind: ProblemKind, message: str, **extra: Any) -> None:
        problem = StoreProblem(self.paths.costs, kind, message, **extra)
        self.problems.append(problem)
        self.callbacks.error(problem)

    # ------------------------------------------------------------------ pricing
    def get_estimated_cost(self, model: str, input_tokens: int, output_tokens: int) -> Decimal:
        """The exact price of a call of this size; raises ``UnknownModelError``, never $0."""
        return price(model, input_tokens, output_tokens, self.prefs.data.price_overrides)

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
    ) -> OperationRecord:
        """Price and record one call; nothing is written when the model cannot be priced.

        A ``key`` makes logging idempotent: it is stored on the record, and logging the same
        key again (e.g. a workflow step retried after a crash between its record and its
        cost) returns the operation already recorded instead of charging it twice.

        A ``session_id`` other than the current one starts tracking that session, as
        :meth:`reset_session` would. When the disk refuses the write the operation stays
        counted in memory (the money was spent), is written with the next save, and the
        ``OSError`` is raised after ``on_error`` listeners were told. When the cost files are
        read-only (a newer version wrote them, or they were opened read-only) nothing can be
        recorded: :class:`CostsReadOnlyError` (an ``OSError``) names the file and why.
        """
        cost = self.get_estimated_cost(model, input_tokens, output_tokens)
        async with self._get_lock():
            if key is not None and key in self._keys:
                return self._keys[key]
            if self.read_only:
                raise self._read_only_error()
            now = self._clock()
            if session_id is not None and session_id != self._session.id:
                self._begin_session(session_id, now)
            fields: dict[str, Any] = {
                "timestamp": now,
                "operation": operation,
                "model": model,
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "cost": cost,
                "session_id": self._session.id,
            }
            if key is not None:
                fields["key"] = key  # an extra field: older readers keep it untouched
            record = OperationRecord.model_validate(fields)
            self._chunks.append(record)
            self._feed(record)
            await self._save_locked()
        self._notify(record)
        return record

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
        """Start counting a new session from zero (all earlier operations stay recorded)."""
        async with self._get_lock():
            now = self._clock()
            self._begin_session(session_id or new_session_id(now), now)
            await self._save_locked()
        self._notify(None)

    def _begin_session(self, session_id: str, now: datetime) -> None:
        self._session = SessionCosts(id=session_id, started=now)
        self._summary.mark_dirty()

    async def _save_locked(self) -> None:
        if self.read_only:
            return
        await self._chunks.save()  # the operations first: they are the truth
        self._sync_summary()
        self._summary.mark_dirty()
        await self._summary.save()

    async def save(self) -> None:
        """Write whatever is not on disk yet (normally nothing: logging saves at once)."""
        async with self._get_lock():
            await self._save_locked()

    def save_sync(self) -> None:
        """Synchronous save for quit and signal handlers."""
        if self.read_only:
            return
        self._chunks.save_sync()
        self._sync_summary()
        self._summary.save_sync()

    def _notify(self, record: OperationRecord | None) -> None:
        for listener in list(self.listeners):
            try:
                listener(record)
            except Exception:  # a status bar must not break cost logging
                log.exception("cost listener failed")

    # ------------------------------------------------------------------ figures
    @property
    def read_only(self) -> bool:
        return self._summary.read_only or self._chunks.read_only

    @property
    def session_id(self) -> str:
        return self._session.id

    @property
    def session_started(self) -> datetime:
        return self._session.started

    @property
    def session_total(self) -> Decimal:
        return self._session.total

    @property
    def by_model(self) -> dict[str, Decimal]:
        """This session's spend per model."""
        return dict(self._session.by_model)

    @property
    def by_model_all_time(self) -> dict[str, Decimal]:
        return dict(self._ledger.by_model)

    @property
    def total(self) -> Decimal:
        """Everything ever recorded in this project."""
        return self._ledger.total

    @property
    def operations_count(self) -> int:
        return self._ledger.count

    def period_totals(self) -> dict[str, Decimal]:
        """Spend since local midnight, Monday and the 1st, keyed daily/weekly/monthly."""
        starts = period_starts(self._clock(), self._tz)
        return {period: self._ledger.total_since(start) for period, start in starts.items()}

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
        """The last ``n`` operations, oldest first (up to the last 1,000 are kept in memory)."""
        if n <= 0:
            return []
        return list(self._ledger.recent)[-n:]

    def operations_by_type(self, session_id: str | None = None) -> dict[str, int]:
        """How many operations of each kind, in one session or (``None``) in all sessions."""
        return self._ledger.operations_by_type(session_id)
