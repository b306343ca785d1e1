"""What ``costs.json`` knows about each operation chunk, so opening needs only recent files.

Operations are the truth; this is a derived, rebuildable summary of them. For each chunk file
``costs.json`` keeps one entry: how many operations it holds and what they cost, per session
(counts per operation name, cost per model), the idempotency keys it holds, the cost per UTC
hour of its operations since :data:`HOURS_KEPT` before the last save (enough for "today",
"this week" and "this month" in any time zone), and the file's *stamp* (size, modification
time, inode, change time) when the entry was computed.

An entry is believed only while its chunk's stamp is unchanged; a chunk whose stamp differs
(appended to by another process, restored, edited by hand) is read again and its entry
recomputed. The totals are sums of entries, so the cost of opening is one small file plus a
``stat`` per chunk, whatever the number of operations.

Standard library only: ``writers-factory session costs`` reads this without pydantic.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

CHUNK_DIR = "costs"
CHUNK_PREFIX = "ops-"
MAX_DIGITS = 12
"""Chunk numbers beyond this many digits are not ours (a trillion chunks is not a history)."""

LOCK_NAME = ".lock"
"""The lock file in ``costs/`` held (``flock``) by a process while it writes cost files."""

HOURS_KEPT = timedelta(days=40)
"""Hourly costs are kept for operations since this long before a save: a month and a week
back, whatever the zone. Older operations count only in the totals."""

HOURS_SLACK = timedelta(days=24)
"""Hourly costs older than ``HOURS_KEPT + HOURS_SLACK`` are dropped at the next save."""

NO_SESSION = ""
"""The session key of operations logged without a session id."""


def chunk_name(number: int) -> str:
    """``costs/ops-000001.json`` for chunk 1 (relative to ``.session/``)."""
    return f"{CHUNK_DIR}/{CHUNK_PREFIX}{number:06d}.json"


_CHUNK_NAME = re.compile(
    rf"(?:{CHUNK_DIR}/)?{CHUNK_PREFIX}([0-9]{{6,{MAX_DIGITS}}})\.json", re.ASCII
)


def chunk_number(name: str) -> int | None:
    """The number in a chunk file name, or ``None`` for anything that is not exactly one.

    Only the names :func:`chunk_name` writes count: ASCII digits, at least six of them, no
    extra leading zeros. ``ops-².json`` (a Unicode digit), ``ops-1.json`` or a number of
    thousands of digits are not chunk names, and never reach ``int()``.
    """
    found = _CHUNK_NAME.fullmatch(name.rsplit("/", 1)[-1])
    if found is None:
        return None
    digits = found.group(1)
    number = int(digits)
    if number < 1 or (len(digits) > 6 and digits[0] == "0"):
        return None
    return number


def file_stamp(path: Path | str) -> str | None:
    """What changes whenever a file is replaced or edited; ``None`` if it cannot be seen."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return f"{st.st_size}-{st.st_mtime_ns}-{st.st_ino}-{st.st_ctime_ns}"


# ---------------------------------------------------------------------------- time
def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def hour_key(moment: datetime) -> str:
    """The UTC hour holding ``moment``: ``2026-11-18T09`` (sorts like the time)."""
    return utc(moment).isoformat()[:13]


_HOUR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}", re.ASCII)


def floor_hour(moment: datetime) -> datetime:
    return utc(moment).replace(minute=0, second=0, microsecond=0)


def hours_start(now: datetime) -> datetime:
    """Where a summary saved at ``now`` starts keeping hourly costs."""
    return floor_hour(now - HOURS_KEPT)


def iso(moment: datetime) -> str:
    """UTC with a ``Z``, as the models write timestamps."""
    text = utc(moment).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_time(value: Any) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError(f"not a timestamp: {value!r:.60}")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {value!r}")
    return utc(moment)


def parse_money(value: Any) -> Decimal:
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError(f"not an amount: {value!r:.60}")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"not an amount: {value!r}")
    return amount


