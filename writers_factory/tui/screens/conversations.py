"""Saved conversations with the assistant: a list, and each one reopened turn by turn.

Conversations are written to ``.session/conversations/`` as they happen (by the AI
controller), so this screen only reads, in threads. A file that cannot be read is named
with the reason, never silently skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from writers_factory.ai.conversations import Conversation, ConversationError, ConversationStore


def conversation_text(conv: Conversation) -> str:
    """The whole exchange as plain text: who said what, when, and what it cost."""
    lines = [f"{conv.title} · {conv.stage} · {conv.model}", ""]
    for turn in conv.turns:
        cost = f" · ${turn.cost}" if turn.cost is not None else ""
        lines.append(f"[{turn.role}] {turn.timestamp:%Y-%m-%d %H:%M}{cost}")
        lines.append(turn.text.strip())
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


class ConversationsScreen(Screen[str | None]):
    """Push with ``app.push_screen(ConversationsScreen(session_dir))``; Enter reopens one,
    ``c`` continues the one reopened (dismisses with its id)."""

    DEFAULT_CSS = """
    ConversationsScreen .conv-title { text-style: bold; padding: 0 1; }
    ConversationsScreen #conv-status { color: $text-muted; padding: 0 1; }
    ConversationsScreen #conv-list { height: auto; max-height: 14; }
    ConversationsScreen #conv-body { height: 1fr; border: round $panel-lighten-2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="conversations.close"),
        Binding("c", "continue_conversation", "Continue it", id="conversations.continue"),
    ]

    def __init__(self, session_dir: Path) -> None:
        super().__init__()
        self.store = ConversationStore(session_dir)
        self.opened: Conversation | None = None

    def compose(self) -> ComposeResult:
        yield Static("Conversations", classes="conv-title")
        yield Static("Loading…", id="conv-status", markup=False)
        yield DataTable(id="conv-list", zebra_stripes=True, cursor_type="row")
        with VerticalScroll(id="conv-body"):
            yield Static("", id="conv-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#conv-list", DataTable)
        table.add_columns("last active", "title", "stage", "model", "turns", "latest")
        self.run_worker(self._load(), group="conversations", exclusive=True)

    async def _load(self) -> None:
        summaries = await self.store.list_async()
        if not self.is_attached:
            return
        table = self.query_one("#conv-list", DataTable)
        table.clear()
        for s in summaries:
            table.add_row(
                f"{s.updated_at:%Y-%m-%d %H:%M}",
                s.title,
                s.stage,
                s.model,
                str(s.turns),
                s.last_text,
                key=s.id,
            )
        status = f"{len(summaries)} saved" if summaries else "No conversations yet."
        if self.store.problems:
            status += " · " + "; ".join(p.describe() for p in self.store.problems)
        self.query_one("#conv-status", Static).update(status)
        if summaries:
            table.focus()

    async def reopen(self, conversation_id: str) -> None:
        try:
            conv = await self.store.open_async(conversation_id)
        except (ConversationError, OSError) as exc:
            if self.is_attached:
                self.query_one("#conv-status", Static).update(str(exc))
            return
        if not self.is_attached:
            return
        self.opened = conv
        self.query_one("#conv-text", Static).update(conversation_text(conv))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.run_worker(self.reopen(event.row_key.value), group="conversation-open")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_continue_conversation(self) -> None:
        if self.opened is None:
            self.notify("Open a conversation first (Enter), then continue it.")
            return
        self.dismiss(self.opened.id)
