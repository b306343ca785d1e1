"""Preferences in three layers: the project's, the writer's user settings, built-in defaults.

Each file holds only the values it sets (pydantic's ``model_fields_set``, kept through
``model_dump(exclude_unset=True)``). The effective value of a setting is the project's if
the project sets it, else the user settings', else the default. Sections (budget, backups…)
layer value by value and maps (models per stage, keybindings) entry by entry, so a project
that pins one stage's model keeps the writer's models for the others.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel

Source = Literal["project", "user", "default"]

M = TypeVar("M", bound=BaseModel)


def chosen(model: BaseModel) -> dict[str, Any]:
    """The values ``model`` sets (python form), without ``schema_version``."""
    plain = model.model_dump(exclude_unset=True)
    plain.pop("schema_version", None)
    return plain


def merge(lower: dict[str, Any], upper: dict[str, Any]) -> dict[str, Any]:
    """``upper`` over ``lower``: nested dicts merge key by key, anything else is replaced."""
    out = dict(lower)
    for key, value in upper.items():
        below = out.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            out[key] = merge(below, value)
        else:
            out[key] = value
    return out


def effective(model: type[M], user: dict[str, Any], project: dict[str, Any]) -> M:
    """The layered value; should the two not validate together (they each did alone), the
    project's own values win whole, so a project never opens with another's value."""
    from pydantic import ValidationError

    try:
        return model.model_validate(merge(user, project))
    except ValidationError:
        return model.model_validate(project)


_MISSING = object()


def lookup(plain: dict[str, Any], field_path: str, absent: Any = _MISSING) -> Any:
    """The value at ``"budget.daily_limit"`` or ``"models.writing"`` in ``plain``, or
    ``absent`` (by default a sentinel, see :func:`is_set`). Map keys may hold dots: after
    the first level of a map everything is one key."""
    top, _, rest = field_path.partition(".")
    if top not in plain:
        return absent
    node = plain[top]
    if not rest:
        return node
    if not isinstance(node, dict):
        return absent
    return node.get(rest, absent)


def is_set(plain: dict[str, Any], field_path: str) -> bool:
    return lookup(plain, field_path) is not _MISSING


def source_of(field_path: str, user: dict[str, Any], project: dict[str, Any]) -> Source:
    """Which layer gives ``field_path`` its effective value."""
    if is_set(project, field_path):
        return "project"
    if is_set(user, field_path):
        return "user"
    return "default"


def without(plain: dict[str, Any], field_path: str) -> dict[str, Any]:
    """``plain`` with ``field_path`` no longer set (an emptied section goes too)."""
    out = dict(plain)
    top, _, rest = field_path.partition(".")
    if not rest:
        out.pop(top, None)
        return out
    node = out.get(top)
    if isinstance(node, dict):
        inner = {k: v for k, v in node.items() if k != rest}
        if inner:
            out[top] = inner
        else:
            out.pop(top, None)
    return out
