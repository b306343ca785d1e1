"""The app opened as a co-author: the single writer's files move to the first author, what
the author types is kept in their own folder, and the lock question names the author who
holds the project."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.tui.conftest import SIZE, ready_screen, wait_until
from tests.tui.test_lock_question import detail, lock_path, type_and_save
from tests.tui.test_recovery import settled
from tests.tui.test_saving import CHAPTER, exited
from writers_factory.store.session import lock as locks
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.second_instance import SecondInstanceScreen


async def test_a_co_author_writes_into_their_own_folder(project: Path, user_themes: Path) -> None:
    Session(project).close_sync()  # the single-writer layout, as a project opened before
    session = project / ".session"
    assert (session / "current.json").is_file()
    app = WritersFactoryApp(project, user_themes=user_themes, author="Ann")
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert app.session.paths.root == session / "authors" / "Ann"
        info, _ = locks.read_lock(lock_path(project))
        assert info is not None and info.author == "Ann"
        await type_and_save(app, pilot, "Ann was here.")
        await wait_until(pilot, lambda: "Ann was here." in (project / CHAPTER).read_text())
        await pilot.press("ctrl+q")
        await exited(app)
    ann = session / "authors" / "Ann"
    assert (ann / "current.json").is_file() and (ann / "history.json").is_file()
    assert not (session / "current.json").exists()  # moved, not copied
    assert not lock_path(project).exists()  # closed cleanly


async def test_the_lock_question_names_the_author_holding_the_project(
    project: Path, user_themes: Path
) -> None:
    moment = datetime.now(UTC) - timedelta(minutes=3)
    lock_path(project).parent.mkdir(exist_ok=True)
    locks.write_lock(
        lock_path(project),
        locks.LockInfo(
            pid=4242,
            host="the-other-laptop",
            user="ann",
            author="Ann Elliot",
            started_at=moment,
            heartbeat_at=moment,
        ),
    )
    app = WritersFactoryApp(project, user_themes=user_themes, author="Bob")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready_screen(pilot, SecondInstanceScreen)
        assert "Author:      Ann Elliot" in detail(screen)
        await pilot.press("q")
        await exited(app)
