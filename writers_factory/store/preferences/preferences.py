"""The writer's preferences: ``.session/preferences.json``.

Writers edit this file by hand. A mistyped value is reported (file, field, reason) and the
default is used for it alone; the file is left exactly as the writer wrote it until they
change a preference in Writers Factory, and then it is copied to ``backups/`` before being
rewritten, so no hand edit is ever lost. Keys written by a newer version are kept.

The file holds only what this project sets; :attr:`Preferences.data` is the effective value,
the project's over the writer's user settings (``user.py``) over the built-in defaults.
"""

from __future__ import annotations

import asyncio
import contextlib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from writers_factory.core.stages import StageId
from writers_factory.store.base.backups import backup_file
from writers_factory.store.base.events import Callbacks, ProblemKind, StoreProblem
from writers_factory.store.base.paths import SessionPaths
from writers_factory.store.preferences import migrations as _prefs_migrations  # noqa: F401 - registers
from writers_factory.store.preferences.editing import PreferenceError, with_value, without_value
from writers_factory.store.preferences.layers import Source, chosen, effective, source_of
from writers_factory.store.preferences.models import PreferencesData
from writers_factory.store.preferences.sparse import SparseFile
from writers_factory.store.preferences.user import UserSettings

__all__ = ["PreferenceError", "Preferences"]

Period = Literal["daily", "weekly", "monthly"]


