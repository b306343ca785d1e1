"""``writers-factory stats``: writing statistics for people (tables), scripts (JSON) and
spreadsheets (CSV, one row per day); and ``writers-factory session history``.

Strictly read-only: it opens ``history.json`` read-only, so a damaged file is reported but
not set aside, an old layout is upgraded in memory only, and nothing in ``.session/`` is
created or touched — running it next to an open Writers Factory is always safe.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from writers_factory.store.base.paths import SessionPaths

if TYPE_CHECKING:
    from rich.console import Console

    from writers_factory.core.statistics import Statistics
    from writers_factory.store.history.history import SessionHistory

StatsFormat = Literal["table", "json", "csv"]


def read_daily_target(paths: SessionPaths) -> int | None:
    """``daily_word_target`` from preferences.json, else from the user settings (the project's
    value wins, as in the app), read without the preferences machinery (which may rewrite or
    back up a file); anything unusable means "no target"."""
    from writers_factory.store.base.places import user_folder

    for path in (paths.preferences, user_folder("config") / "settings.json"):
        raw = _plain(path)
        if "daily_word_target" in raw:
            value = raw["daily_word_target"]
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                return value
            return None
    return None


def _plain(path: Path) -> dict[str, object]:
    from writers_factory.store.base.serialisers import DecodeError, loads

    try:
        raw, _ = loads(path.read_bytes())
    except (OSError, DecodeError):
        return {}
    return raw if isinstance(raw, dict) else {}


def load_statistics(
    project: Path, author: str | None = None
) -> tuple[Statistics, list[str]] | None:
    """The statistics of ``project`` and the problems met reading them; None without .session/.

    With ``author``, that co-author's own; without, the project's: every author's sessions
    together once there are co-authors (no daily target then: each author sets their own).
    """
    from writers_factory.core.statistics import compute_statistics
    from writers_factory.store.history.history import SessionHistory

    paths = SessionPaths.for_project(project, author)
    if not paths.shared.is_dir():
        return None
    histories = _histories(project) if author is None else {}
    if author is not None or list(histories) in ([], [None]):
        history = SessionHistory(paths.root, read_only=True)
        stats = compute_statistics(
            history.sessions, history.yearly, daily_target=read_daily_target(paths)
        )
        return stats, [problem.describe() for problem in history.problems]
    sessions = sorted(
        (entry for h in histories.values() for entry in h.sessions), key=lambda e: e.start_time
    )
    # the years are only ever added up: one entry per author and year
    years = [summary for h in histories.values() for summary in h.yearly.values()]
    stats = compute_statistics(sessions, dict(enumerate(years)))
    problems = [
        f"{name or NO_AUTHOR}: {problem.describe()}"
        for name, h in histories.items()
        for problem in h.problems
    ]
    return stats, problems


NO_AUTHOR = "(no author)"


def _histories(project: Path) -> dict[str | None, SessionHistory]:
    """Each writer's history, read-only, by author (``None``: the single-writer files)."""
    from writers_factory.store.authors.layout import session_roots
    from writers_factory.store.history.history import SessionHistory

    return {
        name: SessionHistory(root, read_only=True) for name, root in session_roots(Path(project))
    }


def author_statistics(project: Path) -> dict[str, Statistics]:
    """Who wrote what: each author's own statistics (words per day among them)."""
    from writers_factory.core.statistics import compute_statistics

    return {
        name or NO_AUTHOR: compute_statistics(h.sessions, h.yearly)
        for name, h in _histories(project).items()
    }


def run_stats_by_author(project: Path, fmt: StatsFormat = "table") -> int:
    """``stats --by-author``: each author's words, time and cost, and words per author per
    day (CSV: one row per day and author)."""
    project = Path(project)
    if not (project / ".session").is_dir():
        return _no_session(project, "statistics")
    per_author = author_statistics(project)
    if fmt == "json":
        doc = {
            name: {
                "sessions_count": s.sessions_count,
                "words_added": s.words_added,
                "words_removed": s.words_removed,
                "active_minutes": s.active_minutes,
                "total_cost": str(s.total_cost),
                "days": {d.day.isoformat(): d.words for d in s.days},
            }
            for name, s in per_author.items()
        }
        print(json.dumps({"authors": doc}, indent=2, ensure_ascii=False))
        return 0
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["date", "author", "words"])
        rows = sorted((d.day, name, d.words) for name, s in per_author.items() for d in s.days)
        for day, name, words in rows:
            writer.writerow([day.isoformat(), name, words])
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    summary = Table(title="Writing statistics by author")
    for name in ("author", "sessions", "added", "removed", "active", "cost"):
        summary.add_column(name, justify="left" if name == "author" else "right")
    for name, s in per_author.items():
        summary.add_row(
            name,
            f"{s.sessions_count:,}",
            f"{s.words_added:,}",
            f"{s.words_removed:,}",
            _minutes(s.active_minutes),
            f"${s.total_cost:.2f}",
        )
    console.print(summary)
    days = Table(title="Words per author, last 14 days")
    days.add_column("day")
    series = {name: dict(s.series(14)) for name, s in per_author.items()}
    for name in series:
        days.add_column(name, justify="right")
    for day in next(iter(series.values()), {}):
        days.add_row(day.strftime("%a %Y-%m-%d"), *(f"{words[day]:,}" for words in series.values()))
    console.print(days)
    return 0


def _no_session(project: Path, what: str) -> int:
    print(
        f"{project} has no .session/ folder, so it has no {what} yet: it is not a "
        "Writers Factory project, or it was never opened with Writers Factory.",
        file=sys.stderr,
    )
    return 1


