"""Shown at start when the previous session did not close cleanly or left unsaved text.

The writer sees what is at stake before choosing: when the session last saved, how long it
ran, and for each file with unsaved text in the journal how much differs, the first changed
lines, and which version is kept. The safe version is chosen in advance where there is one;
where the file changed after the unsaved text was typed, both are shown side by side and
none is chosen — Recover is refused until the writer picks (or chooses Start fresh / Quit).
A recovered change that removes more than a fifth of a file says so in words.

Recover restores the chosen unsaved text as unsaved edits (nothing is written to a file);
Start fresh keeps all of it aside in ``.session/recovered/``; Quit leaves everything as is.
The screen only shows and answers; ``controllers/recovery.py`` acts on the answer.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet, Static

from writers_factory.store.manuscript.journal import JournalProblem
from writers_factory.store.manuscript.recovery import Assessment, Newer, Preview, Side


class RecoveryChoice(enum.StrEnum):
    RECOVER = "recover"
    START_FRESH = "start-fresh"
    QUIT = "quit"


@dataclass(frozen=True)
class RecoveryAnswer:
    choice: RecoveryChoice
    sides: dict[str, Side] = field(default_factory=dict)
    """For Recover: the version kept of each file (project-relative path)."""


_RELATION = {
    Newer.JOURNAL: "unsaved text is newer",
    Newer.FILE: "the file changed since: choose",
    Newer.FILE_DELETED: "the file was deleted since: choose",
    Newer.SAME: "same as the file",
    Newer.FILE_MISSING: "new file, never saved",
}
CHROME_ROWS = 16
"""Rows the question needs besides the list of files (title, notes, buttons, border)."""


def describe_duration(span: timedelta | None) -> str:
    if span is None:
        return "unknown"
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def describe(item: Assessment) -> str:
    """``manuscript/ch.md · unsaved text is newer`` and, below, how much differs where."""
    where = f", from line {item.preview.line}" if item.preview.line else ""
    return f"{item.entry.path} · {_RELATION[item.newer]}\n{item.diff.describe()}{where}:"


def preview_lines(preview: Preview, *, side: Side | None = None) -> str:
    """The first changed lines: one side's, or both marked − (the file) and + (unsaved)."""
    if side is Side.DISK:
        return "\n".join(preview.disk or ["(nothing here)"])
    if side is Side.UNSAVED:
        return "\n".join(preview.unsaved or ["(nothing here)"])
    lines = [f"− {line}" for line in preview.disk] + [f"+ {line}" for line in preview.unsaved]
    return "\n".join(lines) or "(no difference)"


