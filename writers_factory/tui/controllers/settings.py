"""The settings dialog: shows each setting and its source, keeps a change where asked.

"This project" writes ``preferences.json``; "all my projects" writes the user settings in
the config folder, which every project that does not set the value itself follows; "Reset"
takes the value out of the file it comes from, so the layer below gives it again. Both are
validated the same way; a refused value reopens the dialog with the message, what was typed
kept. Writes run in threads (through the durable path); what the change affects on screen
(theme, keys) is applied at once by ``applied``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from writers_factory.store.preferences.editing import PreferenceError
from writers_factory.store.preferences.listing import USER_ONLY, rows, typed

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI
    from writers_factory.tui.screens.settings import SettingChange, SettingsView
    from writers_factory.tui.workspace import Workspace


class SettingsController:
    """Opens the settings dialog and keeps its answers; one per running app."""

    def __init__(
        self, workspace: Workspace, ui: UI, applied: Callable[[str], None] | None = None
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.applied = applied or (lambda key: None)
        """Called with the key of each change kept, to show its effect now."""

    def show(self) -> None:
        if not self.workspace.has_preferences:
            self.ui.notify("Settings are not available yet: the preferences are still loading.")
            return
        from writers_factory.tui.screens.settings import SettingsScreen  # loaded when first shown

        if self.ui.showing(SettingsScreen):
            return
        self.ui.start(self._show, group="settings", exclusive=True)

    def view(
        self, selected: str | None = None, text: str | None = None, message: str = ""
    ) -> SettingsView:
        from writers_factory.tui.screens.settings import SettingsView

        prefs = self.workspace.preferences
        return SettingsView(
            rows=rows(prefs),
            project_file=prefs.path,
            user_file=prefs.user.path,
            selected=selected,
            typed=text,
            message=message,
        )

    async def _show(self) -> None:
        from writers_factory.tui.screens.settings import SettingsScreen

        view = self.view()
        while True:
            answer = await self.ui.ask(SettingsScreen(view))
            if answer is None:
                return
            refused = await self.keep(answer)
            view = self.view(answer.key, answer.text if refused else None, refused or "")

    async def keep(self, change: SettingChange) -> str | None:
        """Validate and write ``change``; the message when it is refused, else ``None``."""
        prefs = self.workspace.preferences
        value = typed(change.text)
        try:
            if change.scope == "project":
                if change.key in USER_ONLY:
                    return f"{change.key} belongs to all your projects: keep it there"
                changed = prefs.unset(change.key) if change.reset else prefs.set(change.key, value)
                if changed:
                    await prefs.save()
            else:
                user = prefs.user
                changed = user.unset(change.key) if change.reset else user.set(change.key, value)
                if changed:
                    await user.save()
                    prefs.refresh_layers()
        except PreferenceError as exc:
            return str(exc)
        except OSError as exc:
            return f"could not be written ({exc}); it applies until you quit"
        if changed:
            where = "this project" if change.scope == "project" else "all your projects"
            done = "no longer set" if change.reset else "kept"
            self.ui.notify(f"{change.key} {done} for {where}.", title="Settings")
            self.applied(change.key)
        return None
