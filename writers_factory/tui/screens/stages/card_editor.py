"""The dialog that edits (or adds) one outline card: a title and what the chapter must do."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea

CardText = tuple[str, str]
"""(title, body) as the writer left them."""


class CardEditor(ModalScreen[CardText | None]):
    """Dismisses with (title, body), or None when cancelled. Keep is reached by keyboard
    with tab (ctrl+s stays the app's Save everywhere)."""

    DEFAULT_CSS = """
    CardEditor .wf-dialog { width: 70; }
    CardEditor TextArea { height: 8; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel"),
    ]

    def __init__(self, heading: str, title: str = "", body: str = "") -> None:
        super().__init__(classes="wf-modal")
        self.heading = heading
        self.card_title = title
        self.card_body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="wf-dialog"):
            yield Label(self.heading, classes="wf-dialog-title")
            yield Input(self.card_title, placeholder="Chapter 12: the letter", id="card-title")
            yield TextArea(self.card_body, id="card-body", soft_wrap=True)
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button("Keep", variant="primary", id="keep")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#card-title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#card-body", TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "keep":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        title = self.query_one("#card-title", Input).value.strip()
        if not title:
            self.notify("A card needs a title.", severity="warning")
            return
        self.dismiss((title, self.query_one("#card-body", TextArea).text))

    def action_cancel(self) -> None:
        self.dismiss(None)
