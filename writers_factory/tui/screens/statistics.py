"""The statistics view: words per day as a bar chart, then the days and the last sessions.

It computes from the app's live :class:`SessionHistory` (already in memory, so no disk I/O
on the UI loop) and recomputes on ``r``; the running session's words appear as they are
recorded. The one-line form for the status bar is ``progress_line.py``'s.
"""

from __future__ import annotations

from datetime import date, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from writers_factory.core.statistics import Statistics, compute_statistics, progress_text
from writers_factory.store.history.history import SessionHistory

BAR_WIDTH = 40


def chart_text(series: list[tuple[date, int]], target: int | None, width: int = BAR_WIDTH) -> Text:
    """One line per day: date, a bar scaled to the busiest day (or the target), the words."""
    top = max([words for _, words in series] + [target or 0]) or 1
    out = Text()
    out.append(f"{'words':>10} 0{' ' * (width - 1)}{top:,}\n", style="dim")
    for day, words in series:
        cells = round(words * width / top)
        met = bool(target) and words >= (target or 0)
        out.append(f"{day:%a %m-%d} ", style="bold" if words else "dim")
        out.append("█" * cells, style="green" if met else "cyan")
        out.append(" " * (width - cells))
        out.append(f" {words:>7,}" + (" ✓" if met else "") + "\n")
    return out


def _minutes(value: float) -> str:
    hours, minutes = divmod(round(value), 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def summary_text(stats: Statistics) -> str:
    wph = "—" if stats.words_per_hour is None else f"{stats.words_per_hour:,.0f}"
    per_k = "—" if stats.cost_per_1000_words is None else f"${stats.cost_per_1000_words:.4f}"
    pasted = f" (+{stats.pasted_today:,} pasted, apart)" if stats.pasted_today else ""
    return (
        f"{progress_text(stats.words_today, stats.daily_target)}{pasted}   "
        f"Streak {stats.current_streak} day{'' if stats.current_streak == 1 else 's'} "
        f"(longest {stats.longest_streak})\n"
        f"{stats.sessions_count:,} sessions · {stats.words_added:,} words added, "
        f"{stats.words_removed:,} removed · {_minutes(stats.active_minutes)} active · "
        f"{wph} words/hour · ${stats.total_cost:.2f} · {per_k} per 1,000 words"
    )


class StatisticsScreen(Screen[None]):
    """Push with ``app.push_screen(StatisticsScreen(history, daily_target))``."""

    DEFAULT_CSS = """
    StatisticsScreen { layout: vertical; }
    StatisticsScreen #stats-summary { padding: 0 1; margin-bottom: 1; }
    StatisticsScreen #stats-chart { padding: 0 1; margin-bottom: 1; height: auto; }
    StatisticsScreen .stats-title { text-style: bold; padding: 0 1; }
    StatisticsScreen DataTable { height: auto; max-height: 24; margin-bottom: 1; }
    """
    BINDINGS = [  # noqa: RUF012 - Textual's declared class attribute
        Binding("escape", "close", "Back"),
        Binding("q", "close", "Back", show=False),
        Binding("r", "refresh_stats", "Refresh"),
    ]

    def __init__(
        self,
        history: SessionHistory,
        daily_target: int | None = None,
        *,
        tz: tzinfo | None = None,
        today: date | None = None,
        days: int = 30,
    ) -> None:
        super().__init__()
        self.history = history
        self.daily_target = daily_target
        self.tz = tz
        self.fixed_today = today
        self.days = days
        self.stats = self._compute()

    def _compute(self) -> Statistics:
        return compute_statistics(
            self.history.sessions,
            self.history.yearly,
            today=self.fixed_today,
            tz=self.tz,
            daily_target=self.daily_target,
        )

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Writing statistics", classes="stats-title")
            yield Static(id="stats-summary", markup=False)
            yield Static(f"Words per day, last {self.days} days", classes="stats-title")
            yield Static(id="stats-chart")
            yield Static("Days", classes="stats-title")
            yield DataTable(id="stats-days", zebra_stripes=True, cursor_type="row")
            yield Static("Last sessions", classes="stats-title")
            yield DataTable(id="stats-sessions", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        days = self.query_one("#stats-days", DataTable)
        days.add_columns("day", "words", "target met")
        sessions = self.query_one("#stats-sessions", DataTable)
        sessions.add_columns(
            "started", "length", "active", "added", "removed", "words/h", "cost", "status"
        )
        self._render_stats()

    def _render_stats(self) -> None:
        stats = self.stats
        self.query_one("#stats-summary", Static).update(summary_text(stats))
        self.query_one("#stats-chart", Static).update(
            chart_text(stats.series(self.days), stats.daily_target)
        )
        days = self.query_one("#stats-days", DataTable)
        days.clear()
        for day in reversed(stats.days):
            days.add_row(
                day.day.isoformat(),
                f"{day.words:,}",
                "✓" if day.met_target else "",
                key=day.day.isoformat(),
            )
        sessions = self.query_one("#stats-sessions", DataTable)
        sessions.clear()
        for s in reversed(stats.sessions):
            sessions.add_row(
                s.start.strftime("%Y-%m-%d %H:%M"),
                _minutes(s.duration_minutes),
                _minutes(s.active_minutes),
                f"{s.words_added:,}",
                f"{s.words_removed:,}",
                "—" if s.words_per_hour is None else f"{s.words_per_hour:,.0f}",
                f"${s.cost:.2f}",
                s.status,
                key=s.session_id,
            )

    def action_refresh_stats(self) -> None:
        self.stats = self._compute()
        self._render_stats()

    def action_close(self) -> None:
        self.dismiss(None)
