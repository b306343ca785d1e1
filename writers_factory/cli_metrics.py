"""``writers-factory session metrics [--json]``: what the app counted as it ran."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

PERCENTILES = ((0.50, "p50"), (0.95, "p95"), (0.99, "p99"))


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} ms"


def run_metrics(project: Path, *, as_json: bool) -> int:
    from writers_factory.store.metrics.models import COUNTERS, LATENCIES
    from writers_factory.store.metrics.recorder import read_metrics

    root = Path(project) / ".session"
    if not root.is_dir():
        message = f"{root} does not exist: open the project once to create it."
        if as_json:
            print(json.dumps({"error": message}))
        else:
            Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
        return 2
    data, problems = read_metrics(root)
    counters = {name: data.counters.get(name, 0) for name in COUNTERS} | data.counters
    latencies = {}
    for name in sorted({*LATENCIES, *data.latencies}):
        histogram = data.latencies.get(name)
        row: dict[str, float | int | None] = {"count": histogram.count if histogram else 0}
        for q, label in PERCENTILES:
            row[f"{label}_ms"] = histogram.percentile(q) if histogram else None
        row["max_ms"] = histogram.max_ms if histogram and histogram.count else None
        latencies[name] = row
    if as_json:
        print(
            json.dumps(
                {
                    "since": data.since.isoformat() if data.since else None,
                    "updated_at": data.updated_at.isoformat() if data.updated_at else None,
                    "counters": counters,
                    "latencies": latencies,
                    "problems": problems,
                },
                indent=2,
            )
        )
        return 0
    out = Console(highlight=False, soft_wrap=True)
    since = f" since {data.since.astimezone():%Y-%m-%d %H:%M}" if data.since else ""
    table = Table(title=f"Metrics{since}")
    table.add_column("counter")
    table.add_column("count", justify="right")
    for name, n in counters.items():
        table.add_row(name.replace("_", " "), str(n))
    out.print(table)
    times = Table(title="Latency")
    times.add_column("what")
    times.add_column("count", justify="right")
    for _q, label in PERCENTILES:
        times.add_column(label, justify="right")
    times.add_column("max", justify="right")
    for name, row in latencies.items():
        times.add_row(
            name.replace("_", " "),
            str(row["count"]),
            *(_ms(row[f"{label}_ms"]) for _q, label in PERCENTILES),
            _ms(row["max_ms"]),
        )
    out.print(times)
    for problem in problems:
        out.print(f"[yellow]⚠[/] {problem}")
    return 0
