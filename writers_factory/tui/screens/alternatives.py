"""Choose one of the alternatives an AI rewrite offered; the chosen one is what Accept puts in.

Each alternative is shown whole, so the writer compares them as they would read. Escape
chooses none: nothing changes, and the alternatives stay in the AI pane.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option


class AlternativesScreen(ModalScreen[str | None]):
    """Dismisses with the chosen alternative's text, or ``None``."""

    DEFAULT_CSS = """
    AlternativesScreen .wf-dialog { width: 90; max-width: 95%; }
    AlternativesScreen #alternatives { height: auto; max-height: 20; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel")
    ]
    AUTO_FOCUS = "#alternatives"

    def __init__(self, alternatives: tuple[str, ...]) -> None:
        super().__init__(classes="wf-modal")
        self.alternatives = alternatives

    def compose(self) -> ComposeResult:
        with Vertical(classes="wf-dialog"):
            yield Label("Choose the rewrite to put in", classes="wf-dialog-title")
            yield OptionList(
                *(
                    Option(f"{number}. {text}", id=str(number - 1))
                    for number, text in enumerate(self.alternatives, start=1)
                ),
                id="alternatives",
            )
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button("Cancel", id="cancel")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option.id or 0)
        self.dismiss(self.alternatives[index])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
