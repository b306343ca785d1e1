"""Budget periods in the writer's local calendar, and the words that warn about them.

A writer thinks "today" starts at their midnight, not at UTC midnight, so periods are cut in
local time: the day at local midnight, the week on Monday, the month on the 1st. The start of
each period is computed with that date's own UTC offset, so a daylight-saving change inside a
month does not shift the month by an hour.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Protocol


class BudgetPrefs(Protocol):
    """The budget settings these rules read (``store.preferences.models.BudgetPrefs``)."""

    @property
    def warn_at(self) -> float: ...
    @property
    def hard_stop(self) -> bool: ...
    @property
    def warnings_enabled(self) -> bool: ...
    def limits(self) -> dict[str, Decimal]: ...


PERIODS = ("daily", "weekly", "monthly")


def local_midnight(day: date, tz: tzinfo | None) -> datetime:
    """Midnight starting ``day`` in ``tz`` (``None``: the system's local zone), as aware time."""
    naive = datetime.combine(day, time())
    if tz is None:
        return naive.astimezone()  # a naive time is read as local time, with that day's offset
    return naive.replace(tzinfo=tz)


def period_starts(now: datetime, tz: tzinfo | None = None) -> dict[str, datetime]:
    """When the current day, week (Monday) and month (1st) began, in local time."""
    local = now.astimezone(tz) if tz is not None else now.astimezone()
    today = local.date()
    return {
        "daily": local_midnight(today, tz),
        "weekly": local_midnight(today - timedelta(days=today.weekday()), tz),
        "monthly": local_midnight(today.replace(day=1), tz),
    }


def dollars(amount: Decimal) -> str:
    """Cents for people; tiny non-zero amounts keep enough digits not to read as $0.00."""
    if amount != 0 and abs(amount) < Decimal("0.01"):
        return f"${amount:.4f}"
    return f"${amount:,.2f}"


def _describe(period: str, spend: Decimal, limit: Decimal, extra: Decimal) -> str:
    share = "" if limit == 0 else f" ({spend / limit:.0%})"
    tail = f", including {dollars(extra)} for this operation" if extra else ""
    return f"{period} budget: {dollars(spend)} of {dollars(limit)}{share}{tail}"


def warning_message(
    totals: dict[str, Decimal], budget: BudgetPrefs, extra: Decimal = Decimal(0)
) -> str | None:
    """Name every limit at or above the warning share (default 80%), or ``None``."""
    if not budget.warnings_enabled:
        return None
    share = Decimal(str(budget.warn_at))
    reached = [
        _describe(period, totals[period] + extra, limit, extra)
        for period, limit in budget.limits().items()
        if totals[period] + extra >= share * limit
    ]
    if not reached:
        return None
    return "Approaching your spending limit: " + "; ".join(_capital(r) for r in reached) + "."


def exceeded_message(
    totals: dict[str, Decimal], budget: BudgetPrefs, extra: Decimal = Decimal(0)
) -> str | None:
    """With a hard stop on, name every limit the spend would reach; else ``None``."""
    if not budget.hard_stop:
        return None
    reached = [
        _describe(period, totals[period] + extra, limit, extra)
        for period, limit in budget.limits().items()
        if totals[period] + extra >= limit
    ]
    if not reached:
        return None
    return (
        "Spending limit reached (hard stop is on in preferences): "
        + "; ".join(_capital(r) for r in reached)
        + "."
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
