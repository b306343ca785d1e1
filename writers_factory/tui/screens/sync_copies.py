"""The conflict copies a syncing tool left, and the one-copy-at-a-time merge.

:class:`CopiesScreen` lists the copies found in the writer's folders; choosing one opens
:class:`ResolveScreen`: the original and the copy side by side, change by change (paragraph
by paragraph), with the text both started from when the snapshot history holds it. For each
change the writer takes the original's side (``o``) or the copy's (``c``); "Apply" answers
with the choices, "Not now" (Escape) with ``None`` and nothing changes. The screens only
ask; ``controllers/sync_copies.py`` carries out the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from writers_factory.tui.widgets.numbered_changes import mark_selected, stepped

if TYPE_CHECKING:
    from writers_factory.core.copy_merge import Change, Side
    from writers_factory.store.sync_copies import Ancestor, SyncCopy

ORIGIN_TEXT = {
    "original": "changed here",
    "copy": "changed on the other machine",
    "both": "changed on both",
    "unknown": "",
}


class CopiesScreen(ModalScreen["SyncCopy | None"]):
    """The conflict copies in the writer's folders; Enter opens one, Escape closes."""

    DEFAULT_CSS = """
    CopiesScreen { align: center middle; }
    CopiesScreen > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 80%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    CopiesScreen .title { text-style: bold; margin-bottom: 1; }
    CopiesScreen OptionList { height: auto; max-height: 20; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="sync_copies.close"),
    ]

    def __init__(self, copies: list[SyncCopy]) -> None:
        super().__init__()
        self.copies = copies

    def compose(self) -> ComposeResult:
        with Vertical():
            count = len(self.copies)
            yield Label(
                f"{count} conflict cop{'y' if count == 1 else 'ies'} left by a syncing tool: "
                "choose one to compare and merge",
                classes="title",
            )
            yield OptionList(
                *[
                    Option(f"{c.copy}  (a copy of {c.original})", id=str(i))
                    for i, c in enumerate(self.copies)
                ],
                id="copies",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.copies[int(event.option.id or 0)])

    def action_close(self) -> None:
        self.dismiss(None)


class ChangeView(Horizontal):
    """One change: the original's paragraphs on the left, the copy's on the right; the side
    taken is marked."""

    DEFAULT_CSS = """
    ChangeView { height: auto; margin-bottom: 1; }
    ChangeView > Static { width: 1fr; padding: 0 1; }
    ChangeView.-selected { background: $boost; border-left: thick $accent; }
    ChangeView > .-taken { border: round $success; }
    """

    def __init__(self, change: Change, number: int, side: Side) -> None:
        super().__init__()
        self.change = change
        self.number = number
        self.side = side

    def compose(self) -> ComposeResult:
        yield Static(id="left")
        yield Static(id="right")

    def on_mount(self) -> None:
        self.show(self.side)

    def show(self, side: Side) -> None:
        self.side = side
        origin = ORIGIN_TEXT[self.change.origin]
        head = f"{self.number}. " + (f"{origin} — " if origin else "")
        left = Text(f"{head}original" + (" ✓ taken" if side == "original" else "") + "\n")
        left.stylize("bold")
        left.append("\n\n".join(self.change.hunk.old) or "(nothing here)", style="red")
        right = Text(f"{self.number}. copy" + (" ✓ taken" if side == "copy" else "") + "\n")
        right.stylize("bold")
        right.append("\n\n".join(self.change.hunk.new) or "(removed in the copy)", style="green")
        first, second = self.query_one("#left", Static), self.query_one("#right", Static)
        first.update(left)
        second.update(right)
        first.set_class(side == "original", "-taken")
        second.set_class(side == "copy", "-taken")


class ResolveScreen(ModalScreen["dict[int, Side] | None"]):
    """One copy against its original; answers with the side taken for each change."""

    DEFAULT_CSS = """
    ResolveScreen { align: center middle; }
    ResolveScreen > Vertical {
        width: 95%; height: 90%; border: thick $warning; background: $surface; padding: 0 1;
    }
    ResolveScreen .title { text-style: bold; }
    ResolveScreen .detail { color: $text-muted; }
    ResolveScreen #changes { height: 1fr; }
    ResolveScreen Horizontal#buttons { height: auto; align-horizontal: center; }
    ResolveScreen Button { margin: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "select(1)", "Next change", id="sync_copies.next"),
        Binding("up,k", "select(-1)", "Previous change", id="sync_copies.previous"),
        Binding("o", "take('original')", "Take original", id="sync_copies.original"),
        Binding("c", "take('copy')", "Take copy", id="sync_copies.copy"),
        Binding("a", "apply", "Apply", id="sync_copies.apply"),
        Binding("escape", "not_now", "Not now", id="sync_copies.not_now"),
    ]

    def __init__(self, copy: SyncCopy, changes: list[Change], ancestor: Ancestor | None) -> None:
        super().__init__()
        self.copy = copy
        self.changes = changes
        self.ancestor = ancestor
        self.chosen: dict[int, Side] = {i: c.proposed for i, c in enumerate(changes)}
        self.selected = 0

    def compose(self) -> ComposeResult:
        count = len(self.changes)
        with Vertical():
            yield Label(
                f"{self.copy.copy} — a conflict copy of {self.copy.original}", classes="title"
            )
            if self.ancestor is None:
                before = "No snapshot holds the text both started from: every change keeps "
                before += "the original until you take the copy's side."
            else:
                when = self.ancestor.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
                before = (
                    f"Both started from the snapshot of {when} ({self.ancestor.snapshot[:8]}): "
                    "each change proposes the side that made it."
                )
            yield Static(before, classes="detail", markup=False)
            yield Static(
                f"{count} change{'' if count == 1 else 's'}: ↑/↓ choose, o takes the original, "
                "c takes the copy, a applies (a snapshot first; the copy goes to the trash)."
                if count
                else "The two texts are the same: Apply moves the copy to the trash.",
                classes="detail",
                id="how",
            )
            with VerticalScroll(id="changes", can_focus=True):
                for i, change in enumerate(self.changes):
                    yield ChangeView(change, i + 1, self.chosen[i])
            with Horizontal(id="buttons"):
                yield Button("Apply", id="apply", variant="primary")
                yield Button("Not now", id="not-now")

    def on_mount(self) -> None:
        self.query_one("#changes", VerticalScroll).focus()
        self._mark()

    def _views(self) -> list[ChangeView]:
        return list(self.query(ChangeView))

    def _mark(self) -> None:
        mark_selected(self._views(), self.selected)

    def action_select(self, step: int) -> None:
        if self.changes:
            self.selected = stepped(self.selected, step, len(self.changes))
            self._mark()

    def action_take(self, side: Side) -> None:
        if not self.changes:
            return
        self.chosen[self.selected] = side
        self._views()[self.selected].show(side)
        self.action_select(1)

    def action_apply(self) -> None:
        self.dismiss(dict(self.chosen))

    def action_not_now(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.action_not_now()
