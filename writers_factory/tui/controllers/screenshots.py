"""The palette's "Screenshot": a picture of the screen saved in the project, and said where.

Textual's own command saves into the user's downloads folder and, when that fails (no such
folder, as on many servers), says only "Failed to save screenshot". Here the picture goes to
``output/screenshots/`` of the project — the writer's output folder, beside the reports —
through the durable path in a thread, and the writer is told the file's name, or why it
could not be written (naming the file).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.store.base.durable import DurableWriteError, write_text_atomic

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI

SCREENSHOTS = Path("output") / "screenshots"
"""Project-relative folder the screenshots go to."""


def screenshot_path(project: Path, now: datetime) -> Path:
    """``output/screenshots/screen-YYYY-MM-DD-HHMMSS.svg``; a counter if that name is taken."""
    folder = project / SCREENSHOTS
    base = f"screen-{now:%Y-%m-%d-%H%M%S}"
    candidate = folder / f"{base}.svg"
    counter = 2
    while candidate.exists():
        candidate = folder / f"{base}-{counter}.svg"
        counter += 1
    return candidate


async def save_screenshot(ui: UI, project: Path, svg: str, now: datetime) -> Path | None:
    """Write ``svg`` (exported on the loop) in a thread; tell the writer where, or why not."""

    def write() -> Path:
        target = screenshot_path(project, now)
        write_text_atomic(target, svg)
        return target

    try:
        target = await asyncio.to_thread(write)
    except OSError as exc:
        # the durable path's error names the file and the reason; another names the folder
        reason = str(exc) if isinstance(exc, DurableWriteError) else f"{SCREENSHOTS}: {exc}"
        ui.notify(
            f"Screenshot not saved: {reason}",
            title="Screenshot",
            severity="error",
            timeout=15,
        )
        return None
    ui.notify(f"Screenshot saved to {target.relative_to(project).as_posix()}", title="Screenshot")
    return target
