"""The workspace's first paint: held until the last session's chapter is open again.

Unheld, the screen was painted while start-up went on: the workspace empty as composed,
again when the terminal said its size, again as the tree filled — each a full layout and a
render of the whole screen (in a terminal, also written out), on the loop, while the session
loaded in a thread that needs the same interpreter. Three full paints and more came before
the writer's chapter; held, the first paint is the reopened chapter, as a bare editor's is.

Held from the app's mount; let go when the workspace is restored, before any question is
shown (someone else's lock, crash recovery: a screen pushed), when start-up ends any other
way, and after ``HOLD_LIMIT`` whatever happens, so a slow start shows the workspace rather
than nothing.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from textual.app import App

HOLD_LIMIT = 0.5
"""Seconds: the longest the screen stays unpainted (start-up on a big novel takes a fifth of
that before the chapter shows)."""


class FirstPaint:
    """Holds one app's paints (a Textual batch update) until :meth:`release`."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._batch = ExitStack()
        self.held = False

    def hold(self) -> None:
        """No paint until :meth:`release` (or ``HOLD_LIMIT``); once per app."""
        if self.held:
            return
        self._batch.enter_context(self._app.batch_update())
        self.held = True
        self._app.set_timer(HOLD_LIMIT, self.release, name="first paint limit")

    def release(self) -> None:
        """Paint from now on (what was held is painted at the next refresh); idempotent."""
        if not self.held:
            return
        self.held = False
        self._batch.close()
        if self._app.screen_stack:  # a layout made while held rendered nothing to show
            self._app.screen.refresh()
