"""The first start-up question: someone else's lock is on the project — look, take over, or leave?

Asked right after the session opens, before preferences and costs are loaded, so that a
take-over opens them writable like any normal start. The question is a screen
(``screens/second_instance.py``); what the answers do is here:

* Open read-only — nothing is written, not even the lock (the other owner keeps it).
* Take over — only where the session says it is safe (``Session.takeover_possible``); the
  lock is written in a thread, naming whose lock it replaced, and the start goes on as after
  an interrupted session (the journal is offered). Should the take-over fail (the other
  instance took the OS lock meanwhile, a disk error), the project opens read-only and the
  writer is told why.
* Quit — nothing is touched.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI
    from writers_factory.tui.workspace import Workspace


class OwnershipDecision(enum.StrEnum):
    """What the lock question decided; the start goes on unless QUIT."""

    OWNER = "owner"  # nobody else's lock: nothing was asked
    TAKEN_OVER = "taken-over"
    READ_ONLY = "read-only"
    QUIT = "quit"


class OwnershipQuestion:
    """Ask about a lock held by another process or host, and carry out the answer."""

    def __init__(self, workspace: Workspace, ui: UI, clock: Callable[[], datetime]) -> None:
        self.workspace = workspace
        self.ui = ui
        self.clock = clock

    async def run(self) -> OwnershipDecision:
        session = self.workspace.session
        owner = session.lock_owner
        if owner is None:
            return OwnershipDecision.OWNER
        # the question is rare: imported when asked, not with the app
        from writers_factory.tui.screens.second_instance import (
            SecondInstanceChoice,
            SecondInstanceScreen,
        )

        choice = await self.ui.ask(
            SecondInstanceScreen(
                pid=owner.pid,
                host=owner.host,
                user=owner.user,
                author=owner.author,
                started_at=owner.started_at.astimezone(),
                heartbeat_at=owner.heartbeat_at.astimezone(),
                foreign=session.foreign_lock is not None,
                can_take_over=session.takeover_possible,
                now=self.clock(),
            )
        )
        if choice is SecondInstanceChoice.QUIT:
            return OwnershipDecision.QUIT
        if choice is SecondInstanceChoice.READ_ONLY:
            return OwnershipDecision.READ_ONLY
        try:
            await asyncio.to_thread(session.take_over_lock)
        except OSError as exc:
            self.ui.notify(
                f"The project could not be taken over: {exc}. It is open read-only.",
                title="Take over",
                severity="error",
                timeout=15,
            )
            return OwnershipDecision.READ_ONLY
        self.ui.notify(
            f"You took this project over from process {owner.pid} ({owner.describe_owner()}).",
            title="Take over",
        )
        return OwnershipDecision.TAKEN_OVER
