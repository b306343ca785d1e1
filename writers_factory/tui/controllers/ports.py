"""What a controller may ask of the interface, as small protocols.

Controllers never hold the app: they get a :class:`UI` (tell the writer, ask a question, run
work, post a message, time things) and a :class:`Views` (the few widgets they act on). The
app gives both through :class:`~writers_factory.tui.app_ui.AppUI`; tests may give their own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

if TYPE_CHECKING:
    from textual.message import Message
    from textual.screen import Screen
    from textual.timer import Timer
    from textual.worker import Worker

    from writers_factory.tui.widgets.ai_pane import AIPane
    from writers_factory.tui.widgets.editor import Editor
    from writers_factory.tui.widgets.project_tree import ProjectTree
    from writers_factory.tui.widgets.status_bar import StatusBar

Severity = Literal["information", "warning", "error"]
T = TypeVar("T")


class UI(Protocol):
    """Tell, ask, run, post, time: everything a controller needs of the running interface."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Severity = "information",
        timeout: float | None = None,
    ) -> None:
        """Show a notification."""

    async def ask(self, screen: Screen[T]) -> T:
        """Show a modal question and wait for its answer (works inside and outside workers)."""
        ...

    def show(self, screen: Screen[Any]) -> None:
        """Show a screen without waiting for it."""

    def showing(self, screen_type: type[Screen[Any]]) -> list[Screen[Any]]:
        """The screens of this type on the stack, newest last (is a question already open?)."""
        ...

    def post(self, message: Message) -> None:
        """Post a message to the app (the way parts of the interface talk to each other)."""

    def start(
        self,
        work: Callable[[], Awaitable[Any]],
        *,
        group: str,
        exclusive: bool = False,
        exit_on_error: bool = False,
    ) -> Worker[Any]:
        """Run ``work`` as an async worker of the app (cancelled when the app exits).

        An error it raises ends the worker only, unless ``exit_on_error``: then it closes the
        app (for flows that have no way to report what they did not expect).
        """
        ...

    def every(self, seconds: float, callback: Callable[[], object], *, name: str) -> Timer:
        """Call ``callback`` every ``seconds`` on the event loop."""
        ...

    def after(self, seconds: float, callback: Callable[[], object], *, name: str) -> Timer:
        """Call ``callback`` once after ``seconds`` on the event loop."""
        ...

    def call_later(self, callback: Callable[..., object], *args: Any) -> None:
        """Call ``callback`` soon, on the event loop, in the app's context."""

    def exit(self, return_code: int = 0) -> None:
        """Close the app (after the shutdown path has run)."""

    @property
    def closing(self) -> bool:
        """The app is exiting: start nothing new."""
        ...


class Views(Protocol):
    """The widgets controllers act on; ``None`` once the screens are torn down."""

    @property
    def editor(self) -> Editor | None: ...

    @property
    def tree(self) -> ProjectTree | None: ...

    @property
    def status(self) -> StatusBar | None: ...

    @property
    def ai_pane(self) -> AIPane | None:
        """The AI pane, mounted the first time it is wanted: its state can be read at once,
        its widgets only once ``ai_pane_mounted`` has been awaited."""
        ...

    async def ai_pane_mounted(self) -> AIPane | None:
        """The AI pane with its widgets mounted (mounting it, the first time)."""

    async def open_path(self, path: Path) -> None:
        """Open (or switch to) the project file at absolute ``path``, and focus it."""

    def update_breadcrumbs(self) -> None:
        """Recompute the trail from stage and active file."""


class Snapshots(Protocol):
    """Asks for snapshots of the project (``controllers/snapshots.py``); never waits on disk.

    ``overrides`` (project-relative POSIX path → text) record what the writer sees instead of
    the file (unsaved text before an AI rewrite, before taking an outside change).
    """

    def request(
        self, trigger: str, *, message: str = "", overrides: dict[str, str] | None = None
    ) -> None:
        """Queue a snapshot; returns at once."""

    async def take(
        self, trigger: str, *, message: str = "", overrides: dict[str, str] | None = None
    ) -> str | None:
        """Queue a snapshot and wait until it is on disk (or found needless): its id, or None.

        Raises ``OSError`` (or the store's errors) when it could not be taken.
        """
        ...
