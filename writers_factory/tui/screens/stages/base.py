"""What every stage screen shares: the stage bar, breadcrumbs, the stage's panel of actions,
one status line mirroring the workspace's status bar, and the footer.

A stage screen lives in its own app mode, so its state (tab, selected chapter, sort,
scroll) survives switching away and back; it is also written to ``current.json`` through
``Session.set_stage_view`` so a restart brings it back. The screen never reaches into the
workspace: a chapter to open is asked for with :class:`OpenChapter`, the app does it.

Screens that show the whole book measured (Analyzing, Scoring) measure it the one way here:
``start_measuring`` runs ``measure_book`` in a thread worker (a new run replaces one under
way), reports progress into the screen's progress line, and hands the results to
``show_measures`` on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from writers_factory.core.stages import StageId, stage_for
from writers_factory.store.session.models import StageView
from writers_factory.tui.widgets.breadcrumbs import Breadcrumbs
from writers_factory.tui.widgets.stage_bar import StageBar
from writers_factory.tui.widgets.stage_panel import StagePanel

if TYPE_CHECKING:
    from writers_factory.ai.analysis.book import BookMeasures
    from writers_factory.tui.widgets.status_bar import StatusBar
    from writers_factory.tui.workspace import Workspace


class OpenChapter(Message):
    """A stage screen asks the app to show this chapter (project-relative) in Writing."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path


class TrailChanged(Message):
    """The screen's part of the breadcrumbs changed (the app recomputes and saves them)."""


class StatusMirror(Static):
    """The workspace's status bar, shown again here: one status, seen from every stage.

    It copies the texts the status bar already computed, once a second and on demand; a
    text that did not change costs nothing."""

    DEFAULT_CSS = """
    StatusMirror { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, source: Callable[[], StatusBar | None]) -> None:
        super().__init__("", markup=False, id="stage-status")
        self.source = source
        self.shown = ""

    def on_mount(self) -> None:
        self.follow()
        self.set_interval(1.0, self.follow)

    def follow(self) -> None:
        bar = self.source()
        if bar is None:
            return
        parts = [bar.save_text()]
        if bar.read_only:
            parts.append("Read-only")
        if bar.progress:
            parts.append(bar.progress)
        parts.append(bar.cost_text())
        text = "  ·  ".join(parts)
        if text != self.shown:
            self.shown = text
            self.update(text)


class StageScreen(Screen[None]):
    """Subclasses set ``STAGE`` and yield their body from ``compose_body``."""

    STAGE: ClassVar[StageId]
    PROGRESS: ClassVar[str] = ""
    """The id of the Static that shows a measuring run's progress (measuring screens)."""
    MEASURING: ClassVar[str] = "Measuring the manuscript…"
    STEP: ClassVar[str] = "Measuring chapter {done} of {total}…"
    SCORES: ClassVar[bool] = False
    """Measure with the local scores (and the AI scores kept)."""
    AUTO_FOCUS = ""
    DEFAULT_CSS = """
    StageScreen #stage-main { height: 1fr; }
    StageScreen #stage-operations {
        width: 26; height: auto; max-height: 100%;
        border: round $panel-lighten-2; border-title-color: $accent;
    }
    StageScreen #stage-operations:focus { border: round $primary; }
    StageScreen #stage-bar { height: 1; background: $panel; color: $text; }
    StageScreen #breadcrumbs { height: 1; padding: 0 1; color: $text-muted; background: $surface; }
    """

    def __init__(
        self, workspace: Workspace, status: Callable[[], StatusBar | None], *, id: str
    ) -> None:
        super().__init__(id=id)
        self.workspace = workspace
        self.status_source = status
        self.trail: tuple[str, ...] = ("Home", stage_for(self.STAGE).title)
        self.settled = False
        """True once the screen shows its data (measured, read): tests and snapshots wait on it."""
        self.view_state = StageView()
        """What is remembered of this screen; restored from the session on mount."""

    def compose(self) -> ComposeResult:
        bar = StageBar(id="stage-bar")
        bar.stage = self.STAGE
        yield bar
        crumbs = Breadcrumbs(id="breadcrumbs")
        crumbs.trail = self.trail
        yield crumbs
        with Horizontal(id="stage-main"):
            yield StagePanel(stage_for(self.STAGE), id="stage-operations")
            yield from self.compose_body()
        yield StatusMirror(self.status_source)
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        if self.workspace.loaded:
            self.view_state = self.workspace.session.stage_view(self.STAGE)

    def on_screen_resume(self) -> None:
        self.query_one(StatusMirror).follow()
        self.query_one(StageBar).refresh()  # the keys may have been remapped meanwhile

    def trail_tail(self) -> list[str]:
        """What follows "Home › <stage>" in the breadcrumbs (the view, the chapter)."""
        return []

    def show_trail(self, trail: list[str]) -> None:
        """Show the trail the app computed (kept until composed, on a screen not yet so)."""
        self.trail = tuple(trail)
        for crumbs in self.query(Breadcrumbs):
            crumbs.trail = self.trail

    def remember(self, **changes: object) -> None:
        """Change what is remembered of this screen, keep it in the session, and let the
        breadcrumbs follow."""
        self.view_state = StageView.model_validate({**self.view_state.model_dump(), **changes})
        session = self.workspace.session if self.workspace.loaded else None
        if session is not None and not session.read_only:
            session.set_stage_view(self.STAGE, self.view_state)
        self.post_message(TrailChanged())

    # -- measuring the book (Analyzing, Scoring) ---------------------------------------------

    def start_measuring(self) -> None:
        self.show_progress(self.MEASURING)
        self._measure_book()

    @work(thread=True, exclusive=True, group="stage-measure")
    def _measure_book(self) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                text = self.STEP.format(done=done, total=total)
                self.app.call_from_thread(self.show_progress, text)

        try:
            from writers_factory.ai.analysis.book import measure_book  # not at start-up

            measures = measure_book(self.workspace.project, scores=self.SCORES, progress=progress)
        except OSError as exc:
            self.app.call_from_thread(self.show_progress, f"Could not read the book: {exc}")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._measured, measures)

    def _measured(self, measures: BookMeasures) -> None:
        if self.is_attached:
            self.show_measures(measures)

    def show_progress(self, text: str) -> None:
        if self.is_attached and self.PROGRESS:
            self.query_one(f"#{self.PROGRESS}", Static).update(text)

    def show_measures(self, measures: BookMeasures) -> None:
        """A measuring run's results (measuring screens show them)."""
