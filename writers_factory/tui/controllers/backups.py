"""Automatic whole-project backups while the workspace is open: once a day, and on close.

The backup itself (read every file, zip, checksum, write durably, thin) runs in a thread;
the event loop only starts it and hears how it went. A project unchanged since its last
backup is not backed up again, so an idle day or a quick open-and-close costs a hash of the
files, not an archive. A read-only workspace (a second instance) backs nothing up: the
instance that owns the project does. A failed backup never stops the writer working or
quitting; it is told (or, at close, logged).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.timer import Timer

    from writers_factory.tui.controllers.ports import UI
    from writers_factory.tui.workspace import Workspace

log = logging.getLogger(__name__)

CHECK_EVERY = 3600.0
"""How often an open workspace asks whether today's backup exists yet."""


class AutomaticBackups:
    def __init__(self, workspace: Workspace, ui: UI, *, check_every: float = CHECK_EVERY) -> None:
        self.workspace = workspace
        self.ui = ui
        self.check_every = check_every
        self._timer: Timer | None = None
        self._daily_running = False
        self.made: list[str] = []
        """Ids of the backups this workspace made (for the writer's status and tests)."""

    def _enabled(self) -> bool:
        if not self.workspace.loaded or self.workspace.session.read_only:
            return False
        if self.workspace.has_preferences:
            return self.workspace.preferences.data.backups.automatic
        return True

    def start(self) -> None:
        """After start-up: today's backup now if there is none yet, then a check each hour."""
        if not self._enabled():
            return
        self._timer = self.ui.every(self.check_every, self._check_daily, name="backups")
        self._check_daily()

    def _check_daily(self) -> None:
        if self._daily_running or self.ui.closing:
            return
        self._daily_running = True
        self.ui.start(self._daily, group="backups")

    async def _daily(self) -> None:
        try:
            made = await asyncio.to_thread(self._daily_in_thread)
        except (OSError, ValueError) as exc:  # WritersFactoryError subclasses one of these
            self.ui.notify(f"The daily backup could not be made: {exc}", severity="warning")
        else:
            if made:
                self.made.append(made)
        finally:
            self._daily_running = False

    def _daily_in_thread(self) -> str | None:
        from writers_factory.store.backups.project import automatic_backup, store_for

        project, author = self.workspace.project, self.workspace.author
        latest = store_for(project, author=author).latest()
        when = latest.created_at if latest is not None else None
        if when is not None and when.astimezone().date() == datetime.now().astimezone().date():
            return None  # today's exists
        return automatic_backup(project, "daily", author)

    async def on_close(self) -> None:
        """The shutdown path, after the session is closed: its final state is in the backup."""
        if self._timer is not None:
            self._timer.stop()
        if not self._enabled():
            return
        from writers_factory.store.backups.project import automatic_backup

        try:
            made = await asyncio.to_thread(
                automatic_backup, self.workspace.project, "close", self.workspace.author
            )
        except (OSError, ValueError) as exc:
            log.warning("the backup on close could not be made: %s", exc)
        else:
            if made:
                self.made.append(made)
