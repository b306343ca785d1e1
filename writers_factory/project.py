"""What a Writers Factory project is, and how a new one is made.

A project is any folder with a ``manuscript/`` folder: that is the one thing the workspace
cannot do without, and it is easy for a writer to create by hand. Everything else
(``reference/``, ``planning/``, ``.session/``) is optional or created on demand.

Opening a folder that is not a project must never change it — a mistyped path should not
leave a ``.session/`` behind in the writer's home folder — so :func:`not_a_project_message`
only explains, and :func:`create_project` only ever writes into an empty or new folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from writers_factory.core.errors import WritersFactoryError
from writers_factory.resources import shipped
from writers_factory.store.base.durable import fsync_dir, write_atomic

TEMPLATE_DIR = shipped("project_template")
"""The folder ``writers-factory new`` copies (see ``writers_factory.resources``): the folders,
a guide, an outline, story-bible pages to fill in, and an empty first chapter."""

SAMPLE_DIR = shipped("project_sample")
"""Files laid over the template for ``writers-factory new --sample`` (and the demo and tests):
a first chapter with a few lines of a story, and story-bible entries for it."""

MARKER = "manuscript"
"""The folder whose presence makes a folder a project."""

TITLED_FILES = ("GUIDE.md", "manuscript/chapter-01.md")
"""Files whose ``{title}`` placeholder receives the project's title (the sample's chapter
opens with it; the empty chapter is just "Chapter 1")."""
"""Template files whose ``{title}`` placeholder receives the project's title."""


class ProjectError(WritersFactoryError):
    """A project could not be created; the message names the folder and what to do."""


def is_project(path: Path) -> bool:
    """True when ``path`` is a folder holding ``manuscript/``."""
    return (Path(path) / MARKER).is_dir()


def not_a_project_message(path: Path) -> str:
    """Explain why ``path`` cannot be opened and the exact command that would fix it.

    Pure: looks at the folder, never changes it.
    """
    import shlex  # only for this message, not for the app's import

    path = Path(path)
    here = shlex.quote(str(path))
    if not path.exists():
        return (
            f"{path} does not exist.\n"
            f"To start a new project there, run:\n\n    writers-factory new {here}\n"
        )
    if not path.is_dir():
        return (
            f"{path} is a file, not a project folder.\n"
            "To start a new project, run:\n\n    writers-factory new DIR\n"
        )
    missing = f"{path} is not a Writers Factory project: it has no {MARKER}/ folder.\n"
    unchanged = "Nothing in it was changed.\n"
    if not any(path.iterdir()):
        return f"{missing}{unchanged}To make it a project, run:\n\n    writers-factory new {here}\n"
    example = shlex.quote(str(path / "my-novel"))
    return (
        f"{missing}{unchanged}"
        "To start a new project in a new folder, run:\n\n"
        f"    writers-factory new DIR        (for example: writers-factory new {example})\n\n"
        f"To use this folder for your chapters instead, create {path / MARKER}/ yourself "
        "and open it again.\n"
    )