def parse_count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**15:
        raise ValueError(f"not a count: {value!r:.60}")
    return value


# ---------------------------------------------------------------------------- operations
class Operation(Protocol):
    """What the summary reads of an operation (``OperationRecord`` or a plain reading)."""

    @property
    def timestamp(self) -> datetime: ...
    @property
    def operation(self) -> str: ...
    @property
    def model(self) -> str: ...
    @property
    def cost(self) -> Decimal: ...
    @property
    def session_id(self) -> str | None: ...


def key_of(op: Operation) -> str | None:
    """The idempotency key stored on an operation (an extra field), if any."""
    extra = getattr(op, "__pydantic_extra__", None)
    key = extra.get("key") if extra is not None else getattr(op, "key", None)
    return key if isinstance(key, str) else None


# ---------------------------------------------------------------------------- entries
@dataclass(slots=True)
class SessionStats:
    """One session's operations in one chunk: counts per operation, cost per model."""

    ops: dict[str, int] = field(default_factory=dict)
    models: dict[str, Decimal] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.ops.values())

    @property
    def total(self) -> Decimal:
        return sum(self.models.values(), Decimal(0))


@dataclass(slots=True)
class ChunkStats:
    """The summary entry of one chunk file (see the module's docstring)."""

    file: str
    count: int = 0
    cost: Decimal = Decimal(0)
    first: datetime | None = None
    """The earliest operation's time (not always the first line: clocks step back)."""
    last: datetime | None = None
    """The latest operation's time."""
    stamp: str | None = None
    """The chunk file's :func:`file_stamp` this entry describes; ``None``: to be checked."""
    sessions: dict[str, SessionStats] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    hours: dict[str, Decimal] = field(default_factory=dict)

    def add(self, op: Operation, hours_from: datetime) -> None:
        when = utc(op.timestamp)
        self.count += 1
        self.cost += op.cost
        self.first = when if self.first is None or when < self.first else self.first
        self.last = when if self.last is None or when > self.last else self.last
        session = self.sessions.setdefault(op.session_id or NO_SESSION, SessionStats())
        session.ops[op.operation] = session.ops.get(op.operation, 0) + 1
        session.models[op.model] = session.models.get(op.model, Decimal(0)) + op.cost
        key = key_of(op)
        if key is not None:
            self.keys.append(key)
        if when >= hours_from:
            hour = hour_key(when)
            self.hours[hour] = self.hours.get(hour, Decimal(0)) + op.cost

    def copy(self) -> ChunkStats:
        return ChunkStats(
            self.file,
            self.count,
            self.cost,
            self.first,
            self.last,
            self.stamp,
            {sid: SessionStats(dict(s.ops), dict(s.models)) for sid, s in self.sessions.items()},
            list(self.keys),
            dict(self.hours),
        )

    def trimmed(self, hours_from: datetime) -> ChunkStats | None:
        """A copy without the hours before ``hours_from``; ``None`` when nothing changes."""
        start = hour_key(hours_from)
        if not self.hours or min(self.hours) >= start:
            return None
        copy = self.copy()
        copy.hours = {h: c for h, c in self.hours.items() if h >= start}
        return copy

    def same_operations(self, other: ChunkStats) -> bool:
        """Whether two entries describe the same operations (the stamp aside)."""
        return (
            self.count == other.count
            and self.cost == other.cost
            and self.first == other.first
            and self.last == other.last
            and self.sessions == other.sessions
            and self.keys == other.keys
            and self.hours == other.hours
        )

    # ------------------------------------------------------------------ JSON
    def to_json(self) -> dict[str, Any]:
        plain: dict[str, Any] = {
            "file": self.file,
            "count": self.count,
            "cost": str(self.cost),
            "first": None if self.first is None else iso(self.first),
            "last": None if self.last is None else iso(self.last),
            "stamp": self.stamp,
            "sessions": {
                sid: {
                    "ops": dict(s.ops),
                    "models": {model: str(cost) for model, cost in s.models.items()},
                }
                for sid, s in self.sessions.items()
            },
        }
        if self.keys:
            plain["keys"] = list(self.keys)
        if self.hours:
            plain["hours"] = {hour: str(cost) for hour, cost in self.hours.items()}
        return plain

    @classmethod
    def from_json(cls, raw: Any) -> ChunkStats:
        """Read an entry; raises ``ValueError`` for anything that is not exactly one.

        An entry whose figures do not add up (count and cost against its sessions) is
        refused: a summary edited by hand is recomputed, never believed.
        """
        if not isinstance(raw, dict):
            raise ValueError("a chunk entry is not an object")
        file = raw.get("file")
        if not isinstance(file, str) or chunk_number(file) is None:
            raise ValueError(f"not a chunk file name: {file!r:.80}")
        stamp = raw.get("stamp")
        if not isinstance(stamp, str):
            raise ValueError("no stamp")
        sessions_raw = raw.get("sessions")
        if not isinstance(sessions_raw, dict):
            raise ValueError("no sessions")
        sessions: dict[str, SessionStats] = {}
        for sid, body in sessions_raw.items():
            if not isinstance(body, dict):
                raise ValueError("a session is not an object")
            ops, models = body.get("ops"), body.get("models")
            if not isinstance(ops, dict) or not isinstance(models, dict):
                raise ValueError("a session without ops or models")
            sessions[sid] = SessionStats(
                {name: parse_count(n) for name, n in ops.items()},
                {name: parse_money(c) for name, c in models.items()},
            )
        keys = raw.get("keys", [])
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise ValueError("keys are not a list of strings")
        hours_raw = raw.get("hours", {})
        if not isinstance(hours_raw, dict):
            raise ValueError("hours are not an object")
        hours: dict[str, Decimal] = {}
        for hour, cost in hours_raw.items():
            if not _HOUR.fullmatch(hour):
                raise ValueError(f"not an hour: {hour!r:.40}")
            hours[hour] = parse_money(cost)
        first, last = raw.get("first"), raw.get("last")
        stats = cls(
            file=file,
            count=parse_count(raw.get("count")),
            cost=parse_money(raw.get("cost")),
            first=None if first is None else parse_time(first),
            last=None if last is None else parse_time(last),
            stamp=stamp,
            sessions=sessions,
            keys=keys,
            hours=hours,
        )
        counted = sum(s.count for s in sessions.values())
        spent = sum((s.total for s in sessions.values()), Decimal(0))
        if stats.count != counted or stats.cost != spent or len(keys) > stats.count:
            raise ValueError("the entry's figures do not add up")
        if (stats.first is None) != (stats.count == 0) or (stats.last is None) != (
            stats.count == 0
        ):
            raise ValueError("the entry's times do not match its count")
        if stats.first is not None and stats.last is not None:
            if stats.first > stats.last:
                raise ValueError("the entry's first time is after its last")
            low, high = hour_key(stats.first), hour_key(stats.last)
            if any(not low <= hour <= high for hour in hours):
                raise ValueError("an hour outside the entry's times")
        if sum(hours.values(), Decimal(0)) > stats.cost:
            raise ValueError("the entry's hours cost more than its operations")
        return stats

    @classmethod
    def listed(cls, raw: Any) -> ChunkStats | None:
        """What a possibly old or damaged entry still says: file, count, cost and times.

        Used to name what was lost when a chunk cannot be read; the result has no stamp, so
        it is never believed over the chunk itself.
        """
        try:
            return cls.from_json(raw)
        except ValueError:
            pass
        if not isinstance(raw, dict) or not isinstance(raw.get("file"), str):
            return None
        if chunk_number(raw["file"]) is None:
            return None
        stats = cls(file=raw["file"])
        try:
            stats.count = parse_count(raw.get("count", 0))
            stats.cost = parse_money(str(raw.get("cost", "0")))
            stats.first = None if raw.get("first") is None else parse_time(raw["first"])
            stats.last = None if raw.get("last") is None else parse_time(raw["last"])
        except ValueError:
            pass
        return stats


