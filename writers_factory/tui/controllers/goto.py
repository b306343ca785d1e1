"""Go to line: ask for a number, move the open file's cursor there (centred)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from writers_factory.tui.screens.go_to_line import GoToLineScreen

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI, Views


class GoToLine:
    def __init__(self, ui: UI, views: Views) -> None:
        self.ui = ui
        self.views = views

    async def ask(self) -> None:
        editor = self.views.editor
        area = editor.active if editor is not None else None
        if area is None:
            self.ui.notify("No file is open.")
            return
        current = area.cursor_location[0] + 1
        line = await self.ui.ask(GoToLineScreen(current, area.document.line_count))
        if line is None or not area.is_mounted:
            return
        area.move_cursor((line - 1, 0), center=True)
        area.focus()
