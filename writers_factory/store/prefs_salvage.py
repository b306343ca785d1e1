"""Keep the valid rest of a hand-edited preferences file.

A writer who mistypes one value ("warn_at": 8 instead of 0.8) must not lose their theme,
keybindings and price overrides to defaults. Each invalid value is dropped from a copy of the
data (the file itself is untouched), reported with its dotted field path and the reason, and
validation is retried until what is left is valid.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Report = Callable[[str, str], None]

MAX_ROUNDS = 32
"""A dropped value can reveal at most one more level of errors; 32 is far beyond any nesting."""


def _drop(data: dict[str, Any], loc: tuple[int | str, ...]) -> str | None:
    """Remove the innermost existing entry on ``loc``; return its dotted path, or ``None``."""
    parts = [part for part in loc if part != "[key]"]
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


def salvage(
    model: type[M], raw: dict[str, Any], error: ValidationError, report: Report
) -> M | None:
    """The model built from ``raw`` minus its invalid values, or ``None`` when nothing fits.

    ``report(field, reason)`` is called once per dropped value.
    """
    data = copy.deepcopy(raw)
    for _ in range(MAX_ROUNDS):
        progress = False
        for item in error.errors():
            loc = tuple(item["loc"])
            dropped = _drop(data, loc)
            if dropped is None:
                continue
            progress = True
            full = ".".join(str(part) for part in loc if part != "[key]")
            detail = item["msg"] if full == dropped else f"{full}: {item['msg']}"
            report(dropped, f"{detail}; the value was ignored and the default used")
        if not progress:
            return None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            error = exc
    return None
