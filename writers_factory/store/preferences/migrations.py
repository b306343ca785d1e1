"""Upgrade steps for ``preferences.json``.

Schema 0 was flat: ``model_preferences``, ``notebooklm_enabled``/``notebooklm_url``,
``keyboard_shortcuts``, ``auto_save_interval`` as text such as ``"30s"`` or ``"2m"`` and the
confirmation threshold as float dollars under ``cost_warning_threshold``. A step never raises;
a value it cannot convert is passed on unchanged, so validation names it to the writer.
"""

from __future__ import annotations

import re
from typing import Any

from writers_factory.store.base import migrations
from writers_factory.store.base.migrations import money_text

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?)?\s*$")


def seconds_of(value: Any) -> Any:
    """``"30s"`` -> 30.0, ``"2m"`` -> 120.0, numbers pass; anything else is returned as is."""
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    match = _DURATION.match(value.lower())
    if match is None:
        return value
    number = float(match.group(1))
    unit = match.group(2) or "s"
    return number * 60 if unit.startswith("m") else number


_RENAMES = {"model_preferences": "models", "keyboard_shortcuts": "keybindings"}


@migrations.register("preferences", 0)
def preferences_v0_to_v1(raw: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in raw.items():
        data[_RENAMES.get(key, key)] = value
    if "notebooklm_enabled" in data or "notebooklm_url" in data:
        nested = data.get("notebooklm")
        notebook = dict(nested) if isinstance(nested, dict) else {}
        if "notebooklm_enabled" in data:
            notebook["enabled"] = data.pop("notebooklm_enabled")
        if "notebooklm_url" in data:
            notebook["notebook_url"] = data.pop("notebooklm_url")
        data["notebooklm"] = notebook
    if "auto_save_interval" in data:
        data["auto_save_interval"] = seconds_of(data["auto_save_interval"])
    if "cost_warning_threshold" in data:
        data["cost_confirmation_threshold"] = money_text(data.pop("cost_warning_threshold"))
    budget = data.get("budget")
    if isinstance(budget, dict):
        data["budget"] = {
            key: money_text(value) if key.endswith("_limit") else value
            for key, value in budget.items()
        }
    return data


def without_defaults(raw: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """``raw`` minus the values equal to the built-in ``defaults`` (JSON form), section by
    section; a map (models, keybindings…) is kept whole unless empty, unknown keys always."""
    kept: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in defaults or key == "schema_version":
            kept[key] = value
            continue
        default = defaults[key]
        if isinstance(value, dict) and isinstance(default, dict) and default:
            inner = without_defaults(value, default)
            if inner:
                kept[key] = inner
        elif value != default or isinstance(value, bool) != isinstance(default, bool):
            kept[key] = value
    return kept


@migrations.register("preferences", 1)
def preferences_v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 layers the project over the writer's user settings: a value left out of
    ``preferences.json`` comes from them. Schema 1 files were written whole, every default
    included, so a default there meant "nothing chosen": it is left out, and the file means
    what it meant when no user settings exist, while user settings now reach the project."""
    from writers_factory.store.preferences.models import PreferenceFields

    defaults = PreferenceFields().model_dump(mode="json")
    return without_defaults(raw, defaults)
