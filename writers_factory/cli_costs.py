"""``writers-factory session costs`` and ``session preferences``: read-only views."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


def _dollars(value: Decimal) -> str:
    return f"${value:,.4f}" if value and value < Decimal("0.01") else f"${value:,.2f}"


def _emit(payload: Any) -> None:
    print(json.dumps(payload, indent=2, default=str, ensure_ascii=False))


def run_costs(project: Path, *, as_json: bool) -> int:
    from writers_factory.store.costs.tracker import CostTracker

    tracker = CostTracker(Path(project) / ".session", read_only=True)
    budget = tracker.prefs.data.budget
    warning = tracker.should_warn_budget()
    recent = tracker.recent(20)
    if as_json:
        _emit(
            {
                "session_id": tracker.session_id,
                "session_total": str(tracker.session_total),
                "daily_total": str(tracker.daily_total),
                "weekly_total": str(tracker.weekly_total),
                "monthly_total": str(tracker.monthly_total),
                "total": str(tracker.total),
                "operations_count": tracker.operations_count,
                "by_model": {k: str(v) for k, v in tracker.by_model_all_time.items()},
                "budget": budget.model_dump(mode="json"),
                "budget_warning": warning,
                "recent": [r.model_dump(mode="json") for r in recent],
                "problems": [p.describe() for p in tracker.problems],
            }
        )
        return 0
    out = Console(highlight=False, soft_wrap=True)
    totals = Table(title="Costs", show_header=False)
    totals.add_column("period", style="bold")
    totals.add_column("spent", justify="right")
    totals.add_column("limit", justify="right")
    for label, spent, limit in (
        ("this session", tracker.session_total, None),
        ("today", tracker.daily_total, budget.daily_limit),
        ("this week", tracker.weekly_total, budget.weekly_limit),
        ("this month", tracker.monthly_total, budget.monthly_limit),
        ("all time", tracker.total, None),
    ):
        totals.add_row(label, _dollars(spent), _dollars(limit) if limit is not None else "—")
    out.print(totals)
    if tracker.by_model_all_time:
        models = Table(title="By model")
        models.add_column("model")
        models.add_column("spent", justify="right")
        for model, spent in sorted(tracker.by_model_all_time.items(), key=lambda kv: -kv[1]):
            models.add_row(model, _dollars(spent))
        out.print(models)
    if recent:
        ops = Table(title=f"Recent operations ({tracker.operations_count} in all)")
        for column in ("when", "operation", "model", "in", "out", "cost"):
            ops.add_column(column, justify="right" if column in {"in", "out", "cost"} else "left")
        for r in reversed(recent):
            ops.add_row(
                f"{r.timestamp.astimezone():%Y-%m-%d %H:%M}",
                r.operation,
                r.model,
                f"{r.input_tokens:,}",
                f"{r.output_tokens:,}",
                _dollars(r.cost),
            )
        out.print(ops)
    if warning:
        out.print(f"[yellow]⚠ {warning}[/]")
    for problem in tracker.problems:
        out.print(f"[yellow]⚠[/] {problem.describe()}")
    return 0


def run_preferences(project: Path, *, as_json: bool) -> int:
    from writers_factory.store.preferences.preferences import Preferences

    prefs = Preferences(Path(project) / ".session", read_only=True)
    plain = prefs.data.model_dump(mode="json")
    if as_json:
        _emit({"preferences": plain, "problems": [p.describe() for p in prefs.problems]})
        return 0
    out = Console(highlight=False, soft_wrap=True)
    table = Table(title=f"Preferences — {prefs.path}", show_header=False)
    table.add_column("setting", style="bold")
    table.add_column("value")

    def rows(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and value:
            for key, inner in value.items():
                rows(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            table.add_row(prefix, "—" if value in (None, {}, []) else str(value))

    rows("", plain)
    out.print(table)
    for problem in prefs.problems:
        out.print(f"[yellow]⚠[/] {problem.describe()}")
    return 0
