"""Statistics against numbers computed by hand from a small fixture history.

Fixture (UTC-5, the writer's local zone; daily target 1,000 words):

| session | UTC hours with words                   | local day(s)             | active | cost |
| A       | 03-06 14h: 600, 15h: 500               | Mar 6: 1,100             | 60 min | 0.30 |
| B       | 03-07 23h: 400, 03-08 04h: 700         | Mar 7: 1,100 (both)      | 90 min | 0.00 |
| C       | 03-08 05h: 1,000                       | Mar 8: 1,000             | 60 min | 0.15 |
| D (open)| 03-10 13h: 640                         | Mar 10: 640              | 40 min | 0.20 |
| 2025 summary (3 sessions): 12-30 15h: 1,200; 12-31 15h: 1,300; 2026-01-01 03h: 200
|                            local Dec 30: 1,200, Dec 31: 1,500           | 180 min | 0.50 |

Nothing on Mar 9 (the gap). In UTC instead, Mar 7 has only 400 and Mar 8 has 1,700.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from writers_factory.core.statistics import (
    compute_statistics,
    cost_per_1000_words,
    progress_text,
    streaks,
    words_on_day,
    words_per_day,
    words_per_hour,
)
from writers_factory.store.history.models import HistoryEntry, YearSummary

LOCAL = timezone(timedelta(hours=-5))
TARGET = 1000


def entry(
    sid: str, start: str, hours: dict[str, int], active: float, cost: str, *, ended: bool = True
) -> HistoryEntry:
    begin = datetime.fromisoformat(start)
    return HistoryEntry(
        session_id=sid,
        start_time=begin,
        end_time=begin + timedelta(minutes=active + 10) if ended else None,
        last_activity=begin + timedelta(minutes=active + 10),
        duration_minutes=active + 10,
        idle_minutes=10,
        active_minutes=active,
        total_cost=Decimal(cost),
        words_added=sum(hours.values()),
        words_removed=5,
        words_by_hour=hours,
    )


SESSIONS = [
    entry(
        "A", "2026-03-06T14:00:00+00:00", {"2026-03-06T14": 600, "2026-03-06T15": 500}, 60, "0.30"
    ),
    entry("B", "2026-03-07T23:30:00+00:00", {"2026-03-07T23": 400, "2026-03-08T04": 700}, 90, "0"),
    entry("C", "2026-03-08T05:00:00+00:00", {"2026-03-08T05": 1000}, 60, "0.15"),
    entry("D", "2026-03-10T13:00:00+00:00", {"2026-03-10T13": 640}, 40, "0.20", ended=False),
]
YEARLY = {
    2025: YearSummary(
        sessions=3,
        total_minutes=200,
        active_minutes=180,
        idle_minutes=20,
        words_added=2700,
        words_removed=30,
        total_cost=Decimal("0.50"),
        words_by_hour={"2025-12-30T15": 1200, "2025-12-31T15": 1300, "2026-01-01T03": 200},
    )
}


def test_words_per_local_day() -> None:
    assert words_per_day(SESSIONS, YEARLY, LOCAL) == {
        date(2025, 12, 30): 1200,
        date(2025, 12, 31): 1500,
        date(2026, 3, 6): 1100,
        date(2026, 3, 7): 1100,
        date(2026, 3, 8): 1000,
        date(2026, 3, 10): 640,
    }


def test_timezone_moves_words_across_the_day_boundary() -> None:
    in_utc = words_per_day(SESSIONS, YEARLY, UTC)
    assert in_utc[date(2026, 3, 7)] == 400 and in_utc[date(2026, 3, 8)] == 1700
    assert in_utc[date(2026, 1, 1)] == 200
    assert words_on_day(SESSIONS, YEARLY, date(2026, 3, 7), LOCAL) == 1100
    assert words_on_day(SESSIONS, YEARLY, date(2026, 3, 8), UTC) == 1700
    assert words_on_day(SESSIONS, YEARLY, date(2025, 12, 31), LOCAL) == 1500
    assert words_on_day(SESSIONS, YEARLY, date(2026, 3, 9), LOCAL) == 0
    # the UTC calendar breaks the Mar 6-8 run (Mar 7 has only 400 words there)
    assert streaks(in_utc, date(2026, 3, 8), TARGET) == (1, 2)


def test_streaks_across_a_gap() -> None:
    per_day = words_per_day(SESSIONS, YEARLY, LOCAL)
    # Mar 6, 7, 8 meet 1,000; Mar 9 is empty; Mar 10 has 640 so far
    assert streaks(per_day, date(2026, 3, 8), TARGET) == (3, 3)
    assert streaks(per_day, date(2026, 3, 9), TARGET) == (3, 3)  # today not over yet
    assert streaks(per_day, date(2026, 3, 10), TARGET) == (0, 3)  # the gap broke it
    assert streaks(per_day, date(2026, 3, 11), TARGET) == (0, 3)
    # without a target any words count: Mar 10 alone, the run before it was 3 days
    assert streaks(per_day, date(2026, 3, 10), None) == (1, 3)
    assert streaks(per_day, date(2026, 3, 11), None) == (1, 3)
    assert streaks(per_day, date(2025, 12, 31), TARGET) == (2, 3)
    assert streaks({}, date(2026, 3, 10), TARGET) == (0, 0)


def test_rates() -> None:
    assert words_per_hour(1100, 60) == 1100.0
    assert words_per_hour(1100, 90) == 733.3
    assert words_per_hour(10, 0) is None
    assert cost_per_1000_words(Decimal("0.30"), 1100) == Decimal("0.2727")
    assert cost_per_1000_words(Decimal("1"), 0) is None
    assert progress_text(640, 1000) == "Today 640/1,000 words · 64%"
    assert progress_text(1250, 1000) == "Today 1,250/1,000 words · 125% ✓"
    assert progress_text(-40, 1000) == "Today -40/1,000 words · 0%"
    assert progress_text(640, None) == "Today 640 words"


def test_full_statistics_by_hand() -> None:
    stats = compute_statistics(
        SESSIONS, YEARLY, today=date(2026, 3, 10), tz=LOCAL, daily_target=TARGET
    )
    assert stats.words_today == 640
    assert stats.target_percent == 64.0
    assert (stats.current_streak, stats.longest_streak) == (0, 3)
    assert stats.sessions_count == 4 + 3
    assert stats.words_added == 1100 + 1100 + 1000 + 640 + 2700 == 6540
    assert stats.words_removed == 4 * 5 + 30
    assert stats.active_minutes == 60 + 90 + 60 + 40 + 180 == 430
    assert stats.total_minutes == 70 + 100 + 70 + 50 + 200
    assert stats.words_per_hour == 912.6  # 6540 words / (430 / 60) hours = 912.56
    assert stats.total_cost == Decimal("1.15")
    assert stats.cost_per_1000_words == Decimal("0.1758")  # 1.15 * 1000 / 6540 = 0.17584
    assert [(s.session_id, s.words_per_hour, s.status) for s in stats.sessions] == [
        ("A", 1100.0, "ended"),
        ("B", 733.3, "ended"),
        ("C", 1000.0, "ended"),
        ("D", 960.0, "open"),
    ]
    assert stats.sessions[1].start == datetime(2026, 3, 7, 18, 30, tzinfo=LOCAL)
    assert [(d.day.isoformat(), d.words, d.met_target) for d in stats.days] == [
        ("2025-12-30", 1200, True),
        ("2025-12-31", 1500, True),
        ("2026-03-06", 1100, True),
        ("2026-03-07", 1100, True),
        ("2026-03-08", 1000, True),
        ("2026-03-10", 640, False),
    ]
    assert stats.series(5) == [
        (date(2026, 3, 6), 1100),
        (date(2026, 3, 7), 1100),
        (date(2026, 3, 8), 1000),
        (date(2026, 3, 9), 0),
        (date(2026, 3, 10), 640),
    ]


def test_no_target_and_empty_history() -> None:
    stats = compute_statistics(SESSIONS, YEARLY, today=date(2026, 3, 10), tz=LOCAL, daily_target=0)
    assert stats.daily_target is None and stats.target_percent is None
    assert (stats.current_streak, stats.longest_streak) == (1, 3)
    # no target: nothing is "met" (a ✓ showed for every day with words)
    assert all(d.met_target is None for d in stats.days)
    empty = compute_statistics([], {}, today=date(2026, 3, 10), tz=LOCAL, daily_target=500)
    assert empty.words_today == 0 and empty.target_percent == 0.0
    assert empty.words_per_hour is None and empty.cost_per_1000_words is None
    assert empty.series(3) == [(date(2026, 3, 8), 0), (date(2026, 3, 9), 0), (date(2026, 3, 10), 0)]


def test_words_without_hour_buckets_count_on_the_start_day() -> None:
    migrated = HistoryEntry(
        session_id="old",
        start_time=datetime(2026, 3, 9, 2, tzinfo=UTC),
        words_added=300,
        words_by_hour={"2026-03-09T02": 100},
    )
    # 02:00 UTC is 21:00 on Mar 8 in UTC-5; 200 words have no bucket and go to the start day
    assert words_per_day([migrated], {}, LOCAL) == {date(2026, 3, 8): 300}
    assert words_on_day([migrated], {}, date(2026, 3, 8), LOCAL) == 300


def test_statistics_are_json_ready() -> None:
    stats = compute_statistics(
        SESSIONS, YEARLY, today=date(2026, 3, 10), tz=LOCAL, daily_target=TARGET
    )
    doc = stats.model_dump(mode="json")
    assert doc["total_cost"] == "1.15" and doc["cost_per_1000_words"] == "0.1758"
    assert doc["days"][0] == {
        "day": "2025-12-30",
        "words": 1200,
        "pasted": 0,
        "met_target": True,
    }
