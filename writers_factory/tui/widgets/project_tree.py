"""The project tree: only the writer's folders, never the session store or build output."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.widgets import DirectoryTree

from writers_factory.project import TREE_FOLDERS
from writers_factory.store.durable import is_temp_file


class ProjectTree(DirectoryTree):
    """A DirectoryTree of ``manuscript/``, ``reference/`` and ``planning/`` only.

    Folder contents are read by DirectoryTree in its own thread worker, so a large
    manuscript never stalls the event loop.
    """

    def __init__(self, project: Path, *, id: str | None = None) -> None:
        super().__init__(project, id=id)
        self.project = project
        self.show_root = False
        self.guide_depth = 2

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        chosen: list[Path] = []
        for path in paths:
            if path.parent == self.project:
                if path.name in TREE_FOLDERS and path.is_dir():
                    chosen.append(path)
            elif not path.name.startswith(".") and not is_temp_file(path):
                chosen.append(path)
        return chosen
