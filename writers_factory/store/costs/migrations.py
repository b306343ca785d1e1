"""Upgrade steps for ``costs.json``.

Schema 0 is the first layout Writers Factory wrote: float dollars, every operation inline
in one ``operations`` list, stale ``daily_total``/``weekly_total``/``monthly_total`` counters
and the budget inside the cost file. Schema 1 keeps operations append-only in chunk files.

A migration step is a pure function of the plain data and cannot write the chunk files, so
it leaves the operations under :data:`MIGRATED_OPERATIONS`; the tracker writes them into
chunks and removes the key. The budget is left under :data:`LEGACY_BUDGET` for the tracker to
move into preferences. Steps never raise: data they do not understand is passed on as is, and
validation then reports it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from writers_factory.store.base import migrations
from writers_factory.store.base.migrations import money_text

MIGRATED_OPERATIONS = "migrated_operations"
LEGACY_BUDGET = "legacy_budget"
LEGACY_SESSION_ID = "v0-import"
"""The session that schema-0 operations are attributed to (schema 0 had no session ids)."""

_STALE_COUNTERS = ("session_total", "daily_total", "weekly_total", "monthly_total")


@migrations.register("costs", 0)
def costs_v0_to_v1(raw: dict[str, Any]) -> dict[str, Any]:
    """Inline float operations -> chunked decimal operations (written by the tracker)."""
    data = {key: value for key, value in raw.items() if key not in _STALE_COUNTERS}
    operations = data.pop("operations", [])
    data.pop("by_model", None)  # recomputed exactly from the operations
    if not isinstance(operations, list):
        operations = [operations]
    converted: list[Any] = []
    for op in operations:
        if isinstance(op, dict):
            op = dict(op)
            op["cost"] = money_text(op.get("cost"))
            op.setdefault("session_id", LEGACY_SESSION_ID)
        converted.append(op)
    first = _first_timestamp(converted)
    data["session"] = {
        "id": LEGACY_SESSION_ID,
        "started": first or datetime.now(UTC).isoformat(),
    }
    data["chunks"] = []
    data[MIGRATED_OPERATIONS] = converted
    budget = data.pop("budget", None)
    if budget is not None:
        data[LEGACY_BUDGET] = (
            {key: money_text(value) for key, value in budget.items()}
            if isinstance(budget, dict)
            else budget
        )
    return data


def _first_timestamp(operations: list[Any]) -> str | None:
    for op in operations:
        if isinstance(op, dict) and isinstance(op.get("timestamp"), str):
            stamp: str = op["timestamp"]
            return stamp
    return None


@migrations.register("cost-operations", 0)
def chunk_v0_to_v1(raw: dict[str, Any]) -> dict[str, Any]:
    """A chunk without ``schema_version`` (written by hand) already has the schema-1 shape."""
    data = dict(raw)
    operations = data.get("operations")
    if isinstance(operations, list):
        data["operations"] = [
            {**op, "cost": money_text(op.get("cost"))} if isinstance(op, dict) else op
            for op in operations
        ]
    return data
