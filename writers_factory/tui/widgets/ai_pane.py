"""The AI output pane: streamed text, progress, and the writer's Cancel / Accept / Discard.

Output never goes straight into the manuscript. It streams here, where the writer can stop
it at any moment, and reaches the editor only on Accept, as one ordinary undoable edit.
The pane holds no logic of its own: its buttons run the app's ``ai`` action, the same
path the keys and the palette take, so there is one way to cancel, accept or discard.
"""

from __future__ import annotations

import enum
import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Label, Static

from writers_factory.tui.widgets.messages import AIPaneOpened

CHARS_PER_TOKEN = 4
"""Progress counts streamed tokens roughly (the exact usage is logged when the call ends)."""


class PaneState(enum.StrEnum):
    IDLE = "idle"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"
    MESSAGE = "message"


def progress_text(chars: int, expected_tokens: int, elapsed: float) -> str:
    """ "~120 of up to 4,000 tokens · 3s": honest about being an estimate while streaming."""
    tokens = -(-chars // CHARS_PER_TOKEN)
    return f"~{tokens:,} of up to {expected_tokens:,} tokens · {int(elapsed)}s"


class AIPane(Vertical):
    """Hidden until an operation starts or the AI layer has something to say; mounted only
    then, the first time (``AppUI.ai_pane``), so start-up builds none of it."""

    DEFAULT_CSS = """
    AIPane { display: none; width: 45%; border: round $accent; padding: 0 1; }
    AIPane.-open { display: block; }
    AIPane #ai-title { text-style: bold; width: 100%; }
    AIPane #ai-progress { color: $text-muted; width: 100%; }
    AIPane #ai-scroll { height: 1fr; }
    AIPane #ai-output { width: 100%; }
    AIPane #ai-buttons { height: auto; }
    AIPane #ai-buttons Button { margin-right: 1; min-width: 10; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "pane('cancel')", "Cancel AI", id="ai.pane.cancel", show=False),
    ]

    def __init__(self, *, id: str | None = "ai-pane") -> None:
        super().__init__(id=id)
        self.state = PaneState.IDLE
        self.expected_tokens = 0
        self._chunks: list[str] = []
        self._started = 0.0
        self._elapsed = 0.0
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label("", id="ai-title", markup=False)
        yield Label("", id="ai-progress", markup=False)
        with VerticalScroll(id="ai-scroll"):
            yield Static("", id="ai-output", markup=False)
        with Horizontal(id="ai-buttons"):
            yield Button("Cancel", variant="error", id="ai-cancel")
            yield Button("Accept", variant="success", id="ai-accept")
            yield Button("Discard", id="ai-discard")

    # -- what the controller calls ------------------------------------------------------------

    @property
    def text(self) -> str:
        """Everything streamed so far (or the message shown)."""
        return "".join(self._chunks)

    @property
    def progress(self) -> str:
        return str(self.query_one("#ai-progress", Label).content)

    def start(self, title: str, expected_tokens: int, *, shown: bool = True) -> None:
        """Open empty for a new call, with only Cancel offered."""
        self.post_message(AIPaneOpened(shown))
        self._chunks = []
        self.expected_tokens = expected_tokens
        self._started = time.monotonic()
        self._elapsed = 0.0
        self._set(PaneState.RUNNING, title)
        self._render_output()
        self._tick()
        if self._timer is None:
            self._timer = self.set_interval(0.5, self._tick)
        else:
            self._timer.resume()

    def append(self, delta: str) -> None:
        self._chunks.append(delta)
        self._render_output()
        self._tick()
        self.query_one("#ai-scroll", VerticalScroll).scroll_end(animate=False)

    def finish(self, summary: str, *, can_accept: bool, label: str = "Accept") -> None:
        """The call ended: say what it cost and offer Accept (if there is somewhere to put it),
        named for what it does (``label``: "Insert as note" for a critique)."""
        self._stop_clock()
        self._set(PaneState.DONE, None, accept=can_accept)
        self.query_one("#ai-accept", Button).label = label
        self.query_one("#ai-progress", Label).update(summary)

    def stopped(self, state: PaneState, summary: str) -> None:
        """Cancelled or failed: the partial text stays visible, but nothing can be accepted."""
        self._stop_clock()
        self._set(state, None)
        self.query_one("#ai-progress", Label).update(summary)

    def show_message(self, title: str, message: str) -> None:
        """Show instructions (e.g. how to configure a provider) instead of output."""
        self.post_message(AIPaneOpened())
        self._stop_clock()
        self._chunks = [message]
        self._set(PaneState.MESSAGE, title)
        self.query_one("#ai-progress", Label).update("")
        self._render_output()

    def close(self) -> None:
        self._stop_clock()
        self.state = PaneState.IDLE
        self.remove_class("-open")

    # -- internals ----------------------------------------------------------------------------

    def _set(self, state: PaneState, title: str | None, *, accept: bool = False) -> None:
        self.state = state
        if title is not None:
            self.query_one("#ai-title", Label).update(title)
        running = state is PaneState.RUNNING
        self.query_one("#ai-cancel", Button).display = running
        self.query_one("#ai-accept", Button).display = accept
        discard = self.query_one("#ai-discard", Button)
        discard.display = not running
        discard.label = "Discard" if state is PaneState.DONE and accept else "Close"
        self.add_class("-open")

    def _render_output(self) -> None:
        self.query_one("#ai-output", Static).update(self.text)

    def _tick(self) -> None:
        if self.state is not PaneState.RUNNING:
            return
        self._elapsed = time.monotonic() - self._started
        chars = sum(len(chunk) for chunk in self._chunks)
        self.query_one("#ai-progress", Label).update(
            progress_text(chars, self.expected_tokens, self._elapsed)
        )

    def _stop_clock(self) -> None:
        if self._timer is not None:
            self._timer.pause()

    async def action_pane(self, what: str) -> None:
        await self.app.run_action(f"ai('{what}')")

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        what = {"ai-cancel": "cancel", "ai-accept": "accept", "ai-discard": "discard"}
        if event.button.id in what:
            await self.app.run_action(f"ai('{what[event.button.id]}')")
