"""Choose what the Enhancing screen compares the chapter with: one of its earlier versions
(the snapshot history), or the latest rewrite again. Escape chooses nothing."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option

from writers_factory.tui.screens.stages.chapter_sources import Version

REWRITE = "rewrite"
"""The choice that compares with the latest rewrite (or AI result) again."""


class VersionPicker(ModalScreen[str | None]):
    """Dismisses with a snapshot id, ``REWRITE``, or ``None``."""

    DEFAULT_CSS = """
    VersionPicker .wf-dialog { width: 70; max-width: 95%; }
    VersionPicker #versions { height: auto; max-height: 16; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel")
    ]
    AUTO_FOCUS = "#versions"

    def __init__(self, chapter: str, versions: list[Version]) -> None:
        super().__init__(classes="wf-modal")
        self.chapter = chapter
        self.versions = versions

    def compose(self) -> ComposeResult:
        with Vertical(classes="wf-dialog"):
            yield Label(f"Compare {self.chapter} with…", classes="wf-dialog-title")
            yield OptionList(
                Option("The latest rewrite (or AI result)", id=REWRITE),
                *(Option(v.label, id=v.id) for v in self.versions),
                id="versions",
            )
            if not self.versions:
                yield Label("No earlier version of this chapter is kept yet.")
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button("Cancel", id="cancel")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
