"""How much an operation is expected to write, for the estimate shown before a call.

The operation's output limit is what it *may* write; what it usually writes in this project
is a better guess, so the estimate uses the median of its last runs here (the median, so one
runaway answer does not inflate every later estimate), and the limit when it has never run.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

RECENT_RUNS = 9
"""How many of an operation's last runs the median is taken over."""


def expected_output(history: Sequence[int], limit: int) -> int:
    """The median of ``history`` (output tokens of recent runs), at most ``limit``;
    ``limit`` when there is no history."""
    runs = [n for n in history[-RECENT_RUNS:] if n >= 0]
    if not runs or limit <= 0:
        return max(limit, 0)
    return min(limit, round(statistics.median(runs)))
