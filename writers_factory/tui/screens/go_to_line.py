"""Go to a line of the open file: a number, checked before the dialog closes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


def parse_line(text: str, last: int) -> int:
    """The line number typed (1 to ``last``); ``ValueError`` saying what is allowed."""
    value = text.strip()
    if not value.isdigit():
        raise ValueError(f"Type a line number from 1 to {last}.")
    number = int(value)
    if not 1 <= number <= last:
        raise ValueError(f"There is no line {number}: this file has lines 1 to {last}.")
    return number


class GoToLineScreen(ModalScreen[int | None]):
    """Ask for a line number; dismisses with it (from 1), or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel")
    ]

    def __init__(self, current: int, last: int) -> None:
        super().__init__(classes="wf-modal")
        self.current = current
        self.last = last

    def compose(self) -> ComposeResult:
        with Vertical(classes="wf-dialog"):
            yield Label("Go to line", classes="wf-dialog-title")
            yield Label(f"Line number (1–{self.last}; now on {self.current})")
            yield Input(str(self.current), id="line-input", type="integer")
            yield Label("", id="line-error", classes="wf-dialog-error")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.select_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            number = parse_line(event.value, self.last)
        except ValueError as exc:
            self.query_one("#line-error", Label).update(str(exc))
            return
        self.dismiss(number)

    def action_cancel(self) -> None:
        self.dismiss(None)
