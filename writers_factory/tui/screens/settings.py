"""The settings dialog: each setting, its effective value and where it comes from.

It only collects an answer (a value typed for one setting, and where to keep it: this
project, or all the writer's projects); the controller validates and writes it, and opens
the dialog again on the same setting, with the message when the value was refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Static

from writers_factory.store.preferences.listing import SettingRow

Scope = Literal["project", "user"]

FROM = {"project": "this project", "user": "all projects", "default": "default"}
"""How each source reads in the dialog."""


COLUMNS = (("Setting", 27), ("Value", 24), ("From", 12))


@dataclass(frozen=True)
class SettingsView:
    """Everything the dialog shows; ``selected``/``typed``/``message`` carry a refused value
    over when the dialog opens again."""

    rows: list[SettingRow]
    project_file: Path
    user_file: Path
    selected: str | None = None
    typed: str | None = None
    message: str = ""


@dataclass(frozen=True)
class SettingChange:
    key: str
    text: str
    scope: Scope
    reset: bool = False
    """Stop setting ``key`` in ``scope``: the layer below gives it again."""


class SettingsScreen(ModalScreen[SettingChange | None]):
    """Push with the view; dismisses with a :class:`SettingChange` or ``None``."""

    DEFAULT_CSS = """
    SettingsScreen #settings-files { height: auto; color: $text-muted; }
    SettingsScreen DataTable { height: 9; }
    SettingsScreen #settings-edit { height: auto; margin-top: 1; }
    SettingsScreen #settings-key { width: 28; padding: 1 1 0 0; }
    SettingsScreen #settings-value { width: 1fr; }
    SettingsScreen #settings-error { color: $error; height: auto; }
    SettingsScreen #settings-error.-empty { display: none; }
    SettingsScreen .wf-dialog-buttons Button { min-width: 10; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="modal.cancel")
    ]

    def __init__(self, view: SettingsView) -> None:
        super().__init__(classes="wf-modal")
        self.view = view
        self.key: str | None = None

    def compose(self) -> ComposeResult:
        view = self.view
        with Vertical(classes="wf-dialog", id="settings-dialog"):
            yield Label("Settings", classes="wf-dialog-title")
            yield Static(
                f"This project: {view.project_file}\nAll my projects: {view.user_file}",
                id="settings-files",
                markup=False,
            )
            table: DataTable[str] = DataTable(id="settings-table", cursor_type="row")
            for title, width in COLUMNS:
                table.add_column(title, width=width)
            for row in view.rows:
                table.add_row(row.key, row.shown(), FROM[row.source], key=row.key)
            yield table
            with Horizontal(id="settings-edit"):
                yield Label("", id="settings-key", markup=False)
                yield Input(id="settings-value", placeholder="null for none")
            yield Label(
                view.message,
                id="settings-error",
                classes="" if view.message else "-empty",
                markup=False,
            )
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button("This project", variant="primary", id="save-project")
                yield Button("All my projects", id="save-user")
                yield Button("Reset", id="reset", tooltip="Follow the layer below again")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        # wider than the app's dialogs (its stylesheet wins over DEFAULT_CSS): a row must
        # show the longest setting name, a value and its source side by side at 80 columns
        dialog = self.query_one("#settings-dialog").styles
        dialog.width = 78
        dialog.max_height = "100%"
        dialog.padding = (0, 1)
        table = self.query_one(DataTable)
        keys = [row.key for row in self.view.rows]
        index = keys.index(self.view.selected) if self.view.selected in keys else 0
        table.move_cursor(row=index)
        self._choose(index)
        if self.view.typed is not None:
            self.query_one("#settings-value", Input).focus()
        else:
            table.focus()

    def _choose(self, index: int) -> None:
        """Edit the setting on row ``index``: its value, or what was typed for it and refused."""
        if not 0 <= index < len(self.view.rows):
            return
        row = self.view.rows[index]
        self.key = row.key
        self.query_one("#settings-key", Label).update(row.key)
        refused = self.view.typed if row.key == self.view.selected else None
        self.query_one("#settings-value", Input).value = row.shown() if refused is None else refused

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        rows = self.view.rows
        if 0 <= event.cursor_row < len(rows) and rows[event.cursor_row].key != self.key:
            self._choose(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a setting: edit its value."""
        event.stop()
        self.query_one("#settings-value", Input).focus()

    def _answer(self, scope: Scope) -> None:
        if self.key is not None:
            self.dismiss(
                SettingChange(self.key, self.query_one("#settings-value", Input).value, scope)
            )

    def _reset(self) -> None:
        """Undo the setting where its value comes from (this project, then all projects)."""
        row = next((r for r in self.view.rows if r.key == self.key), None)
        if row is not None and row.source != "default":
            self.dismiss(SettingChange(row.key, "", row.source, reset=True))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save-project":
            self._answer("project")
        elif event.button.id == "save-user":
            self._answer("user")
        elif event.button.id == "reset":
            self._reset()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the value: on to the choice of where to keep it."""
        event.stop()
        self.query_one("#save-project", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
