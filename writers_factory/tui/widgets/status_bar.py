"""The status bar: the writer always knows whether their work is safe, and what AI cost.

Save state is a small state machine — saved (with an age that ticks every second), unsaved,
failed — driven by the save coordinator. The clock is injectable so snapshot tests render
the same "12s ago" every time.

It is told something on every keystroke and every second, so it must cost nothing: a part
whose text did not change is not touched at all, and a changed text asks for a full screen
layout only when the part's width can follow it (``width: auto``) and the width did change.
The save indicator takes the rest of the line (``1fr``): its text never moves anything else,
so it is only repainted.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


class SaveState(enum.StrEnum):
    NEVER = "never"
    SAVED = "saved"
    DIRTY = "dirty"
    FAILED = "failed"


def describe_age(seconds: float) -> str:
    """Short and calm: "just now", "12s ago", "3m ago", "2h ago"."""
    s = max(0, int(seconds))
    if s < 2:
        return "just now"
    if s < 60:
        return f"{s}s ago"
    if s < 3600:
        return f"{s // 60}m ago"
    return f"{s // 3600}h ago"


def format_dollars(amount: Decimal) -> str:
    return f"${amount.quantize(Decimal('0.01')):,}"


class Part(Static):
    """One text of the bar; remembers what it shows, so an unchanged text costs nothing."""

    def __init__(self, text: str, *, id: str, fixed_width: bool) -> None:
        super().__init__(text, id=id, markup=False)
        self.shown = text
        self.fixed_width = fixed_width
        """Its width does not follow its text (``1fr``): a new text is only repainted."""

    def show(self, text: str) -> bool:
        """Show ``text``; True when it changed. A full layout only if the width changed."""
        if text == self.shown:
            return False
        resized = not self.fixed_width and cell_len(text) != cell_len(self.shown)
        self.shown = text
        self.update(text, layout=resized)
        return True


class StatusBar(Horizontal):
    """One line at the bottom: save indicator on the left, costs on the right."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        dock: bottom;
        background: $panel;
        color: $text-muted;
    }
    StatusBar > #save-indicator { width: 1fr; padding: 0 1; }
    StatusBar > #save-indicator.-saved { color: $success; }
    StatusBar > #save-indicator.-dirty { color: $warning; }
    StatusBar > #save-indicator.-failed { color: $text; background: $error; text-style: bold; }
    StatusBar > #read-only { width: auto; padding: 0 1; color: $warning; display: none; }
    StatusBar > #read-only.-on { display: block; }
    StatusBar > #words { width: auto; padding: 0 1; display: none; }
    StatusBar > #words.-on { display: block; }
    StatusBar > #progress { width: auto; padding: 0 1; display: none; }
    StatusBar > #progress.-on { display: block; }
    StatusBar > #cost { width: auto; padding: 0 1; }
    StatusBar > #cost.-warn { color: $text; background: $warning-darken-2; text-style: bold; }
    """

    def __init__(self, *, clock: Clock | None = None, id: str | None = "status-bar") -> None:
        super().__init__(id=id)
        self.clock: Clock = clock or _now
        self.state = SaveState.NEVER
        self.last_saved: datetime | None = None
        self.saved_here = False
        """True once this run saved; before that a SAVED state is what start found on disk."""
        self.saved_when_asked = False
        """The last save was the writer's ctrl+s (the next auto-save tick says "Auto-saved")."""
        self._known_on_disk = False
        self.failure: str | None = None
        self.session_total = Decimal(0)
        self.daily_total = Decimal(0)
        self.budget_warning: str | None = None
        self.read_only = False
        self.progress = ""
        self.words = ""

    def compose(self) -> ComposeResult:
        yield Part(self.save_text(), id="save-indicator", fixed_width=True)
        yield Static("Read-only", id="read-only")
        yield Part(self.words, id="words", fixed_width=False)
        yield Part(self.progress, id="progress", fixed_width=False)
        yield Part(self.cost_text(), id="cost", fixed_width=False)

    def on_mount(self) -> None:
        self._render_all()
        self.set_interval(1.0, self._render_save)  # the age; repaints only when it reads anew

    # -- driven by the save coordinator (main thread only) ------------------------------------

    def mark_saved(self, at: datetime | None = None, *, asked: bool = False) -> None:
        """``asked``: the writer asked for this save (ctrl+s): "Saved", not "Auto-saved"."""
        self.state = SaveState.SAVED
        self.last_saved = at or self.clock()
        self.saved_here = True
        self.saved_when_asked = asked
        self.failure = None
        self._render_save()

    def mark_on_disk(self, at: datetime | None) -> None:
        """At start, nothing unsaved: every open file is as it is on disk. ``at`` is when the
        newest of them was written (None: no file is open) — "● Saved 2h ago", "● All saved".
        (It said "○ Not saved yet" until the first auto-save, although nothing was unsaved.)
        """
        if self.state is not SaveState.NEVER:
            return  # something happened already (an edit, a save, a failure): that is newer
        self.state = SaveState.SAVED
        self.last_saved = at
        self._known_on_disk = True
        self._render_save()

    def mark_clean(self) -> None:
        """An edit undone back to what is on disk: the saved state as it was before it."""
        if self.state is SaveState.DIRTY and (self.last_saved is not None or self._known_on_disk):
            self.state = SaveState.SAVED
            self._render_save()

    def mark_dirty(self) -> None:
        # a failure stays visible until a save succeeds: typing must not hide it
        if self.state is not SaveState.FAILED:
            self.state = SaveState.DIRTY
            self._render_save()

    def mark_failed(self, reason: str) -> None:
        self.state = SaveState.FAILED
        self.failure = reason
        self._render_save()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for badge in self.query("#read-only"):
            badge.set_class(read_only, "-on")

    def set_progress(self, text: str, tooltip: str | None = None) -> None:
        """Words written today against the daily target (from the writing activity);
        the tooltip tells pasted words apart."""
        self.progress = text
        for label in self.query("#progress").results(Part):
            label.show(text)
            label.set_class(bool(text), "-on")
            if label.tooltip != (tooltip or None):
                label.tooltip = tooltip or None

    def set_words(self, text: str) -> None:
        """The open file's words (and the selection's); counted off the loop, coalesced."""
        self.words = text
        for label in self.query("#words").results(Part):
            label.show(text)
            label.set_class(bool(text), "-on")

    def set_costs(
        self, session_total: Decimal, daily_total: Decimal, warning: str | None = None
    ) -> None:
        self.session_total = session_total
        self.daily_total = daily_total
        self.budget_warning = warning
        self._render_cost()

    # -- rendering ------------------------------------------------------------------------------

    def save_text(self) -> str:
        if self.state is SaveState.FAILED:
            return "⚠ Auto-save failed — ctrl+s to retry"
        if self.state is SaveState.DIRTY:
            return "● Unsaved changes"
        if self.state is SaveState.SAVED and self.last_saved is not None:
            age = max(0.0, (self.clock() - self.last_saved).total_seconds())
            verb = "Auto-saved" if self.saved_here and not self.saved_when_asked else "Saved"
            return f"● {verb} {describe_age(age)}"
        if self.state is SaveState.SAVED:
            return "● All saved"
        return "○ Not saved yet"

    def cost_text(self) -> str:
        text = f"Session: {format_dollars(self.session_total)}"
        text += f" · Today: {format_dollars(self.daily_total)}"
        if self.budget_warning:
            text = f"⚠ {text}"
        return text

    def _render_all(self) -> None:
        self._render_save()
        self._render_cost()
        self.set_read_only(self.read_only)

    def _render_save(self) -> None:
        indicator = next(self.query("#save-indicator").results(Part), None)
        if indicator is None:
            return
        indicator.show(self.save_text())
        # unchanged classes and tooltip are no-ops: the same state costs nothing
        indicator.set_class(self.state is SaveState.SAVED, "-saved")
        indicator.set_class(self.state is SaveState.DIRTY, "-dirty")
        indicator.set_class(self.state is SaveState.FAILED, "-failed")
        if indicator.tooltip != self.failure:
            indicator.tooltip = self.failure

    def _render_cost(self) -> None:
        cost = next(self.query("#cost").results(Part), None)
        if cost is None:
            return
        cost.show(self.cost_text())
        cost.set_class(bool(self.budget_warning), "-warn")
        if cost.tooltip != self.budget_warning:
            cost.tooltip = self.budget_warning
