"""One row of ``make bench``, the table they make, and ``bench/results.json``.

``results.json`` is a bench artefact (the app never reads it), written with a pydantic
model all the same, as every file the project writes has one: ``schema_version`` says which
shape a reader gets, ``BenchResults.model_json_schema()`` documents it, and a later run can
be compared with an earlier one field by field. Times are in seconds, memory in bytes;
``baseline``/``candidate`` are ``None`` where a row has only one side (or was not measured).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")
SCHEMA_VERSION = 1
Unit = Literal["s", "bytes", "count", "ratio"]


class Spread(BaseModel):
    """A median with the smallest and largest of its runs."""

    median: float
    min: float
    max: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("no values to summarise")
        return cls(
            median=statistics.median(values), min=min(values), max=max(values), runs=len(values)
        )


class Row(BaseModel):
    """One measure: what, against what, how it compares with its target."""

    bench: str
    measure: str
    unit: Unit = "s"
    baseline_is: str = ""
    baseline: Spread | None = None
    candidate: Spread | None = None
    target: str = ""
    passed: bool | None = None
    """``None``: information only, no target."""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.candidate is None or self.baseline.median == 0:
            return None
        return self.candidate.median / self.baseline.median


class BenchResults(BaseModel):
    schema_version: int = SCHEMA_VERSION
    started: datetime = Field(default_factory=lambda: datetime.now(UTC))
    runs: int
    """Alternated runs of each baseline/candidate pair (``BENCH_RUNS``)."""
    workload: str
    machine: str
    rows: list[Row]

    def write(self, path: Path) -> None:
        path.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")


def alternate(
    baseline: Callable[[], T], candidate: Callable[[], T], runs: int
) -> tuple[list[T], list[T]]:
    """Run each ``runs`` times, alternating which goes first, so drift on a shared machine
    (other work starting or stopping) weighs on both sides alike."""
    base: list[T] = []
    cand: list[T] = []
    for i in range(runs):
        if i % 2 == 0:
            base.append(baseline())
            cand.append(candidate())
        else:
            cand.append(candidate())
            base.append(baseline())
    return base, cand


def fmt(value: float | None, unit: Unit) -> str:
    if value is None:
        return "—"
    if unit == "s":
        if value >= 1:
            return f"{value:.2f} s"
        return f"{value * 1000:.1f} ms"
    if unit == "bytes":
        return f"{value / 2**20:.1f} MB"
    if unit == "ratio":
        return f"{value:.2f}×"
    return f"{value:g}"


def fmt_spread(spread: Spread | None, unit: Unit) -> str:
    if spread is None:
        return "—"
    if spread.runs == 1:
        return fmt(spread.median, unit)
    return f"{fmt(spread.median, unit)}\n[dim]{fmt(spread.min, unit)}–{fmt(spread.max, unit)}[/]"


def table(rows: Sequence[Row], title: str) -> object:
    """The one table ``make bench`` prints (a rich ``Table``)."""
    from rich.table import Table

    out = Table(title=title, show_lines=True, expand=False)
    out.add_column("bench", style="dim")
    out.add_column("measure", max_width=38)
    out.add_column("baseline", max_width=26)
    out.add_column("candidate", justify="right")
    out.add_column("ratio", justify="right")
    out.add_column("target", max_width=22)
    out.add_column("", justify="center")
    for row in rows:
        base = fmt_spread(row.baseline, row.unit)
        baseline = f"{row.baseline_is}\n{base}" if row.baseline_is else base
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
        mark = {True: "[green]PASS[/]", False: "[bold red]FAIL[/]", None: "[dim]info[/]"}[
            row.passed
        ]
        measure = f"{row.measure}\n[dim]{row.note}[/]" if row.note else row.measure
        out.add_row(
            row.bench,
            measure,
            baseline,
            fmt_spread(row.candidate, row.unit),
            ratio,
            row.target,
            mark,
        )
    return out
