"""Keep the valid rest of a hand-edited preferences file.

A writer who mistypes one value ("warn_at": 8 instead of 0.8) must not lose their theme,
keybindings and price overrides to defaults. Each invalid value is dropped from a copy of the
data (the file itself is untouched), reported with its dotted field path and the reason, and
validation is retried until what is left is valid.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar, get_origin

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Report = Callable[[str, str], None]

MAX_ROUNDS = 32
"""A dropped value can reveal at most one more level of errors; 32 is far beyond any nesting."""


def _drop(data: dict[str, Any], loc: tuple[int | str, ...], maps: frozenset[str]) -> str | None:
    """Remove the innermost existing entry on ``loc``; return its dotted path, or ``None``.

    Inside a map field (``maps``) the whole entry goes: half a price override is no price.
    """
    parts = [part for part in loc if part != "[key]"]
    if parts and parts[0] in maps:
        parts = parts[:2]
    node: Any = data
    trail: list[tuple[dict[str, Any], str]] = []
    for part in parts:
        if not isinstance(node, dict) or not isinstance(part, str) or part not in node:
            break
        trail.append((node, part))
        node = node[part]
    if not trail:
        return None
    parent, key = trail[-1]
    del parent[key]
    return ".".join(key for _, key in trail)


def map_fields(model: type[BaseModel]) -> frozenset[str]:
    """Top-level fields that are dicts of entries (models, keybindings, price overrides)."""
    return frozenset(
        name for name, info in model.model_fields.items() if get_origin(info.annotation) is dict
    )


def salvage(
    model: type[M], raw: dict[str, Any], error: ValidationError, report: Report
) -> M | None:
    """The model built from ``raw`` minus its invalid values, or ``None`` when nothing fits.

    ``report(field, reason)`` is called once per dropped value.
    """
    maps = map_fields(model)
    data = copy.deepcopy(raw)
    for _ in range(MAX_ROUNDS):
        progress = False
        gone: list[str] = []
        for item in error.errors():
            loc = tuple(item["loc"])
            full = ".".join(str(part) for part in loc if part != "[key]")
            if any(full == g or full.startswith(g + ".") for g in gone):
                continue  # a second error inside an entry already dropped this round
            dropped = _drop(data, loc, maps)
            if dropped is None:
                continue
            gone.append(dropped)
            progress = True
            inner = full[len(dropped) + 1 :]
            detail = f"{inner}: {item['msg']}" if inner else item["msg"]
            consequence = (
                "this entry was ignored"
                if dropped.partition(".")[0] in maps and "." in dropped
                else "the default is used instead"
            )
            report(dropped, f"{detail}; {consequence}")
        if not progress:
            return None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            error = exc
    return None
