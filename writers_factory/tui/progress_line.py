"""The status bar's "Today …" line: today's words against the daily target.

Apart from the statistics screen (``screens/statistics.py``), whose table widget and chart
would otherwise be imported with the first status-bar refresh, before start-up is over:
this is all the line needs.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from writers_factory.core.statistics import day_totals, local_zone, progress_text
from writers_factory.store.history.history import SessionHistory


def session_progress_text(
    history: SessionHistory,
    daily_target: int | None,
    *,
    tz: tzinfo | None = None,
    today: date | None = None,
) -> str:
    """``Today 640/1,000 words · 64%`` (or ``Today 640 words`` without a target).

    Cheap enough to call at every status-bar refresh: it looks up only today's hours.
    """
    return session_progress(history, daily_target, tz=tz, today=today)[0]


def session_progress(
    history: SessionHistory,
    daily_target: int | None,
    *,
    tz: tzinfo | None = None,
    today: date | None = None,
) -> tuple[str, str]:
    """The status bar's line and its tooltip, which tells pasted words apart from typing."""
    zone = local_zone(tz)
    day = today or datetime.now(zone).date()
    typed, pasted = day_totals(history.sessions, history.yearly, day, zone)
    text = progress_text(typed, daily_target if daily_target and daily_target > 0 else None)
    return text, pasted_text(typed, pasted)


def pasted_text(typed: int, pasted: int) -> str:
    """``Typed today: 640 words (net) · pasted or imported: 2,310 words, not counted``."""
    text = f"Typed today: {typed:,} words (net change)"
    if pasted:
        text += f" · pasted or imported: {pasted:,} words, counted apart"
    return text
