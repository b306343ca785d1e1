"""The app's side of the controllers' ports (``tui/app_ui.py``), on its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.tui.conftest import SIZE, started, wait_until
from writers_factory.tui.app import WritersFactoryApp


async def test_work_finding_the_workspace_gone_as_the_app_quits_ends_quietly(
    make_app: Callable[[], WritersFactoryApp],
) -> None:
    """Work started on the loop (a file created, then opened) may end while the app quits:
    the workspace's widgets are taken down and its last step finds none. That is the quit,
    not a failure: it ended on a traceback (``WorkerFailed``) instead of a clean exit."""
    app = make_app()
    gate = asyncio.Event()
    reached: list[str] = []

    async def late() -> None:
        await gate.wait()
        app.exit()  # the writer quits as the work ends
        reached.append("after the gate")
        app.editor  # noqa: B018 (the lookup is the step that finds the workspace gone)

    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.ui.start(late, group="test-late", exit_on_error=True)
        await pilot.pause()
        await app.editor.remove()  # as the quit takes the workspace down
        gate.set()
        await wait_until(pilot, lambda: bool(reached))
    assert reached == ["after the gate"]
