"""The compile in progress: what is being done and how far, then the answer.

The compile runs in this screen's thread worker (a long book takes a while, a PDF most);
the worker reports its steps with ``call_from_thread`` and never touches a widget itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from writers_factory.compile import Format


@dataclass(frozen=True)
class CompileOutcome:
    """What a compile did: the file written, or why there is none."""

    path: Path | None
    chapters: int = 0
    words: int = 0
    problems: tuple[str, ...] = ()
    error: str | None = None


class CompileProgress(ModalScreen[CompileOutcome]):
    """Compiles the project's manuscript and closes with a :class:`CompileOutcome`."""

    DEFAULT_CSS = """
    CompileProgress { align: center middle; }
    CompileProgress > Vertical {
        width: 64; height: auto; border: round $primary; padding: 1 2; background: $surface;
    }
    CompileProgress #compile-step { width: 100%; margin-bottom: 1; }
    """

    def __init__(
        self,
        project: Path,
        fmt: Format,
        *,
        manuscript: bool = False,
        remember: Callable[[Path, bytes], None] | None = None,
    ) -> None:
        super().__init__()
        self.project = project
        self.remember = remember
        self.fmt: Format = fmt
        self.manuscript = manuscript

    def compose(self) -> ComposeResult:
        layout = " (standard manuscript layout)" if self.manuscript else ""
        with Vertical():
            yield Static(f"Compiling the manuscript to {self.fmt.upper()}{layout}", markup=False)
            yield Static("Reading chapters…", id="compile-step", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="compile-bar")

    def on_mount(self) -> None:
        self._compile()

    def _progress(self, what: str, done: int, total: int) -> None:
        self.query_one("#compile-step", Static).update(f"{what}: {done} of {total}")
        self.query_one("#compile-bar", ProgressBar).update(total=total, progress=done)

    @work(thread=True, exit_on_error=False, group="compile")
    def _compile(self) -> None:
        from writers_factory.compile.errors import CompileError
        from writers_factory.compile.run import compile_project

        def progress(what: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, what, done, total)

        try:
            result = compile_project(
                self.project,
                self.fmt,
                manuscript=self.manuscript,
                progress=progress,
                remember=self.remember,
            )
        except (CompileError, OSError) as exc:
            outcome = CompileOutcome(None, error=str(exc))
        else:
            outcome = CompileOutcome(
                result.path, result.chapters, result.words, tuple(result.problems)
            )
        self.app.call_from_thread(self.dismiss, outcome)