def default_title(dest: Path) -> str:
    """A readable title from the folder name: ``the-lighthouse`` → ``The Lighthouse``."""
    words = Path(dest).name.replace("-", " ").replace("_", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Untitled"


def _template_files(template: Path) -> list[Path]:
    return sorted(p for p in template.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def create_project(
    dest: Path,
    title: str | None = None,
    *,
    template: Path | None = None,
    sample: bool = False,
) -> Path:
    """Copy the project template into ``dest`` (created if missing) and return ``dest``.

    ``sample`` lays the sample story over it (a started first chapter and its story bible)
    instead of the empty first chapter. The title (``title``, else one made from the folder
    name) goes into the guide and is recorded as the project's name in ``.session/``, so
    ``session show`` and every later session carry it rather than the folder's name.

    Refuses a folder that already holds anything, so an existing project or a writer's
    files are never overwritten. Every file goes through the durable write path.
    """
    dest = Path(dest).expanduser()
    source = TEMPLATE_DIR if template is None else template
    if not source.is_dir():
        raise ProjectError(f"the project template {source} is missing; reinstall Writers Factory")
    if dest.exists():
        if not dest.is_dir():
            raise ProjectError(f"{dest} is a file; choose a new folder name for the project")
        if any(dest.iterdir()):
            raise ProjectError(
                f"{dest} already exists and is not empty; nothing was changed. "
                "Choose a new folder name for the project"
            )
    title = title.strip() if title and title.strip() else default_title(dest)
    dest.mkdir(parents=True, exist_ok=True)
    files = {file.relative_to(source): file for file in _template_files(source)}
    if sample:
        files.update({file.relative_to(SAMPLE_DIR): file for file in _template_files(SAMPLE_DIR)})
    for relative, file in sorted(files.items()):
        data = file.read_bytes()
        if relative.as_posix() in TITLED_FILES:
            data = data.decode("utf-8").replace("{title}", title).encode("utf-8")
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    for folder in ("manuscript", "reference", "planning", "output/reports"):
        (dest / folder).mkdir(parents=True, exist_ok=True)
    _record_title(dest, title)
    return dest


def _record_title(dest: Path, title: str) -> None:
    """The title as the project's name in ``current.json`` (a session opened and closed
    cleanly, so the first start is an ordinary one)."""
    from writers_factory.store.session.session import Session

    session = Session(dest)
    try:
        session.set_project_name(title)
    finally:
        session.close_sync()


TREE_FOLDERS = ("manuscript", "reference", "planning")
"""The folders the writer works in; files are created, renamed and deleted only there."""


def check_file_name(name: str) -> str:
    """A plain file name (no folders, no hidden files); ``.md`` is added when no extension.

    Raises ``ProjectError`` saying what is wrong with the name.
    """
    name = name.strip()
    if not name:
        raise ProjectError("a file name is needed")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise ProjectError(
            f"{name!r}: a file name cannot contain / or \\ (to put it in another folder, "
            "choose that folder in the project tree first)"
        )
    if name.startswith("."):
        raise ProjectError(f"{name!r}: a name cannot start with a dot (hidden files are not shown)")
    if "." not in name:
        name += ".md"
    return name


def writable_folder(project: Path, folder: Path) -> Path:
    """``folder`` if it lies inside one of the writer's folders, else ``manuscript/``.

    Pure path arithmetic (no disk access), so the UI may call it on the event loop.
    """
    project = Path(project)
    try:
        relative = Path(folder).relative_to(project)
    except ValueError:
        return project / "manuscript"
    if relative.parts[:1] and relative.parts[0] in TREE_FOLDERS and ".." not in relative.parts:
        return project / relative
    return project / "manuscript"


def new_file(project: Path, folder: Path, name: str) -> Path:
    """Create an empty file ``name`` in ``folder``; never replaces an existing file."""
    target = writable_folder(project, folder) / check_file_name(name)
    if target.exists():
        raise ProjectError(f"{target.relative_to(project)} already exists; choose another name")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, b"")
    return target


def rename_file(project: Path, path: Path, name: str) -> Path:
    """Rename the file ``path`` to ``name`` in the same folder, never replacing a file.

    A hard link claims the new name atomically (it fails if the name is taken), then the
    old name is removed; where hard links are unsupported the rename checks first.
    """
    path = Path(path)
    target = path.with_name(check_file_name(name))
    if target == path:
        return path
    if not path.is_file():
        raise ProjectError(f"{path.relative_to(project)} is not a file")
    if target.exists():
        raise ProjectError(f"{target.relative_to(project)} already exists; choose another name")
    try:
        os.link(path, target)
    except FileExistsError as exc:
        raise ProjectError(
            f"{target.relative_to(project)} already exists; choose another name"
        ) from exc
    except OSError:
        if target.exists():
            raise ProjectError(f"{target.relative_to(project)} already exists") from None
        os.rename(path, target)
    else:
        path.unlink()
    fsync_dir(path.parent)
    return target
