"""Messages the workspace posts to the app, so saving and other layers can hook in.

Parts of the workspace never call the saving layer directly; they post these messages to
the app and whoever cares handles them (``on_buffer_edited``, ``on_significant_action`` …
on the App). Paths are project-relative, as stored in ``.session/current.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message


@dataclass
class BufferEdited(Message):
    """The writer changed an open file's text (not posted when a file is loaded).

    It names the revision, not the text: handlers read what they need from the document,
    and a burst of keystrokes queued behind a slow handler collapses into the newest one.
    """

    path: Path
    revision: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, BufferEdited) and message.path == self.path


@dataclass
class OpenFileCounted(Message):
    """The open file's words were counted afresh (in a thread, after edits settle), or its
    target changed.

    Whatever shows a chapter's progress beside the editor follows the writer's typing with
    it instead of keeping the count from when the chapter was opened.
    """

    path: Path
    words: int
    target: int | None
    """The chapter's word target as the count found it (``None``: none set)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, OpenFileCounted) and message.path == self.path


class FileSwitched(Message):
    """Another tab became active (``path`` is ``None`` when the last tab closed)."""

    def __init__(self, path: Path | None, previous: Path | None) -> None:
        super().__init__()
        self.path = path
        self.previous = previous


class StageChanged(Message):
    """The workspace moved to another stage (ids as in ``core.stages``)."""

    def __init__(self, stage: str, previous: str) -> None:
        super().__init__()
        self.stage = stage
        self.previous = previous


class SignificantAction(Message):
    """Something happened after which everything should be saved now.

    ``kind`` is one of ``stage``, ``file_switch``, ``file_created``, ``file_renamed``,
    ``file_deleted``, ``file_restored``, ``file_closing``, ``model``, ``operation``.
    """

    def __init__(self, kind: str, path: Path | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.path = path


class FileRenamed(Message):
    """A project file was renamed; an open buffer for it now follows the new path."""

    def __init__(self, old: Path, new: Path) -> None:
        super().__init__()
        self.old = old
        self.new = new


class OperationRequested(Message):
    """The writer chose an operation from the stage panel (handled by the AI layer)."""

    def __init__(self, stage: str, operation: str) -> None:
        super().__init__()
        self.stage = stage
        self.operation = operation


class AIPaneOpened(Message):
    """The AI pane opened for a call or a message: the app shows it (a stage screen of its
    own would hide it), unless ``shown`` is False (a call whose answer goes to the screen
    that asked, as the planning board's cards). Kept here, not on the pane, so the app
    handles it without importing the pane, which is mounted only when first wanted."""

    def __init__(self, shown: bool = True) -> None:
        super().__init__()
        self.shown = shown