class RecoveryScreen(ModalScreen[RecoveryAnswer]):
    AUTO_FOCUS = ".undecided, #recover"
    """The first file the writer must decide if there is one (it comes first), else Recover:
    focused when shown, without a query racing the mount."""
    DEFAULT_CSS = """
    RecoveryScreen { align: center middle; }
    RecoveryScreen > Vertical {
        width: 96; max-width: 100%; height: auto; max-height: 95%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    RecoveryScreen .title { text-style: bold; color: $warning; }
    RecoveryScreen .detail { margin-bottom: 1; }
    RecoveryScreen #journal-entries { height: auto; max-height: 12; }
    RecoveryScreen .file { text-style: bold; }
    RecoveryScreen .warning { color: $error; text-style: bold; }
    RecoveryScreen .preview { color: $text-muted; padding-left: 2; }
    RecoveryScreen .sides { height: auto; }
    RecoveryScreen .side {
        width: 1fr; height: auto; border: round $primary; color: $text-muted;
    }
    RecoveryScreen RadioSet { layout: horizontal; height: auto; border: none; margin-bottom: 1; }
    RecoveryScreen RadioSet:focus { border: none; background: $boost; }
    RecoveryScreen #recovery-refused { color: $error; text-style: bold; display: none; }
    RecoveryScreen .buttons { height: auto; align-horizontal: center; }
    RecoveryScreen Button { margin: 0 1; }
    """
    BINDINGS = [  # noqa: RUF012 - Textual's declared class attribute
        Binding("r", "choose('recover')", "Recover", show=False),
        Binding("f", "choose('start-fresh')", "Start fresh", show=False),
        Binding("q", "choose('quit')", "Quit", show=False),
    ]

    def __init__(
        self,
        *,
        last_saved: datetime | None,
        ran_for: timedelta | None,
        items: Sequence[Assessment],
        problems: Sequence[JournalProblem] = (),
    ) -> None:
        super().__init__()
        self.last_saved = last_saved
        self.ran_for = ran_for
        self.items = list(items)
        self.problems = list(problems)
        self.sides: dict[str, Side | None] = {a.entry.path: a.default for a in self.items}

    def undecided(self) -> list[int]:
        return [i for i, a in enumerate(self.items) if self.sides[a.entry.path] is None]

    def compose(self) -> ComposeResult:
        saved = f"{self.last_saved:%Y-%m-%d %H:%M:%S}" if self.last_saved else "never"
        with Vertical():
            yield Label("⚠ The previous session was interrupted", classes="title")
            yield Static(
                f"Last saved: {saved} · It ran for: {describe_duration(self.ran_for)}",
                classes="detail",
            )
            with VerticalScroll(id="journal-entries"):
                if not self.items and not self.problems:
                    yield Static("No unsaved text was waiting in the journal.", markup=False)
                for index, item in enumerate(self.items):
                    yield from self._compose_item(index, item)
                for problem in self.problems:
                    yield Static(
                        f"{problem.file.name}: unreadable ({problem.message}); left in place",
                        classes="warning",
                        markup=False,
                    )
            yield Static(
                "Recover restores the chosen unsaved text as unsaved edits: nothing is written "
                "to your files, and each file is kept in .session/versions/ before it is first "
                "saved over. Start fresh keeps all unsaved text aside in .session/recovered/.",
                classes="detail",
            )
            yield Static("", id="recovery-refused", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Recover", id="recover", variant="primary")
                yield Button("Start fresh", id="start-fresh")
                yield Button("Quit", id="quit")

    def _compose_item(self, index: int, item: Assessment) -> ComposeResult:
        yield Static(describe(item), classes="file", markup=False)
        warning = item.removal_warning()
        if warning is not None:
            yield Static(f"⚠ Recovering it {warning}", classes="warning", markup=False)
        if item.both_shown:
            with Horizontal(classes="sides"):
                disk = Static(
                    "(the file is gone)"
                    if item.newer is Newer.FILE_DELETED
                    else preview_lines(item.preview, side=Side.DISK),
                    classes="side",
                    markup=False,
                )
                disk.border_title = "File on disk"
                yield disk
                unsaved = Static(
                    preview_lines(item.preview, side=Side.UNSAVED), classes="side", markup=False
                )
                unsaved.border_title = "Unsaved text"
                yield unsaved
        else:
            yield Static(preview_lines(item.preview), classes="preview", markup=False)
        chosen = self.sides[item.entry.path]
        with RadioSet(id=f"side-{index}", classes="undecided" if chosen is None else ""):
            yield RadioButton(
                "Keep the unsaved text", value=chosen is Side.UNSAVED, id=f"side-{index}-unsaved"
            )
            yield RadioButton(
                "Keep the file as it is", value=chosen is Side.DISK, id=f"side-{index}-disk"
            )

    def on_resize(self, event: Resize) -> None:
        # the list of files takes what the rest leaves, so the buttons always show
        rows = max(6, event.size.height - CHROME_ROWS)
        # a resize may come before the list is composed or after it is gone (the app
        # closing as the question appears): there is nothing to size then
        for entries in self.query("#journal-entries"):
            entries.styles.max_height = rows

    def _refuse(self, message: str) -> None:
        refused = self.query_one("#recovery-refused", Static)
        refused.update(message)
        refused.display = bool(message)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        set_id, button_id = event.radio_set.id, event.pressed.id
        if set_id is None or button_id is None:
            return
        item = self.items[int(set_id.removeprefix("side-"))]
        self.sides[item.entry.path] = Side(button_id.rsplit("-", 1)[1])
        if not self.undecided():
            self._refuse("")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id is not None:
            self.action_choose(event.button.id)

    def action_choose(self, choice: str) -> None:
        answer = RecoveryChoice(choice)
        if answer is not RecoveryChoice.RECOVER:
            self.dismiss(RecoveryAnswer(answer))
            return
        undecided = self.undecided()
        if undecided:
            names = ", ".join(self.items[i].name for i in undecided)
            self._refuse(
                f"Choose which version to keep of {names} first (or Start fresh, or Quit)."
            )
            self.query_one(f"#side-{undecided[0]}", RadioSet).focus()
            return
        sides = {path: side for path, side in self.sides.items() if side is not None}
        self.dismiss(RecoveryAnswer(answer, sides))
