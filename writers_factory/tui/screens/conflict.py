"""Asked before a save would overwrite a file that changed outside Writers Factory.

Nothing is overwritten without the writer's choice: keep mine (overwrite), take theirs
(reload; my text is set aside in ``.session/recovered/``), keep both (mine goes to a "my
copy" file in ``planning/copies/``, where it is not counted as a chapter). Escape means
"decide later": the buffer stays unsaved and journaled, and ctrl+s asks again. The screen
only asks; ``controllers/conflicts.py`` carries out the answer.
"""

from __future__ import annotations

import enum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from writers_factory.store.manuscript.buffers import DiskState


class ConflictChoice(enum.StrEnum):
    KEEP_MINE = "keep-mine"
    TAKE_THEIRS = "take-theirs"
    KEEP_BOTH = "keep-both"


class ConflictScreen(ModalScreen[ConflictChoice | None]):
    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical {
        width: 72; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    ConflictScreen .title { text-style: bold; color: $warning; margin-bottom: 1; }
    ConflictScreen .detail { margin-bottom: 1; }
    ConflictScreen Horizontal { height: auto; align-horizontal: center; }
    ConflictScreen Button { margin: 0 1; }
    """
    BINDINGS = [  # noqa: RUF012 - Textual's declared class attribute
        Binding("escape", "later", "Decide later"),
        Binding("m", "choose('keep-mine')", "Keep mine", show=False),
        Binding("t", "choose('take-theirs')", "Take theirs", show=False),
        Binding("b", "choose('keep-both')", "Keep both", show=False),
    ]

    def __init__(self, name: str, state: DiskState, mine_chars: int, theirs_chars: int | None):
        super().__init__()
        self.file_name = name
        self.state = state
        self.mine_chars = mine_chars
        self.theirs_chars = theirs_chars

    def compose(self) -> ComposeResult:
        mine = f"your text ({self.mine_chars:,} characters)"
        if self.state is DiskState.DELETED:
            title = "⚠ The file was deleted"
            what = f"{self.file_name} was deleted outside Writers Factory."
            keep = f"Keep mine: write it back with {mine}."
            theirs = "Take theirs: accept the deletion and close the file."
        else:
            title = "⚠ The file changed on disk"
            what = f"{self.file_name} was changed outside Writers Factory."
            keep = f"Keep mine: overwrite it with {mine}."
            theirs = f"Take theirs: reload the file from disk ({self.theirs_chars:,} characters)."
        with Vertical():
            yield Label(title, classes="title")
            yield Static(what, classes="detail", markup=False)
            yield Static(
                f"{keep}\n"
                f"{theirs}\n"
                'Keep both: save mine as a "my copy" file in planning/copies/; theirs stays.\n'
                "Escape: decide later (nothing is written; your text stays in the journal).",
                classes="detail",
            )
            with Horizontal():
                yield Button("Keep mine", id="keep-mine", variant="warning")
                yield Button("Take theirs", id="take-theirs")
                yield Button("Keep both", id="keep-both", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id is not None:
            self.dismiss(ConflictChoice(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(ConflictChoice(choice))

    def action_later(self) -> None:
        self.dismiss(None)
