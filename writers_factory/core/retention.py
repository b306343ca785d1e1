"""Which backups to keep: everything from today, one a day for a month, one a week for a
year, then one a month.

Pure logic on moments, so the thinning can be tested on thousands of made-up histories
without a single file. The newest moment of each period is the one kept: it holds the most
work, and once a period is over its newest never changes, so thinning twice keeps exactly
what thinning once kept (the store relies on that: pruning after every backup is safe).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each granularity lasts; ``monthly_months=None`` keeps one a month forever."""

    daily_days: int = 30
    weekly_weeks: int = 52
    monthly_months: int | None = None

    def __post_init__(self) -> None:
        if self.daily_days < 0 or self.weekly_weeks < 0:
            raise ValueError("retention periods cannot be negative")
        if self.monthly_months is not None and self.monthly_months < 0:
            raise ValueError("retention periods cannot be negative")


def _bucket(
    index: int, moment: datetime, now: datetime, policy: RetentionPolicy
) -> Hashable | None:
    """The period ``moment`` stands for, or ``None`` when it is past every period."""
    day = moment.astimezone(now.tzinfo).date()
    today = now.date()
    age = (today - day).days
    if age <= 0:  # today (or a clock ahead of ours): every one is kept
        return ("now", index)
    if age <= policy.daily_days:
        return ("day", day)
    if age <= policy.daily_days + policy.weekly_weeks * 7:
        year, week, _ = day.isocalendar()
        return ("week", year, week)
    months = (today.year - day.year) * 12 + today.month - day.month
    if policy.monthly_months is None or months <= policy.monthly_months:
        return ("month", day.year, day.month)
    return None


def keep(moments: Sequence[datetime], now: datetime, policy: RetentionPolicy) -> set[int]:
    """The indexes of ``moments`` to keep (times must be aware; ``now`` in the writer's zone).

    The newest moment is always kept, whatever the policy says: never the last copy.
    """
    if not moments:
        return set()
    newest_of: dict[Hashable, int] = {}
    for index, moment in enumerate(moments):
        bucket = _bucket(index, moment, now, policy)
        if bucket is None:
            continue
        held = newest_of.get(bucket)
        if held is None or moments[held] < moment:
            newest_of[bucket] = index
    kept = set(newest_of.values())
    kept.add(max(range(len(moments)), key=lambda i: moments[i]))
    return kept
