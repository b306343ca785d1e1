"""Shown when another live Writers Factory already has this project open.

Two writers on one project overwrite each other, so the only choices are to look without
touching (read-only) or to leave. There is deliberately no "delete the lock": the other
instance is alive and its unsaved work matters.
"""

from __future__ import annotations

import enum
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class SecondInstanceChoice(enum.StrEnum):
    READ_ONLY = "read-only"
    QUIT = "quit"


class SecondInstanceScreen(ModalScreen[SecondInstanceChoice]):
    DEFAULT_CSS = """
    SecondInstanceScreen { align: center middle; }
    SecondInstanceScreen > Vertical {
        width: 70; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    SecondInstanceScreen .title { text-style: bold; color: $warning; margin-bottom: 1; }
    SecondInstanceScreen .detail { margin-bottom: 1; }
    SecondInstanceScreen Horizontal { height: auto; align-horizontal: center; }
    SecondInstanceScreen Button { margin: 0 1; }
    """
    BINDINGS = [  # noqa: RUF012 - Textual's declared class attribute
        Binding("r", "choose('read-only')", "Open read-only", show=False),
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
    ) -> None:
        super().__init__()
        self.pid = pid
        self.host = host
        self.user = user
        self.started_at = started_at
        self.heartbeat_at = heartbeat_at

    def compose(self) -> ComposeResult:
        owner = f"{self.user}@{self.host}" if self.user else self.host
        with Vertical():
            yield Label("⚠ This project is already open", classes="title")
            yield Static(
                f"Another Writers Factory (process {self.pid}, {owner}) is running on it.\n"
                f"Started:     {self.started_at:%Y-%m-%d %H:%M:%S}\n"
                f"Last active: {self.heartbeat_at:%Y-%m-%d %H:%M:%S}",
                classes="detail",
                markup=False,
            )
            yield Static(
                "Open read-only to look without changing anything, or quit and switch to "
                "the other window.",
                classes="detail",
            )
            with Horizontal():
                yield Button("Open read-only", id="read-only", variant="primary")
                yield Button("Quit", id="quit")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id is not None:
            self.dismiss(SecondInstanceChoice(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(SecondInstanceChoice(choice))
