"""Earlier versions of manuscript files, kept before anything rewrites them wholesale.

An AI rewrite replaces a writer's paragraph in one stroke; undo covers the running app, but
not a crash or a closed tab. So before a rewrite lands, the text as it was is copied to
``.session/versions/<relative path>/<UTC stamp>.<suffix>`` through the durable write path:
the folder mirrors the project, a plain sort of the names is the order they were kept, and
each version is an ordinary text file the writer can open without Writers Factory.

Synchronous; the TUI calls these from threads. Versions are never overwritten or deleted.
Their folders are private (0700, made durable) and each copy 0600, like all of ``.session/``;
a file in them that is a link leading out of ``versions/`` is not listed (never read).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base.durable import make_private_dir, write_text_atomic
from writers_factory.store.base.paths import (
    OutsideProjectError,
    SessionPaths,
    inside_project,
    stamp,
)


class VersionError(WritersFactoryError, ValueError):
    """The path given is not a project file that can have versions; the message says why."""


@dataclass(frozen=True, order=True)
class Version:
    """One kept version of a file: when it was kept and where its copy lives."""

    kept_at: str
    """The sortable UTC stamp that names the copy."""
    relative_path: PurePosixPath
    """The project file it is a version of."""
    stored_at: Path


def _relative(project: Path, rel_path: Path | str) -> PurePosixPath:
    """The project file's name under ``versions/``: inside the project, never ``.session``."""
    try:
        real = inside_project(project, rel_path)
    except OutsideProjectError as exc:
        raise VersionError(f"{exc}: only files of the project itself have versions") from exc
    given = Path(rel_path)
    if given.is_absolute():
        try:
            given = given.relative_to(project)
        except ValueError:  # reached through a link to the project
            given = real.relative_to(Path(project).resolve())
    rel = PurePosixPath(os.path.normpath(given).replace(os.sep, "/"))
    if ".." in rel.parts:  # "../book/x.md" from inside a linked folder: named by its target
        rel = PurePosixPath(real.relative_to(Path(project).resolve()).as_posix())
    return rel


def _folder(project: Path, rel: PurePosixPath) -> Path:
    return SessionPaths.for_project(Path(project)).versions.joinpath(*rel.parts)


def save_version(project: Path, rel_path: Path | str, text: str) -> Path:
    """Keep ``text`` as a version of ``rel_path`` (project-relative) and return its copy.

    Two versions kept in the same microsecond get distinct names, so none replaces another.
    """
    rel = _relative(Path(project), rel_path)
    folder = make_private_dir(_folder(Path(project), rel))
    suffix = PurePosixPath(rel.name).suffix or ".txt"
    base = stamp()
    target = folder / f"{base}{suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{base}~{counter}{suffix}"
    write_text_atomic(target, text)
    return target


def list_versions(project: Path, rel_path: Path | str) -> list[Version]:
    """Every kept version of ``rel_path``, most recent first."""
    rel = _relative(Path(project), rel_path)
    folder = _folder(Path(project), rel)
    if not folder.is_dir():
        return []
    root = SessionPaths.for_project(Path(project)).versions
    found = [
        Version(path.name.removesuffix(path.suffix), rel, path)
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".") and _kept_inside(root, path)
    ]
    return sorted(found, reverse=True)


def _kept_inside(root: Path, path: Path) -> bool:
    try:
        inside_project(root, path, within="the versions folder")
    except OutsideProjectError:
        return False
    return True
