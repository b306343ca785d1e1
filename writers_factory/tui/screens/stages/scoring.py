"""Scoring — where the book is weakest: a scorecard per chapter, lowest first.

Each chapter's local rubric score (free, offline: ``core/analysis/scoring.py``) and, where a
scoring workflow was run, the model's score; the selected chapter's card below explains each
part of its score. Enter opens the chapter in Writing. Measured in a thread with progress.

t shows, instead of the rubric's parts, the selected chapter's scores over time: the local
rubric on each version the snapshot history kept, and every AI score it was given
(``ai/analysis/score_history.py``), read in a thread.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from writers_factory.ai.analysis.book import BookMeasures, ai_scores
from writers_factory.ai.analysis.score_history import ScorePoint, score_history
from writers_factory.tui.screens.stages.base import OpenChapter, StageScreen
from writers_factory.tui.widgets.sortable_table import Column, Row, SortableTable

VIEW = "scorecard"
TIMELINE = "timeline"
"""The view that shows the selected chapter's scores over time."""


def scorecard_table(measures: BookMeasures) -> tuple[list[Column], list[Row]]:
    """One row per chapter: its local score, each rubric part, and the AI score if any."""
    first = next(iter(measures.scores.values()), None)
    parts = [c.name for c in first.components] if first else []
    columns = [
        Column("index", "#", numeric=True),
        Column("title", "Chapter"),
        Column("local", "Local", numeric=True),
        Column("ai", "AI", numeric=True),
        *[Column(f"part{i}", name, numeric=True) for i, name in enumerate(parts)],
    ]
    rows: list[Row] = []
    for c in measures.report.chapters:
        path = measures.chapter_path(c.path)
        score = measures.scores.get(path)
        if score is None:
            continue
        ai = measures.ai_scores.get(path)
        rows.append(
            Row(
                path,
                (
                    str(c.index),
                    c.title,
                    str(score.total),
                    "—" if ai is None else f"{ai:.0f}",
                    *[f"{p.points:.1f}/{p.max_points:.0f}" for p in score.components],
                ),
                (c.index, c.title, score.total, ai, *[p.points for p in score.components]),
            )
        )
    return columns, rows


