"""A list whose tail is shifted lazily: an edit moves every row below it without touching
them, and typing at one place never walks the rows below."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class ShiftedRows(Generic[T]):
    """Items of which those from ``start`` on all still lack one shift, added when read.

    A soft-wrapped document maps each line to its rows and each row to its line; an edit
    that adds a line or a row moves the numbers of everything below. Instead of rewriting
    them, the shift is remembered, and only the items between one edit and the next get it
    written in: typing in one place costs nothing, jumping elsewhere costs the distance.
    """

    def __init__(self, items: list[T], shift: Callable[[T, int], T]) -> None:
        self._items = items
        self._shift = shift
        self._start = len(items)
        self._by = 0
        self.settled = 0
        """Items whose shift was written in (tests read it)."""

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: int) -> T:
        items = self._items
        if index < 0:
            index += len(items)
        item = items[index]
        return self._shift(item, self._by) if self._by and index >= self._start else item

    def __iter__(self) -> Iterator[T]:
        return (self[index] for index in range(len(self._items)))

    def _settle(self, low: int, high: int, by: int) -> None:
        """Write a shift of ``by`` into the items from ``low`` to ``high`` (exclusive)."""
        if by and low < high:
            self.settled += high - low
            shift, items = self._shift, self._items
            items[low:high] = [shift(item, by) for item in items[low:high]]

    def replace(self, low: int, high: int, new: list[T], by: int) -> None:
        """Put ``new`` (true values) in place of the items from ``low`` to ``high``
        (exclusive), and shift every item after them by ``by``."""
        start, pending = self._start, self._by
        if not pending:  # nothing pending: the whole tail becomes so
            start = low + len(new)
        elif start <= low:
            self._settle(start, low, pending)
            start = low + len(new)
        elif start >= high:
            self._settle(high, start, by)
            start += len(new) - (high - low)
        else:
            start = low + len(new)
        self._items[low:high] = new
        self._start, self._by = start, pending + by


def shift_line(info: tuple[int, int], by: int) -> tuple[int, int]:
    """A row's (line, section), its line moved by ``by``."""
    return info[0] + by, info[1]


def shift_rows(rows: list[int], by: int) -> list[int]:
    """A line's rows, moved down by ``by``."""
    return [row + by for row in rows]