def stats_of(file: str, operations: Iterable[Operation], hours_from: datetime) -> ChunkStats:
    """The entry of a chunk, computed from what it actually holds.

    The same as :meth:`ChunkStats.add` for each operation, written out: a rebuild runs it
    for every operation ever logged.
    """
    stats = ChunkStats(file=file)
    sessions, keys, hours = stats.sessions, stats.keys, stats.hours
    zero = Decimal(0)
    count, total = 0, zero
    first: datetime | None = None
    last: datetime | None = None
    for op in operations:
        when = op.timestamp
        if when.tzinfo is not UTC:
            when = when.astimezone(UTC)
        cost = op.cost
        count += 1
        total += cost
        if first is None or when < first:
            first = when
        if last is None or when > last:
            last = when
        sid = op.session_id or NO_SESSION
        session = sessions.get(sid)
        if session is None:
            session = sessions[sid] = SessionStats()
        name, model = op.operation, op.model
        session.ops[name] = session.ops.get(name, 0) + 1
        session.models[model] = session.models.get(model, zero) + cost
        key = key_of(op)
        if key is not None:
            keys.append(key)
        if when >= hours_from:
            hour = when.isoformat()[:13]
            hours[hour] = hours.get(hour, zero) + cost
    stats.count, stats.cost, stats.first, stats.last = count, total, first, last
    return stats