class ScoringScreen(StageScreen):
    """The Scoring stage's screen (app mode ``scoring``)."""

    STAGE = "scoring"
    PROGRESS = "sc-progress"
    MEASURING = "Scoring the manuscript…"
    STEP = "Reading chapter {done} of {total}…"
    SCORES = True
    DEFAULT_CSS = """
    ScoringScreen #sc-body { width: 1fr; height: 1fr; }
    ScoringScreen #sc-progress { height: auto; padding: 0 1; color: $text-muted; }
    ScoringScreen #sc-cards { height: 2fr; }
    ScoringScreen #sc-card-scroll { height: 1fr; min-height: 4; border-top: hkey $panel; }
    ScoringScreen #sc-card { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "measure", "Score again", id="scoring.measure"),
        Binding("t", "over_time", "Over time", id="scoring.over_time"),
    ]

    measures: BookMeasures | None = None
    """The last scoring run's results (None until the first arrives)."""
    _restoring = True
    """Until the first results: put back the remembered place rather than remember."""
    over_time = False
    """The card shows the chapter's scores over time, not the rubric's parts."""
    histories: dict[str, list[ScorePoint]]
    """Scores over time read so far, by chapter (read again after a new measuring)."""

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.measures is not None:  # an AI score may have been given meanwhile
            self._reread_ai_scores(self.measures)
            self.histories = {}  # and versions kept: the view over time is read again
            if self.over_time:
                self._show_card(self.query_one("#sc-cards", SortableTable).selected_key)

    def compose_body(self) -> ComposeResult:
        with Vertical(id="sc-body"):
            yield Static("Scoring the manuscript…", id="sc-progress", markup=False)
            yield SortableTable(id="sc-cards")
            with VerticalScroll(id="sc-card-scroll"):
                yield Static(id="sc-card")

    def on_mount(self) -> None:
        super().on_mount()
        self.histories = {}
        self.over_time = self.view_state.view == TIMELINE
        self.action_measure()

    def action_measure(self) -> None:
        self.histories = {}
        self.start_measuring()

    def action_over_time(self) -> None:
        self.over_time = not self.over_time
        table = self.query_one("#sc-cards", SortableTable)
        self._show_card(table.selected_key)
        self._remember()

    @work(thread=True, exclusive=True, group="scoring-ai")
    def _reread_ai_scores(self, measures: BookMeasures) -> None:
        fresh = ai_scores(self.workspace.project, set(measures.scores))
        if fresh != measures.ai_scores:
            self.app.call_from_thread(self._fresh_ai_scores, measures, fresh)

    def _fresh_ai_scores(self, measures: BookMeasures, fresh: dict[str, float]) -> None:
        if self.is_attached and self.measures is measures:  # no newer run came meanwhile
            self.show_measures(dataclasses.replace(measures, ai_scores=fresh))

    @work(thread=True, exclusive=True, group="scoring-history")
    def _read_history(self, path: str) -> None:
        try:
            points = score_history(self.workspace.project, path)
        except Exception as exc:  # a damaged history: said on the card, the screen goes on
            told = f"The history could not be read: {exc}"
            self.app.call_from_thread(self.show_progress, told)
            return
        self.app.call_from_thread(self._history_read, path, points)

    def _history_read(self, path: str, points: list[ScorePoint]) -> None:
        if not self.is_attached:
            return
        self.histories[path] = points
        if self.query_one("#sc-cards", SortableTable).selected_key == path:
            self._show_card(path)

    def show_measures(self, measures: BookMeasures) -> None:
        self.measures = measures
        count = len(measures.scores)
        scored = len(measures.ai_scores)
        status = f"{count} chapter{'' if count == 1 else 's'} scored by the local rubric"
        status += f" · {scored} with an AI score" if scored else " · no AI score yet"
        if measures.report.problems:
            status += "\nLeft out: " + "; ".join(measures.report.problems)
        self.query_one("#sc-progress", Static).update(status)
        table = self.query_one("#sc-cards", SortableTable)
        keep = self.view_state
        if self._restoring:
            # lowest first, unless the writer chose another order last time
            table.sort_key = keep.sort or "local"
            table.descending = keep.descending if keep.sort else False
        table.set_rows(*scorecard_table(measures))
        if self._restoring:
            self._restoring = False
            if keep.selection is None or not table.select_key(keep.selection):
                table.move_cursor(row=0, animate=False)
            if keep.scroll:
                table.scroll_to(y=keep.scroll, animate=False, immediate=True)
            self._remember()
        self._show_card(table.selected_key)
        if self.focused is None:  # the keys (sort, Enter) work at once, whatever came first
            table.focus()
        self.settled = True

    def _show_card(self, path: str | None) -> None:
        card = self.query_one("#sc-card", Static)
        if self.measures is None or path is None or path not in self.measures.scores:
            card.update("")
            return
        if self.over_time:
            card.update(self._history_text(path))
            return
        score = self.measures.scores[path]
        out = Text()
        out.append(f"{self._title(path)} — local score {score.total} / 100", style="bold")
        ai = self.measures.ai_scores.get(path)
        out.append(f" · AI score {ai:.0f} / 100" if ai is not None else " · no AI score")
        out.append("\n")
        for part in score.components:
            out.append(f"{part.name} {part.points:.1f}/{part.max_points:.0f}", style="bold")
            out.append(f" ({part.value}): {part.explanation}\n")
        card.update(out)

    def _history_text(self, path: str) -> Text:
        out = Text()
        out.append(f"{self._title(path)} — scores over time", style="bold")
        out.append(" (t: the rubric's parts)\n")
        points = self.histories.get(path)
        if points is None:
            self._read_history(path)
            out.append("Reading the chapter's history…")
            return out
        local = [p.local for p in points if p.local is not None]
        if local:
            out.append("Local: " + " → ".join(str(n) for n in local[-12:]) + "\n", style="bold")
        if not points:
            out.append("No earlier version kept and no AI score yet.")
        for point in reversed(points):  # newest first
            when = point.at.astimezone().strftime("%Y-%m-%d %H:%M")
            figure = f"local {point.local}" if point.local is not None else f"AI {point.ai:.0f}"
            out.append(f"{when}  {figure:>9}  {point.label}\n")
        return out

    def _title(self, path: str | None) -> str | None:
        return None if self.measures is None else self.measures.chapter_title(path)

    @on(SortableTable.RowHighlighted)
    def _row_moved(self, event: SortableTable.RowHighlighted) -> None:
        if self._restoring:
            return
        self._show_card(self.query_one("#sc-cards", SortableTable).selected_key)
        self._remember()

    @on(SortableTable.Sorted)
    def _sorted(self, event: SortableTable.Sorted) -> None:
        if not self._restoring:
            self._remember()

    def _remember(self) -> None:
        table = self.query_one("#sc-cards", SortableTable)
        self.remember(
            view=TIMELINE if self.over_time else VIEW,
            selection=table.selected_key,
            scroll=int(table.scroll_y),
            sort=table.sort_key,
            descending=table.descending,
        )

    @on(SortableTable.Chosen)
    def _open(self, event: SortableTable.Chosen) -> None:
        self.post_message(OpenChapter(event.key))

    def trail_tail(self) -> list[str]:
        title = self._title(self.view_state.selection)
        return [("Over time" if self.over_time else "Scorecard"), title] if title else []
