"""kill -9 of the real app after some saves: history.json keeps the session's entry.

The child runs the whole app (headless), types into a chapter and saves through the app's
save coordinator three times (as auto-save does), acknowledging each round only once the
history is written; then it is killed without any chance to clean up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.patience import PATIENCE
from writers_factory.project import create_project
from writers_factory.store import SessionHistory
from writers_factory.store.session.session import Session

CHILD = textwrap.dedent("""
    import asyncio, pathlib, sys
    from writers_factory.tui.app import WritersFactoryApp

    project, ack = pathlib.Path(sys.argv[1]), open(sys.argv[2], "a", buffering=1)

    async def main():
        app = WritersFactoryApp(project, user_themes=project.parent / "themes")
        async with app.run_test() as pilot:
            await asyncio.wait_for(app.ready.wait(), 60)
            await app.open_path(project / "manuscript" / "chapter-01.md")
            area = app.editor.find(pathlib.Path("manuscript/chapter-01.md"))
            saver = app.saving  # the app's own coordinator, as auto-save runs it
            for round in (1, 2, 3):
                area.move_cursor(area.document.end)
                area.insert("\\nThe beam swept the bay.")
                while not area.dirty:
                    await pilot.pause(0.02)
                await saver.save_all()
                while app.writing.busy:
                    await pilot.pause(0.02)
                ack.write(f"{app.session.session_id} {round}\\n")
            await asyncio.sleep(3600)

    asyncio.run(main())
""")


def _acks(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.strip()]


def test_kill_9_of_the_app_keeps_the_sessions_words(tmp_path: Path) -> None:
    project = create_project(tmp_path / "novel", "Novel", sample=True)
    ack = tmp_path / "ack.txt"
    ack.write_text("")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project), str(ack)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + PATIENCE
        while len(_acks(ack)) < 3:
            if child.poll() is not None:
                raise AssertionError(f"the app died on its own: {child.stderr.read()!r}")  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the app made no progress"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stderr is not None:
            child.stderr.close()
    session_id = _acks(ack)[-1].split()[0]

    history = SessionHistory(project / ".session", read_only=True)
    assert history.problems == []
    entry = next(e for e in history.sessions if e.session_id == session_id)
    assert entry.end_time is None  # it never ended: killed
    assert entry.words_added == 3 * 5
    assert entry.files_modified == ["manuscript/chapter-01.md"]

    # the next run sees the interrupted session and keeps its entry
    session = Session(project)
    try:
        later = SessionHistory(project / ".session")
        later.begin(session.session_id, session.data.started_at)
        old = next(e for e in later.sessions if e.session_id == session_id)
        assert old.interrupted and old.words_added == 15
    finally:
        session.close_sync()
