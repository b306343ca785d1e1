"""Theme files (TOML or JSON) turned into Textual themes.

Writers spend hours in the editor, so they get to choose its colours: the themes shipped
in the package (``writers_factory/data/themes/``) and their own files in
``themes/`` of the platform's configuration folder (``$XDG_CONFIG_HOME/writers-factory/themes/``
on Linux; see :mod:`writers_factory.store.base.places`). A file with a mistake must not stop the app
from starting; it is reported by file and field and skipped, so the writer can fix exactly
that line.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from writers_factory.core.errors import WritersFactoryError
from writers_factory.resources import shipped
from writers_factory.store.base.places import user_folder

BUNDLED_THEMES_DIR = shipped("themes")
"""The themes shipped with Writers Factory (``writers_factory/data/themes/``)."""

THEME_SUFFIXES = (".toml", ".json")

COLOUR_FIELDS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
NUMBER_FIELDS = ("luminosity_spread", "text_alpha")
KNOWN_FIELDS = frozenset(("name", "dark", "variables", *COLOUR_FIELDS, *NUMBER_FIELDS))


class ThemeFileError(WritersFactoryError, ValueError):
    """A theme file that cannot be used; names the file and the field at fault."""

    def __init__(self, path: Path, field: str | None, reason: str) -> None:
        where = f"{path}" if field is None else f"{path}: field '{field}'"
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.field = field
        self.reason = reason


def user_themes_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where a writer keeps their own theme files: ``themes/`` in the platform's
    configuration folder (:func:`~writers_factory.store.base.places.app_folder`)."""
    return user_folder("config", environ) / "themes"


def _read(path: Path) -> Mapping[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeFileError(path, None, f"cannot be read ({exc})") from exc
    try:
        data: Any = tomllib.loads(raw) if path.suffix == ".toml" else json.loads(raw)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ThemeFileError(path, None, f"is not valid {path.suffix[1:].upper()} ({exc})") from exc
    if not isinstance(data, Mapping):
        raise ThemeFileError(path, None, "must hold a table of fields")
    return data


def _colour(path: Path, field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ThemeFileError(
            path, field, f'must be a colour string such as "#1e1e2e", not {value!r}'
        )
    try:
        Color.parse(value)
    except ColorParseError as exc:
        raise ThemeFileError(path, field, f"{value!r} is not a colour") from exc
    return value


def parse_theme(path: Path, data: Mapping[str, Any]) -> Theme:
    """Validate ``data`` read from ``path`` field by field and build the theme."""
    unknown = sorted(set(data) - KNOWN_FIELDS)
    if unknown:
        raise ThemeFileError(
            path, unknown[0], f"is not a theme field (known: {', '.join(sorted(KNOWN_FIELDS))})"
        )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError(path, "name", "is required and must be a non-empty string")
    if "primary" not in data:
        raise ThemeFileError(path, "primary", "is required")
    colours = {field: _colour(path, field, data[field]) for field in COLOUR_FIELDS if field in data}
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeFileError(path, "dark", f"must be true or false, not {dark!r}")
    numbers: dict[str, float] = {}
    for field in NUMBER_FIELDS:
        if field in data:
            value = data[field]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ThemeFileError(path, field, f"must be a number, not {value!r}")
            numbers[field] = float(value)
    variables = data.get("variables", {})
    if not isinstance(variables, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise ThemeFileError(path, "variables", "must be a table of text values")
    return Theme(
        name=name.strip(),
        primary=colours["primary"],
        secondary=colours.get("secondary"),
        warning=colours.get("warning"),
        error=colours.get("error"),
        success=colours.get("success"),
        accent=colours.get("accent"),
        foreground=colours.get("foreground"),
        background=colours.get("background"),
        surface=colours.get("surface"),
        panel=colours.get("panel"),
        boost=colours.get("boost"),
        dark=dark,
        luminosity_spread=numbers.get("luminosity_spread", 0.15),
        text_alpha=numbers.get("text_alpha", 0.95),
        variables=dict(variables),
    )


def load_theme_file(path: Path) -> Theme:
    """Read and validate one theme file (synchronous; call it from a thread)."""
    path = Path(path)
    return parse_theme(path, _read(path))


def load_theme_dir(folder: Path) -> tuple[list[Theme], list[ThemeFileError]]:
    """Every usable theme in ``folder`` (sorted by file name) and the files that were not.

    A missing folder is simply empty: most writers never create one.
    """
    themes: list[Theme] = []
    errors: list[ThemeFileError] = []
    if not folder.is_dir():
        return themes, errors
    for path in sorted(folder.iterdir()):
        if path.suffix not in THEME_SUFFIXES or not path.is_file():
            continue
        try:
            themes.append(load_theme_file(path))
        except ThemeFileError as exc:
            errors.append(exc)
    return themes, errors