class Preferences:
    """Typed, validated access to ``preferences.json`` (sync load, async or sync save)."""

    def __init__(
        self,
        session_dir: Path,
        *,
        callbacks: Callbacks | None = None,
        read_only: bool = False,
        user: UserSettings | None = None,
    ) -> None:
        """``user``: the writer's user settings; by default read from the config folder
        (set aside there if they cannot be read, unless ``read_only``)."""
        self.paths = SessionPaths(Path(session_dir))
        self.user = user if user is not None else UserSettings(read_only=read_only)
        self._file: SparseFile[PreferencesData] = SparseFile(
            self.paths,
            self.paths.preferences,
            PreferencesData,
            callbacks=callbacks,
            read_only=read_only,
            unreadable="read-only",
        )
        self._file.load_sync()
        self._data = self._layered()
        self.backup_path: Path | None = None
        """Where the hand-edited original went before its first rewrite."""
        self._needs_backup = any(p.kind is ProblemKind.INVALID_FIELD for p in self._file.problems)
        if any(p.kind is ProblemKind.MIGRATED for p in self._file.problems) and not self.read_only:
            # The whole .session/ was backed up before migrating; keep the upgrade on disk
            # so it does not run (and back up again) at every start.
            self._file.mark_dirty()
            with contextlib.suppress(OSError):  # reported through on_error; kept in memory
                self.save_sync()

    # ------------------------------------------------------------------ reading
    @property
    def data(self) -> PreferencesData:
        """The effective preferences: this project's, else the user settings', else defaults."""
        return self._data

    @property
    def own(self) -> PreferencesData:
        """What ``preferences.json`` itself sets (``model_fields_set`` says which)."""
        return self._file.value

    def _layered(self) -> PreferencesData:
        return effective(PreferencesData, self.user.chosen(), chosen(self.own))

    def source(self, field_path: str) -> Source:
        """Where the effective value of ``field_path`` comes from: project, user, default."""
        return source_of(field_path, self.user.chosen(), chosen(self.own))

    def file_of(self, field_path: str) -> Path | None:
        """The file that gives ``field_path`` its value (``None``: the built-in default),
        so a message about a bad value names the file to fix."""
        source = self.source(field_path)
        return {"project": self.path, "user": self.user.path, "default": None}[source]

    def refresh_layers(self, user: UserSettings | None = None) -> None:
        """Layer again, over ``user`` if given: the writer changed their user settings."""
        if user is not None:
            self.user = user
        self._data = self._layered()

    @property
    def problems(self) -> list[StoreProblem]:
        """This file's problems, then the user settings' (each names its own file)."""
        return [*self._file.problems, *self.user.problems]

    @property
    def path(self) -> Path:
        return self._file.path

    @property
    def read_only(self) -> bool:
        return self._file.read_only

    def stop_writing(self) -> None:
        """Write nothing more: the project was taken over by another writer."""
        self._file.read_only = True

    def has_changes(self) -> bool:
        return self._file.dirty

    # ------------------------------------------------------------------ changing
    def set(self, field_path: str, value: Any) -> bool:
        """Set ``"theme"``, ``"budget.warn_at"``, ``"models.writing"``, ``"keybindings.<id>"``…

        For the map fields (models, keybindings, price_overrides) everything after the first
        dot is the key, so model names with dots work; ``None`` removes that key. Returns
        whether anything changed; raises :class:`PreferenceError` for a bad value.
        """
        self._refuse_read_only()
        return self._replace(with_value(PreferencesData, self.own, field_path, value, self.path))

    def unset(self, field_path: str) -> bool:
        """Stop this project setting ``field_path``: the user settings (or the default)
        give it again. Returns whether anything changed."""
        self._refuse_read_only()
        return self._replace(without_value(PreferencesData, self.own, field_path, self.path))

    def _refuse_read_only(self) -> None:
        if self.read_only:
            why = self._file.read_only_reason or "opened read-only"
            raise PreferenceError(f"{self.path}: {why}; preferences cannot be changed")

    def _replace(self, new: PreferencesData) -> bool:
        if chosen(new) == chosen(self.own):
            return False
        self._file.value = new
        self._file.mark_dirty()
        self._data = self._layered()
        return True

    def set_theme(self, name: str | None) -> bool:
        return self.set("theme", name)

    def set_model(self, stage: StageId, model: str | None) -> bool:
        return self.set(f"models.{stage}", model)

    def set_keybinding(self, binding_id: str, keys: str | None) -> bool:
        return self.set(f"keybindings.{binding_id}", keys)

    def set_auto_save_interval(self, seconds: float) -> bool:
        return self.set("auto_save_interval", seconds)

    def set_auto_save_enabled(self, enabled: bool) -> bool:
        return self.set("auto_save_enabled", enabled)

    def set_daily_word_target(self, words: int | None) -> bool:
        return self.set("daily_word_target", words)

    def set_budget_limit(self, period: Period, dollars: Decimal | None) -> bool:
        return self.set(f"budget.{period}_limit", dollars)

    def set_cost_confirmation_threshold(self, dollars: Decimal) -> bool:
        return self.set("cost_confirmation_threshold", dollars)

    def set_price_override(
        self,
        model: str,
        input_per_mtok: Decimal,
        output_per_mtok: Decimal,
        *,
        cache_read_per_mtok: Decimal | None = None,
        cache_write_per_mtok: Decimal | None = None,
    ) -> bool:
        """Price ``model`` by hand; cache rates left out charge cached tokens as input."""
        rates: dict[str, Decimal] = {
            "input_per_mtok": input_per_mtok,
            "output_per_mtok": output_per_mtok,
        }
        if cache_read_per_mtok is not None:
            rates["cache_read_per_mtok"] = cache_read_per_mtok
        if cache_write_per_mtok is not None:
            rates["cache_write_per_mtok"] = cache_write_per_mtok
        return self.set(f"price_overrides.{model}", rates)

    def remove_price_override(self, model: str) -> bool:
        return self.set(f"price_overrides.{model}", None)

    def set_notebooklm(self, *, enabled: bool, notebook_url: str | None = None) -> bool:
        changed = self.set("notebooklm.enabled", enabled)
        return self.set("notebooklm.notebook_url", notebook_url) or changed

    # ------------------------------------------------------------------ saving
    def _backup_original(self) -> None:
        """Copy a hand-edited file with invalid values aside before its first rewrite."""
        if not self._needs_backup or not self._file.dirty:
            return
        if self.path.exists():
            self.backup_path = backup_file(self.paths, self.path, "before-rewrite")
        self._needs_backup = False

    async def save(self) -> bool:
        """Write in a thread when something changed; True when bytes reached the disk."""
        if self.read_only or not self._file.dirty:
            return False
        if self._needs_backup:
            await asyncio.to_thread(self._backup_original)
        return await self._file.save()

    def save_sync(self) -> bool:
        """Synchronous save for quit and signal handlers."""
        if self.read_only or not self._file.dirty:
            return False
        self._backup_original()
        return self._file.save_sync()
