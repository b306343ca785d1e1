"""Writing statistics: pure functions over the history, in the writer's local calendar.

Nothing here reads a clock or a file: "today" and the time zone are parameters, so the
numbers are reproducible in tests and the same code serves the CLI, the statistics screen
and the status bar. A day's words are the *net change of typed words*: words added less
words removed less words that arrived by pasting (counted apart, as ``pasted``), so typing
46 words and undoing them leaves 0 and pasting a chapter meets no target. A day spent
cutting may be negative. History written before removals and pastes were kept per hour
counts its added words only, as it did then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

from writers_factory.core.hours import hour_key, parse_hour_key

SessionStatus = Literal["ended", "interrupted", "open"]


class HistoryEntry(Protocol):
    """What statistics read of one session (``store.history.models.HistoryEntry`` is one)."""

    @property
    def session_id(self) -> str: ...
    @property
    def start_time(self) -> datetime: ...
    @property
    def end_time(self) -> datetime | None: ...
    @property
    def interrupted(self) -> bool: ...
    @property
    def duration_minutes(self) -> float: ...
    @property
    def active_minutes(self) -> float: ...
    @property
    def idle_minutes(self) -> float: ...
    @property
    def words_added(self) -> int: ...
    @property
    def words_removed(self) -> int: ...
    @property
    def total_cost(self) -> Decimal: ...
    @property
    def words_by_hour(self) -> dict[str, int]: ...
    @property
    def removed_by_hour(self) -> dict[str, int]: ...
    @property
    def pasted_by_hour(self) -> dict[str, int]: ...
    @property
    def words_pasted(self) -> int: ...


class YearSummary(Protocol):
    """What statistics read of a year folded into a summary."""

    @property
    def sessions(self) -> int: ...
    @property
    def total_minutes(self) -> float: ...
    @property
    def active_minutes(self) -> float: ...
    @property
    def words_added(self) -> int: ...
    @property
    def words_removed(self) -> int: ...
    @property
    def total_cost(self) -> Decimal: ...
    @property
    def words_by_hour(self) -> dict[str, int]: ...
    @property
    def removed_by_hour(self) -> dict[str, int]: ...
    @property
    def pasted_by_hour(self) -> dict[str, int]: ...
    @property
    def words_pasted(self) -> int: ...


class DayWords(BaseModel):
    # validators built when first used: these models are imported with the app, shown
    # after start-up
    model_config = ConfigDict(defer_build=True)

    day: date
    words: int
    """Net typed words (may be negative on a day of cutting)."""
    pasted: int = 0
    """Net words pasted or imported that day, apart from ``words``."""
    met_target: bool | None
    """None when there is no daily target: nothing to meet."""


class SessionStats(BaseModel):
    model_config = ConfigDict(defer_build=True)

    session_id: str
    start: datetime  # local time
    end: datetime | None  # local time; None while open
    status: SessionStatus
    duration_minutes: float
    active_minutes: float
    idle_minutes: float
    words_added: int
    words_removed: int
    words_pasted: int = 0
    words_per_hour: float | None
    cost: Decimal

    @property
    def words_net(self) -> int:
        """Typed words this session: added less removed less pasted."""
        return self.words_added - self.words_removed - self.words_pasted


class Statistics(BaseModel):
    """Everything the CLI and the statistics screen show, ready to render."""

    model_config = ConfigDict(defer_build=True)

    today: date
    daily_target: int | None
    words_today: int
    pasted_today: int = 0
    target_percent: float | None
    current_streak: int
    longest_streak: int
    sessions_count: int  # every session ever, including those in yearly summaries
    words_added: int
    words_removed: int
    total_minutes: float
    active_minutes: float
    words_per_hour: float | None
    total_cost: Decimal
    cost_per_1000_words: Decimal | None
    sessions: list[SessionStats]  # the last sessions, oldest first
    days: list[DayWords]  # every day with words, oldest first

    def series(self, days: int = 30) -> list[tuple[date, int]]:
        """Words per day for the ``days`` days ending today, zero days included (a chart)."""
        per_day = {d.day: d.words for d in self.days}
        first = self.today - timedelta(days=days - 1)
        return [
            (first + timedelta(days=i), per_day.get(first + timedelta(days=i), 0))
            for i in range(days)
        ]


# --------------------------------------------------------------------------- pieces
def local_zone(tz: tzinfo | None = None) -> tzinfo:
    """``tz`` or the machine's local time zone."""
    if tz is not None:
        return tz
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def _hour_totals(source: HistoryEntry | YearSummary) -> dict[str, tuple[int, int]]:
    """Per UTC hour: (net typed words, net pasted words)."""
    out: dict[str, tuple[int, int]] = {}
    for key, words in source.words_by_hour.items():
        out[key] = (words, 0)
    for key, words in source.removed_by_hour.items():
        typed, pasted = out.get(key, (0, 0))
        out[key] = (typed - words, pasted)
    for key, words in source.pasted_by_hour.items():
        typed, pasted = out.get(key, (0, 0))
        out[key] = (typed - words, pasted + words)
    return out


