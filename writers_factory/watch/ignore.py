"""Which paths never count as the writer's changes.

Editors save through swap, backup and lock files, and we save through temp files; reporting
them would flood the session with noise and make every save look like several files changing.
"""

from __future__ import annotations

import re
from pathlib import Path

from writers_factory.store.base.durable import is_temp_file

IGNORED_FOLDERS = frozenset({".session", ".git", ".hg", ".svn", "__pycache__"})
"""Anything below a folder with one of these names is machinery, not the writer's work."""

IGNORED_NAMES = frozenset({"4913", ".DS_Store", "Thumbs.db", "desktop.ini", ".directory"})
"""Exact names: vim's write-permission probe, and folder metadata of desktop systems."""

_IGNORED_NAME_PATTERN = re.compile(
    r"""
    \.sw[a-px]$                       # vim swap files: .swp, .swo, .swn, .swx, ...
    | ~$                              # backups: chapter.md~
    | ^\.\#                           # emacs lock links: .#chapter.md
    | ^\#.*\#$                        # emacs auto-save: #chapter.md#
    | \.(tmp|temp|part|partial|crdownload|kate-swp)$   # temp and partial downloads
    | ^~\$                            # office lock files: ~$chapter.docx
    | ^\.~lock\..*\#$                 # office lock files: .~lock.chapter.odt#
    | ^\.goutputstream-               # desktop editors' atomic-save temp files
    | ^\.syncthing\.|^\.dropbox       # sync tools' temp and state files
    """,
    re.VERBOSE | re.IGNORECASE,
)


def is_ignored_name(name: str) -> bool:
    """True for names of swap, backup, lock and temp files."""
    return name in IGNORED_NAMES or _IGNORED_NAME_PATTERN.search(name) is not None


def is_ignored(path: Path, root: Path) -> bool:
    """True when a change at ``path`` (inside project ``root``) must not be reported."""
    if is_temp_file(path) or is_ignored_name(path.name):
        return True
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = path.parts
    return any(part in IGNORED_FOLDERS for part in parts)
