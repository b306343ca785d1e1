"""The palette's "Screenshot": saved in the project's output/screenshots/ and said where, or
why not (Textual's own failed with "Failed to save screenshot" and no reason when the user
had no downloads folder)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot

from tests.tui.conftest import SIZE, palette_offers, ready_screen, started, wait_until
from writers_factory.tui.app import WritersFactoryApp


async def run_screenshot(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+p")
    await ready_screen(pilot, CommandPalette, focused="CommandInput")
    await pilot.press(*"Screenshot")
    await palette_offers(pilot, "Screenshot")
    await pilot.press("enter")


def said(app: WritersFactoryApp, start: str) -> list[str]:
    return [n.message for n in app._notifications if n.message.startswith(start)]


async def test_the_screenshot_lands_in_the_project_and_the_writer_is_told_where(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await run_screenshot(pilot)
        await wait_until(pilot, lambda: said(app, "Screenshot saved to"))
        [message] = said(app, "Screenshot saved to")
        relative = message.removeprefix("Screenshot saved to ")
        assert relative.startswith("output/screenshots/screen-") and relative.endswith(".svg")
        picture = (project / relative).read_text(encoding="utf-8")
        assert picture.lstrip().startswith("<svg") and "Project" in picture

        # a file where the folder belongs: not saved, and the message says which and why
        blocker = project / "output" / "screenshots"
        for old in blocker.iterdir():
            old.unlink()
        blocker.rmdir()
        blocker.write_text("not a folder")
        await run_screenshot(pilot)
        await wait_until(pilot, lambda: said(app, "Screenshot not saved"))
        [failure] = said(app, "Screenshot not saved")
        assert "output/screenshots" in failure and "directory" in failure.lower(), failure
        assert blocker.read_text() == "not a folder"
