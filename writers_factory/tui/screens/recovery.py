"""Shown at start when the previous session did not close cleanly (and the checks that decide).

The writer sees what is at stake before choosing: when the session last saved, how long it
ran, and each file with unsaved text in the journal — how much differs and which copy is
newer. Recover restores everything as unsaved edits; Start fresh keeps the journal aside in
``.session/recovered/`` (nothing is deleted); Quit leaves everything exactly as it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, Static

from writers_factory.store.manuscript.buffers import FileBuffer
from writers_factory.store.manuscript.journal import (
    Assessment,
    Journal,
    JournalEntry,
    JournalProblem,
    Newer,
)
from writers_factory.store.session.session import Session
from writers_factory.tui.screens.second_instance import SecondInstanceChoice, SecondInstanceScreen


class RecoveryChoice(enum.StrEnum):
    RECOVER = "recover"
    START_FRESH = "start-fresh"
    QUIT = "quit"


_NEWER_TEXT = {
    Newer.JOURNAL: "unsaved text is newer",
    Newer.FILE: "file on disk is newer",
    Newer.SAME: "same as the file",
    Newer.FILE_MISSING: "file is missing",
}


def describe_duration(span: timedelta | None) -> str:
    if span is None:
        return "unknown"
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def describe_entries(items: Sequence[Assessment], problems: Sequence[JournalProblem]) -> str:
    if not items and not problems:
        return "No unsaved text was waiting in the journal."
    width = max([len(a.entry.path) for a in items] + [4])
    lines = [f"{'File':<{width}}  {'Difference':<24}  Newer copy"]
    for a in items:
        lines.append(f"{a.entry.path:<{width}}  {a.diff.describe():<24}  {_NEWER_TEXT[a.newer]}")
    for p in problems:
        lines.append(f"{p.file.name}: unreadable ({p.message}); left in place")
    return "\n".join(lines)


class RecoveryScreen(ModalScreen[RecoveryChoice]):
    AUTO_FOCUS = "#recover"  # focused when shown, without a query racing the mount
    DEFAULT_CSS = """
    RecoveryScreen { align: center middle; }
    RecoveryScreen > Vertical {
        width: 90; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    RecoveryScreen .title { text-style: bold; color: $warning; margin-bottom: 1; }
    RecoveryScreen .detail { margin-bottom: 1; }
    RecoveryScreen VerticalScroll { height: auto; max-height: 12; margin-bottom: 1; }
    RecoveryScreen Horizontal { height: auto; align-horizontal: center; }
    RecoveryScreen Button { margin: 0 1; }
    """
    BINDINGS = [  # noqa: RUF012 - Textual's declared class attribute
        Binding("r", "choose('recover')", "Recover", show=False),
        Binding("f", "choose('start-fresh')", "Start fresh", show=False),
        Binding("q", "choose('quit')", "Quit", show=False),
    ]

    def __init__(
        self,
        *,
        last_saved: datetime | None,
        ran_for: timedelta | None,
        items: Sequence[Assessment],
        problems: Sequence[JournalProblem] = (),
    ) -> None:
        super().__init__()
        self.last_saved = last_saved
        self.ran_for = ran_for
        self.items = list(items)
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        saved = f"{self.last_saved:%Y-%m-%d %H:%M:%S}" if self.last_saved else "never"
        with Vertical():
            yield Label("⚠ The previous session was interrupted", classes="title")
            yield Static(
                f"Last saved: {saved}\nIt ran for: {describe_duration(self.ran_for)}",
                classes="detail",
            )
            with VerticalScroll():
                yield Static(
                    describe_entries(self.items, self.problems), id="journal-entries", markup=False
                )
            yield Static(
                "Recover restores the unsaved text as unsaved edits, with the stage and open "
                "files. Start fresh keeps the unsaved text aside in .session/recovered/ "
                "(nothing is deleted).",
                classes="detail",
            )
            with Horizontal():
                yield Button("Recover", id="recover", variant="primary")
                yield Button("Start fresh", id="start-fresh")
                yield Button("Quit", id="quit")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id is not None:
            self.dismiss(RecoveryChoice(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(RecoveryChoice(choice))


class StartDecision(enum.StrEnum):
    """What the start-up checks decided; the app restores the workspace unless QUIT."""

    NORMAL = "normal"
    RECOVER = "recover"  # restore the workspace, then the journal's text as unsaved edits
    FRESH = "fresh"  # restore the workspace from the files; the journal was set aside
    READ_ONLY = "read-only"  # another live instance owns the project: write nothing
    QUIT = "quit"  # leave everything exactly as it is


class EditorOpener(Protocol):
    """What opening files needs of the tabbed editor (mirrors ``Editor.open``/``activate``).

    Declared once, here: recovery re-opens journaled buffers with it, and the save
    coordinator's fuller editor protocol extends it.
    """

    async def open(
        self,
        path: Path,
        text: str,
        disk: FileBuffer,
        cursor: tuple[int, int] = (0, 0),
        *,
        dirty: bool = False,
        activate: bool = True,
    ) -> Any: ...

    def activate(self, path: Path) -> None: ...


async def ask(app: App[Any], screen: Screen[Any]) -> Any:
    """Show ``screen`` and wait for its answer (works inside and outside workers)."""
    answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def done(result: Any) -> None:
        if not answer.done():
            answer.set_result(result)

    app.push_screen(screen, callback=done)
    return await answer


class StartupChecks:
    """Before the workspace is restored: second instance? interrupted? unsaved journal text?"""

    def __init__(
        self, app: App[Any], session: Session, journal: Journal, clock: Callable[[], datetime]
    ) -> None:
        self.app = app
        self.session = session
        self.journal = journal
        self.clock = clock
        self.to_recover: list[JournalEntry] = []

    async def run(self) -> StartDecision:
        session = self.session
        owner = session.other_instance
        if owner is not None:
            answer = await ask(
                self.app,
                SecondInstanceScreen(
                    pid=owner.pid,
                    host=owner.host,
                    user=owner.user,
                    started_at=owner.started_at.astimezone(),
                    heartbeat_at=owner.heartbeat_at.astimezone(),
                ),
            )
            if answer is SecondInstanceChoice.READ_ONLY:
                return StartDecision.READ_ONLY
            return StartDecision.QUIT
        if session.read_only:
            return StartDecision.READ_ONLY
        items, problems = await asyncio.to_thread(self.journal.assess_all)
        for same in [a for a in items if a.newer is Newer.SAME]:
            # provably useless: the file already holds exactly this text
            with contextlib.suppress(OSError):
                await asyncio.to_thread(
                    self.journal.discard_if_saved, Path(same.entry.path), same.entry.text
                )
        items = [a for a in items if a.newer is not Newer.SAME]
        if not session.was_interrupted() and not items and not problems:
            return StartDecision.NORMAL
        previous = session.previous
        choice = await ask(
            self.app,
            RecoveryScreen(
                last_saved=previous.last_activity.astimezone() if previous else None,
                ran_for=timedelta(minutes=session.duration_minutes) if previous else None,
                items=items,
                problems=problems,
            ),
        )
        if choice is RecoveryChoice.RECOVER:
            self.to_recover = [a.entry for a in items]
            return StartDecision.RECOVER
        if choice is RecoveryChoice.START_FRESH:
            await asyncio.to_thread(self.journal.set_aside, self.clock())
            return StartDecision.FRESH
        return StartDecision.QUIT

    async def apply(self, editor: EditorOpener) -> list[Path]:
        """After the normal restore: show each journal text as unsaved edits of its file.

        The disk side keeps the hash from the original load, so if the file changed since,
        the first save asks (keep mine / take theirs / keep both) instead of overwriting.
        The journal entries stay until the recovered text is saved.
        """
        restored: list[Path] = []
        for entry in self.to_recover:
            rel = Path(entry.path)
            disk = FileBuffer(self.session.project_path / rel, entry.base_sha256, None)
            cursor = (entry.cursor_line, entry.cursor_col)
            area = await editor.open(rel, entry.text, disk, cursor, dirty=True, activate=False)
            area.disk = disk
            area.dirty = True
            self.session.open_file(rel, *cursor)
            restored.append(rel)
        self.to_recover = []
        return restored
