"""Shown when ``lock.json`` says someone else has this project open.

Two writers on one project overwrite each other, so the writer is told who (process, user,
host) and how long ago it was last active, and chooses: look without touching (read-only),
take the project over, or leave. Take over is offered only where it is safe
(``Session.takeover_possible``): a lock from another host, which cannot be checked from
here, or a live process on this machine that does not hold the OS lock. A current Writers
Factory running here holds it, and is never taken over: its unsaved work matters.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class SecondInstanceChoice(enum.StrEnum):
    READ_ONLY = "read-only"
    TAKE_OVER = "take-over"
    QUIT = "quit"


def describe_age(seconds: float) -> str:
    """A heartbeat's age in the words a writer reads at a glance."""
    if seconds < 0:
        return "in the future (the clocks disagree)"
    if seconds < 90:
        return f"{int(seconds)} seconds ago"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes ago"
    if seconds < 48 * 3600:
        return f"{round(seconds / 3600)} hours ago"
    return f"{round(seconds / 86400)} days ago"


class SecondInstanceScreen(ModalScreen[SecondInstanceChoice]):
    DEFAULT_CSS = """
    SecondInstanceScreen { align: center middle; }
    SecondInstanceScreen > Vertical {
        width: 74; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    SecondInstanceScreen .title { text-style: bold; color: $warning; margin-bottom: 1; }
    SecondInstanceScreen .detail { margin-bottom: 1; }
    SecondInstanceScreen Horizontal { height: auto; align-horizontal: center; }
    SecondInstanceScreen Button { margin: 0 1; }
    """
    BINDINGS = [  # noqa: RUF012 - Textual's declared class attribute
        Binding("r", "choose('read-only')", "Open read-only", show=False),
        Binding("t", "choose('take-over')", "Take over", show=False),
        Binding("q,escape", "choose('quit')", "Quit", show=False),
    ]

    def __init__(
        self,
        *,
        pid: int,
        host: str,
        user: str,
        started_at: datetime,
        heartbeat_at: datetime,
        foreign: bool = False,
        can_take_over: bool = False,
        now: datetime | None = None,
        author: str = "",
    ) -> None:
        super().__init__()
        self.author = author
        """The co-author holding the project (empty when it was opened without one)."""
        self.pid = pid
        self.host = host
        self.user = user
        self.started_at = started_at
        self.heartbeat_at = heartbeat_at
        self.foreign = foreign
        self.can_take_over = can_take_over
        self.now = now or datetime.now(UTC)

    def compose(self) -> ComposeResult:
        where = "on another computer" if self.foreign else "on this computer"
        age = describe_age((self.now - self.heartbeat_at).total_seconds())
        with Vertical():
            yield Label("⚠ This project is already open", classes="title")
            author = f"Author:      {self.author}\n" if self.author else ""
            yield Static(
                f"Another Writers Factory {where} has it open.\n"
                f"{author}"
                f"Host:        {self.host}\n"
                f"User:        {self.user or 'unknown'}\n"
                f"Process:     {self.pid}\n"
                f"Started:     {self.started_at:%Y-%m-%d %H:%M:%S}\n"
                f"Last active: {self.heartbeat_at:%Y-%m-%d %H:%M:%S} ({age})",
                classes="detail",
                markup=False,
            )
            yield Static(self._advice(), classes="detail")
            with Horizontal():
                yield Button("Open read-only", id="read-only", variant="primary")
                if self.can_take_over:
                    yield Button("Take over", id="take-over", variant="warning")
                yield Button("Quit", id="quit")

    def _advice(self) -> str:
        if not self.can_take_over:
            return (
                "Open read-only to look without changing anything, or quit and switch to "
                "the other window."
            )
        if self.foreign:
            return (
                "Take over only if that computer no longer has the project open (it crashed, "
                "or the folder was copied): its window stops saving when it notices."
            )
        return (
            "That process does not hold this project's lock (an older version, or a number "
            "reused by another program). Take over only if you closed that window."
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id is not None:
            self.dismiss(SecondInstanceChoice(event.button.id))

    def action_choose(self, choice: str) -> None:
        answer = SecondInstanceChoice(choice)
        if answer is SecondInstanceChoice.TAKE_OVER and not self.can_take_over:
            return  # not offered: the key does nothing
        self.dismiss(answer)
