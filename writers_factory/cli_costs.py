"""``writers-factory session costs`` and ``session preferences``: read-only views.

``session costs`` reads the summary in ``costs.json`` through :mod:`store.costs.view`
(standard library only: no pydantic, no price tables, no operation validated), and opens the
full read-only :class:`CostTracker` only when the files need it (a repair to report, an old
or newer layout, a chunk changed behind the summary). Both give the same figures.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from writers_factory.core.prices import display_name


def _dollars(value: Decimal) -> str:
    return f"${value:,.4f}" if value and value < Decimal("0.01") else f"${value:,.2f}"


def _emit(payload: Any) -> None:
    print(json.dumps(payload, indent=2, default=str, ensure_ascii=False))


class Recent(NamedTuple):
    timestamp: datetime
    operation: str
    model: str
    input_tokens: int
    output_tokens: int
    cost: Decimal
    plain: dict[str, Any]

    def cache_text(self) -> str:
        """Of the tokens sent, those read from and written to the provider's cache (billed
        at their own rates, so a cheap call with many tokens in is explained here)."""
        read, written = (self.plain.get(f"cache_{kind}_tokens") for kind in ("read", "write"))
        read, written = (n if type(n) is int else 0 for n in (read, written))
        if not read and not written:
            return "—"
        return f"{read:,} / {written:,}"


class CostReport(NamedTuple):
    """Everything the costs view shows, from either reader."""

    session_id: str
    session_total: Decimal
    periods: dict[str, Decimal]
    total: Decimal
    operations_count: int
    by_model: dict[str, Decimal]
    budget: dict[str, Any]
    limits: dict[str, Decimal | None]
    warning: str | None
    recent: list[Recent]
    problems: list[str]


RECENT = 20


def _quick(session_dir: Path) -> CostReport | None:
    from writers_factory.store.costs.view import read_view

    view = read_view(session_dir, now=datetime.now(UTC), recent=RECENT)
    if view is None:
        return None
    budget = view.budget
    return CostReport(
        session_id=view.session_id,
        session_total=view.session_total,
        periods=view.periods,
        total=view.total,
        operations_count=view.operations_count,
        by_model=view.by_model,
        budget=budget.plain(),
        limits={
            "daily": budget.daily_limit,
            "weekly": budget.weekly_limit,
            "monthly": budget.monthly_limit,
        },
        warning=view.warning,
        recent=[
            Recent(
                op.timestamp,
                op.operation,
                op.model,
                op.input_tokens,
                op.output_tokens,
                op.cost,
                op.plain,
            )
            for op in view.recent
        ],
        problems=[],
    )


def _full(session_dir: Path) -> CostReport:
    from writers_factory.store.costs.tracker import CostTracker

    tracker = CostTracker(session_dir, read_only=True)
    budget = tracker.prefs.data.budget
    return CostReport(
        session_id=tracker.session_id,
        session_total=tracker.session_total,
        periods=tracker.period_totals(),
        total=tracker.total,
        operations_count=tracker.operations_count,
        by_model=tracker.by_model_all_time,
        budget=budget.model_dump(mode="json"),
        limits={
            "daily": budget.daily_limit,
            "weekly": budget.weekly_limit,
            "monthly": budget.monthly_limit,
        },
        warning=tracker.should_warn_budget(),
        recent=[
            Recent(
                r.timestamp,
                r.operation,
                r.model,
                r.input_tokens,
                r.output_tokens,
                r.cost,
                r.model_dump(mode="json"),
            )
            for r in tracker.recent(RECENT)
        ],
        problems=[p.describe() for p in tracker.problems],
    )


NO_AUTHOR = "(no author)"
"""How the single-writer files are named beside co-authors' (a run without ``--author``)."""


def _report_of(session_dir: Path) -> CostReport:
    return _quick(session_dir) or _full(session_dir)


def author_reports(project: Path) -> dict[str, CostReport]:
    """Each writer's own report, by author (:data:`NO_AUTHOR` for the single-writer files)."""
    from writers_factory.store.authors.layout import session_roots

    return {name or NO_AUTHOR: _report_of(root) for name, root in session_roots(project)}


def combined(reports: dict[str, CostReport]) -> CostReport:
    """The project's totals: every author's added up. "This session" is the sum of each
    author's latest session; budgets are each author's own, so none is shown here (each
    author's warning is, named)."""
    zero = Decimal("0")
    every = list(reports.values())
    by_model: dict[str, Decimal] = {}
    for report in every:
        for model, spent in report.by_model.items():
            by_model[model] = by_model.get(model, zero) + spent
    recent = sorted((r for report in every for r in report.recent), key=lambda r: r.timestamp)
    warnings = [f"{name}: {r.warning}" for name, r in reports.items() if r.warning]
    return CostReport(
        session_id="",
        session_total=sum((r.session_total for r in every), zero),
        periods={
            period: sum((r.periods[period] for r in every), zero)
            for period in ("daily", "weekly", "monthly")
        },
        total=sum((r.total for r in every), zero),
        operations_count=sum(r.operations_count for r in every),
        by_model=by_model,
        budget={},
        limits={"daily": None, "weekly": None, "monthly": None},
        warning="; ".join(warnings) or None,
        recent=recent[-RECENT:],
        problems=[f"{name}: {p}" for name, r in reports.items() for p in r.problems],
    )


