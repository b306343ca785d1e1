"""Status bar updates: the save indicator and the session's cost, kept current by callbacks.

The store calls ``on_save`` listeners after each durable save (with what was written) and
the cost tracker's listeners after each logged operation. A real interface would post these
to its event loop; here a small status bar prints what it would show.

Run: ``python examples/status_bar.py PROJECT``.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from writers_factory.ai.runner import dollars
from writers_factory.store import CostTracker, Session
from writers_factory.store.base.events import SaveMetadata
from writers_factory.store.costs.models import OperationRecord


class StatusBar:
    """What the writer sees at the bottom of the screen."""

    def __init__(self) -> None:
        self.saved_at: datetime | None = None
        self.cost = "Session: $0.00"

    def save_indicator(self, now: datetime) -> str:
        if self.saved_at is None:
            return "○ Not saved yet"
        seconds = int((now - self.saved_at).total_seconds())
        return "● Auto-saved just now" if seconds < 5 else f"● Auto-saved {seconds}s ago"

    def show(self, now: datetime) -> None:
        print(f"[{self.save_indicator(now)} | {self.cost}]")


async def main(project: Path) -> None:
    bar = StatusBar()
    session = Session(project)
    tracker = CostTracker(session.paths.root)
    await tracker.reset_session(session.session_id)  # "this session" is the session's id

    @session.on_save
    def saved(meta: SaveMetadata) -> None:
        bar.saved_at = meta.timestamp

    def cost_changed(record: OperationRecord | None) -> None:
        bar.cost = f"Session: {dollars(tracker.session_total)}"

    tracker.listeners.append(cost_changed)

    bar.show(datetime.now(UTC))
    session.add_recent_query("What colour is the lighthouse?", source="bible")  # a change
    await session.save()
    bar.show(datetime.now(UTC))
    await tracker.log_operation("scene_generation", "anthropic:claude-sonnet-4-5", 12_450, 3_200)
    bar.show(datetime.now(UTC))
    assert bar.saved_at is not None
    bar.show(bar.saved_at + timedelta(seconds=42))  # the same bar, 42 seconds later
    await session.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
