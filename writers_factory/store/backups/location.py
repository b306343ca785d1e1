"""Where a project's backups go: outside the project, so losing the project's disk or folder
does not take its backups with it.

The writer may choose any folder (an external drive, a synced folder) in preferences
(``backups.folder``); otherwise ``backups/<name>-<id>/`` in the platform's data folder
(:func:`writers_factory.store.base.places.app_folder`: ``$XDG_DATA_HOME/writers-factory`` or
``~/.local/share/writers-factory`` on Linux, ``~/Library/Application Support/writers-factory``
on macOS, ``%LOCALAPPDATA%\\writers-factory`` on Windows). ``<id>`` is a short hash of the
project's absolute path, so two projects both called "novel" never share a folder.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from writers_factory.store.base.places import user_folder


def project_key(project: Path) -> str:
    """``<name>-<id>``: readable, and distinct for two projects of the same name."""
    absolute = Path(project).absolute()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", absolute.name).strip("-.") or "project"
    ident = hashlib.sha256(str(absolute).encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return f"{name[:60]}-{ident}"


def backup_folder(project: Path, chosen: str | None = None) -> Path:
    """The folder the backups of ``project`` live in (the writer's choice, or the default).

    A chosen folder holds the backups of one project each in its own ``<name>-<id>/``, so one
    external drive can serve every project.
    """
    base = Path(os.path.expanduser(chosen)) if chosen else user_folder("data") / "backups"
    return base / project_key(project)
