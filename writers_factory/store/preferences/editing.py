"""Setting one value by its dotted name, the same way in ``preferences.json`` and in the
user settings, so both refuse a bad value with the same message (file › field: reason)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from writers_factory.core.errors import WritersFactoryError
from writers_factory.store.base.jsonfile import describe_validation
from writers_factory.store.preferences.layers import chosen, without

M = TypeVar("M", bound=BaseModel)


class PreferenceError(WritersFactoryError, ValueError):
    """A preference could not be set; the message names the file, the field and the reason."""


def check_name(model: type[BaseModel], field_path: str, where: Path) -> None:
    """Raise :class:`PreferenceError` unless ``field_path`` names a setting of ``model``."""
    top, _, rest = field_path.partition(".")
    fields = model.model_fields
    if top not in fields or top == "schema_version":
        raise PreferenceError(f"{where} › {field_path}: there is no such preference")
    if not rest:
        return
    default = getattr(model(), top)
    if isinstance(default, BaseModel):
        if rest not in type(default).model_fields:
            raise PreferenceError(f"{where} › {field_path}: there is no such preference")
    elif not isinstance(default, dict):
        raise PreferenceError(f"{where} › {field_path}: {top} holds no entries")


def with_value(model: type[M], own: M, field_path: str, value: Any, where: Path) -> M:
    """``own`` with ``field_path`` set to ``value`` (validated; the rest as it was set).

    For the map fields (models, keybindings, price_overrides) everything after the first
    dot is the key, so model names with dots work; ``None`` removes that key.
    """
    check_name(model, field_path, where)
    top, _, rest = field_path.partition(".")
    plain = chosen(own)
    if not rest:
        plain[top] = value
    elif value is None and isinstance(getattr(model(), top), dict):
        plain = without(plain, field_path)
    else:
        node = plain.get(top)
        plain[top] = {**(node if isinstance(node, dict) else {}), rest: value}
    return validated(model, plain, where)


def without_value(model: type[M], own: M, field_path: str, where: Path) -> M:
    """``own`` no longer setting ``field_path``: the layer below gives its value again."""
    check_name(model, field_path, where)
    return validated(model, without(chosen(own), field_path), where)


def validated(model: type[M], plain: dict[str, Any], where: Path) -> M:
    try:
        return model.model_validate(plain)
    except ValidationError as exc:
        reasons = "; ".join(f"{f}: {r}" for f, r in describe_validation(exc)[:3])
        raise PreferenceError(f"{where} › {reasons}") from exc
