"""The question asked before an AI call that costs more than the writer's threshold.

It only collects the answer: the controller decides what runs, so declining can never
have sent anything. The safe answer (Cancel) has the focus, so a stray Enter spends nothing.
A single call also offers the prompt preview (``"preview"``): what each part of the prompt
costs, with the parts that need not go to be dropped there.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

PREVIEW = "preview"
"""The answer asking for the prompt preview instead of a yes or no."""


class CostConfirmScreen(ModalScreen[bool | str]):
    """ "This operation will cost about $0.15 (…). Continue?" — dismisses True to go ahead,
    False to send nothing, :data:`PREVIEW` to see the prompt's parts first."""

    DEFAULT_CSS = """
    CostConfirmScreen #cost-question, CostConfirmScreen #cost-warning { width: 100%; }
    CostConfirmScreen #cost-warning { color: $warning; text-style: bold; margin-top: 1; }
    """
    """The question wraps inside the dialog: a label sized to its text was cut at the
    dialog's edge, hiding the token count and the "Continue?" the writer answers."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel")
    ]
    AUTO_FOCUS = "#cancel"
    """Textual focuses this when the screen activates (after ``on_mount``): the safe answer."""

    def __init__(
        self, question: str, budget_warning: str | None = None, *, can_preview: bool = False
    ) -> None:
        super().__init__(classes="wf-modal")
        self.question = question
        self.budget_warning = budget_warning
        self.can_preview = can_preview

    def compose(self) -> ComposeResult:
        with Vertical(classes="wf-dialog"):
            yield Label("Confirm AI cost", classes="wf-dialog-title")
            yield Label(self.question, id="cost-question")
            if self.budget_warning:
                yield Label(f"⚠ {self.budget_warning}", id="cost-warning")
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button("Continue", variant="warning", id="continue")
                if self.can_preview:
                    yield Button("Preview…", id="preview")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "preview":
            self.dismiss(PREVIEW)
            return
        self.dismiss(event.button.id == "continue")

    def action_cancel(self) -> None:
        self.dismiss(False)