# ---------------------------------------------------------------------------- windows
Exact = Callable[[datetime, datetime], Decimal]
"""Spend in ``[start, end)`` counted from the operations themselves."""


def window_total(
    hours: Mapping[str, Decimal],
    hours_from: datetime,
    start: datetime,
    end: datetime,
    exact: Exact,
) -> Decimal:
    """Spend in ``[start, end)``: whole hours from the summary, the rest from operations.

    Local midnights fall on whole UTC hours in most zones, so usually no operation is read.
    A zone a half or quarter hour off UTC reads the operations of the part-hours at each end;
    a window reaching before ``hours_from`` (a clock set back) reads that part too.
    """
    start, end = utc(start), utc(end)
    total = Decimal(0)
    if start >= end:
        return total
    if start < hours_from:
        total += exact(start, min(end, hours_from))
        start = hours_from
        if start >= end:
            return total
    first_hour = floor_hour(start)
    if first_hour < start:
        first_hour += timedelta(hours=1)
        total += exact(start, min(first_hour, end))
        if first_hour >= end:
            return total
    last_hour = floor_hour(end)
    if last_hour < end:
        total += exact(max(last_hour, first_hour), end)
    low, high = hour_key(first_hour), hour_key(last_hour)
    if low < high:
        total += sum((cost for hour, cost in hours.items() if low <= hour < high), Decimal(0))
    return total


# ---------------------------------------------------------------------------- sealed chunks
SEALED_FILE = chunk_name(1)
"""The ``file`` of the folded entry's sums (a chunk name, so the entry reads as one)."""

Row = tuple[str, str, str, int, str]

_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z", re.ASCII
)
_AMOUNT = re.compile(r"[0-9]{1,30}(\.[0-9]{1,30})?(E[+-]?[0-9]{1,4})?", re.ASCII)
"""A folded chunk: (stamp, earliest time, latest time, count, cost), as written."""


