"""Keep one of the writer's choices in ``preferences.json`` from a running app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from writers_factory.store.preferences.preferences import PreferenceError

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI
    from writers_factory.tui.workspace import Workspace


def remember(workspace: Workspace, ui: UI, field_path: str, value: Any) -> None:
    """Set ``field_path`` (``"editor.smart_quotes"``) and save in a worker; a read-only
    preferences file keeps the choice for this session only, and says so."""
    if not workspace.has_preferences:
        return
    prefs = workspace.preferences
    if prefs.read_only:
        ui.notify("Preferences are read-only here: the choice lasts for this session.")
        return
    try:
        changed = prefs.set(field_path, value)
    except PreferenceError as exc:
        ui.notify(str(exc), severity="warning")
        return
    if changed:
        ui.start(prefs.save, group="preferences")
