"""The statistics screen in a real Textual app: chart, tables, refresh, close."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from textual.app import App
from textual.widgets import DataTable, Static

from writers_factory.store import SessionHistory
from writers_factory.tui.progress_line import session_progress_text
from writers_factory.tui.screens.statistics import StatisticsScreen, chart_text

TODAY = date(2026, 3, 10)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def build_history(tmp_path: Path) -> tuple[SessionHistory, Clock]:
    """Mar 8: 1,200 words net (1,250 typed, 50 removed: one session); Mar 9: nothing;
    Mar 10: 300 so far (running)."""
    root = tmp_path / "novel" / ".session"
    root.mkdir(parents=True)
    clock = Clock(datetime(2026, 3, 8, 9, 0, tzinfo=UTC))
    history = SessionHistory(root, clock=clock)
    history.begin("mar-8", clock.now)
    clock.now += timedelta(minutes=4)
    history.record_words(1250, 50)
    history.record_operation("scene_generation", Decimal("0.25"))
    history.end(clock.now + timedelta(minutes=1))
    clock.now = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    history.begin("mar-10", clock.now)
    clock.now += timedelta(minutes=3)
    history.record_words(300, 0)
    history.save_sync()
    return history, clock


class StatsApp(App[None]):
    def __init__(self, history: SessionHistory) -> None:
        super().__init__()
        self.history = history

    def on_mount(self) -> None:
        self.push_screen(StatisticsScreen(self.history, 1000, tz=UTC, today=TODAY, days=5))


def rows(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_chart_and_tables_show_the_history(tmp_path: Path) -> None:
    history, clock = build_history(tmp_path)
    app = StatsApp(history)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatisticsScreen)
        summary = str(screen.query_one("#stats-summary", Static).content)
        assert summary.startswith("Today 300/1,000 words · 30%")
        assert "2 sessions · 1,550 words added, 50 removed" in summary

        chart = str(screen.query_one("#stats-chart", Static).content).splitlines()
        assert chart[0].strip().startswith("words 0") and chart[0].endswith("1,200")
        assert [line[:9] for line in chart[1:]] == [
            "Fri 03-06",
            "Sat 03-07",
            "Sun 03-08",
            "Mon 03-09",
            "Tue 03-10",
        ]
        assert chart[3].count("█") == 40 and chart[3].endswith("1,200 ✓")
        assert chart[5].count("█") == 10 and chart[5].endswith("300")  # 300/1,200 of 40
        assert chart[4].count("█") == 0 and chart[4].endswith(" 0")

        days = screen.query_one("#stats-days", DataTable)
        assert rows(days) == [["2026-03-10", "300", ""], ["2026-03-08", "1,200", "✓"]]
        sessions = screen.query_one("#stats-sessions", DataTable)
        assert rows(sessions) == [
            ["2026-03-10 08:00", "3m", "3m", "300", "0", "6,000", "$0.00", "open"],
            ["2026-03-08 09:00", "5m", "5m", "1,250", "50", "15,000", "$0.25", "ended"],
        ]

        # the running session writes on; "r" recomputes from the live history
        clock.now += timedelta(minutes=2)
        history.record_words(450, 0)
        await pilot.press("r")
        await pilot.pause()
        summary = str(screen.query_one("#stats-summary", Static).content)
        assert summary.startswith("Today 750/1,000 words · 75%")
        assert rows(days)[0] == ["2026-03-10", "750", ""]

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatisticsScreen)


def test_session_progress_text_for_the_status_bar(tmp_path: Path) -> None:
    history, _ = build_history(tmp_path)
    assert session_progress_text(history, 1000, tz=UTC, today=TODAY) == (
        "Today 300/1,000 words · 30%"
    )
    assert session_progress_text(history, None, tz=UTC, today=date(2026, 3, 8)) == (
        "Today 1,200 words"
    )
    assert session_progress_text(history, 0, tz=UTC, today=date(2026, 3, 9)) == "Today 0 words"


def test_chart_scales_to_the_target_when_it_is_higher() -> None:
    lines = str(chart_text([(TODAY, 250)], 1000, width=20)).splitlines()
    assert lines[0].endswith("1,000")
    assert lines[1].count("█") == 5  # 250 of 1,000 over 20 cells
