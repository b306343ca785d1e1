"""Budget periods in the writer's local calendar, and the words that warn about them.

A writer thinks "today" starts at their midnight, not at UTC midnight, so periods are cut in
local time: the day at local midnight, the week on Monday, the month on the 1st. The start of
each period is computed with that date's own UTC offset, so a daylight-saving change inside a
month does not shift the month by an hour.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_FLOOR, Decimal
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
    return {period: start for period, (start, _end) in period_windows(now, tz).items()}


def period_windows(now: datetime, tz: tzinfo | None = None) -> dict[str, tuple[datetime, datetime]]:
    """The current day, week (Monday) and month (1st) as ``[start, end)`` windows.

    A window has an end as well as a start: an operation stamped in the future (logged while
    the clock was wrong) belongs to its own day, not to "today" and every day after it.
    """
    local = now.astimezone(tz) if tz is not None else now.astimezone()
    today = local.date()
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return {
        "daily": (local_midnight(today, tz), local_midnight(today + timedelta(days=1), tz)),
        "weekly": (local_midnight(monday, tz), local_midnight(monday + timedelta(days=7), tz)),
        "monthly": (local_midnight(first, tz), local_midnight(next_month, tz)),
    }


def dollars(amount: Decimal) -> str:
    """Cents for people; tiny non-zero amounts keep enough digits not to read as $0.00."""
    if amount != 0 and abs(amount) < Decimal("0.01"):
        return f"${amount:.4f}"
    return f"${amount:,.2f}"


def dollars_down(amount: Decimal) -> str:
    """Like :func:`dollars`, but rounded down: $4.995 of a $5.00 limit must not read $5.00."""
    if amount != 0 and abs(amount) < Decimal("0.01"):
        return dollars(amount)
    return dollars(amount.quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


def _approaching(period: str, spend: Decimal, limit: Decimal, extra: Decimal) -> str:
    """Below the limit: the spend and its share, both rounded down (99.9% reads 99%)."""
    share = "" if limit == 0 else f" ({int(spend * 100 / limit)}%)"
    tail = f", including {dollars(extra)} for this operation" if extra else ""
    return f"{period.capitalize()} budget: {dollars_down(spend)} of {dollars(limit)}{share}{tail}"


def _reached(period: str, spend: Decimal, limit: Decimal, extra: Decimal) -> str:
    """At or over the limit: what was spent, against the limit, and by how much it is over."""
    lead = (
        f"with this operation ({dollars(extra)}) you would have spent"
        if extra
        else "you have spent"
    )
    over = f", {dollars(spend - limit)} over" if spend > limit else ""
    return (
        f"{period.capitalize()} budget: {lead} {dollars(spend)} of your {dollars(limit)} "
        f"{period} limit{over}"
    )


def _limits(
    totals: dict[str, Decimal], budget: BudgetPrefs, extra: Decimal
) -> list[tuple[str, Decimal, Decimal]]:
    return [(period, totals[period] + extra, limit) for period, limit in budget.limits().items()]


def warning_message(
    totals: dict[str, Decimal], budget: BudgetPrefs, extra: Decimal = Decimal(0)
) -> str | None:
    """Name every limit at or above the warning share (default 80%), or ``None``.

    Below a limit the message says it is approaching, with the share; at or over a limit it
    says so, with the amount spent and how far over it is (never "approaching" at 270%).
    """
    if not budget.warnings_enabled:
        return None
    share = Decimal(str(budget.warn_at))
    reached: list[str] = []
    approaching: list[str] = []
    for period, spend, limit in _limits(totals, budget, extra):
        if spend >= limit:
            reached.append(_reached(period, spend, limit, extra))
        elif spend >= share * limit:
            approaching.append(_approaching(period, spend, limit, extra))
    parts = []
    if reached:
        parts.append("Spending limit reached. " + "; ".join(reached) + ".")
    if approaching:
        parts.append("Approaching your spending limit: " + "; ".join(approaching) + ".")
    return " ".join(parts) or None


def exceeded_message(
    totals: dict[str, Decimal], budget: BudgetPrefs, extra: Decimal = Decimal(0)
) -> str | None:
    """With a hard stop on, name every limit the spend would reach; else ``None``."""
    if not budget.hard_stop:
        return None
    reached = [
        _reached(period, spend, limit, extra)
        for period, spend, limit in _limits(totals, budget, extra)
        if spend >= limit
    ]
    if not reached:
        return None
    return "Spending limit reached (hard stop is on in preferences). " + "; ".join(reached) + "."
