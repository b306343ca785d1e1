"""Analyzing — the manuscript at a glance: words per chapter as a chart, pacing per
chapter, story-bible characters per chapter, overused words, readability, continuity.

The book is measured in a thread worker (``ai/analysis/book.py``) with progress, once
when the screen first shows and again on ``r``. Every table shows every chapter, sorts by
any column and opens the chapter in Writing on Enter.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from writers_factory.ai.analysis.book import BookMeasures
from writers_factory.tui.screens.analysis_view import chart_text
from writers_factory.tui.screens.stages.base import OpenChapter, StageScreen
from writers_factory.tui.widgets.sortable_table import Column, Row, SortableTable

VIEWS: tuple[tuple[str, str], ...] = (
    ("words", "Words"),
    ("pacing", "Pacing"),
    ("characters", "Characters"),
    ("overused", "Overused"),
    ("readability", "Readability"),
    ("continuity", "Continuity"),
)
TITLES = dict(VIEWS)
CHAPTER_VIEWS = ("pacing", "characters")
"""The views whose rows are chapters (Enter opens one)."""

CONTINUITY = (
    "The continuity check reads the open chapter with a model and lists facts, names, "
    "dates and details that contradict each other or the story bible.\n\n"
    "Run it from the panel on the left (“Continuity check”), or open a chapter from the "
    "Pacing table first (Enter) to check that one. It is an AI operation: its cost is "
    "estimated and confirmed before anything is sent."
)


def pacing_table(measures: BookMeasures) -> tuple[list[Column], list[Row]]:
    columns = [
        Column("index", "#", numeric=True),
        Column("title", "Chapter"),
        Column("words", "Words", numeric=True),
        Column("sentence", "Sentence length", numeric=True),
        Column("dialogue", "Dialogue", numeric=True),
        Column("ease", "Reading ease", numeric=True),
        Column("pace", "Pace", numeric=True),
    ]
    rows = [
        Row(
            measures.chapter_path(c.path),
            (
                str(c.index),
                c.title,
                f"{c.words:,}",
                f"{c.mean_sentence_length:.1f}",
                f"{c.dialogue_ratio:.0%}",
                "—" if c.reading_ease is None else f"{c.reading_ease:.0f}",
                f"{c.pace} {c.pace_index:+.2f}",
            ),
            (
                c.index,
                c.title,
                c.words,
                c.mean_sentence_length,
                c.dialogue_ratio,
                c.reading_ease,
                c.pace_index,
            ),
        )
        for c in measures.report.chapters
    ]
    return columns, rows


def characters_table(measures: BookMeasures) -> tuple[list[Column], list[Row]]:
    columns = [Column("index", "#", numeric=True), Column("title", "Chapter")]
    columns += [Column(f"c{i}", name, numeric=True) for i, name in enumerate(measures.characters)]
    rows = []
    for c in measures.report.chapters:
        path = measures.chapter_path(c.path)
        counts = [measures.mentions.get(path, {}).get(n, 0) for n in measures.characters]
        rows.append(
            Row(
                path,
                (str(c.index), c.title, *[str(n) if n else "·" for n in counts]),
                (c.index, c.title, *counts),
            )
        )
    return columns, rows


class AnalyzingScreen(StageScreen):
    """The Analyzing stage's screen (app mode ``analyzing``)."""

    STAGE = "analyzing"
    PROGRESS = "an-progress"
    DEFAULT_CSS = """
    AnalyzingScreen #an-body { width: 1fr; height: 1fr; }
    AnalyzingScreen #an-progress { height: auto; padding: 0 1; color: $text-muted; }
    AnalyzingScreen TabbedContent { height: 1fr; }
    AnalyzingScreen ContentSwitcher { height: 1fr; }
    AnalyzingScreen TabPane { height: 1fr; padding: 0; }
    AnalyzingScreen SortableTable { height: 1fr; }
    AnalyzingScreen .an-scroll { height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "measure", "Measure again", id="analyzing.measure"),
        Binding("[", "view(-1)", "Prev view", id="analyzing.previous"),
        Binding("]", "view(1)", "Next view", id="analyzing.next"),
    ]

    measures: BookMeasures | None = None
    """The last measuring run's results (None until the first arrives)."""
    _restoring = True
    """Until the first results: put back the remembered place rather than remember."""

    def compose_body(self) -> ComposeResult:
        with Vertical(id="an-body"):
            yield Static("Measuring the manuscript…", id="an-progress", markup=False)
            with TabbedContent(id="an-tabs"):
                with TabPane("Words", id="words"), VerticalScroll(classes="an-scroll"):
                    yield Static(id="an-chart")
                with TabPane("Pacing", id="pacing"):
                    yield SortableTable(id="an-pacing")
                with TabPane("Characters", id="characters"):
                    yield SortableTable(id="an-characters")
                with TabPane("Overused", id="overused"):
                    yield SortableTable(id="an-overused")
                with TabPane("Readability", id="readability"):
                    yield SortableTable(id="an-readability")
                with TabPane("Continuity", id="continuity"), VerticalScroll(classes="an-scroll"):
                    yield Static(CONTINUITY, markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        view = self.view_state.view if self.view_state.view in TITLES else "pacing"
        self.query_one(TabbedContent).active = view
        self.action_measure()

    # -- measuring -----------------------------------------------------------------------

    def action_measure(self) -> None:
        self.start_measuring()

    def show_measures(self, measures: BookMeasures) -> None:
        self.measures = measures
        report = measures.report
        count = len(report.chapters)
        status = f"{count} chapter{'' if count == 1 else 's'} · {report.totals.words:,} words"
        if report.problems:
            status += "\nLeft out: " + "; ".join(report.problems)
        self.query_one("#an-progress", Static).update(status)
        self.query_one("#an-chart", Static).update(chart_text(report.series("words"), "words"))
        keep = self.view_state
        tables = {
            "pacing": pacing_table(measures),
            "characters": characters_table(measures),
        }
        for view, (columns, rows) in tables.items():
            table = self.query_one(f"#an-{view}", SortableTable)
            if self._restoring and keep.view == view:
                table.sort_key, table.descending = keep.sort, keep.descending
            table.set_rows(columns, rows)
        totals = report.totals
        overused = [
            Row(
                f"w:{w.word}",
                (w.word, f"{w.count:,}", f"{w.per_thousand:.1f}"),
                (w.word, w.count, w.per_thousand),
            )
            for w in totals.overused_words
        ] + [
            Row(
                f"p:{p.phrase}",
                (p.phrase, f"{p.count:,}", f"{p.per_thousand:.2f}"),
                (p.phrase, p.count, p.per_thousand),
            )
            for p in totals.overused_phrases
        ]
        self.query_one("#an-overused", SortableTable).set_rows(
            [
                Column("word", "Word or phrase"),
                Column("uses", "Uses", numeric=True),
                Column("rate", "Per 1,000 words", numeric=True),
            ],
            overused,
        )
        self.query_one("#an-readability", SortableTable).set_rows(
            [Column("measure", "Measure"), Column("value", "Value")],
            [Row(f"m:{name}", (name, value), (name, value)) for name, value in report.rows()],
        )
        if self._restoring:
            self._restoring = False
            self._restore_place()
        if self.focused is None:  # the keys (sort, Enter) work at once, whatever came first
            pane = self.query_one(TabbedContent).active_pane
            first = None if pane is None else next(iter(pane.query(SortableTable)), None)
            if first is not None:
                first.focus()
        self.settled = True

    def _restore_place(self) -> None:
        keep = self.view_state
        view = keep.view if keep.view in CHAPTER_VIEWS else None
        if view is not None and keep.selection is not None:
            table = self.query_one(f"#an-{view}", SortableTable)
            table.select_key(keep.selection)
            if keep.scroll:
                table.scroll_to(y=keep.scroll, animate=False, immediate=True)
        self.post_message_trail()

    def post_message_trail(self) -> None:
        self.remember()

    # -- the writer's place --------------------------------------------------------------

    @property
    def view(self) -> str:
        return self.query_one(TabbedContent).active or "pacing"

    def action_view(self, step: int) -> None:
        keys = [key for key, _ in VIEWS]
        current = keys.index(self.view) if self.view in keys else 0
        self.query_one(TabbedContent).active = keys[(current + step) % len(keys)]

    @on(TabbedContent.TabActivated)
    def _view_changed(self, event: TabbedContent.TabActivated) -> None:
        if self._restoring:
            return
        self._remember_view()
        table = next(iter(event.pane.query(SortableTable)), None)
        if table is not None:
            table.focus()

    @on(SortableTable.RowHighlighted)
    def _row_moved(self, event: SortableTable.RowHighlighted) -> None:
        if not self._restoring:
            self._remember_view()

    @on(SortableTable.Sorted)
    def _sorted(self, event: SortableTable.Sorted) -> None:
        if not self._restoring:
            self._remember_view()

    def _remember_view(self) -> None:
        view = self.view
        if view in CHAPTER_VIEWS:
            table = self.query_one(f"#an-{view}", SortableTable)
            self.remember(
                view=view,
                selection=table.selected_key,
                scroll=int(table.scroll_y),
                sort=table.sort_key,
                descending=table.descending,
            )
        else:
            self.remember(view=view)

    @on(SortableTable.Chosen)
    def _open(self, event: SortableTable.Chosen) -> None:
        if event.table.id in {f"an-{view}" for view in CHAPTER_VIEWS}:
            self.post_message(OpenChapter(event.key))

    def trail_tail(self) -> list[str]:
        tail = [TITLES.get(self.view_state.view or "pacing", "Pacing")]
        chapter = self._chapter_title(self.view_state.selection)
        if self.view_state.view in CHAPTER_VIEWS and chapter:
            tail.append(chapter)
        return tail

    def _chapter_title(self, path: str | None) -> str | None:
        return None if self.measures is None else self.measures.chapter_title(path)
