"""Target progress (core.targets): words per day needed by a deadline, "met" only with a
target, and the parsing of what the writer types in the targets dialog."""

from __future__ import annotations

from datetime import date

import pytest

from writers_factory.core.targets import (
    TargetSettings,
    WordsSoFar,
    parse_deadline,
    parse_target,
    progress,
    target_progress,
)
from writers_factory.store import Preferences

TODAY = date(2026, 12, 2)


def test_no_target_no_progress() -> None:
    assert progress("daily", 500, None) is None
    assert progress("daily", 500, 0) is None
    assert target_progress(WordsSoFar(today=500, session=40), TargetSettings(), TODAY) == []


def test_words_per_day_needed_from_today_to_the_deadline() -> None:
    item = progress("manuscript", 40_000, 80_000, deadline=date(2026, 12, 11), today=TODAY)
    assert item is not None
    # 40,000 left over 10 days (today and the deadline included)
    assert (item.days_left, item.per_day_needed, item.percent, item.met) == (10, 4000, 50, False)
    assert item.text() == "Manuscript 40,000/80,000 words · 50% · 4,000 a day to 2026-12-11"
    tomorrow = progress("manuscript", 79_001, 80_000, deadline=date(2026, 12, 3), today=TODAY)
    assert tomorrow is not None and tomorrow.per_day_needed == 500  # 999 over 2 days, up
    late = progress("manuscript", 100, 80_000, deadline=date(2026, 12, 1), today=TODAY)
    assert late is not None and late.days_left == 0 and late.per_day_needed == 79_900
    assert late.text().endswith("deadline 2026-12-01 passed")
    done = progress("manuscript", 81_000, 80_000, deadline=date(2026, 12, 11), today=TODAY)
    assert done is not None and done.met and done.text().endswith("101% ✓")
    assert done.fraction == 1.0 and done.remaining == 0


def test_every_target_in_order_and_negative_days_are_empty() -> None:
    words = WordsSoFar(today=-30, session=120, chapter=2_500, manuscript=61_000)
    targets = TargetSettings(daily=500, session=100, chapter=3_000, manuscript=90_000)
    found = target_progress(words, targets, TODAY, chapter_label="chapter-07.md")
    assert [p.kind for p in found] == ["daily", "session", "chapter", "manuscript"]
    assert found[0].fraction == 0.0 and found[0].percent == 0 and not found[0].met
    assert found[1].met and found[1].text() == "Session 120/100 words · 120% ✓"
    assert found[2].text() == "chapter-07.md 2,500/3,000 words · 83%"
    # no chapter open: no chapter line even with a target
    assert len(target_progress(WordsSoFar(manuscript=0), targets, TODAY)) == 3


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("", None), ("  ", None), ("80000", 80_000), ("80,000", 80_000), (" 1 000 ", 1000)],
)
def test_parse_target(typed: str, expected: int | None) -> None:
    assert parse_target(typed, what="Words") == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "whole number"),
        ("-5", "whole number"),
        ("0", "at least 1 word"),
        ("2.5", "whole number"),
        ("99999999", "more than any book"),
    ],
)
def test_parse_target_says_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_target(typed, what="Words a day")


def test_parse_deadline() -> None:
    assert parse_deadline("", TODAY) is None
    assert parse_deadline("2027-03-01", TODAY) == date(2027, 3, 1)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_deadline("March", TODAY)
    with pytest.raises(ValueError, match="has passed"):
        parse_deadline("2026-12-01", TODAY)


def test_targets_in_preferences_round_trip_and_bad_values_are_named(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path)) / ".session"
    root.mkdir()
    prefs = Preferences(root)
    assert prefs.data.targets.manuscript_words is None and prefs.data.targets.chapters == {}
    prefs.set("targets.manuscript_words", 80_000)
    prefs.set("targets.deadline", date(2027, 3, 1))
    prefs.set("targets.chapters", {"manuscript/chapter-01.md": 3000})
    prefs.save_sync()
    again = Preferences(root).data.targets
    assert (again.manuscript_words, again.deadline) == (80_000, date(2027, 3, 1))
    assert again.chapters == {"manuscript/chapter-01.md": 3000}
    # a hand edit with a bad value: named, the default used for it alone, the rest kept
    text = (root / "preferences.json").read_text()
    (root / "preferences.json").write_text(text.replace("80000", '"lots"'))
    hand = Preferences(root)
    assert hand.data.targets.manuscript_words is None
    assert hand.data.targets.chapters == {"manuscript/chapter-01.md": 3000}
    assert any("manuscript_words" in p.describe() for p in hand.problems)
