"""The author name in the writer's user settings, read without the settings' models.

Every command asks who the writer is before it opens anything (a co-author's files live in
their own folder), including the views that must start in a blink (``session costs`` imports
no validation library): this reads the one field from the raw file. Whether the name is a
usable one is checked where every name is (``core.authors.check_author``); what else is wrong
with the file is told when the settings are loaded in full.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from writers_factory.store.base.places import user_folder

SETTINGS_FILE = "settings.json"


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the user settings live on this system (``$XDG_CONFIG_HOME/writers-factory/…``)."""
    return user_folder("config", environ) / SETTINGS_FILE


def user_author(environ: Mapping[str, str] | None = None) -> str | None:
    """The author name the writer set in their user settings, or ``None`` (none set, or a
    file that cannot be read). Read-only: it never rewrites or sets aside their file."""
    try:
        raw = json.loads(settings_path(environ).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    value = raw.get("author") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None
