"""The project trash: deleting a file from the tree only ever moves it here.

A writer who deletes the wrong chapter must get it back, so a delete copies the bytes into
``.session/trash/<timestamp>/<relative path>`` through the durable write path and only then
removes the original. Restoring never replaces a file that has since appeared at the old
place: it picks a free sibling name instead. Synchronous; the TUI calls it from threads.

The trash lives in ``.session/`` and holds the writer's text, so its folders are private
(0700, made durable) and each copy is 0600. What the trash holds is disk state: an entry whose
copy is a link leading out of the trash, or whose old place now leads outside the project
(a folder replaced by a link), is refused with the entry named — never read, never restored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base.durable import (
    AlreadyThereError,
    fsync_dir,
    make_private_dir,
    write_atomic,
)
from writers_factory.store.base.paths import (
    SESSION_DIR,
    OutsideProjectError,
    SessionPaths,
    inside_project,
    stamp,
)


class TrashError(WritersFactoryError, OSError):
    """A trash operation was refused; the message names the file and why."""


@dataclass(frozen=True, order=True)
class TrashEntry:
    """One deleted file: when it was deleted and where it lived in the project."""

    deleted_at: str
    """The sortable UTC stamp that names the entry's folder."""
    relative_path: Path
    """Where the file lived, relative to the project folder."""
    stored_at: Path
    """The file's copy inside ``.session/trash/``."""


def _trash_root(project: Path) -> Path:
    return SessionPaths.for_project(project).trash


def _relative(project: Path, path: Path) -> Path:
    try:
        real = inside_project(project, path)
    except OutsideProjectError as exc:
        raise TrashError(str(exc)) from exc
    return real.relative_to(Path(project).resolve())


def move_to_trash(project: Path, path: Path) -> Path:
    """Move the file ``path`` (absolute or project-relative) into the trash; return its copy.

    The copy is durable before the original is unlinked, so a crash in between leaves the
    file in both places, never in neither.
    """
    project = Path(project)
    relative = _relative(project, path)
    return _move(project, relative)


def move_state_to_trash(project: Path, path: Path) -> Path:
    """Move a file of ``.session/`` itself into the trash (a syncing tool's conflict copy of a
    state file, once merged); return its copy. Kept under ``.session/`` in its trash folder,
    so it can be read back by hand; :func:`list_trash` never offers it for restore (its place
    is the store's, and the store has already taken what it held)."""
    project = Path(project)
    root = SessionPaths.for_project(project).root
    real = Path(path).resolve()
    if Path(path).is_symlink() or root.resolve() not in real.parents:
        raise TrashError(f"{path} is not a file of {SESSION_DIR}/; not moved to the trash")
    if _trash_root(project).resolve() in real.parents:
        raise TrashError(f"{path} is in the trash already")
    return _move(project, Path(SESSION_DIR) / real.relative_to(root.resolve()))


def _move(project: Path, relative: Path) -> Path:
    source = project / relative
    if not source.is_file():
        raise TrashError(f"{relative} is not a file; only files can be moved to the trash")
    data = source.read_bytes()
    folder = _trash_root(project) / stamp()
    suffix = 1
    while (folder / relative).exists():  # two deletes in the same microsecond
        suffix += 1
        folder = folder.with_name(f"{folder.name.split('~')[0]}~{suffix}")
    stored = folder / relative
    make_private_dir(stored.parent)
    write_atomic(stored, data)  # fsynced, folder fsynced: durable before the unlink
    source.unlink()
    fsync_dir(source.parent)
    return stored


def list_trash(project: Path) -> list[TrashEntry]:
    """Every file in the trash, most recently deleted first."""
    root = _trash_root(Path(project))
    if not root.is_dir():
        return []
    entries: list[TrashEntry] = []
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for stored in folder.rglob("*"):
            relative = stored.relative_to(folder)
            if stored.is_file() and relative.parts[0] != SESSION_DIR:  # the store's own
                entries.append(TrashEntry(folder.name, relative, stored))
    return sorted(entries, reverse=True)


RESTORE_TRIES = 20
"""Free names tried in turn when each is taken between finding it and writing it."""


def free_name(target: Path) -> Path:
    """``target`` if nothing is there, else ``name (restored).md``, ``name (restored 2).md``…
    (a link, even one to nothing, is something there)."""
    if not os.path.lexists(target):
        return target
    candidate = target.with_name(f"{target.stem} (restored){target.suffix}")
    counter = 2
    while os.path.lexists(candidate):
        candidate = target.with_name(f"{target.stem} (restored {counter}){target.suffix}")
        counter += 1
    return candidate


def restore(project: Path, entry: TrashEntry) -> Path:
    """Put ``entry`` back in the project and return where it landed.

    Never overwrites: if a file now exists at the old path the copy lands beside it (one
    that appears there while it is written, too). The restored file appears whole — never
    empty, to the watcher or a syncing tool — and the trash copy is removed only after it
    is durable.
    """
    project = Path(project)
    where = f"{SESSION_DIR}/trash/{entry.deleted_at} › {entry.relative_path.as_posix()}"
    try:
        inside_project(_trash_root(project), entry.stored_at, where=where, within="the trash")
        inside_project(project, entry.relative_path, where=where)
    except OutsideProjectError as exc:
        raise TrashError(f"{exc} — not restored") from exc
    if not entry.stored_at.is_file():
        raise TrashError(f"{entry.relative_path} is no longer in the trash")
    data = entry.stored_at.read_bytes()
    for _ in range(RESTORE_TRIES):
        target = free_name(project / entry.relative_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_atomic(target, data, create_only=True)
        except AlreadyThereError:
            continue  # taken since it was found free: the next free name
        break
    else:
        raise TrashError(f"{entry.relative_path}: every free name was taken while restoring")
    entry.stored_at.unlink()
    _prune_empty(entry.stored_at.parent, _trash_root(project))
    return target


def _prune_empty(folder: Path, root: Path) -> None:
    """Remove folders the restore left empty, up to (not including) the trash root."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
