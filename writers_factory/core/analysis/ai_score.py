"""Reading the score out of a model's scoring answer: pure text work, no I/O.

A scoring answer is prose with numbers in it ("Overall: 7/10", "Total 68 / 100"). The
overall figure is the one on a line naming it (overall, total, final); otherwise the
first "N/10" or "N/100" found. It is brought to a 0–100 scale so it stands beside the
local rubric's score.
"""

from __future__ import annotations

import re

_SCORE = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(?:/|out of)\s*(10|100)\b", re.IGNORECASE)
_OVERALL = re.compile(r"\b(overall|total|final)\b", re.IGNORECASE)


def _scaled(number: str, scale: str) -> float | None:
    value, top = float(number), float(scale)
    if value > top:
        return None
    return round(value * 100 / top, 1)


def score_from_answer(text: str) -> float | None:
    """The answer's overall score on a 0–100 scale, or None when it gives none."""
    first: float | None = None
    for line in text.splitlines():
        for match in _SCORE.finditer(line):
            value = _scaled(match.group(1), match.group(2))
            if value is None:
                continue
            if _OVERALL.search(line):
                return value
            if first is None:
                first = value
    return first
