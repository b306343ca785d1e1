"""The prompt before it is sent: each part with its tokens and its share of the estimate.

Instructions, the chapter text, the selection, each story-bible note, the conversation so
far: the writer sees what each costs and may untick what need not go (what the operation
cannot do without stays ticked). The total follows the ticks; the controller re-plans what
is left, so what is sent is exactly what the estimate counted. Cancel has the focus: a stray
Enter sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList
from textual.widgets.selection_list import Selection

from writers_factory.ai.runner import dollars

if TYPE_CHECKING:
    from writers_factory.ai.runner import CostPlan, PromptPart


@dataclass(frozen=True)
class PreviewChoice:
    """Send (with these parts dropped) and the notes to pin or exclude from now on."""

    dropped: frozenset[str] = frozenset()
    pin: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()


def part_line(plan: CostPlan, part: PromptPart) -> str:
    """ "story bible: Ada Quill — 412 tokens · $0.0012 · 8%"."""
    share = plan.share(part) * 100
    return f"{part.label} — {part.tokens:,} tokens · {dollars(part.cost)} · {share:.0f}%"


class PromptPreviewScreen(ModalScreen[PreviewChoice | None]):
    """Dismisses with a :class:`PreviewChoice` to send, ``None`` to send nothing."""

    DEFAULT_CSS = """
    PromptPreviewScreen .wf-dialog { width: 90; max-width: 95%; }
    PromptPreviewScreen #preview-parts { height: auto; max-height: 16; }
    PromptPreviewScreen #preview-total, PromptPreviewScreen #preview-reply { width: 100%; }
    PromptPreviewScreen #preview-notes { color: $text-muted; width: 100%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel"),
        Binding("p", "pin", "Pin note", show=True),
        Binding("x", "exclude", "Exclude note", show=True),
    ]
    AUTO_FOCUS = "#cancel"

    def __init__(self, plan: CostPlan, notes: tuple[str, ...] = ()) -> None:
        super().__init__(classes="wf-modal")
        self.plan = plan
        self.notes = notes
        """Lines about the story bible: notes left out and why, problems of front matter."""
        self.pin: set[str] = set()
        self.exclude: set[str] = set()

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(classes="wf-dialog"):
            yield Label(f"Prompt preview — {plan.spec.title}", classes="wf-dialog-title")
            yield SelectionList[str](
                *(
                    Selection(part_line(plan, p), p.key, True, p.key, not p.droppable)
                    for p in plan.parts
                ),
                id="preview-parts",
            )
            reply = plan.estimated_cost - sum((p.cost for p in plan.parts), Decimal(0))
            yield Label(
                f"expected reply — ~{plan.expected_output_tokens:,} tokens · {dollars(reply)}",
                id="preview-reply",
            )
            yield Label(self._total(), id="preview-total")
            if self.notes:
                yield Label("\n".join(self.notes), id="preview-notes")
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button("Send", variant="warning", id="send")
                yield Button("Cancel", id="cancel")

    # ------------------------------------------------------------------ the figures
    def dropped(self) -> frozenset[str]:
        kept = set(self.query_one("#preview-parts", SelectionList).selected)
        return frozenset(p.key for p in self.plan.parts if p.droppable and p.key not in kept)

    def _total(self, dropped: frozenset[str] = frozenset()) -> str:
        plan = self.plan
        saved = sum((p.cost for p in plan.parts if p.key in dropped), Decimal(0))
        tokens = plan.input_tokens.count - sum(p.tokens for p in plan.parts if p.key in dropped)
        return f"Estimated: {dollars(plan.estimated_cost - saved)} (~{tokens:,} tokens sent)"

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        self.query_one("#preview-total", Label).update(self._total(self.dropped()))

    # ------------------------------------------------------------------ the answers
    def _highlighted_note(self) -> str | None:
        parts = self.query_one("#preview-parts", SelectionList)
        index = parts.highlighted
        if index is None:
            return None
        key = str(parts.get_option_at_index(index).value)
        return key.removeprefix("bible:") if key.startswith("bible:") else None

    def action_pin(self) -> None:
        note = self._highlighted_note()
        if note is not None:
            self.pin.add(note)
            self.exclude.discard(note)
            self.notify(f"{note} will be sent with every prompt (pinned).")

    def action_exclude(self) -> None:
        note = self._highlighted_note()
        if note is not None:
            self.exclude.add(note)
            self.pin.discard(note)
            self.query_one("#preview-parts", SelectionList).deselect(f"bible:{note}")
            self.notify(f"{note} will not be sent again (excluded).")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id != "send":
            self.dismiss(None)
            return
        self.dismiss(PreviewChoice(self.dropped(), frozenset(self.pin), frozenset(self.exclude)))

    def action_cancel(self) -> None:
        self.dismiss(None)
