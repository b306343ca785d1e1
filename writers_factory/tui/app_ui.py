"""The app seen through the controllers' ports (:mod:`tui.controllers.ports`).

Kept apart from ``app.py`` so the controllers' view of the interface is small and written
down: everything they may do to it passes through here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App, ScreenStackError
from textual.css.query import NoMatches
from textual.widget import Widget

from writers_factory.tui.controllers.ports import Severity
from writers_factory.tui.widgets.editor import Editor
from writers_factory.tui.widgets.project_tree import ProjectTree
from writers_factory.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.message import Message
    from textual.screen import Screen
    from textual.timer import Timer
    from textual.widget import AwaitMount
    from textual.worker import Worker

    from writers_factory.tui.widgets.ai_pane import AIPane

T = TypeVar("T")
W = TypeVar("W", bound=Widget)


class AppUI:
    """Implements :class:`UI` and :class:`Views` for one running app."""

    def __init__(
        self,
        app: App[Any],
        open_path: Callable[[Path], Awaitable[None]],
        update_breadcrumbs: Callable[[], None],
    ) -> None:
        self._app = app
        self._open_path = open_path
        self._update_breadcrumbs = update_breadcrumbs
        self._ai_pane: AIPane | None = None
        """Mounted the first time it is wanted (``ai_pane``), not at start: hidden until an AI
        call or message, its widgets (and its buttons' styles) would only slow the first
        paint."""
        self._ai_pane_mount: AwaitMount | None = None

    @property
    def ai_message_shown(self) -> bool:
        """The AI pane is open on a message (nothing running, nothing to keep); asked on
        Escape, so it never mounts the pane."""
        pane = self._ai_pane
        if pane is None or not pane.is_attached:
            return False
        from writers_factory.tui.widgets.ai_pane import PaneState

        return pane.state is PaneState.MESSAGE

    # -- UI -------------------------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Severity = "information",
        timeout: float | None = None,
    ) -> None:
        self._app.notify(message, title=title, severity=severity, timeout=timeout)

    async def ask(self, screen: Screen[T]) -> T:
        answer: asyncio.Future[T] = asyncio.get_running_loop().create_future()

        def done(result: T | None) -> None:
            if not answer.done():
                answer.set_result(result)  # type: ignore[arg-type]

        self._app.push_screen(screen, callback=done)
        return await answer

    def show(self, screen: Screen[Any]) -> None:
        self._app.push_screen(screen)

    def showing(self, screen_type: type[Screen[Any]]) -> list[Screen[Any]]:
        return [s for s in self._app.screen_stack if isinstance(s, screen_type)]

    def post(self, message: Message) -> None:
        self._app.post_message(message)

    def start(
        self,
        work: Callable[[], Awaitable[Any]],
        *,
        group: str,
        exclusive: bool = False,
        exit_on_error: bool = False,
    ) -> Worker[Any]:
        async def run() -> Any:
            # Textual runs only coroutine functions as async workers; any callable returning
            # an awaitable (a lambda, a partial) is one once wrapped.
            try:
                return await work()
            except NoMatches:
                # work ending as the app quits finds the workspace's widgets taken down:
                # that is the quit, not a failure to report (it ended the quit on a traceback)
                if self.closing or not self._app.is_running:
                    return None
                raise

        return self._app.run_worker(
            run, group=group, exclusive=exclusive, exit_on_error=exit_on_error
        )

    def every(self, seconds: float, callback: Callable[[], object], *, name: str) -> Timer:
        return self._app.set_interval(seconds, callback, name=name)

    def after(self, seconds: float, callback: Callable[[], object], *, name: str) -> Timer:
        return self._app.set_timer(seconds, callback, name=name)

    def call_later(self, callback: Callable[..., object], *args: Any) -> None:
        self._app.call_later(callback, *args)

    def exit(self, return_code: int = 0) -> None:
        self._app.exit(return_code=return_code)

    @property
    def closing(self) -> bool:
        return self._app.return_code is not None or self._app._exit

    # -- Views ----------------------------------------------------------------------------

    def _workspace(self) -> Screen[Any] | None:
        """The workspace screen (the bottom of the workspace mode's stack), even while a
        stage with a screen of its own shows in another mode; ``None`` once torn down."""
        base: Screen[Any] | None = getattr(self._app, "workspace_screen", None)
        if base is None:
            try:
                stack = self._app.screen_stack
            except ScreenStackError:
                return None
            if not stack:
                return None
            base = stack[0]
        return base

    def _first(self, widget_type: type[W]) -> W | None:
        """A widget of the workspace screen, whichever mode shows."""
        base = self._workspace()
        if base is None:
            return None
        try:
            return base.query_one(widget_type)
        except NoMatches:
            return None

    @property
    def editor(self) -> Editor | None:
        return self._first(Editor)

    @property
    def tree(self) -> ProjectTree | None:
        return self._first(ProjectTree)

    @property
    def status(self) -> StatusBar | None:
        return self._first(StatusBar)

    @property
    def ai_pane(self) -> AIPane | None:
        """The AI pane, mounted (hidden, last in the workspace's row, beside the editor) the
        first time it is wanted; its own widgets are there once ``ai_pane_mounted`` is
        awaited. ``None`` once the workspace is torn down."""
        pane = self._ai_pane
        if pane is not None:
            return pane if pane.is_attached else None
        base = self._workspace()
        if base is None:
            return None
        try:
            row = base.query_one("#workspace")
        except NoMatches:
            return None
        from writers_factory.tui.widgets.ai_pane import AIPane

        self._ai_pane = pane = AIPane()
        self._ai_pane_mount = row.mount(pane)
        return pane

    async def ai_pane_mounted(self) -> AIPane | None:
        """The AI pane with its widgets mounted (mounting it, the first time)."""
        pane = self.ai_pane
        if pane is not None and self._ai_pane_mount is not None:
            await self._ai_pane_mount
            self._ai_pane_mount = None
        return pane

    async def open_path(self, path: Path) -> None:
        await self._open_path(path)

    def update_breadcrumbs(self) -> None:
        self._update_breadcrumbs()
