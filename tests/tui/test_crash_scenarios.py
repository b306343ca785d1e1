"""The issue's crash scenarios with a real process killed by SIGKILL, each repeated.

A child process runs the whole app (headless), does what the writer did, says so in an
acknowledgement file and waits; it is then killed without any chance to clean up. The next
start is the real app on the same project: it must offer nothing and the chapter must be
byte-identical. Every wait is on a condition, with a generous deadline; nothing asserts how
long anything took.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tui.conftest import SIZE
from tests.tui.test_recovery import settled
from writers_factory.project import create_project
from writers_factory.store.manuscript.journal import Journal
from writers_factory.store.preferences.preferences import Preferences
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.recovery import RecoveryScreen

CHAPTER = "manuscript/chapter-01.md"
ROUNDS = 5

CHILD = textwrap.dedent("""
    import asyncio, pathlib, sys
    from writers_factory.store.manuscript.journal import Journal
    from writers_factory.tui.app import WritersFactoryApp

    project, scenario = pathlib.Path(sys.argv[1]), sys.argv[2]
    ack = open(sys.argv[3], "a", buffering=1)
    chapter = pathlib.Path("manuscript/chapter-01.md")

    def entry():
        return Journal(project).get(chapter)

    async def until(pilot, condition, what):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while not condition():
            if loop.time() > deadline:
                ack.write("timed out: " + what + "\\n")
                raise SystemExit(3)
            await pilot.pause(0.02)

    async def main():
        app = WritersFactoryApp(project, user_themes=project.parent / "themes")
        async with app.run_test(size=(100, 30)) as pilot:
            await asyncio.wait_for(app.ready.wait(), 60)
            saving = app.saving
            opened = saving.last_report
            await app.open_path(project / chapter)
            area = app.editor.find(chapter)
            area.focus()
            # opening switches file, which saves: let that save land before typing, or a
            # slow one would write the typed word and deleting it would be a real change
            await until(
                pilot, lambda: saving.last_report is not opened and not saving.busy, "open save"
            )
            if scenario == "select-all-type-undo":
                area.select_all()
                await pilot.press("x")
                await until(
                    pilot, lambda: entry() is not None and entry().text == "x", "journal"
                )
                await pilot.press("ctrl+z")
                await until(pilot, lambda: not area.dirty, "clean tab")
                before = saving.last_report
                saving.request_save("auto")  # what the auto-save timer does at its tick
                await until(
                    pilot,
                    lambda: saving.last_report is not before and not saving.busy,
                    "an auto-save",
                )
            elif scenario == "type-wait-delete":
                area.move_cursor(area.document.end)
                await pilot.press(*"lantern")
                await until(
                    pilot, lambda: entry() is not None and "lantern" in entry().text, "journal"
                )
                await pilot.press(*["backspace"] * len("lantern"))
                await until(pilot, lambda: not area.dirty, "clean tab")
            ack.write("done\\n")
            await asyncio.sleep(3600)

    asyncio.run(main())
""")


def set_auto_save(project: Path, seconds: float) -> None:
    prefs = Preferences(project / ".session")
    prefs.set_auto_save_interval(seconds)
    prefs.save_sync()


def run_and_kill(
    tmp_path: Path, project: Path, scenario: str, before_kill: Callable[[], bool]
) -> None:
    """Run the child until it acknowledges, wait for ``before_kill()``, then SIGKILL it."""
    ack = tmp_path / f"ack-{time.monotonic_ns()}.txt"
    ack.write_text("")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project), scenario, str(ack)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while "done" not in ack.read_text():
            if child.poll() is not None:
                err = child.stderr.read() if child.stderr else b""
                raise AssertionError(f"the app stopped on its own: {ack.read_text()} {err!r}")
            assert time.monotonic() < deadline, "the app made no progress"
            time.sleep(0.05)
        while not before_kill():
            assert time.monotonic() < deadline, "the condition before the kill never held"
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stderr is not None:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL


async def next_start_asks_nothing(project: Path, user_themes: Path) -> None:
    app = WritersFactoryApp(project, user_themes=user_themes)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert not isinstance(app.screen, RecoveryScreen)
        assert not any(isinstance(s, RecoveryScreen) for s in app.screen_stack)
        await pilot.press("ctrl+q")


@pytest.mark.parametrize("round", range(ROUNDS))
async def test_select_all_type_undo_auto_save_kill_leaves_the_chapter_intact(
    tmp_path: Path, user_themes: Path, round: int
) -> None:
    project = create_project(tmp_path / "novel", "Novel", sample=True)
    original = (project / CHAPTER).read_bytes()
    set_auto_save(project, 600)  # the one auto-save runs when the test says
    run_and_kill(tmp_path, project, "select-all-type-undo", lambda: True)
    assert (project / CHAPTER).read_bytes() == original
    assert not Journal(project).has_entries(), "the undone one-letter text is not kept"
    await next_start_asks_nothing(project, user_themes)
    assert (project / CHAPTER).read_bytes() == original


@pytest.mark.parametrize("round", range(ROUNDS))
async def test_type_a_word_wait_delete_it_kill_offers_nothing(
    tmp_path: Path, user_themes: Path, round: int
) -> None:
    project = create_project(tmp_path / "novel", "Novel", sample=True)
    original = (project / CHAPTER).read_bytes()
    set_auto_save(project, 600)  # no save can be what removes the entry
    journal = Journal(project)
    # the entry goes when the text is the file's again — not at a save, not at a timer
    run_and_kill(tmp_path, project, "type-wait-delete", lambda: not journal.has_entries())
    assert (project / CHAPTER).read_bytes() == original
    await next_start_asks_nothing(project, user_themes)
    assert (project / CHAPTER).read_bytes() == original
