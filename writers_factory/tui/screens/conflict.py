"""Asked before a save would overwrite a file that changed outside Writers Factory.

Nothing is overwritten without the writer's choice: keep mine (overwrite), take theirs
(reload, my edits are dropped from the editor — they stay in the recovery journal until the
reloaded text is saved), keep both (mine goes to a sibling "my copy" file). Escape means
"decide later": the buffer stays unsaved and journaled, and ctrl+s asks again.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from writers_factory.store.manuscript.buffers import DiskState, FileBuffer, SaveConflict
from writers_factory.store.manuscript.journal import Journal


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
                'Keep both: save mine beside it as a "my copy" file; theirs stays as it is.\n'
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


@dataclass
class Resolution:
    choice: ConflictChoice | None
    written: list[Path] = field(default_factory=list)


async def resolve_conflict(
    app: App[Any],
    area: Any,
    text: str,
    conflict: SaveConflict,
    *,
    editor: Any,
    journal: Journal,
    remember: Callable[[Path, bytes], None] | None,
    now: datetime,
) -> Resolution:
    """Ask, then carry out the writer's choice; file I/O in threads, widgets on the loop.

    ``area`` is the editor buffer (path, disk, text, load_text); ``editor`` the tabbed editor
    (mark_saved, open, close) or None. Raises ``OSError`` when a chosen write fails.
    """
    path: Path = area.path
    disk: FileBuffer = area.disk
    # keep the writer's text safe before asking: the question may wait a long time
    with contextlib.suppress(OSError):
        await asyncio.to_thread(
            journal.write, path, text, disk.base_sha256, cursor=area.cursor_location, now=now
        )
    disk_text = conflict.disk_text
    screen = ConflictScreen(
        path.as_posix(), conflict.state, len(text), None if disk_text is None else len(disk_text)
    )
    from writers_factory.tui.screens.recovery import ask

    choice: ConflictChoice | None = await ask(app, screen)
    outcome = Resolution(choice)
    if choice is ConflictChoice.KEEP_MINE:
        written = await asyncio.to_thread(disk.keep_mine, text, remember=remember)
        outcome.written.append(written.path)
        await asyncio.to_thread(journal.discard_if_saved, path, text)
    elif choice is ConflictChoice.TAKE_THEIRS:
        theirs = await asyncio.to_thread(disk.take_theirs)
        # mine was not chosen, but it is still the writer's: kept aside, not deleted
        await asyncio.to_thread(journal.set_aside_entry, path, now)
        if editor is not None:
            await _show_theirs(editor, area, theirs)
    elif choice is ConflictChoice.KEEP_BOTH:
        copy, theirs = await asyncio.to_thread(
            disk.keep_both, text, now.astimezone(), remember=remember
        )
        outcome.written.append(copy.path)
        await asyncio.to_thread(journal.discard_if_saved, path, text)
        if editor is not None:
            await _show_theirs(editor, area, theirs)
            copy_disk, copy_text = await asyncio.to_thread(FileBuffer.load, copy.path)
            rel = copy.path.relative_to(journal.project.absolute())
            await editor.open(rel, copy_text, copy_disk, activate=False)
    else:
        app.notify(
            f"{path} was not saved: it changed on disk. Your text is kept in the recovery "
            "journal; ctrl+s asks again.",
            title="Decide later",
            severity="warning",
        )
    return outcome


async def _show_theirs(editor: Any, area: Any, theirs: str | None) -> None:
    if theirs is None:
        await editor.close(area.path)
        return
    with area.prevent(TextArea.Changed):  # a reload is not typing
        area.load_text(theirs)
    area.dirty = False
    editor.mark_saved(area.path, theirs)
    editor.refresh_title(area.path)


def asking_about(app: App[Any], name: str) -> bool:
    """True while a conflict question about ``name`` is on screen (never ask twice)."""
    return any(
        isinstance(screen, ConflictScreen) and screen.file_name == name
        for screen in app.screen_stack
    )
