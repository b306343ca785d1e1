"""UTC hour keys: what ``hour_key`` writes, ``parse_hour_key`` reads back, and nothing else."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from writers_factory.core.hours import hour_key, parse_hour_key


@given(
    st.datetimes(
        min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30)
    ),  # four-digit years
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_a_key_reads_back_as_its_hour(moment: datetime, offset: int) -> None:
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    hour = parse_hour_key(hour_key(aware))
    assert hour.tzinfo is UTC
    assert hour == aware.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@pytest.mark.parametrize(
    "key",
    [
        "2026-12-1T05",  # one-digit fields were taken (never written)
        "2026-12-01T5",
        "2026-W48-2T05",
        "2026-12-01 05",
        "２０２６-12-01T05",
        "2026-12-01T24",
        "2026-13-01T05",
        "2026-02-30T05",
        "",
    ],
)
def test_anything_else_is_refused(key: str) -> None:
    with pytest.raises(ValueError):
        parse_hour_key(key)


def test_reading_a_key_sets_up_no_calendar() -> None:
    """``strptime``'s first call imports its module and sets up the locale's calendar."""
    probe = (
        "import sys\n"
        "from writers_factory.core.hours import parse_hour_key\n"
        "print(parse_hour_key('2026-12-01T05').hour, '_strptime' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()
    assert out == "5 False"
