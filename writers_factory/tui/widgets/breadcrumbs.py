"""Breadcrumbs: Home › Writing › chapter-5.md — where the writer is, in one line."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

SEPARATOR = " › "


def trail_for(stage_title: str, file: str | None) -> list[str]:
    """The trail for a stage and (optionally) the file being edited."""
    return ["Home", stage_title] if file is None else ["Home", stage_title, file]


class Breadcrumbs(Static):
    """A read-only trail; the app sets ``trail`` as the writer navigates."""

    trail: reactive[tuple[str, ...]] = reactive(("Home",))

    def render(self) -> Content:
        crumbs = [Content(crumb) for crumb in self.trail]
        if crumbs:
            crumbs[-1] = crumbs[-1].stylize("bold")
        return Content(SEPARATOR).join(crumbs)
