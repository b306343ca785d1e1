"""Focus mode: the editor alone, in a centred column, with the save indicator still shown.

Everything else of the workspace (stage bar, trail, tree, panels, tabs, footer) is hidden by
one class on the screen (``-focus-mode``, ``app.tcss``); the status bar stays, so the writer
always sees whether the work is safe. With typewriter scrolling, the cursor's line is kept
in the middle of the screen. The state is kept in the session: a restart shows it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from writers_factory.store.preferences.models import DEFAULT_FOCUS_WIDTH
from writers_factory.tui.controllers.preference_switch import remember

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI, Views
    from writers_factory.tui.widgets.editor import BufferArea
    from writers_factory.tui.workspace import Workspace

CLASS = "-focus-mode"


class FocusMode:
    """Enters and leaves focus mode; keeps the cursor centred when typewriter is on."""

    def __init__(self, workspace: Workspace, ui: UI, views: Views) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.on = False

    @property
    def width(self) -> int:
        if not self.workspace.has_preferences:
            return DEFAULT_FOCUS_WIDTH
        return self.workspace.preferences.data.editor.focus_width

    @property
    def typewriter(self) -> bool:
        prefs = self.workspace.preferences if self.workspace.has_preferences else None
        return prefs is not None and prefs.data.editor.typewriter

    def toggle(self) -> None:
        self.set(not self.on)

    def set(self, on: bool, *, remember_it: bool = True) -> None:
        """Show or leave focus mode (and remember it in the session)."""
        editor = self.views.editor
        if editor is None:
            return
        self.on = on
        editor.screen.set_class(on, CLASS)
        editor.tabs.styles.max_width = self.width if on else None
        if remember_it and self.workspace.loaded and not self.workspace.read_only:
            self.workspace.session.set_focus_mode(on)
        area = editor.active
        if area is not None:
            area.focus()
            if on:
                self.follow(area)

    def follow(self, area: BufferArea) -> None:
        """Typewriter scrolling: the cursor's line in the middle (called as it moves)."""
        if self.on and self.typewriter:
            area.scroll_cursor_visible(center=True, animate=False)

    def toggle_typewriter(self) -> None:
        on = not self.typewriter
        remember(self.workspace, self.ui, "editor.typewriter", on)
        state = "on" if self.typewriter else "off"
        self.ui.notify(f"Typewriter scrolling is {state}.", title="Focus mode")
        editor = self.views.editor
        if editor is not None and editor.active is not None:
            self.follow(editor.active)

    async def ask_width(self) -> None:
        from writers_factory.tui.screens.file_modals import NameModal  # on demand

        answer = await self.ui.ask(
            NameModal("Focus mode width", "Column width in characters (20–400)", str(self.width))
        )
        if answer is None:
            return
        value = answer.strip()
        if not value.isdigit() or not 20 <= int(value) <= 400:
            self.ui.notify(
                f"{answer!r}: the width is a number of characters from 20 to 400.",
                severity="warning",
            )
            return
        remember(self.workspace, self.ui, "editor.focus_width", int(value))
        if self.on:
            self.set(True, remember_it=False)
