"""The suggestions for one misspelled word: pick one, add the word, or ignore it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

ADD = "\0add"
IGNORE = "\0ignore"


@dataclass(frozen=True)
class SpellingChoice:
    """What the writer chose: a replacement, or to add or ignore the word."""

    kind: Literal["replace", "add", "ignore"]
    text: str = ""


class SpellingScreen(ModalScreen[SpellingChoice | None]):
    """The suggestions, most likely first, then "add" and "ignore"; Escape changes nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel")
    ]

    DEFAULT_CSS = """
    SpellingScreen #spelling-options {
        height: auto;
        max-height: 14;
    }
    """

    def __init__(self, word: str, suggestions: list[str], *, can_add: bool = True) -> None:
        super().__init__(classes="wf-modal")
        self.word = word
        self.suggestions = suggestions
        self.can_add = can_add

    def compose(self) -> ComposeResult:
        options = [Option(text, id=f"s{index}") for index, text in enumerate(self.suggestions)]
        if not options:
            options.append(Option("(no suggestions)", id="none", disabled=True))
        if self.can_add:
            options.append(Option(f"Add “{self.word}” to the project dictionary", id=ADD))
        options.append(Option(f"Ignore “{self.word}” for this session", id=IGNORE))
        with Vertical(classes="wf-dialog"):
            yield Label(f"Spelling: “{self.word}”", classes="wf-dialog-title")
            yield OptionList(*options, id="spelling-options")
            yield Label("Enter chooses · Escape leaves the word as it is")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        options.highlighted = 0 if self.suggestions else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if option_id == ADD:
            self.dismiss(SpellingChoice("add", self.word))
        elif option_id == IGNORE:
            self.dismiss(SpellingChoice("ignore", self.word))
        elif option_id is not None and option_id.startswith("s"):
            self.dismiss(SpellingChoice("replace", self.suggestions[int(option_id[1:])]))

    def action_cancel(self) -> None:
        self.dismiss(None)
