"""The settings a writer sees and edits by name, each with its effective value and the
layer it comes from (this project, the user settings, the built-in default).

Shared by ``writers-factory settings`` and the settings screen, so both list the same
values and read a typed value the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from writers_factory.core.stages import STAGE_IDS
from writers_factory.store.preferences.layers import Source, lookup, source_of
from writers_factory.store.preferences.preferences import Preferences

USER_ONLY = frozenset({"author"})
"""Values only the user settings hold: who the writer is does not change per project."""

LISTED: tuple[str, ...] = (
    "author",
    "theme",
    *(f"models.{stage}" for stage in STAGE_IDS),
    "budget.daily_limit",
    "budget.weekly_limit",
    "budget.monthly_limit",
    "budget.warn_at",
    "budget.hard_stop",
    "cost_confirmation_threshold",
    "backups.folder",
    "auto_save_interval",
    "auto_save_enabled",
    "daily_word_target",
    "editor.spell_check",
    "editor.spelling_language",
)


@dataclass(frozen=True)
class SettingRow:
    key: str
    value: Any
    """The effective value in JSON form (``None`` when unset and without a default)."""
    source: Source
    file: Path | None
    """The file the value comes from; ``None`` for a built-in default."""

    def shown(self) -> str:
        """The value as typed on the command line (``null`` for none)."""
        return shown(self.value)


def shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def listed_keys(prefs: Preferences) -> list[str]:
    """:data:`LISTED` plus each keybinding either layer sets."""
    bound = {*prefs.data.keybindings, *prefs.user.data.keybindings}
    return [*LISTED, *(f"keybindings.{name}" for name in sorted(bound))]


def rows(prefs: Preferences) -> list[SettingRow]:
    """Every listed setting of ``prefs`` (a project's, or any folder's for user settings)."""
    project = prefs.own.model_dump(mode="json", exclude_unset=True)
    user = prefs.user.data.model_dump(mode="json", exclude_unset=True)
    effective = {
        **prefs.data.model_dump(mode="json"),
        "author": prefs.user.data.author,
    }
    out: list[SettingRow] = []
    for key in listed_keys(prefs):
        value = lookup(effective, key, None)
        source = source_of(key, user, {} if key in USER_ONLY else project)
        file = {"project": prefs.path, "user": prefs.user.path, "default": None}[source]
        out.append(SettingRow(key, value, source, file))
    return out


def typed(text: str) -> Any:
    """A value typed by the writer: ``null`` is none, ``{…}``/``[…]`` are JSON, the rest is
    passed as text for the setting's own validation to read ("5.00", "true", "0.9")."""
    stripped = text.strip()
    if stripped == "null":
        return None
    if stripped[:1] in ("{", "["):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError:
            return text
    return text
