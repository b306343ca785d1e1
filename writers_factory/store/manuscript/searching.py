"""The project's text files, read for a search across the project (blocking: a thread's).

What is searched is what the writer wrote: the files of ``manuscript/``, ``reference/``
and ``planning/``, without hidden files, our temp files, or anything reached through a
link leading outside the project. Each file comes with its :class:`FileBuffer`, so a
replacement is written through the one durable path and only over the text that was
searched (a file changed since is a conflict, never overwritten).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from writers_factory.core.search.project import natural_key
from writers_factory.store.base.durable import is_temp_file
from writers_factory.store.manuscript.buffers import FileBuffer, UnreadableFileError

SEARCHED = ("manuscript", "reference", "planning")
MAX_BYTES = 16 * 1024 * 1024
"""Larger files are left out of a project search (and named)."""


@dataclass(frozen=True)
class ProjectText:
    path: str
    """Project-relative POSIX path."""
    disk: FileBuffer
    text: str


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def searched_files(project: Path) -> list[str]:
    """Project-relative POSIX paths of the files a project search reads, in manuscript
    order (natural: chapter-2 before chapter-10). Links are not followed."""
    found: list[str] = []
    for part in SEARCHED:
        top = project / part
        if not top.is_dir() or top.is_symlink():
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = Path(folder) / name
                if name.startswith(".") or is_temp_file(path) or path.is_symlink():
                    continue
                found.append(path.relative_to(project).as_posix())
    return sorted(found, key=natural_key)


def project_texts(project: Path, skip: Collection[str] = ()) -> Iterator[ProjectText | Skipped]:
    """Each searched file (but ``skip``: open in the editor) with its text, or why not."""
    for rel in searched_files(project):
        if rel in skip:
            continue
        path = project / rel
        try:
            if path.stat().st_size > MAX_BYTES:
                yield Skipped(rel, f"larger than {MAX_BYTES // (1024 * 1024)} MB")
                continue
            disk, text = FileBuffer.load(path, project=project)
        except UnreadableFileError:
            yield Skipped(rel, "not UTF-8 text")
            continue
        except OSError as exc:
            yield Skipped(rel, exc.strerror or str(exc))
            continue
        if disk.read_only_reason is not None:
            yield Skipped(rel, "leads outside the project")
            continue
        yield ProjectText(rel, disk, text)
