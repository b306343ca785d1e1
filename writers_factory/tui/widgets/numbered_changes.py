"""A list of numbered changes with one selected: the comparisons (Enhancing, a sync-conflict
copy) move the selection with the keys and keep the selected change in view the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class NumberedChange(Protocol):
    """A change's widget: its number (from 1) and the widget calls the marking needs."""

    number: int

    def set_class(self, add: bool, *class_names: str, update: bool = True) -> object: ...

    def scroll_visible(self, animate: bool = ...) -> object: ...


def mark_selected(views: Iterable[NumberedChange], selected: int) -> None:
    """Mark the ``selected`` change (index from 0) and scroll it into view."""
    for view in views:
        chosen = view.number - 1 == selected
        view.set_class(chosen, "-selected")
        if chosen:
            view.scroll_visible(animate=False)


def stepped(selected: int, step: int, count: int) -> int:
    """The selection ``step`` changes on, kept inside the ``count`` changes."""
    return max(0, min(count - 1, selected + step))
