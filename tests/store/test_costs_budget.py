"""Budget wording: "approaching" only below a limit; at or over it, the amount and the excess;
never a share like "(27000%)"; and budget periods are [start, end) windows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from writers_factory.core.budget import exceeded_message, period_windows, warning_message


@dataclass
class Budget:
    daily: Decimal | None = Decimal("5.00")
    weekly: Decimal | None = None
    monthly: Decimal | None = None
    warn_at: float = 0.8
    hard_stop: bool = False
    warnings_enabled: bool = True
    extra_limits: dict[str, Decimal] = field(default_factory=dict)

    def limits(self) -> dict[str, Decimal]:
        pairs = (("daily", self.daily), ("weekly", self.weekly), ("monthly", self.monthly))
        return {name: value for name, value in pairs if value is not None}


def totals(daily: str, weekly: str = "0", monthly: str = "0") -> dict[str, Decimal]:
    return {"daily": Decimal(daily), "weekly": Decimal(weekly), "monthly": Decimal(monthly)}


def test_below_the_warning_share_says_nothing() -> None:
    assert warning_message(totals("3.95"), Budget()) is None  # 79%


def test_at_80_percent_it_is_approaching() -> None:
    message = warning_message(totals("4.00"), Budget())
    assert message == "Approaching your spending limit: Daily budget: $4.00 of $5.00 (80%)."


def test_at_99_9_percent_it_is_still_approaching_and_never_reads_as_reached() -> None:
    message = warning_message(totals("4.995"), Budget())
    assert message == "Approaching your spending limit: Daily budget: $4.99 of $5.00 (99%)."
    assert "100%" not in message and "$5.00 of $5.00" not in message


def test_at_100_percent_it_says_the_limit_is_reached_with_the_amount() -> None:
    message = warning_message(totals("5.00"), Budget())
    assert (
        message
        == "Spending limit reached. Daily budget: you have spent $5.00 of your $5.00 daily limit."
    )
    assert "Approaching" not in message


def test_over_the_limit_it_says_by_how_much() -> None:
    message = warning_message(totals("5.40"), Budget())
    assert message == (
        "Spending limit reached. Daily budget: you have spent $5.40 of your $5.00 daily limit, "
        "$0.40 over."
    )


def test_270_times_the_limit_has_no_absurd_share() -> None:
    message = warning_message(totals("1350"), Budget())
    assert message == (
        "Spending limit reached. Daily budget: you have spent $1,350.00 of your $5.00 daily "
        "limit, $1,345.00 over."
    )
    assert "%" not in message and "Approaching" not in message


def test_reached_and_approaching_limits_are_told_apart() -> None:
    budget = Budget(daily=Decimal(5), weekly=Decimal(20))
    message = warning_message(totals("5.40", weekly="16"), budget)
    assert message == (
        "Spending limit reached. Daily budget: you have spent $5.40 of your $5.00 daily limit, "
        "$0.40 over. "
        "Approaching your spending limit: Weekly budget: $16.00 of $20.00 (80%)."
    )


def test_the_coming_operation_is_named() -> None:
    near = warning_message(totals("3.90"), Budget(), extra=Decimal("0.10"))
    assert near == (
        "Approaching your spending limit: Daily budget: $4.00 of $5.00 (80%), "
        "including $0.10 for this operation."
    )
    over = warning_message(totals("4.90"), Budget(), extra=Decimal("0.50"))
    assert over == (
        "Spending limit reached. Daily budget: with this operation ($0.50) you would have "
        "spent $5.40 of your $5.00 daily limit, $0.40 over."
    )


@pytest.mark.parametrize(
    ("spent", "expected"),
    [
        ("4.99", None),
        ("5.00", "Daily budget: you have spent $5.00 of your $5.00 daily limit."),
        (
            "1350",
            "Daily budget: you have spent $1,350.00 of your $5.00 daily limit, $1,345.00 over.",
        ),
    ],
)
def test_hard_stop_wording(spent: str, expected: str | None) -> None:
    message = exceeded_message(totals(spent), Budget(hard_stop=True))
    if expected is None:
        assert message is None
    else:
        assert message == f"Spending limit reached (hard stop is on in preferences). {expected}"
        assert "%" not in message


def test_periods_are_windows_with_an_end() -> None:
    paris = ZoneInfo("Europe/Paris")
    now = datetime(2026, 11, 18, 12, tzinfo=UTC)  # a Wednesday
    windows = period_windows(now, paris)
    day, week, month = windows["daily"], windows["weekly"], windows["monthly"]
    assert day == (datetime(2026, 11, 18, tzinfo=paris), datetime(2026, 11, 19, tzinfo=paris))
    assert week == (datetime(2026, 11, 16, tzinfo=paris), datetime(2026, 11, 23, tzinfo=paris))
    assert month == (datetime(2026, 11, 1, tzinfo=paris), datetime(2026, 12, 1, tzinfo=paris))
    december = period_windows(datetime(2026, 12, 31, 12, tzinfo=UTC), paris)["monthly"]
    assert december[1] == datetime(2027, 1, 1, tzinfo=paris)
