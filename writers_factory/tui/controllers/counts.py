"""The open file's words and the selection's, in the status bar, without slowing typing.

Counting is whole-text work, so it never runs per keystroke on the UI loop: an edit, a tab
switch or a selection change asks for a count; the asks coalesce (one count at most every
``DELAY`` seconds, and never two at once) and the count runs in a thread, chunk by chunk
(``count_words_stepwise``), so even a whole novel in one file leaves the interpreter to the
loop between chunks. A file's count is kept per revision: moving the cursor or selecting
counts only the selection. The status bar's part is repainted only when its text changes,
and laid out only when its width does (see ``StatusBar``).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.core.wordcount import count_words_stepwise
from writers_factory.store.manuscript.documents import TextParts
from writers_factory.tui.widgets.messages import OpenFileCounted

if TYPE_CHECKING:
    from textual.timer import Timer

    from writers_factory.tui.controllers.ports import UI, Views
    from writers_factory.tui.workspace import Workspace

DELAY = 0.25
"""Seconds between an ask and its count: a burst of keys is counted once."""
MAX_DELAY = 5.0
"""The longest wait, for a whole novel in one file: the wait is four times the last count's
time, so counting never takes more than a fifth of the time while the writer types."""


def count_in_steps(text: str | TextParts) -> tuple[int, float]:
    """Words of ``text`` and the seconds counting took (in a thread: the interpreter is
    free between chunks; the open file's text is joined here too, never on the loop)."""
    start = time.perf_counter()
    words = sum(count_words_stepwise(text if isinstance(text, str) else text.text))
    return words, time.perf_counter() - start


def words_text(words: int, selected: int | None, target: int | None = None) -> str:
    """``1,234 words``, ``1,234/3,000 words``, or ``12 of 1,234 words`` with a selection."""
    if selected is not None:
        return f"{selected:,} of {words:,} words"
    if target:
        return f"{words:,}/{target:,} words"
    return f"{words:,} word" + ("" if words == 1 else "s")


class OpenFileWords:
    """Counts for the status bar's word part; one per running app."""

    def __init__(self, workspace: Workspace, ui: UI, views: Views) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self._counted: dict[Path, tuple[int, int]] = {}
        """Per open file: (revision, words) of its last count."""
        self._timer: Timer | None = None
        self.delay = DELAY
        """The wait before the next count (grows with the open file's size)."""
        self._running = False
        self._again = False
        self.shown = ""
        self._selection_shown = False
        self.counts = 0
        """Whole-file counts so far (tests check a cursor move does not count the file)."""

    def words_of(self, path: Path) -> int | None:
        """The last count of an open file (project-relative), if any."""
        known = self._counted.get(path)
        return None if known is None else known[1]

    def chapter_target(self, path: Path) -> int | None:
        if not self.workspace.has_preferences:
            return None
        return self.workspace.preferences.data.targets.chapters.get(path.as_posix())

    def selection_changed(self, has_selection: bool) -> None:
        """The cursor moved: a count only when a selection is, or was, shown."""
        if has_selection or self._selection_shown:
            self.ask()

    def ask(self) -> None:
        """Something changed that the count may follow: count soon (coalesced)."""
        if self._timer is None and not self.ui.closing:
            self._timer = self.ui.after(self.delay, self._due, name="open-file-words")

    def _due(self) -> None:
        self._timer = None
        if self._running:
            self._again = True
            return
        editor = self.views.editor
        area = editor.active if editor is not None else None
        if area is None:
            self._show("")
            return
        path, revision = area.path, area.doc.revision
        known = self._counted.get(path)
        text = None if known is not None and known[0] == revision else area.text_parts()
        selection = area.selected_text if not area.selection.is_empty else None
        self._running = True
        self.ui.start(lambda: self._count(path, revision, text, selection), group="open-file-words")

    async def _count(
        self, path: Path, revision: int, text: TextParts | None, selection: str | None
    ) -> None:
        try:
            if text is not None:
                words, seconds = await asyncio.to_thread(count_in_steps, text)
                self.counts += 1
                self._counted[path] = (revision, words)
                self.delay = min(MAX_DELAY, max(DELAY, 4 * seconds))
            selected = None
            if selection is not None:
                selected = (await asyncio.to_thread(count_in_steps, selection))[0]
            known = self._counted.get(path)
            if known is not None:
                self._selection_shown = selected is not None
                target = self.chapter_target(path)
                self._show(words_text(known[1], selected, target))
                self.ui.post(OpenFileCounted(path, known[1], target))
        finally:
            self._running = False
            if self._again:
                self._again = False
                self.ask()

    def forget(self, path: Path) -> None:
        self._counted.pop(path, None)

    def _show(self, text: str) -> None:
        self.shown = text
        bar = self.views.status
        if bar is not None:
            bar.set_words(text)
