"""The files ``current.json`` says were open, kept only while they lie inside the project.

``current.json`` is a file anyone can edit (or a project can arrive with one): an
``open_files`` entry such as ``../../elsewhere/notes.txt``, an absolute path or
``/etc/shadow`` would otherwise be opened in a tab, shown, and written by the next save.
Each entry is resolved (links followed) with :func:`inside_project`; one leading outside the
project, or into ``.session/``, is dropped before anything reads it, and a problem naming
``current.json``, the entry and the path says so. Resolving reads the disk: the session
calls this where it reads ``current.json``, off the UI loop.
"""

from __future__ import annotations

from pathlib import Path

from writers_factory.store.base.events import ProblemKind, StoreProblem
from writers_factory.store.base.paths import OutsideProjectError, inside_project
from writers_factory.store.session.models import SessionData

NOT_OPENED = "not opened"


def _problem(file: Path, field: str, exc: OutsideProjectError) -> StoreProblem:
    message = f"{exc.value} {exc.reason} — {NOT_OPENED}"
    return StoreProblem(file, ProblemKind.OUTSIDE, message, field)


def _stored_form(project: Path, value: str, real: Path) -> str:
    """The project-relative form of an entry found inside the project."""
    if not Path(value).is_absolute():
        return value
    try:
        return Path(value).relative_to(project).as_posix()
    except ValueError:  # reached through a link to the project
        return real.relative_to(project.resolve()).as_posix()


def contain_open_files(project: Path, file: Path, data: SessionData) -> list[StoreProblem]:
    """Drop every open file (and the active file) of ``data`` that leads outside ``project``.

    Returns one problem per dropped entry; ``data`` is changed in place. An absolute path
    inside the project is kept in the project-relative form every entry is stored in.
    """
    problems: list[StoreProblem] = []
    kept = []
    where = file.name
    for index, item in enumerate(data.open_files):
        field = f"open_files[{index}]"
        try:
            real = inside_project(project, item.path, where=f"{where} › {field}")
        except OutsideProjectError as exc:
            problems.append(_problem(file, field, exc))
            continue
        stored = _stored_form(project, item.path, real)
        if stored != item.path:
            item.path = stored
        kept.append(item)
    if len(kept) != len(data.open_files):
        data.open_files = kept
    active = data.active_file
    if active is not None:
        try:
            real = inside_project(project, active, where=f"{where} › active_file")
        except OutsideProjectError as exc:
            problems.append(_problem(file, "active_file", exc))
            data.active_file = kept[-1].path if kept else None
        else:
            data.active_file = _stored_form(project, active, real)
    return problems
