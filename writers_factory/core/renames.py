"""Lists of project paths that follow the writer's renames and deletes.

Settings that name files (the story-bible notes pinned or excluded from prompts) would
otherwise keep naming a file that no longer exists after a rename in the app, and the
writer's choice would be lost silently. A folder's rename carries everything under it.
"""

from __future__ import annotations

from collections.abc import Sequence


def followed(paths: Sequence[str], old: str, new: str | None) -> list[str]:
    """``paths`` (project-relative, POSIX) after ``old`` became ``new`` (``None``: deleted).

    ``old`` may be a file or a folder: paths under it move with it (or go with it). Order
    is kept and no path is listed twice.
    """
    out: list[str] = []
    for path in paths:
        if path == old:
            moved = new
        elif path.startswith(old + "/"):
            moved = None if new is None else new + path[len(old) :]
        else:
            moved = path
        if moved is not None and moved not in out:
            out.append(moved)
    return out
