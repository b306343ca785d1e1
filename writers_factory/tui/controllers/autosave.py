"""The writer's auto-save switch and interval, changed while the app runs.

Both take effect at once: the auto-save timer and the history's timer are restarted with the
new interval, and the choice is kept in ``preferences.json`` for the next start. Auto-save
off stops only the timed writes of documents; the recovery journal still keeps every edit
within a second, and significant actions, ctrl+s and quitting still save.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from writers_factory.tui.screens.file_modals import NameModal

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI
    from writers_factory.tui.controllers.saving import SaveCoordinator
    from writers_factory.tui.controllers.writing import WritingActivity
    from writers_factory.tui.workspace import Workspace


def parse_interval(text: str) -> float:
    """``"45"``, ``"45s"`` or ``"2m"`` as seconds; raises ``ValueError`` saying what is allowed."""
    value = text.strip().lower().replace(" ", "")
    scale = 1.0
    if value.endswith("m"):
        value, scale = value[:-1], 60.0
    elif value.endswith("s"):
        value = value[:-1]
    try:
        seconds = float(value) * scale
    except ValueError:
        raise ValueError(f"{text!r} is not a number of seconds (e.g. 30, 45s or 2m)") from None
    if not math.isfinite(seconds) or seconds < 1:
        raise ValueError(f"the interval must be at least 1 second, not {text!r}")
    return seconds


class AutoSaveSettings:
    """Applies and remembers the auto-save choices; one per running app."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        writing: WritingActivity,
        saving: Callable[[], SaveCoordinator | None],
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.writing = writing
        self._saving = saving

    @property
    def enabled(self) -> bool:
        saving = self._saving()
        return saving is not None and saving.enabled and saving.auto_save_on

    @property
    def interval(self) -> float:
        saving = self._saving()
        return saving.interval if saving is not None else self.writing.save_every

    def apply(self, enabled: bool | None = None, interval: float | None = None) -> None:
        """Switch and/or re-time auto-save now, and keep the choice in the preferences."""
        saving = self._saving()
        if saving is None or not saving.enabled:
            self.ui.notify("This project is open read-only: nothing is saved, so no auto-save.")
            return
        saving.set_auto_save(enabled, interval)
        if interval is not None:
            self.writing.set_interval(interval)
        self._remember(enabled, interval)
        state = "on" if saving.auto_save_on else "off"
        detail = (
            f"every {saving.interval:g} s"
            if saving.auto_save_on
            else "your edits are still journaled; ctrl+s saves"
        )
        self.ui.notify(f"Auto-save is {state} ({detail}).", title="Auto-save")

    def toggle(self) -> None:
        self.apply(enabled=not self.enabled)

    def ask_interval(self) -> None:
        """Ask for a new interval (seconds, or minutes with ``m``) in a worker."""
        self.ui.start(self._ask_interval, group="auto-save")

    async def _ask_interval(self) -> None:
        modal = NameModal(
            "Auto-save interval", "Seconds between saves (or 2m)", f"{self.interval:g}"
        )
        answer = await self.ui.ask(modal)
        if answer is None:
            return
        try:
            seconds = parse_interval(answer)
        except ValueError as exc:
            self.ui.notify(str(exc), severity="warning")
            return
        self.apply(interval=seconds)

    def _remember(self, enabled: bool | None, interval: float | None) -> None:
        if not self.workspace.has_preferences:
            return
        prefs = self.workspace.preferences
        if prefs.read_only:
            return
        changed = False
        if enabled is not None:
            changed = prefs.set_auto_save_enabled(enabled) or changed
        if interval is not None:
            changed = prefs.set_auto_save_interval(interval) or changed
        if changed:
            self.ui.start(prefs.save, group="preferences")
