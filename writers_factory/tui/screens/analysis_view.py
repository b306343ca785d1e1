"""Local analysis and local scoring of the manuscript: tables and a per-chapter chart.

Free, offline and instant, so it works with no provider at all. The manuscript is read and
measured in a thread (a long novel takes a moment); the screen shows "Analysing…" until the
results arrive, and ``r`` measures again after the writer has edited (saved files only).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from writers_factory.ai.analysis import (
    LocalScore,
    ManuscriptReport,
    analyze_manuscript,
    chapter_files,
    score_locally,
)
from writers_factory.core.analysis.models import Metric

Mode = Literal["analysis", "score"]
BAR_WIDTH = 36

METRICS: tuple[tuple[str, Metric, str], ...] = (
    ("w", "words", "words"),
    ("d", "dialogue_ratio", "dialogue share"),
    ("s", "mean_sentence_length", "mean sentence length"),
    ("p", "pace_index", "pace index"),
)


@dataclass(frozen=True)
class Results:
    """What one run measured: the manuscript report and, in score mode, a score a chapter."""

    report: ManuscriptReport
    scores: list[tuple[str, LocalScore]]


def measure(project: Path, mode: Mode) -> Results:
    """Blocking: read and measure the manuscript (run it in a thread)."""
    folder = Path(project) / "manuscript"
    report = analyze_manuscript(folder)
    scores: list[tuple[str, LocalScore]] = []
    if mode == "score":
        titles = {c.path: c.title for c in report.chapters}
        for path in chapter_files(folder) if folder.is_dir() else []:
            rel = path.relative_to(folder).as_posix()
            if rel not in titles:  # unreadable: already listed in report.problems
                continue
            scores.append((titles[rel], score_locally(path.read_text(encoding="utf-8"))))
    return Results(report, scores)


def _value(metric: Metric, value: float) -> str:
    if metric == "dialogue_ratio":
        return f"{value:.0%}"
    if metric == "words":
        return f"{value:,.0f}"
    return f"{value:+.2f}" if metric == "pace_index" else f"{value:.1f}"


def chart_text(series: list[tuple[str, float]], metric: Metric, width: int = BAR_WIDTH) -> Text:
    """One bar per chapter, scaled to the largest magnitude; negative values drawn with ░."""
    out = Text()
    if not series:
        out.append("No chapters in manuscript/ yet.", style="dim")
        return out
    top = max(abs(value) for _, value in series) or 1.0
    label_width = min(24, max(len(label) for label, _ in series))
    for label, value in series:
        cells = round(abs(value) * width / top)
        out.append(f"{label[:label_width]:<{label_width}} ", style="bold")
        out.append(("█" if value >= 0 else "░") * cells, style="cyan" if value >= 0 else "magenta")
        out.append(" " * (width - cells))
        out.append(f" {_value(metric, value)}\n")
    return out


class AnalysisScreen(Screen[None]):
    """Push with ``app.push_screen(AnalysisScreen(project, "analysis" | "score"))``."""

    DEFAULT_CSS = """
    AnalysisScreen .an-title { text-style: bold; padding: 0 1; }
    AnalysisScreen #an-status { padding: 0 1; color: $text-muted; }
    AnalysisScreen #an-chart { padding: 0 1; margin-bottom: 1; height: auto; }
    /* a table caps itself at its parent's height (100%): inside this scroll that hid
       every row past the 23rd of a long book; laid out whole, the screen scrolls */
    AnalysisScreen DataTable { height: auto; max-height: initial; margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="analysis.close"),
        Binding("r", "refresh_analysis", "Measure again", id="analysis.refresh"),
        *[
            Binding(key, f"metric('{metric}')", label, id=f"analysis.chart.{metric}")
            for key, metric, label in METRICS
        ],
    ]

    def __init__(self, project: Path, mode: Mode = "analysis") -> None:
        super().__init__()
        self.project = Path(project)
        self.mode: Mode = mode
        self.metric: Metric = "words"
        self.results: Results | None = None

    def compose(self) -> ComposeResult:
        heading = "Local score (free, offline)" if self.mode == "score" else "Local analysis"
        with VerticalScroll():
            yield Static(heading, classes="an-title")
            yield Static("Analysing manuscript/ …", id="an-status", markup=False)
            yield Static("", id="an-chart-title", classes="an-title", markup=False)
            yield Static(id="an-chart")
            if self.mode == "score":
                yield Static("Scores per chapter", classes="an-title")
                yield DataTable(id="an-scores", zebra_stripes=True, cursor_type="row")
            yield Static("Per chapter", classes="an-title")
            yield DataTable(id="an-chapters", zebra_stripes=True, cursor_type="row")
            yield Static("Whole manuscript", classes="an-title")
            yield DataTable(id="an-summary", zebra_stripes=True, cursor_type="row")
            yield Static("Overused words and phrases", classes="an-title")
            yield DataTable(id="an-overused", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh_analysis()

    def action_refresh_analysis(self) -> None:
        self.run_worker(self._measure(), group="analysis", exclusive=True)

    async def _measure(self) -> None:
        try:
            results = await asyncio.to_thread(measure, self.project, self.mode)
        except OSError as exc:
            if self.is_attached:
                self.query_one("#an-status", Static).update(f"Could not read manuscript/: {exc}")
            return
        if not self.is_attached:  # closed while measuring
            return
        self.results = results
        self._render_results()

    def action_metric(self, metric: str) -> None:
        chosen = next((m for _, m, _ in METRICS if m == metric), None)
        if chosen is not None:
            self.metric = chosen
            self._render_chart()

    def _render_chart(self) -> None:
        if self.results is None:
            return
        label = next(lbl for _, m, lbl in METRICS if m == self.metric)
        keys = " ".join(f"{k}={lbl}" for k, _, lbl in METRICS)
        self.query_one("#an-chart-title", Static).update(f"Per chapter: {label}   ({keys})")
        self.query_one("#an-chart", Static).update(
            chart_text(self.results.report.series(self.metric), self.metric)
        )

    def _render_results(self) -> None:
        assert self.results is not None
        report = self.results.report
        count = len(report.chapters)
        status = f"{count} chapter{'' if count == 1 else 's'} · {report.totals.words:,} words"
        if report.problems:
            status += "\nLeft out: " + "; ".join(report.problems)
        self.query_one("#an-status", Static).update(status)
        self._render_chart()
        chapters = self.query_one("#an-chapters", DataTable)
        chapters.clear(columns=True)
        header, *body = report.pacing_rows()
        chapters.add_columns(*header)
        for row in body:
            chapters.add_row(*row)
        summary = self.query_one("#an-summary", DataTable)
        summary.clear(columns=True)
        summary.add_columns("measure", "value")
        for row in report.rows():
            summary.add_row(*row)
        overused = self.query_one("#an-overused", DataTable)
        overused.clear(columns=True)
        overused.add_columns("word or phrase", "uses")
        for row in [*report.totals.word_rows(), *report.totals.phrase_rows()]:
            overused.add_row(*row)
        if self.mode == "score":
            self._render_scores()

    def _render_scores(self) -> None:
        assert self.results is not None
        table = self.query_one("#an-scores", DataTable)
        table.clear(columns=True)
        scores = self.results.scores
        names = [c.name for c in scores[0][1].components] if scores else []
        table.add_columns("Chapter", "Score", *names)
        for title, score in self.results.scores:
            table.add_row(
                title,
                f"{score.total} / 100",
                *[f"{c.points:.1f}/{c.max_points:.0f}" for c in score.components],
            )

    def action_close(self) -> None:
        self.dismiss(None)
