"""The snapshot worker on its own, with real files and a real repository: requests return at
once, piled-up auto-saves merge into one, every other request is kept in order, an awaited
request is on disk when it returns, and a failure is told once without stopping anything."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from writers_factory.store.snapshots.reading import file_text, walk
from writers_factory.store.snapshots.repository import SnapshotRepository
from writers_factory.tui.controllers.snapshots import SnapshotKeeper
from writers_factory.tui.workspace import Workspace


class LoopUI:
    """The two things the keeper asks of the interface: run work, tell the writer."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.tasks: list[asyncio.Task[Any]] = []

    def start(self, work: Callable[[], Awaitable[Any]], *, group: str, **_: Any) -> None:
        self.tasks.append(asyncio.ensure_future(work()))

    def notify(self, message: str, **_: Any) -> None:
        self.notes.append(message)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "novel"
    (project / "manuscript").mkdir(parents=True)
    (project / ".session").mkdir()
    (project / "manuscript" / "chapter-01.md").write_text("Start.\n")
    return project


async def test_autosaves_merge_others_are_kept_in_order(tmp_path: Path) -> None:
    project = _project(tmp_path)
    ui = LoopUI()
    keeper = SnapshotKeeper(Workspace(project), ui)  # type: ignore[arg-type]
    first = await keeper.take("session-start")
    assert first is not None
    chapter = project / "manuscript" / "chapter-01.md"
    for n in range(20):  # twenty saves while the worker is busy with the first of them
        chapter.write_text(f"Start. Draft {n}.\n")
        keeper.request("autosave")
    keeper.request("before-ai-rewrite", overrides={"manuscript/chapter-01.md": "On screen.\n"})
    keeper.request("autosave")
    last = await keeper.take("manual", message="done")
    assert last is not None and not keeper.busy
    repo = SnapshotRepository(project / ".session")
    infos = list(walk(repo))
    names = [i.meta.trigger for i in reversed(infos)]
    assert names[0] == "session-start" and names[-1] == "manual"
    assert names.count("autosave") <= 3  # merged, not twenty
    assert "before-ai-rewrite" in names
    rewrite = next(i for i in infos if i.meta.trigger == "before-ai-rewrite")
    assert file_text(repo, rewrite.id, "manuscript/chapter-01.md") == "On screen.\n"
    assert file_text(repo, last, "manuscript/chapter-01.md") == "Start. Draft 19.\n"
    assert ui.notes == []


async def test_a_failure_is_told_once_and_the_worker_goes_on(tmp_path: Path) -> None:
    project = _project(tmp_path)
    ui = LoopUI()
    keeper = SnapshotKeeper(Workspace(project), ui)  # type: ignore[arg-type]
    blocker = project / ".session" / "snapshots.git"
    blocker.write_text("not a folder")  # the repository cannot be made
    keeper.request("autosave")
    keeper.request("manual", message="x")
    await asyncio.wait_for(asyncio.gather(*ui.tasks), 30)
    assert not keeper.busy
    assert len(ui.notes) == 1 and "snapshot could not be taken" in ui.notes[0]
    blocker.unlink()
    assert await keeper.take("manual", message="again") is not None
