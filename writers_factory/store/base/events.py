"""What the store tells its callers: save/load metadata and problems found on disk.

Problems are values, not log lines, so the TUI can show them in a modal and the CLI can
print them; each names the file, the field when there is one, and what was done about it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from writers_factory.store.base.serialisers import Format


@dataclass(frozen=True)
class SaveMetadata:
    path: Path
    format: Format
    size: int
    timestamp: datetime
    items: int


@dataclass(frozen=True)
class LoadMetadata:
    path: Path
    format: Format
    size: int
    timestamp: datetime
    items: int


class ProblemKind(enum.StrEnum):
    CORRUPT = "corrupt"  # did not parse or validate; set aside
    INVALID_FIELD = "invalid-field"  # one field rejected; default used for it
    NEWER_VERSION = "newer-version"  # written by a newer Writers Factory; opened read-only
    EXTERNALLY_MODIFIED = "externally-modified"  # changed on disk behind our back; set aside
    WRITE_FAILED = "write-failed"  # every attempt failed; previous file intact
    MIGRATED = "migrated"  # upgraded from an older schema; backup taken
    LOCK = "lock"  # lock file problems
    UNREADABLE = "unreadable"  # cannot be read (permissions, I/O error); opened read-only
    LINKED = "linked"  # a symbolic link where state belongs; never written through
    NOT_WRITABLE = "not-writable"  # .session/ cannot be written (permissions, full disk)
    OUTSIDE = "outside"  # a path in the file leads outside the project; that entry dropped
    DURABILITY = "durability"  # saved, but its folder could not be synced: a warning


@dataclass(frozen=True)
class StoreProblem:
    """One thing the writer may need to know about a file in ``.session/``."""

    path: Path
    kind: ProblemKind
    message: str
    field: str | None = None
    set_aside: Path | None = None
    restored_from: Path | None = None
    lost: str | None = None

    def describe(self) -> str:
        """A single line naming the file, the field and the consequence."""
        where = f"{self.path}" + (f" › {self.field}" if self.field else "")
        parts = [f"{where}: {self.message}"]
        if self.set_aside is not None:
            parts.append(f"kept as {self.set_aside}")
        if self.restored_from is not None:
            parts.append(f"restored the last good copy from {self.restored_from}")
        if self.lost:
            parts.append(f"lost: {self.lost}")
        return "; ".join(parts)


SaveCallback = Callable[[SaveMetadata], None] | Callable[[], None]
LoadCallback = Callable[[LoadMetadata], None] | Callable[[], None]
ErrorCallback = Callable[[StoreProblem], None] | Callable[[], None]


@dataclass
class Callbacks:
    """Listeners shared by every file of one ``.session/``; exceptions in them are contained."""

    on_save: list[SaveCallback] = field(default_factory=list)
    on_load: list[LoadCallback] = field(default_factory=list)
    on_error: list[ErrorCallback] = field(default_factory=list)

    def saved(self, meta: SaveMetadata) -> None:
        for callback in list(self.on_save):
            _safely(callback, meta)

    def loaded(self, meta: LoadMetadata) -> None:
        for callback in list(self.on_load):
            _safely(callback, meta)

    def error(self, problem: StoreProblem) -> None:
        for callback in list(self.on_error):
            _safely(callback, problem)


def takes_no_argument(callback: Callable[..., object]) -> bool:
    """True for a listener written as ``def refresh(): ...`` (it is then called without one).

    Listeners may take the event (the save's metadata, the problem, the operation) or not:
    a status bar that only re-reads a figure needs nothing, and must not be dropped for it.
    """
    import inspect

    try:
        signature = inspect.signature(callback)
    except (TypeError, ValueError):  # some built-ins: assume the usual one argument
        return False
    try:
        signature.bind(None)
    except TypeError:
        try:
            signature.bind()
        except TypeError:
            return False
        return True
    return False


def call_listener(callback: Callable[..., object], arg: object) -> None:
    """Call ``callback`` with ``arg``, or with nothing when it takes no argument."""
    if takes_no_argument(callback):
        callback()
    else:
        callback(arg)


def _safely(callback: Callable[[object], None] | Callable[..., None], arg: object) -> None:
    # A failing listener must never turn a successful save into a failure.
    try:
        call_listener(callback, arg)
    except Exception:
        import logging

        logging.getLogger(__name__).exception("store callback failed")
