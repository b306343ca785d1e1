"""A quick, read-only look at the cost files, for ``writers-factory session costs``.

Standard library only (no pydantic, no price tables): it reads ``costs.json``, checks every
chunk's stamp against its entry, and reads only the chunks it needs (the last ones for the
recent operations, and any holding a part-hour of a time zone off the hour). Whenever
anything is not exactly as the tracker leaves it — an entry to recompute, a chunk changed
behind the summary, an odd file, a newer or older layout, a budget to repair — it answers
``None``, and the caller opens the full :class:`CostTracker` (read-only), which reports and
handles every such case. So this path never disagrees with the tracker; it is only faster.

It also answers :func:`future_operations` for ``verify``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from writers_factory.core.budget import period_windows, warning_message
from writers_factory.core.sync_conflicts import is_conflict_copy
from writers_factory.store.costs.ledger import Totals
from writers_factory.store.costs.summary import (
    CHUNK_DIR,
    LOCK_NAME,
    ChunkStats,
    Sealed,
    chunk_name,
    chunk_number,
    file_stamp,
    parse_count,
    parse_money,
    parse_time,
    utc,
    window_total,
)

SCHEMA = 1
"""The ``schema_version`` of ``costs.json`` and its chunks read here."""
PREFERENCES_SCHEMA = 2
"""The ``schema_version`` of ``preferences.json`` read here (layered over user settings)."""
USER_SETTINGS_SCHEMA = 1

TEMP_MARK = ".wf-tmp"  # as store.base.durable.TEMP_MARK (not imported: it pulls in more)


class NeedsTracker(Exception):
    """Something here needs the full tracker: a repair, a report, an old or newer layout."""


class Operation(NamedTuple):
    """One logged operation as written in a chunk (``plain`` is the line, as JSON)."""

    timestamp: datetime
    operation: str
    model: str
    input_tokens: int
    output_tokens: int
    cost: Decimal
    session_id: str | None
    key: str | None
    plain: dict[str, Any]


def read_operation(raw: Any) -> Operation:
    """An operation line as ``OperationRecord`` would accept it, written as it writes it."""
    if not isinstance(raw, dict):
        raise NeedsTracker("an operation is not an object")
    try:
        session = raw.get("session_id")
        key = raw.get("key")
        op = Operation(
            timestamp=parse_time(raw.get("timestamp")),
            operation=_text(raw.get("operation")),
            model=_text(raw.get("model")),
            input_tokens=parse_count(raw.get("input_tokens")),
            output_tokens=parse_count(raw.get("output_tokens")),
            cost=parse_money(raw.get("cost")),
            session_id=None if session is None else _text(session),
            key=key if isinstance(key, str) else None,
            plain=raw,
        )
    except ValueError as exc:
        raise NeedsTracker(str(exc)) from None
    if not str(raw["timestamp"]).endswith("Z"):
        raise NeedsTracker("a timestamp the tracker would rewrite")
    return op


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"not text: {value!r:.40}")
    return value


def _load_json(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NeedsTracker(f"{path}: {exc}") from None
    if data[:2] == b"\x1f\x8b" or data[:3] == b"\xef\xbb\xbf":
        raise NeedsTracker(f"{path}: compressed, or with a byte-order mark")
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise NeedsTracker(f"{path}: not JSON") from None


# ---------------------------------------------------------------------------- the files
class CostFiles:
    """``costs.json`` and the chunks, as the tracker left them (else :class:`NeedsTracker`)."""

    def __init__(self, session_dir: Path) -> None:
        self.root = Path(session_dir)
        raw = _load_json(self.root / "costs.json")
        if not isinstance(raw, dict) or raw.get("schema_version") != SCHEMA:
            raise NeedsTracker("costs.json: another layout")
        if type(raw.get("schema_version")) is not int or "migrated_operations" in raw:
            raise NeedsTracker("costs.json: to be upgraded")
        session = raw.get("session")
        if not isinstance(session, dict):
            raise NeedsTracker("costs.json: no session")
        try:
            self.session_id = _text(session.get("id"))
            self.session_started = parse_time(session.get("started"))
            self.hours_from = parse_time(raw.get("hours_from"))
            entries = raw.get("chunks")
            if not isinstance(entries, list):
                raise ValueError("no chunks")
            self.infos: dict[int, ChunkStats] = {}
            for entry in entries:
                stats = ChunkStats.from_json(entry)
                number = chunk_number(stats.file)
                if number is None or number in self.infos:
                    raise ValueError("a chunk listed twice")
                self.infos[number] = stats
            self.sealed = None if raw.get("sealed") is None else Sealed.from_json(raw["sealed"])
        except ValueError as exc:
            raise NeedsTracker(f"costs.json: {exc}") from None
        self.spans: dict[int, tuple[datetime | None, datetime | None]] = {
            n: (i.first, i.last) for n, i in self.infos.items()
        }
        self.stamps = {n: i.stamp for n, i in self.infos.items()}
        if self.sealed is not None:
            for number in self.sealed.chunks:
                if number in self.infos:
                    raise NeedsTracker("costs.json: a chunk both folded and listed")
                self.spans[number] = self.sealed.span(number)
                self.stamps[number] = self.sealed.chunks[number][0]
        self._check_folder()
        self.totals = Totals()
        for number, stats in self.infos.items():
            self.totals.add(stats, number)
        if self.sealed is not None:
            self.totals.add_sealed(self.sealed)
        self._read: dict[int, list[Operation]] = {}

    def _check_folder(self) -> None:
        """Exactly the listed chunks, each unchanged since its entry was made."""
        folder = self.root / CHUNK_DIR
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            names = []
        except OSError:
            raise NeedsTracker("costs/ cannot be listed") from None
        found: set[int] = set()
        for name in names:
            if name == LOCK_NAME or name.endswith(TEMP_MARK):
                continue
            number = chunk_number(name)
            if number is None:
                raise NeedsTracker(f"costs/{name}: not a chunk")
            found.add(number)
        if found != set(self.stamps):
            raise NeedsTracker("costs/: chunks not in costs.json, or missing")
        base = str(self.root)
        for number, stamp in self.stamps.items():
            if file_stamp(os.path.join(base, chunk_name(number))) != stamp:
                raise NeedsTracker(f"{chunk_name(number)}: changed since costs.json")

    def operations(self, number: int) -> list[Operation]:
        """One chunk's operations; they must add up to its entry."""
        if number in self._read:
            return self._read[number]
        path = self.root / chunk_name(number)
        raw = _load_json(path)
        if not isinstance(raw, dict) or raw.get("schema_version") != SCHEMA:
            raise NeedsTracker(f"{path}: another layout")
        if type(raw.get("schema_version")) is not int or not isinstance(
            raw.get("operations"), list
        ):
            raise NeedsTracker(f"{path}: not a chunk")
        ops = [read_operation(item) for item in raw["operations"]]
        info = self.infos.get(number)
        if info is None and self.sealed is not None:
            info = self.sealed.listed(number)
        if info is None or len(ops) != info.count:
            raise NeedsTracker(f"{path}: does not match its entry")
        if sum((op.cost for op in ops), Decimal(0)) != info.cost:
            raise NeedsTracker(f"{path}: does not match its entry")
        if file_stamp(path) != self.stamps[number]:
            raise NeedsTracker(f"{path}: changed while being read")
        self._read[number] = ops
        return ops

    def in_window(self, start: datetime, end: datetime) -> Decimal:
        total = Decimal(0)
        for number, (first, last) in sorted(self.spans.items()):
            if first is not None and last is not None and first < end and last >= start:
                ops = self.operations(number)
                total += sum((op.cost for op in ops if start <= op.timestamp < end), Decimal(0))
        return total

    def recent(self, n: int) -> list[Operation]:
        found: list[Operation] = []
        for number in sorted(self.stamps, reverse=True):
            if len(found) >= n:
                break
            found = self.operations(number)[-(n - len(found)) :] + found
        return found[-n:] if n > 0 else []

    def periods(self, now: datetime, tz: tzinfo | None = None) -> dict[str, Decimal]:
        return {
            period: window_total(self.totals.hours, self.hours_from, start, end, self.in_window)
            for period, (start, end) in period_windows(now, tz).items()
        }


