"""A table that shows every row, sorts by any column and keeps the writer's row in view.

Rows carry raw values beside what is shown, so "1,204" sorts as a number and "—" (no value)
sorts last. The table takes the height it is given and scrolls inside it: never a fixed
number of rows (a 61-chapter book once stopped at row 23).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

SortValue = float | str | None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    key: str
    """What the row stands for (a chapter's project-relative path)."""
    shown: tuple[str, ...]
    values: tuple[SortValue, ...]


def _sort_key(value: SortValue, numeric: bool) -> tuple[int, float | str]:
    if value is None:
        return (1, 0.0 if numeric else "")
    if numeric and isinstance(value, int | float):
        return (0, float(value))
    return (0, str(value).lower())


class SortableTable(DataTable[Text | str]):
    """``set_rows`` fills it; ``s`` sorts by the next column, ``S`` reverses the order, a
    click on a heading sorts by it (again: reversed); Enter posts
    :class:`SortableTable.Chosen` with the row's key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort_next", "Sort by next column", id="table.sort"),
        Binding("S", "sort_reverse", "Reverse order", id="table.reverse"),
    ]

    class Chosen(Message):
        """Enter on a row: the writer wants what it stands for."""

        def __init__(self, table: SortableTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

    class Sorted(Message):
        def __init__(self, table: SortableTable) -> None:
            super().__init__()
            self.table = table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, zebra_stripes=True, cursor_type="row")
        self.columns_spec: list[Column] = []
        self.rows_spec: list[Row] = []
        self.sort_key: str = ""
        self.descending = False

    def set_rows(self, columns: list[Column], rows: list[Row]) -> None:
        """Show ``rows`` (in the current sort order), keeping the cursor on its row."""
        self.columns_spec, self.rows_spec = columns, rows
        self._fill(keep=self.selected_key)

    @property
    def selected_key(self) -> str | None:
        if not self.rows_spec or self.row_count == 0:
            return None
        row = min(max(self.cursor_row, 0), self.row_count - 1)
        return self.ordered()[row].key

    def ordered(self) -> list[Row]:
        index = next((i for i, c in enumerate(self.columns_spec) if c.key == self.sort_key), None)
        if index is None:
            return list(self.rows_spec)
        numeric = self.columns_spec[index].numeric
        return sorted(
            self.rows_spec,
            key=lambda r: _sort_key(r.values[index], numeric),
            reverse=self.descending,
        )

    def sort_by(self, key: str, *, descending: bool = False) -> None:
        """Sort by the column ``key`` ("" = the order rows were given in)."""
        self.sort_key, self.descending = key, descending
        self._fill(keep=self.selected_key)
        self.post_message(self.Sorted(self))

    def select_key(self, key: str | None) -> bool:
        """Put the cursor on the row standing for ``key``; False when there is none."""
        for index, row in enumerate(self.ordered()):
            if row.key == key:
                self.move_cursor(row=index, animate=False, scroll=True)
                return True
        return False

    def _fill(self, *, keep: str | None) -> None:
        self.clear(columns=True)
        for column in self.columns_spec:
            label = column.label
            if column.key == self.sort_key:
                label += " ▼" if self.descending else " ▲"
            self.add_column(label, key=column.key)
        for row in self.ordered():
            cells = [
                Text(text, justify="right") if column.numeric else text
                for text, column in zip(row.shown, self.columns_spec, strict=True)
            ]
            self.add_row(*cells, key=row.key)
        if keep is not None:
            self.select_key(keep)

    def action_sort_next(self) -> None:
        if not self.columns_spec:
            return
        keys = [c.key for c in self.columns_spec]
        following = keys[(keys.index(self.sort_key) + 1) % len(keys)] if self.sort_key else keys[0]
        column = self.columns_spec[keys.index(following)]
        self.sort_by(following, descending=column.numeric)

    def action_sort_reverse(self) -> None:
        if self.columns_spec:
            self.sort_by(self.sort_key or self.columns_spec[0].key, descending=not self.descending)

    def _toggle(self, key: str) -> None:
        if self.sort_key == key:
            self.sort_by(key, descending=not self.descending)
        else:
            column = next(c for c in self.columns_spec if c.key == key)
            self.sort_by(key, descending=column.numeric)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value is not None:
            self.move_cursor(column=event.column_index)
            self._toggle(event.column_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Chosen(self, event.row_key.value))
