"""Asked when a save meets a chapter the writer made read-only (no write permission).

Their permission is a decision: the file is never overwritten. The writer may save the text
as a "my copy" file in planning/copies/ (the name and place keep-both uses), or not now:
then nothing is written, the buffer stays unsaved and journaled, and ctrl+s asks again. The
screen only asks; ``controllers/read_only_files.py`` carries out the answer.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ReadOnlyFileScreen(ModalScreen[bool]):
    """True: save a copy; False (or escape): not now."""

    DEFAULT_CSS = """
    ReadOnlyFileScreen { align: center middle; }
    ReadOnlyFileScreen > Vertical {
        width: 72; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    ReadOnlyFileScreen .title { text-style: bold; color: $warning; margin-bottom: 1; }
    ReadOnlyFileScreen .detail { margin-bottom: 1; }
    ReadOnlyFileScreen Horizontal { height: auto; align-horizontal: center; }
    ReadOnlyFileScreen Button { margin: 0 1; }
    """
    BINDINGS = [  # noqa: RUF012 - Textual's declared class attribute
        Binding("escape", "later", "Not now"),
    ]

    def __init__(self, name: str, chars: int) -> None:
        super().__init__()
        self.file_name = name
        self.chars = chars

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("⚠ The file is read-only", classes="title")
            yield Static(
                f"{self.file_name} is read-only (its permissions allow no writing), so it was "
                "not overwritten.",
                classes="detail",
                markup=False,
            )
            yield Static(
                f'Save a copy: your text ({self.chars:,} characters) goes to a "my copy" file '
                "in planning/copies/, which opens; the read-only file stays as it is.\n"
                "Not now: nothing is written; your text stays in the journal and ctrl+s asks "
                "again.",
                classes="detail",
            )
            with Horizontal():
                yield Button("Save a copy", id="save-copy", variant="primary")
                yield Button("Not now", id="not-now")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "save-copy")

    def action_later(self) -> None:
        self.dismiss(False)
