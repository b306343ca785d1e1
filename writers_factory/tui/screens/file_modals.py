"""Small modals for the project tree: ask for a name, confirm a delete.

They only collect an answer; the app does the file work in a thread, so a modal never
touches the disk and a cancelled modal changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label
from textual.widgets.input import Selection

from writers_factory.tui.screens.form_dialog import FormDialog

NameCheck = Callable[[str], str | None]
"""Says what is wrong with a name (shown under the field, the dialog stays open), or None."""


class NameModal(FormDialog[str]):
    """Ask for a file name; dismisses with the stripped name, or ``None`` when cancelled.

    ``check`` is asked on submit: a name it refuses keeps the dialog open with the reason
    under the field and the typed name in place (a name with "/" used to close the dialog
    and lose what was typed). ``error`` opens the dialog already saying what went wrong
    (asked again after the disk refused the name)."""

    DEFAULT_CSS = "NameModal #name-error { width: 100%; }"
    """The reason wraps inside the dialog instead of running past its edge."""

    def __init__(
        self,
        title: str,
        prompt: str,
        value: str = "",
        *,
        ok_label: str = "OK",
        check: NameCheck | None = None,
        error: str = "",
    ) -> None:
        super().__init__(classes="wf-modal")
        self.title_text = title
        self.prompt = prompt
        self.value = value
        self.ok_label = ok_label
        self.check = check
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="wf-dialog"):
            yield Label(self.title_text, classes="wf-dialog-title")
            yield Label(self.prompt)
            yield Input(self.value, id="name-input")
            yield Label(self.error, id="name-error", classes="wf-dialog-error", markup=False)
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button(self.ok_label, variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        stem_end = self.value.rfind(".")
        if stem_end > 0:  # select the stem so typing replaces the name, not the extension
            self.call_after_refresh(setattr, field, "selection", Selection(0, stem_end))

    def show_error(self, message: str) -> None:
        """Keep the modal open and say what is wrong with the name."""
        self.query_one("#name-error", Label).update(message)

    def _submit(self) -> None:
        name = self.query_one(Input).value.strip()
        if not name:
            self.show_error("Please type a name.")
            return
        problem = None if self.check is None else self.check(name)
        if problem:
            self.show_error(problem)
            return
        self.dismiss(name)


class ConfirmModal(ModalScreen[bool]):
    """Ask a yes/no question; the safe answer (No) has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel")
    ]

    def __init__(self, title: str, message: str, *, yes_label: str = "Yes") -> None:
        super().__init__(classes="wf-modal")
        self.title_text = title
        self.message = message
        self.yes_label = yes_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="wf-dialog"):
            yield Label(self.title_text, classes="wf-dialog-title")
            yield Label(self.message)
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button(self.yes_label, variant="error", id="yes")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)
