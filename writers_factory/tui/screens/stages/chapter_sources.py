"""What the Enhancing screen reads about one chapter from ``.session/``: the newest
workflow's rewrite and critique of it, and its earlier versions in the snapshot history.

Blocking (disk, the history's objects): the screen calls these from thread workers. Paths
read from records are only compared with the chapter's, never opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def latest_step_output(session_dir: Path, chapter: str, step_name: str) -> str | None:
    """The output of step ``step_name`` in the newest finished workflow on ``chapter`` (in
    ``session_dir``: the writer's own, a co-author's folder for a co-author)."""
    from writers_factory.ai.workflows import WorkflowFileError, load_workflow, workflows_dir

    folder = workflows_dir(session_dir)
    best: tuple[str, str] | None = None
    for path in folder.glob("*.json") if folder.is_dir() else []:
        try:
            record = load_workflow(path)
        except WorkflowFileError:
            continue
        step = next((s for s in record.steps if s.name == step_name), None)
        if record.status != "finished" or record.inputs.get("path") != chapter:
            continue
        if step is None or step.output is None:
            continue
        stamp = record.updated.isoformat()
        if best is None or best[0] < stamp:
            best = (stamp, step.output)
    return None if best is None else best[1]


@dataclass(frozen=True)
class Version:
    """One earlier state of the chapter kept in the snapshot history."""

    id: str
    label: str
    """When and why it was kept ("2026-12-01 14:02 · Before AI rewrite")."""


def chapter_versions(project: Path, chapter: str) -> list[Version]:
    """The snapshots in which ``chapter`` changed, newest first (none without a history)."""
    from writers_factory.store.snapshots.reading import history_of
    from writers_factory.store.snapshots.repository import SnapshotRepository
    from writers_factory.store.snapshots.triggers import Trigger

    repo = SnapshotRepository(project / ".session")
    if not repo.exists() or repo.head() is None:
        return []
    found = []
    for info in history_of(repo, chapter):
        meta = info.meta
        try:
            why = Trigger(meta.trigger).label
        except ValueError:
            why = meta.message or meta.trigger
        when = meta.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
        found.append(Version(info.id, f"{when} · {why}"))
    return found


def version_text(project: Path, snapshot_id: str, chapter: str) -> str | None:
    """The chapter as snapshot ``snapshot_id`` kept it (``None``: not in it)."""
    from writers_factory.store.snapshots.reading import file_text
    from writers_factory.store.snapshots.repository import SnapshotRepository

    return file_text(SnapshotRepository(project / ".session"), snapshot_id, chapter)
