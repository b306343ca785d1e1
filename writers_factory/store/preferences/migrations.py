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