# ---------------------------------------------------------------------------- the budget
class Budget(NamedTuple):
    """The budget section of ``preferences.json`` (``core.budget.BudgetPrefs``)."""

    daily_limit: Decimal | None = None
    weekly_limit: Decimal | None = None
    monthly_limit: Decimal | None = None
    warn_at: float = 0.8
    hard_stop: bool = False
    warnings_enabled: bool = True
    extra: dict[str, Any] = {}  # noqa: RUF012 - never mutated (a NamedTuple default)

    def limits(self) -> dict[str, Decimal]:
        pairs = (
            ("daily", self.daily_limit),
            ("weekly", self.weekly_limit),
            ("monthly", self.monthly_limit),
        )
        return {name: value for name, value in pairs if value is not None}

    def plain(self) -> dict[str, Any]:
        """As ``BudgetPrefs.model_dump(mode="json")`` writes it."""
        return {
            "daily_limit": None if self.daily_limit is None else str(self.daily_limit),
            "weekly_limit": None if self.weekly_limit is None else str(self.weekly_limit),
            "monthly_limit": None if self.monthly_limit is None else str(self.monthly_limit),
            "warn_at": self.warn_at,
            "hard_stop": self.hard_stop,
            "warnings_enabled": self.warnings_enabled,
            **self.extra,
        }


