"""The writer's user settings: ``settings.json`` in the platform's config folder.

They follow the writer from project to project: a project's ``preferences.json`` overrides
any value it sets (see ``layers.py``). A hand-edited file with a bad value is treated as
preferences are: each bad value is named (file, field, reason) and dropped, the rest used;
a file that cannot be read at all is set aside in ``corrupt/`` beside it, never overwritten,
and the built-in defaults apply. Like a project's file it holds only what the writer set.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from writers_factory.store.base.backups import backup_file
from writers_factory.store.base.durable import make_private_dir
from writers_factory.store.base.events import Callbacks, ProblemKind, StoreProblem
from writers_factory.store.base.paths import SessionPaths
from writers_factory.store.preferences.author_setting import (
    settings_path,
)
from writers_factory.store.preferences.editing import PreferenceError, with_value, without_value
from writers_factory.store.preferences.layers import chosen
from writers_factory.store.preferences.models import UserSettingsData
from writers_factory.store.preferences.sparse import SparseFile


class UserSettings:
    """Typed, validated access to the user settings (sync; they are one small file)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        read_only: bool = False,
        callbacks: Callbacks | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else settings_path()
        self.paths = SessionPaths(self.path.parent)
        self._file: SparseFile[UserSettingsData] = SparseFile(
            self.paths,
            self.path,
            UserSettingsData,
            read_only=read_only,
            callbacks=callbacks,
            unreadable="read-only",
        )
        self._file.load_sync()
        self._needs_backup = any(p.kind is ProblemKind.INVALID_FIELD for p in self._file.problems)
        self.backup_path: Path | None = None

    @property
    def data(self) -> UserSettingsData:
        return self._file.value

    @property
    def problems(self) -> list[StoreProblem]:
        return list(self._file.problems)

    @property
    def read_only(self) -> bool:
        return self._file.read_only

    def chosen(self) -> dict[str, Any]:
        """The values the writer set (python form), for layering under a project's."""
        return chosen(self.data)

    def set(self, field_path: str, value: Any) -> bool:
        """Set one value (dotted name, as for preferences); whether anything changed."""
        self._refuse_read_only()
        return self._replace(with_value(UserSettingsData, self.data, field_path, value, self.path))

    def unset(self, field_path: str) -> bool:
        """Stop setting one value: the built-in default applies again."""
        self._refuse_read_only()
        return self._replace(without_value(UserSettingsData, self.data, field_path, self.path))

    def _refuse_read_only(self) -> None:
        if self.read_only:
            why = self._file.read_only_reason or "opened read-only"
            raise PreferenceError(f"{self.path}: {why}; settings cannot be changed")

    def _replace(self, new: UserSettingsData) -> bool:
        if chosen(new) == self.chosen():
            return False
        self._file.value = new
        self._file.mark_dirty()
        return True

    async def save(self) -> bool:
        """Write in threads when changed (the folder and a backup first, then the file)."""
        if self.read_only or not self._file.dirty:
            return False
        await asyncio.to_thread(self._prepare)
        return await self._file.save()

    def _prepare(self) -> None:
        make_private_dir(self.path.parent)
        if self._needs_backup and self.path.exists():
            self.backup_path = backup_file(self.paths, self.path, "before-rewrite")
        self._needs_backup = False

    def save_sync(self) -> bool:
        """Write when changed (making the folder if need be); True when bytes reached disk.

        A hand edit with bad values is copied to ``backups/`` beside it before its first
        rewrite, as a project's preferences are."""
        if self.read_only or not self._file.dirty:
            return False
        self._prepare()
        return self._file.save_sync()
