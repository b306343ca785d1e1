"""Retention thinning: pure logic, checked on many made-up histories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from writers_factory.core.retention import RetentionPolicy, keep

NOW = datetime(2026, 6, 15, 18, 30, tzinfo=UTC)

moments = st.lists(
    st.integers(min_value=0, max_value=3 * 365 * 24 * 60).map(lambda m: NOW - timedelta(minutes=m)),
    max_size=200,
)
policies = st.builds(
    RetentionPolicy,
    daily_days=st.integers(0, 60),
    weekly_weeks=st.integers(0, 80),
    monthly_months=st.one_of(st.none(), st.integers(0, 40)),
)


@given(moments, policies)
@settings(max_examples=300)
def test_the_newest_and_everything_from_today_are_kept(
    times: list[datetime], policy: RetentionPolicy
) -> None:
    kept = keep(times, NOW, policy)
    if times:
        assert times.index(max(times)) in kept or max(times) in {times[i] for i in kept}
    for index, moment in enumerate(times):
        if moment.date() == NOW.date():
            assert index in kept


@given(moments, policies)
@settings(max_examples=300)
def test_thinning_twice_keeps_what_thinning_once_kept(
    times: list[datetime], policy: RetentionPolicy
) -> None:
    kept = sorted(keep(times, NOW, policy))
    survivors = [times[i] for i in kept]
    assert keep(survivors, NOW, policy) == set(range(len(survivors)))


@given(moments)
@settings(max_examples=300)
def test_default_policy_keeps_one_a_day_for_a_month_and_one_a_week_for_a_year(
    times: list[datetime],
) -> None:
    policy = RetentionPolicy()
    kept = {times[i] for i in keep(times, NOW, policy)}
    days = {t.date() for t in times if 1 <= (NOW.date() - t.date()).days <= 30}
    kept_days = [t.date() for t in kept if 1 <= (NOW.date() - t.date()).days <= 30]
    assert sorted(set(kept_days)) == sorted(days)  # every such day still has a backup...
    assert len(kept_days) == len(set(kept_days))  # ...and only one
    year = [t for t in kept if 30 < (NOW.date() - t.date()).days <= 30 + 52 * 7]
    weeks = [t.isocalendar()[:2] for t in year]
    assert len(weeks) == len(set(weeks))
    for moment in times:  # a kept one of each week that had any
        if 30 < (NOW.date() - moment.date()).days <= 30 + 52 * 7:
            assert moment.isocalendar()[:2] in weeks


def test_a_month_of_hourly_backups_thins_to_a_day_each() -> None:
    times = [NOW - timedelta(hours=h) for h in range(24 * 40)]
    kept = {times[i] for i in keep(times, NOW, RetentionPolicy())}
    today = [t for t in kept if t.date() == NOW.date()]
    assert len(today) == 19  # 00:30 … 18:30, all of today
    assert len(kept) == 19 + 30 + 2  # a day each for 30 days; the older ten fall into two weeks


def test_nothing_is_kept_of_nothing_and_the_last_copy_survives_any_policy() -> None:
    assert keep([], NOW, RetentionPolicy()) == set()
    ancient = [NOW - timedelta(days=4000)]
    assert keep(ancient, NOW, RetentionPolicy(0, 0, 0)) == {0}