def _unbucketed(entry: HistoryEntry) -> int:
    """Added words with no hour (hand-edited or migrated files): the start day's."""
    return max(0, entry.words_added - sum(entry.words_by_hour.values()))


def days_of(
    sessions: Iterable[HistoryEntry], yearly: Mapping[int, YearSummary], tz: tzinfo
) -> dict[date, tuple[int, int]]:
    """(net typed words, net pasted words) per local calendar day, from hourly buckets."""
    totals: dict[date, tuple[int, int]] = {}

    def add(day: date, typed: int, pasted: int) -> None:
        if typed or pasted:
            old_typed, old_pasted = totals.get(day, (0, 0))
            totals[day] = (old_typed + typed, old_pasted + pasted)

    sources: list[HistoryEntry | YearSummary] = [*sessions, *yearly.values()]
    for source in sources:
        for key, (typed, pasted) in _hour_totals(source).items():
            add(parse_hour_key(key).astimezone(tz).date(), typed, pasted)
    for entry in sessions:
        add(entry.start_time.astimezone(tz).date(), _unbucketed(entry), 0)
    return totals


def words_per_day(
    sessions: Iterable[HistoryEntry], yearly: Mapping[int, YearSummary], tz: tzinfo
) -> dict[date, int]:
    """Net typed words per local calendar day (see the module notes); days of none left out."""
    return {day: typed for day, (typed, _) in days_of(sessions, yearly, tz).items() if typed}


def day_totals(
    sessions: Iterable[HistoryEntry],
    yearly: Mapping[int, YearSummary],
    day: date,
    tz: tzinfo,
) -> tuple[int, int]:
    """(net typed, net pasted) words of one local day, looking up only that day's hours
    (cheap enough for every status-bar refresh)."""
    # the same rule as days_of: a bucket belongs to the local day its hour starts in
    midnight = datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
    candidates = (midnight + timedelta(hours=h) for h in range(-2, 27))
    keys = {hour_key(m) for m in candidates if m.replace(minute=0).astimezone(tz).date() == day}
    typed = pasted = 0
    sources: list[HistoryEntry | YearSummary] = []
    for entry in sessions:
        sources.append(entry)
        if entry.start_time.astimezone(tz).date() == day:
            typed += _unbucketed(entry)
    sources.extend(yearly.values())
    for source in sources:
        for key in keys:
            added = source.words_by_hour.get(key, 0)
            put = source.pasted_by_hour.get(key, 0)
            typed += added - source.removed_by_hour.get(key, 0) - put
            pasted += put
    return typed, pasted


def words_on_day(
    sessions: Iterable[HistoryEntry],
    yearly: Mapping[int, YearSummary],
    day: date,
    tz: tzinfo,
) -> int:
    """Net typed words of one local day (for the status bar)."""
    return day_totals(sessions, yearly, day, tz)[0]


def meets(words: int, target: int | None) -> bool:
    """A day counts towards a streak when it meets the target (any words, without one)."""
    return words >= target if target else words > 0


def streaks(per_day: Mapping[date, int], today: date, target: int | None) -> tuple[int, int]:
    """(current, longest) runs of consecutive days meeting the target.

    Today not (yet) meeting the target does not break the current streak: it is still
    running from yesterday until today is over.
    """
    good = {day for day, words in per_day.items() if meets(words, target)}
    current = 0
    day = today if today in good else today - timedelta(days=1)
    while day in good:
        current += 1
        day -= timedelta(days=1)
    longest = run = 0
    previous: date | None = None
    for day in sorted(good):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    return current, longest


