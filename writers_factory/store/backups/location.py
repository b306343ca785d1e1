"""Where a project's backups go: outside the project, so losing the project's disk or folder
does not take its backups with it.

The writer may choose any folder (an external drive, a synced folder) in preferences
(``backups.folder``); otherwise ``$XDG_DATA_HOME/writers-factory/backups/<name>-<id>/``
(``~/.local/share`` when the variable is unset). ``<id>`` is a short hash of the project's
absolute path, so two projects both called "novel" never share a folder.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

ENV_DATA_HOME = "XDG_DATA_HOME"


def data_home() -> Path:
    value = os.environ.get(ENV_DATA_HOME, "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".local" / "share"


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
    base = (
        Path(os.path.expanduser(chosen)) if chosen else data_home() / "writers-factory" / "backups"
    )
    return base / project_key(project)