def cost_report(project: Path, author: str | None = None) -> CostReport:
    """The quick reading when the files allow it, else the full tracker's (read-only).

    With ``author``, that co-author's own; without, the project's: the single writer's
    files as ever, or every author's added up once there are co-authors.
    """
    from writers_factory.store.base.paths import SessionPaths

    if author is not None:
        return _report_of(SessionPaths.for_project(Path(project), author).root)
    reports = author_reports(project)
    if list(reports) in ([], [NO_AUTHOR]):
        return _report_of(Path(project) / ".session")
    return combined(reports)


def _totals_json(report: CostReport) -> dict[str, Any]:
    return {
        "daily_total": str(report.periods["daily"]),
        "weekly_total": str(report.periods["weekly"]),
        "monthly_total": str(report.periods["monthly"]),
        "total": str(report.total),
        "operations_count": report.operations_count,
        "by_model": {k: str(v) for k, v in report.by_model.items()},
    }


def run_costs_by_author(project: Path, *, as_json: bool) -> int:
    """``session costs --by-author``: each author's totals, and the project's (their sum)."""
    reports = author_reports(project)
    total = combined(reports)
    if as_json:
        _emit(
            {
                "authors": {name: _totals_json(r) for name, r in reports.items()},
                "total": _totals_json(total),
                "problems": total.problems,
            }
        )
        return 0
    rows = [
        (
            name,
            _dollars(r.periods["daily"]),
            _dollars(r.periods["weekly"]),
            _dollars(r.periods["monthly"]),
            _dollars(r.total),
            f"{r.operations_count:,}",
        )
        for name, r in [*reports.items(), ("all authors", total)]
    ]
    headers = ("author", "today", "this week", "this month", "all time", "operations")
    lines = _table("Costs by author", headers, rows, "<>>>>>")
    lines += [f"⚠ {problem}" for problem in total.problems]
    print("\n".join(lines))
    return 0


def run_costs(
    project: Path, *, as_json: bool, author: str | None = None, by_author: bool = False
) -> int:
    if by_author:
        return run_costs_by_author(project, as_json=as_json)
    report = cost_report(project, author)
    if as_json:
        _emit(
            {
                "session_id": report.session_id,
                "session_total": str(report.session_total),
                "daily_total": str(report.periods["daily"]),
                "weekly_total": str(report.periods["weekly"]),
                "monthly_total": str(report.periods["monthly"]),
                "total": str(report.total),
                "operations_count": report.operations_count,
                "by_model": {k: str(v) for k, v in report.by_model.items()},
                "budget": report.budget,
                "budget_warning": report.warning,
                "recent": [r.plain for r in report.recent],
                "problems": report.problems,
            }
        )
        return 0
    lines: list[str] = []
    limits = report.limits
    lines += _table(
        "Costs",
        None,
        [
            ("this session", _dollars(report.session_total), "—"),
            ("today", _dollars(report.periods["daily"]), _limit(limits["daily"])),
            ("this week", _dollars(report.periods["weekly"]), _limit(limits["weekly"])),
            ("this month", _dollars(report.periods["monthly"]), _limit(limits["monthly"])),
            ("all time", _dollars(report.total), "—"),
        ],
        "<>>",
    )
    if report.by_model:
        ranked = sorted(report.by_model.items(), key=lambda kv: -kv[1])
        lines += _table(
            "By model",
            ("model", "spent"),
            [(display_name(m), _dollars(spent)) for m, spent in ranked],
            "<>",
        )
    if report.recent:
        recent = [
            (
                f"{r.timestamp.astimezone():%Y-%m-%d %H:%M}",
                r.operation,
                display_name(r.model),
                f"{r.input_tokens:,}",
                r.cache_text(),
                f"{r.output_tokens:,}",
                _dollars(r.cost),
            )
            for r in reversed(report.recent)
        ]
        headers = ("when", "operation", "model", "in", "cached (read / written)", "out", "cost")
        title = f"Recent operations ({report.operations_count} in all)"
        lines += _table(title, headers, recent, "<<<>>>>")
    if report.warning:
        lines.append(f"⚠ {report.warning}")
    lines += [f"⚠ {problem}" for problem in report.problems]
    print("\n".join(lines))
    return 0


def _limit(value: Decimal | None) -> str:
    return "—" if value is None else _dollars(value)


def _table(
    title: str, headers: tuple[str, ...] | None, rows: Sequence[tuple[str, ...]], align: str
) -> list[str]:
    """A boxed table as plain lines (what rich would draw, without its start-up cost)."""
    every = [headers, *rows] if headers else rows
    widths = [max(len(row[i]) for row in every) for i in range(len(align))]

    def line(cells: tuple[str, ...], left: str = "│", mid: str = "│", right: str = "│") -> str:
        padded = [
            cell.ljust(w) if a == "<" else cell.rjust(w)
            for cell, w, a in zip(cells, widths, align, strict=True)
        ]
        return f"{left} " + f" {mid} ".join(padded) + f" {right}"

    def rule(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * (w + 2) for w in widths) + right

    out = [title.center(sum(widths) + 3 * len(widths) + 1).rstrip(), rule("┌", "┬", "┐")]
    if headers:
        out += [line(headers), rule("├", "┼", "┤")]
    out += [line(row) for row in rows]
    out.append(rule("└", "┴", "┘"))
    return out


def run_preferences(project: Path, *, as_json: bool, author: str | None = None) -> int:
    from rich.console import Console
    from rich.table import Table

    from writers_factory.store.base.paths import SessionPaths
    from writers_factory.store.preferences.preferences import Preferences

    prefs = Preferences(SessionPaths.for_project(Path(project), author).root, read_only=True)
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
        out.print(f"[yellow]⚠[/] {problem}")
    return 0
