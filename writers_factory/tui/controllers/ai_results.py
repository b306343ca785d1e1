"""An AI result waiting in the pane for Accept, and where Accept puts it.

Shared by the AI controller (single operations) and the workflow runner (multi-step), which
both leave their result here; kept apart so neither module imports the other's internals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from textual.widgets.text_area import Location

RecordOperation = Callable[[str, Decimal], None]
"""Count one paid operation (its id, what it cost) in this session's history."""


@dataclass(frozen=True)
class Target:
    """Where an accepted result goes: a range of one buffer (empty range = insert)."""

    path: Path
    start: Location
    end: Location
    original: str
    """The text of the range when the call was planned (a rewrite replaces only that)."""
    keep: Literal["text", "summary", "note"] = "text"
    """``summary``: Accept keeps the result as the chapter's summary, the text untouched;
    ``note``: Accept inserts it at the cursor as a note (a Markdown comment)."""

    @property
    def replaces(self) -> bool:
        return self.start != self.end


@dataclass(frozen=True)
class Pending:
    """A finished result waiting for Accept or Discard."""

    operation: str
    text: str
    target: Target | None
    alternatives: tuple[str, ...] = ()
    """The rewrites offered, when the operation offers several (one is chosen on Accept)."""
