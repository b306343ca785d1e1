"""The palette's "Compile manuscript" actions: save what is unsaved, compile, say where.

The compile reads the chapters from disk, so unsaved text is saved first (a writer who
compiles right after typing expects the last sentence in the book); what still could not
be saved is named.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import ModalScreen

from writers_factory.compile import Format

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI
    from writers_factory.tui.controllers.saving import SaveCoordinator
    from writers_factory.tui.screens.compile_progress import CompileOutcome
    from writers_factory.tui.workspace import Workspace

SAVE_WAIT = 30.0
"""At most this long for the save before a compile (a conflict question may hold it)."""


class Compiling:
    """Runs compiles for one workspace, one at a time."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        saving: Callable[[], SaveCoordinator | None],
        *,
        remember: Callable[[Path, bytes], None] | None = None,
    ) -> None:
        self.remember = remember
        """Told the compiled bytes before they are written (``output/`` is watched)."""
        self.workspace = workspace
        self.ui = ui
        self.saving = saving
        self.last: CompileOutcome | None = None
        """The latest compile's outcome (tests and the status read it)."""

    def start(self, fmt: Format, *, manuscript: bool = False) -> None:
        if self.ui.showing(ModalScreen):
            return
        self.ui.start(partial(self._run, fmt, manuscript), group="compile", exclusive=True)

    async def _save_first(self) -> list[str]:
        saving = self.saving()
        if saving is None or not saving.dirty_documents():
            return []
        saving.request_save("compile", interactive=True)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SAVE_WAIT
        while saving.busy and loop.time() < deadline:
            await asyncio.sleep(0.05)
        return [doc.path.as_posix() for doc in saving.dirty_documents()]

    async def _run(self, fmt: Format, manuscript: bool) -> None:
        from writers_factory.tui.screens.compile_progress import CompileProgress  # when used

        unsaved = await self._save_first()
        outcome = await self.ui.ask(
            CompileProgress(
                self.workspace.project, fmt, manuscript=manuscript, remember=self.remember
            )
        )
        self.last = outcome
        if outcome.path is None:
            self.ui.notify(
                f"Nothing was compiled: {outcome.error}", title="Compile", severity="error"
            )
            return
        shown = outcome.path
        with contextlib.suppress(ValueError):
            shown = outcome.path.relative_to(self.workspace.project)
        notes = [f"{outcome.chapters} chapters, {outcome.words:,} words → {shown}"]
        if unsaved:
            notes.append(f"Unsaved text not included: {', '.join(unsaved)}")
        notes += outcome.problems[:3]
        self.ui.notify("\n".join(notes), title="Compiled", timeout=12)