@dataclass(slots=True)
class Sealed:
    """Old chunks folded into one entry, so opening parses O(recent) entries, not O(all).

    A chunk is folded once it is no longer the last and all its operations are older than the
    hourly horizon: only its sums matter then. ``stats`` holds the sums of every folded chunk
    (its ``keys`` are empty: ``keys`` maps each idempotency key to its chunk), and ``chunks``
    one row per folded chunk, so each is still checked at every start; one that changed
    unfolds them all (they are read again, once), and what a lost one held can be named.
    """

    stats: ChunkStats = field(default_factory=lambda: ChunkStats(file=SEALED_FILE))
    chunks: dict[int, Row] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)

    def copy(self) -> Sealed:
        return Sealed(self.stats.copy(), dict(self.chunks), dict(self.keys))

    def fold(self, number: int, entry: ChunkStats) -> None:
        """Add one chunk's entry (it has no hours: all its operations are older)."""
        if entry.stamp is None or entry.first is None or entry.last is None or entry.hours:
            raise ValueError(f"{entry.file} cannot be folded")
        stats = self.stats
        stats.count += entry.count
        stats.cost += entry.cost
        stats.first = entry.first if stats.first is None else min(stats.first, entry.first)
        stats.last = entry.last if stats.last is None else max(stats.last, entry.last)
        for sid, session in entry.sessions.items():
            into = stats.sessions.setdefault(sid, SessionStats())
            for op, n in session.ops.items():
                into.ops[op] = into.ops.get(op, 0) + n
            for model, cost in session.models.items():
                into.models[model] = into.models.get(model, Decimal(0)) + cost
        for key in entry.keys:
            self.keys[key] = number
        self.chunks[number] = (
            entry.stamp,
            iso(entry.first),
            iso(entry.last),
            entry.count,
            str(entry.cost),
        )

    def span(self, number: int) -> tuple[datetime, datetime]:
        """A folded chunk's earliest and latest times (all time, if they cannot be read)."""
        row = self.chunks[number]
        try:
            return parse_time(row[1]), parse_time(row[2])
        except ValueError:  # a date like February 30th, written by hand: read the chunk
            return datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)

    def listed(self, number: int) -> ChunkStats:
        """What a folded chunk held, as an entry without a stamp (to name what was lost)."""
        row = self.chunks[number]
        first, last = self.span(number)
        return ChunkStats(chunk_name(number), row[3], Decimal(row[4]), first, last)

    def to_json(self) -> dict[str, Any]:
        plain = self.stats.to_json()
        del plain["file"], plain["stamp"]
        plain["keys"] = dict(self.keys)
        plain["chunks"] = {str(number): list(row) for number, row in sorted(self.chunks.items())}
        return plain

    @classmethod
    def from_json(cls, raw: Any) -> Sealed:
        """Read the folded entry; raises ``ValueError`` for anything not exactly one."""
        if not isinstance(raw, dict):
            raise ValueError("the sealed entry is not an object")
        keys, rows = raw.get("keys", {}), raw.get("chunks")
        if not isinstance(keys, dict) or not isinstance(rows, dict) or not rows:
            raise ValueError("the sealed entry has no chunks")
        chunks: dict[int, Row] = {}
        counted = 0
        for name, row in rows.items():
            number = int(name) if name.isascii() and name.isdigit() and len(name) < 13 else 0
            if number < 1 or str(number) != name:
                raise ValueError(f"not a chunk number: {name!r:.20}")
            if not (isinstance(row, list) and len(row) == 5):
                raise ValueError("a sealed chunk is not [stamp, first, last, count, cost]")
            stamp, first, last, count, cost = row
            if not (
                isinstance(stamp, str)
                and isinstance(first, str)
                and _TIME.fullmatch(first)
                and isinstance(last, str)
                and _TIME.fullmatch(last)
                and isinstance(cost, str)
                and _AMOUNT.fullmatch(cost)
            ):
                raise ValueError("a sealed chunk's stamp, times or cost are not as written")
            counted += parse_count(count)
            chunks[number] = (stamp, first, last, count, cost)
        for number in keys.values():
            if number not in chunks:
                raise ValueError("a key in no sealed chunk")
        entry = {k: v for k, v in raw.items() if k not in ("keys", "chunks")}
        stats = ChunkStats.from_json(
            {**entry, "file": SEALED_FILE, "stamp": "sealed", "keys": list(keys)}
        )
        if stats.hours or stats.count != counted:
            raise ValueError("the sealed entry's figures do not add up")
        stats.keys = []
        stats.stamp = None
        return cls(stats, chunks, dict(keys))

    @classmethod
    def read(cls, raw: Any) -> Sealed | None:
        try:
            return cls.from_json(raw)
        except ValueError:
            return None