def read_budget(session_dir: Path) -> Budget:
    """The budget as ``Preferences`` would read it (the project's values over the user
    settings'); :class:`NeedsTracker` when unsure."""
    from writers_factory.store.base.places import user_folder

    user = _budget_section(user_folder("config") / "settings.json", USER_SETTINGS_SCHEMA)
    project = _budget_section(Path(session_dir) / "preferences.json", PREFERENCES_SCHEMA)
    section = {**user, **project}
    known = {"daily_limit", "weekly_limit", "monthly_limit", "warn_at", "hard_stop"}
    known |= {"warnings_enabled"}
    limits = {name: _limit(section.get(name)) for name in known if name.endswith("_limit")}
    warn_at = section.get("warn_at", 0.8)
    if type(warn_at) not in (int, float) or not (math.isfinite(warn_at) and 0 < warn_at <= 1):
        raise NeedsTracker("preferences.json: budget.warn_at")
    flags = [section.get("hard_stop", False), section.get("warnings_enabled", True)]
    if not all(type(flag) is bool for flag in flags):
        raise NeedsTracker("preferences.json: budget flags")
    return Budget(
        daily_limit=limits["daily_limit"],
        weekly_limit=limits["weekly_limit"],
        monthly_limit=limits["monthly_limit"],
        warn_at=float(warn_at),
        hard_stop=flags[0],
        warnings_enabled=flags[1],
        extra={k: v for k, v in section.items() if k not in known},
    )


def _budget_section(path: Path, schema: int) -> dict[str, Any]:
    """The budget values one layer's file sets ({} for none)."""
    if not path.exists():
        if (path.parent / "prev" / path.name).exists():
            raise NeedsTracker(f"{path.name}: to be restored")
        return {}
    raw = _load_json(path)
    if not isinstance(raw, dict) or raw.get("schema_version") != schema:
        raise NeedsTracker(f"{path.name}: another layout")
    if type(raw.get("schema_version")) is not int:
        raise NeedsTracker(f"{path.name}: another layout")
    section = raw.get("budget", {})
    if not isinstance(section, dict):
        raise NeedsTracker(f"{path.name}: budget")
    return section


def _limit(value: Any) -> Decimal | None:
    if value is None:
        return None
    if type(value) is int and value >= 0:
        return Decimal(value)
    try:
        return parse_money(value)
    except ValueError:
        raise NeedsTracker(f"preferences.json: budget limit {value!r:.40}") from None


# ---------------------------------------------------------------------------- the view
class CostView(NamedTuple):
    """What ``writers-factory session costs`` shows (the tracker's figures, read quickly)."""

    session_id: str
    session_total: Decimal
    periods: dict[str, Decimal]
    total: Decimal
    operations_count: int
    by_model: dict[str, Decimal]
    budget: Budget
    warning: str | None
    recent: list[Operation]


def read_view(
    session_dir: Path, *, now: datetime, tz: tzinfo | None = None, recent: int = 20
) -> CostView | None:
    """The figures, or ``None`` when only the full tracker can give them faithfully."""
    try:
        files = CostFiles(session_dir)
        budget = read_budget(session_dir)
        periods = files.periods(now, tz)
        latest = files.recent(recent)
    except NeedsTracker:
        return None
    session = files.totals.session(files.session_id)
    return CostView(
        session_id=files.session_id,
        session_total=session.total,
        periods=periods,
        total=files.totals.total,
        operations_count=files.totals.count,
        by_model=dict(files.totals.by_model),
        budget=budget,
        warning=warning_message(periods, budget),
        recent=latest,
    )


# ---------------------------------------------------------------------------- verify
class FutureOperation(NamedTuple):
    """An operation stamped later than now: logged while the clock was wrong."""

    path: Path
    position: int
    """Its index in the chunk's ``operations`` (from 0)."""
    timestamp: datetime
    operation: str
    cost: Decimal

    def describe(self) -> str:
        return (
            f"operation {self.position} ({self.operation}, {self.cost}) is dated "
            f"{self.timestamp:%Y-%m-%d %H:%M} UTC, in the future: it was logged while the "
            "clock was wrong; it counts on that day, not today"
        )


