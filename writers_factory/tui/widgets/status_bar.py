"""The status bar: the writer always knows whether their work is safe, and what AI cost.

Save state is a small state machine — saved (with an age that ticks every second), unsaved,
failed — driven by the save coordinator. The clock is injectable so snapshot tests render
the same "12s ago" every time.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

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
        self.failure: str | None = None
        self.session_total = Decimal(0)
        self.daily_total = Decimal(0)
        self.budget_warning: str | None = None
        self.read_only = False
        self.progress = ""

    def compose(self) -> ComposeResult:
        yield Static(self.save_text(), id="save-indicator", markup=False)
        yield Static("Read-only", id="read-only")
        yield Static(self.progress, id="progress", markup=False)
        yield Static(self.cost_text(), id="cost", markup=False)

    def on_mount(self) -> None:
        self._render_all()
        self.set_interval(1.0, self._render_save)

    # -- driven by the save coordinator (main thread only) ------------------------------------

    def mark_saved(self, at: datetime | None = None) -> None:
        self.state = SaveState.SAVED
        self.last_saved = at or self.clock()
        self.failure = None
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

    def set_progress(self, text: str) -> None:
        """Words written today against the daily target (from the writing activity)."""
        self.progress = text
        for label in self.query("#progress").results(Static):
            label.update(text)
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
            age = (self.clock() - self.last_saved).total_seconds()
            return f"● Auto-saved {describe_age(age)}"
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
        found = self.query("#save-indicator").results(Static)
        indicator = next(found, None)
        if indicator is None:
            return
        indicator.update(self.save_text())
        indicator.set_class(self.state is SaveState.SAVED, "-saved")
        indicator.set_class(self.state is SaveState.DIRTY, "-dirty")
        indicator.set_class(self.state is SaveState.FAILED, "-failed")
        indicator.tooltip = self.failure

    def _render_cost(self) -> None:
        cost = next(self.query("#cost").results(Static), None)
        if cost is None:
            return
        cost.update(self.cost_text())
        cost.set_class(bool(self.budget_warning), "-warn")
        cost.tooltip = self.budget_warning