def words_per_hour(words: int, active_minutes: float) -> float | None:
    """Words per hour of *active* time; None when there was no active time."""
    if active_minutes <= 0:
        return None
    return round(words * 60.0 / active_minutes, 1)


def cost_per_1000_words(cost: Decimal, words: int) -> Decimal | None:
    if words <= 0:
        return None
    return (cost * 1000 / words).quantize(Decimal("0.0001"))


def target_percent(words_today: int, target: int | None) -> float | None:
    if not target:
        return None
    return round(max(0, words_today) * 100.0 / target, 1)


def met(words: int, target: int | None) -> bool | None:
    """Whether ``words`` meet ``target``; None when there is no target to meet."""
    return words >= target if target else None


def progress_text(words_today: int, target: int | None) -> str:
    """One line for the status bar: ``Today 640/1,000 words · 64%`` (``✓`` once met)."""
    if not target:
        return f"Today {words_today:,} words"
    percent = int(max(0, words_today) * 100 // target)
    mark = " ✓" if words_today >= target else ""
    return f"Today {words_today:,}/{target:,} words · {percent}%{mark}"


def session_status(entry: HistoryEntry) -> SessionStatus:
    if entry.end_time is not None:
        return "ended"
    return "interrupted" if entry.interrupted else "open"


def session_stats(entry: HistoryEntry, tz: tzinfo) -> SessionStats:
    return SessionStats(
        session_id=entry.session_id,
        start=entry.start_time.astimezone(tz),
        end=None if entry.end_time is None else entry.end_time.astimezone(tz),
        status=session_status(entry),
        duration_minutes=entry.duration_minutes,
        active_minutes=entry.active_minutes,
        idle_minutes=entry.idle_minutes,
        words_added=entry.words_added,
        words_removed=entry.words_removed,
        words_pasted=entry.words_pasted,
        words_per_hour=words_per_hour(entry.words_added, entry.active_minutes),
        cost=entry.total_cost,
    )


# --------------------------------------------------------------------------- all together
def compute_statistics(
    sessions: Sequence[HistoryEntry],
    yearly: Mapping[int, YearSummary],
    *,
    today: date | None = None,
    tz: tzinfo | None = None,
    daily_target: int | None = None,
) -> Statistics:
    """The full statistics; ``today`` defaults to the current date in ``tz`` (local)."""
    zone = local_zone(tz)
    day = today or datetime.now(zone).date()
    target = daily_target if daily_target and daily_target > 0 else None
    both = days_of(sessions, yearly, zone)
    per_day = {d: typed for d, (typed, _) in both.items() if typed}
    current, longest = streaks(per_day, day, target)
    added = sum(e.words_added for e in sessions) + sum(s.words_added for s in yearly.values())
    removed = sum(e.words_removed for e in sessions)
    removed += sum(s.words_removed for s in yearly.values())
    active = sum(e.active_minutes for e in sessions)
    active += sum(s.active_minutes for s in yearly.values())
    total = sum(e.duration_minutes for e in sessions)
    total += sum(s.total_minutes for s in yearly.values())
    cost = sum((e.total_cost for e in sessions), Decimal("0"))
    cost += sum((s.total_cost for s in yearly.values()), Decimal("0"))
    today_words, today_pasted = both.get(day, (0, 0))
    return Statistics(
        today=day,
        daily_target=target,
        words_today=today_words,
        pasted_today=today_pasted,
        target_percent=target_percent(today_words, target),
        current_streak=current,
        longest_streak=longest,
        sessions_count=len(sessions) + sum(s.sessions for s in yearly.values()),
        words_added=added,
        words_removed=removed,
        total_minutes=round(total, 2),
        active_minutes=round(active, 2),
        words_per_hour=words_per_hour(added, active),
        total_cost=cost,
        cost_per_1000_words=cost_per_1000_words(cost, added),
        sessions=[session_stats(e, zone) for e in sessions],
        days=[
            DayWords(day=d, words=typed, pasted=pasted, met_target=met(typed, target))
            for d, (typed, pasted) in sorted(both.items())
        ],
    )
