"""In the real app: nothing from disk state leads it outside the project; links are honoured.

A hand-edited ``current.json`` or journal entry naming ``../../elsewhere/notes.txt``, an
absolute path or ``/etc/shadow`` is never opened, shown, written or recovered, and the
writer is told which file and entry was dropped. A chapter that is a link inside the project
is saved through the link; one leading outside opens read-only and says why.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tui.conftest import SIZE, click_when_ready, ready_screen, started, wait_until
from tests.tui.test_recovery import settled, shown_text
from tests.tui.test_saving import CHAPTER, exited, journal_text, open_chapter
from writers_factory.store.manuscript.buffers import text_sha256
from writers_factory.store.manuscript.journal import Journal
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.recovery import RecoveryScreen

pytestmark = pytest.mark.reliability

SECRET = "the neighbour's notes\n"


@pytest.fixture
def elsewhere(project: Path) -> Path:
    """A file beside the project: nothing of the project may show or write it."""
    folder = project.parent / "elsewhere"
    folder.mkdir()
    notes = folder / "notes.txt"
    notes.write_text(SECRET)
    return notes


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def messages(app: WritersFactoryApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_open_files_leading_outside_are_neither_opened_nor_written(
    make_app: Callable[[], WritersFactoryApp], project: Path, elsewhere: Path
) -> None:
    Session(project).close_sync()
    current = project / ".session" / "current.json"
    raw = json.loads(current.read_text())
    raw["open_files"] = [
        {"path": "../../elsewhere/notes.txt"},
        {"path": str(elsewhere)},
        {"path": "/etc/shadow"},
        {"path": CHAPTER},
    ]
    raw["active_file"] = "../../elsewhere/notes.txt"
    current.write_text(json.dumps(raw))
    shadow = digest(Path("/etc/shadow")) if Path("/etc/shadow").is_file() else None
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert [b.path.as_posix() for b in app.open_buffers()] == [CHAPTER]
        said = messages(app)
        assert any(
            "current.json › open_files[0]: ../../elsewhere/notes.txt leads outside the "
            "project — not opened" in m
            for m in said
        ), said
        assert any(f"open_files[1]: {elsewhere} leads outside" in m for m in said)
        assert any("open_files[2]: /etc/shadow leads outside the project" in m for m in said)
        area = app.editor.active
        assert area is not None and area.path.as_posix() == CHAPTER
        area.focus()
        await pilot.press(*"Typed.", "ctrl+s")
        await wait_until(pilot, lambda: "Typed." in (project / CHAPTER).read_text())
        await pilot.press("ctrl+q")
        await exited(app)
    assert elsewhere.read_text() == SECRET
    assert not (project.parent.parent / "elsewhere").exists()
    if shadow is not None:
        assert digest(Path("/etc/shadow")) == shadow
    kept = json.loads(current.read_text())
    assert [f["path"] for f in kept["open_files"]] == [CHAPTER]


async def test_a_journal_entry_leading_outside_is_not_written_back_by_recover(
    make_app: Callable[[], WritersFactoryApp], project: Path, elsewhere: Path
) -> None:
    journal = Journal(project)
    on_disk = (project / CHAPTER).read_text()
    journal.write(Path(CHAPTER), on_disk + "Kept words.\n", text_sha256(on_disk))
    journal.write(Path("manuscript/stray.md"), "Overwrite the neighbour.\n", None)
    stray = journal.entry_file("manuscript/stray.md")
    raw = json.loads(stray.read_text())
    raw["path"] = "../elsewhere/notes.txt"
    stray.write_text(json.dumps(raw))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready_screen(pilot, RecoveryScreen)
        listing = shown_text(screen)
        assert stray.name in listing
        assert "../elsewhere/notes.txt leads outside the project" in listing
        await click_when_ready(pilot, "#recover", RecoveryScreen)
        await settled(pilot)
        assert [b.path.as_posix() for b in app.open_buffers()] == [CHAPTER]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Kept words." in (project / CHAPTER).read_text())
        await wait_until(pilot, lambda: journal_text(project) is None)
        await pilot.press("ctrl+q")
        await exited(app)
    assert elsewhere.read_text() == SECRET
    assert stray.exists(), "the hostile entry is left for the writer to see, not acted on"


async def test_a_linked_chapter_is_saved_through_the_link(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    target = project / "drafts" / "real.md"
    target.parent.mkdir()
    target.write_text("Draft.\n")
    link = project / "manuscript" / "linked.md"
    link.symlink_to(Path("../drafts/real.md"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot, "manuscript/linked.md")
        assert not area.read_only
        await pilot.press(*"More.", "ctrl+s")
        await wait_until(pilot, lambda: target.read_text() == "Draft.\nMore.")
        await wait_until(pilot, lambda: not area.dirty)
        await pilot.press(*" Again.", "ctrl+s")  # no false "changed outside" question
        await wait_until(pilot, lambda: target.read_text() == "Draft.\nMore. Again.")
        await pilot.press("ctrl+q")
        await exited(app)
    assert link.is_symlink()


async def test_a_chapter_linked_outside_opens_read_only_and_says_why(
    make_app: Callable[[], WritersFactoryApp], project: Path, elsewhere: Path
) -> None:
    link = project / "manuscript" / "borrowed.md"
    link.symlink_to(elsewhere)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        area = await open_chapter(pilot, "manuscript/borrowed.md")
        assert area.text == SECRET and area.read_only
        assert any(
            "manuscript/borrowed.md" in m and "leads outside the project; opened read-only" in m
            for m in messages(app)
        )
        await pilot.press(*"Typed over it.", "ctrl+s")
        await pilot.press("ctrl+q")
        await exited(app)
        assert area.text == SECRET and not area.dirty
    assert elsewhere.read_text() == SECRET and link.is_symlink()
