"""The behaviour every dialog with fields shares: Enter in a field or OK submits, Cancel or
Escape dismisses with ``None``.

One place for it, so each dialog holds only what is its own (its fields and how it reads
them) and a change to how dialogs answer keys reaches all of them.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Button, Input

T = TypeVar("T")


class FormDialog(ModalScreen[T | None]):
    """A modal with fields, a submit button (id :attr:`SUBMIT_ID`) and a cancel button (any
    other id)."""

    SUBMIT_ID: ClassVar[str] = "ok"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel")
    ]

    @abstractmethod
    def _submit(self) -> None:
        """Read the fields: dismiss with the value, or keep the dialog open saying why."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == self.SUBMIT_ID:
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