def run_history(project: Path, *, as_json: bool = False, author: str | None = None) -> int:
    """``writers-factory session history``: the kept sessions and the yearly summaries (with
    ``author``, that co-author's)."""
    from writers_factory.store.history.history import SessionHistory

    paths = SessionPaths.for_project(Path(project), author)
    if not paths.shared.is_dir():
        return _no_session(Path(project), "history")
    history = SessionHistory(paths.root, read_only=True)
    problems = [problem.describe() for problem in history.problems]
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if as_json:
        doc = history.data.model_dump(mode="json")
        doc["problems"] = problems
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    from rich.console import Console
    from rich.table import Table

    from writers_factory.core.statistics import local_zone, session_status

    console, zone = Console(), local_zone()
    if not history.sessions and not history.yearly:
        console.print("No sessions recorded yet.")
        return 0
    table = Table(title=f"Last {_plural(len(history.sessions), 'session')}")
    for name in ("started", "length", "active", "words +/−", "cost", "ops", "files new/chg", ""):
        table.add_column(name, justify="left" if name in ("started", "") else "right")
    for e in reversed(history.sessions):
        status = session_status(e)
        table.add_row(
            f"{e.start_time.astimezone(zone):%Y-%m-%d %H:%M}",
            _minutes(e.duration_minutes),
            _minutes(e.active_minutes),
            f"+{e.words_added:,} −{e.words_removed:,}",
            f"${e.total_cost:.2f}",
            f"{sum(e.operations_count.values())}",
            f"{len(e.files_created)}/{len(e.files_modified)}",
            "" if status == "ended" else status,
        )
    console.print(table)
    if history.yearly:
        years = Table(title="Earlier sessions, by year")
        for name in ("year", "sessions", "time", "active", "added", "removed", "cost"):
            years.add_column(name, justify="left" if name == "year" else "right")
        for year, y in sorted(history.yearly.items(), reverse=True):
            years.add_row(
                str(year),
                f"{y.sessions:,}",
                _minutes(y.total_minutes),
                _minutes(y.active_minutes),
                f"{y.words_added:,}",
                f"{y.words_removed:,}",
                f"${y.total_cost:.2f}",
            )
        console.print(years)
    return 0


def run_stats(
    project: Path, fmt: StatsFormat = "table", *, author: str | None = None, by_author: bool = False
) -> int:
    """Print the statistics of ``project`` (``author``'s alone, or ``by_author``); returns the
    exit code."""
    project = Path(project)
    if by_author:
        return run_stats_by_author(project, fmt)
    loaded = load_statistics(project, author)
    if loaded is None:
        return _no_session(project, "statistics")
    stats, problems = loaded
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if fmt == "json":
        doc = stats.model_dump(mode="json")
        doc["problems"] = problems
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["date", "words", "met_target"])
        for day in stats.days:
            met = "" if day.met_target is None else "yes" if day.met_target else "no"
            writer.writerow([day.day.isoformat(), day.words, met])
    else:
        from rich.console import Console

        print_tables(Console(), stats)
    return 0


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _minutes(value: float) -> str:
    hours, minutes = divmod(round(value), 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def print_tables(console: Console, stats: Statistics) -> None:
    """Summary, last sessions (newest first) and the last 14 days."""
    from rich.table import Table

    summary = Table(title="Writing statistics", show_header=False)
    summary.add_column("what", style="bold")
    summary.add_column("value", justify="right")
    if stats.daily_target:
        summary.add_row(
            "Today",
            f"{stats.words_today:,} / {stats.daily_target:,} words ({stats.target_percent:g}%)",
        )
    else:
        summary.add_row("Today", f"{stats.words_today:,} words (no daily target set)")
    summary.add_row("Current streak", _plural(stats.current_streak, "day"))
    summary.add_row("Longest streak", _plural(stats.longest_streak, "day"))
    summary.add_row("Sessions", f"{stats.sessions_count:,}")
    summary.add_row("Words added / removed", f"{stats.words_added:,} / {stats.words_removed:,}")
    summary.add_row("Active time", _minutes(stats.active_minutes))
    wph = stats.words_per_hour
    summary.add_row("Words per active hour", "—" if wph is None else f"{wph:,.0f}")
    summary.add_row("Total cost", f"${stats.total_cost:.2f}")
    per_k = stats.cost_per_1000_words
    summary.add_row("Cost per 1,000 words", "—" if per_k is None else f"${per_k:.4f}")
    console.print(summary)

    if not stats.sessions:
        console.print("No sessions recorded yet.")
    else:
        table = Table(title=f"Last {_plural(len(stats.sessions), 'session')}")
        for name in ("started", "length", "active", "added", "removed", "words/h", "cost", ""):
            table.add_column(name, justify="left" if name in ("started", "") else "right")
        for s in reversed(stats.sessions):
            table.add_row(
                s.start.strftime("%Y-%m-%d %H:%M"),
                _minutes(s.duration_minutes),
                _minutes(s.active_minutes),
                f"{s.words_added:,}",
                f"{s.words_removed:,}",
                "—" if s.words_per_hour is None else f"{s.words_per_hour:,.0f}",
                f"${s.cost:.2f}",
                "" if s.status == "ended" else s.status,
            )
        console.print(table)

    days = Table(title="Last 14 days")
    days.add_column("day")
    days.add_column("words", justify="right")
    days.add_column("")
    series = stats.series(14)
    top = max((words for _, words in series), default=0) or 1
    for day, words in series:
        bar = "█" * round(words * 30 / top)
        mark = " ✓" if stats.daily_target and words >= stats.daily_target else ""
        days.add_row(day.strftime("%a %Y-%m-%d"), f"{words:,}", bar + mark)
    console.print(days)