def future_operations(
    session_dir: Path, now: datetime | None = None, *, slack: timedelta = timedelta(minutes=5)
) -> list[FutureOperation]:
    """Operations dated after ``now`` (plus ``slack``) in ``session_dir/costs/``; read-only.

    Uses the summary to skip chunks whose latest operation is in the past when its entry is
    current, and reads every other chunk. Chunks that cannot be read are skipped (``verify``
    reports them on their own).
    """
    limit = utc(now or datetime.now().astimezone()) + slack
    root = Path(session_dir)
    try:
        files: CostFiles | None = CostFiles(root)
    except NeedsTracker:
        files = None
    found: list[FutureOperation] = []
    for number, path in _chunk_paths(root):
        span = None if files is None else files.spans.get(number)
        if span is not None and (span[1] is None or span[1] <= limit):
            continue
        for index, raw in enumerate(_raw_operations(path)):
            if not isinstance(raw, dict):
                continue
            try:
                when = parse_time(raw.get("timestamp"))
            except ValueError:
                continue
            if when > limit:
                cost = raw.get("cost")
                found.append(
                    FutureOperation(
                        path,
                        index,
                        when,
                        str(raw.get("operation")),
                        Decimal(cost) if isinstance(cost, str) and _is_amount(cost) else Decimal(0),
                    )
                )
    return found


def _is_amount(text: str) -> bool:
    try:
        parse_money(text)
    except ValueError:
        return False
    return True


def _chunk_paths(root: Path) -> Iterator[tuple[int, Path]]:
    try:
        names = sorted(os.listdir(root / CHUNK_DIR))
    except OSError:
        return
    for name in names:
        number = chunk_number(name)
        if number is not None:
            yield number, root / CHUNK_DIR / name


def _raw_operations(path: Path) -> list[Any]:
    try:
        raw = _load_json(path)
    except NeedsTracker:
        return []
    operations = raw.get("operations") if isinstance(raw, dict) else None
    return operations if isinstance(operations, list) else []


def summary_mismatches(session_dir: Path) -> list[tuple[Path, str]]:
    """Where ``costs.json`` disagrees with the chunks, for ``verify``; reads every chunk.

    Each finding is (file, what is wrong). The tracker repairs all of these at its next
    start (the operations are the truth), so they are worth knowing, not fatal. Chunks that
    do not parse are left to ``verify``'s own check of each file.
    """
    root = Path(session_dir)
    summary_path = root / "costs.json"
    found: list[tuple[Path, str]] = []
    try:
        names = sorted(os.listdir(root / CHUNK_DIR))
    except OSError:
        names = []
    chunks: dict[int, Path] = {}
    for name in names:
        if name == LOCK_NAME or name.endswith(TEMP_MARK):
            continue
        number = chunk_number(name)
        if number is None and is_conflict_copy(name, names):
            continue  # a syncing tool's conflict copy: verify names it as a note
        if number is None:
            found.append((root / CHUNK_DIR / name, "not an operation chunk name (ops-NNNNNN.json)"))
        else:
            chunks[number] = root / CHUNK_DIR / name
    try:
        raw = _load_json(summary_path) if summary_path.exists() else None
    except NeedsTracker as exc:
        return [*found, (summary_path, str(exc))]
    if not isinstance(raw, dict) or raw.get("schema_version") != SCHEMA:
        if chunks and raw is None:
            found.append((summary_path, "missing: the next start rebuilds it from the chunks"))
        return found
    listed: dict[int, tuple[int, Decimal]] = {}
    for entry in raw.get("chunks") or []:
        stats = ChunkStats.listed(entry)
        number = None if stats is None else chunk_number(stats.file)
        if stats is not None and number is not None:
            listed[number] = (stats.count, stats.cost)
    sealed = Sealed.read(raw.get("sealed"))
    if sealed is not None:
        for number in sealed.chunks:
            row = sealed.listed(number)
            listed[number] = (row.count, row.cost)
    for number in sorted(set(listed) - set(chunks)):
        count, cost = listed[number]
        found.append(
            (root / chunk_name(number), f"listed in costs.json ({count} operations) but missing")
        )
    for number, path in sorted(chunks.items()):
        operations = _raw_operations(path)
        costs = [op.get("cost") for op in operations if isinstance(op, dict)]
        held = sum((Decimal(c) for c in costs if isinstance(c, str) and _is_amount(c)), Decimal(0))
        if number not in listed:
            found.append((path, f"not in costs.json ({len(operations)} operations)"))
            continue
        count, cost = listed[number]
        if (count, cost) != (len(operations), held):
            found.append(
                (
                    path,
                    f"costs.json says {count} operations costing {cost}, the chunk holds "
                    f"{len(operations)} costing {held}",
                )
            )
    return found
