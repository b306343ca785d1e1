"""``make reliability``: run the whole reliability set at full size and print one table.

Runs pytest on the tests of every row of ``tally.ROWS`` with the full-size settings below
(``make test`` runs the same tests at their small defaults), the tally plugin recording
what each round found; then prints, per row, how many rounds or cases were tried, how many
failed and how many acknowledged or typed things were lost. Every number is counted from
what actually ran. Exits non-zero when pytest failed, any row failed or lost anything, or
a row ran nothing.

Run from the repository root: ``python -m tests.reliability.report [pytest args…]``; the
sizes can be overridden from the environment (``WF_CRASH_ROUNDS=50 make reliability``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.reliability.tally import ENV, ROWS, row_of

ROOT = Path(__file__).resolve().parents[2]

FULL_SIZE = {
    "WF_CRASH_ROUNDS": "500",  # kills of the crash loop
    "WF_TUI_KILL_ROUNDS": "20",  # kills of the real TUI in tmux, each followed by Recover
    "WF_LOCK_ROUNDS": "50",  # two starts at the same instant
    "WF_COST_ROUNDS": "12",  # two cost trackers logging at once
    "WF_FUZZ_EXAMPLES": "300",  # hypothesis examples per hostile-file property
}

TARGETS = (
    "tests/reliability/test_crash_loop.py",
    "tests/e2e/test_recovery_scenarios.py::test_recover_after_kill_keeps_the_previous_text_as_a_version",
    "tests/reliability/test_durable_faults.py",
    "tests/store/test_hostile_files.py",
    "tests/store/test_hostile_fuzz.py",
    "tests/store/test_fuzz_loaders.py",
    "tests/store/test_costs_fuzz.py",
    "tests/store/test_history_fuzz.py",
    "tests/store/test_prefs_fuzz.py",
    "tests/reliability/test_paths_and_links.py",
    "tests/reliability/test_lock_race.py",
    "tests/store/test_costs_processes.py",
)


@dataclass
class Count:
    tried: int = 0
    failed: int = 0
    lost: int = 0
    skipped: int = 0


def tally(lines: list[dict[str, Any]]) -> dict[str, Count]:
    """Add up the plugin's lines: a test that recorded rounds counts as its rounds, any
    other as its hypothesis examples (or one case); a test that failed beyond the failures
    its rounds recorded counts one more."""
    rounds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    tests: dict[str, dict[str, Any]] = {}
    for line in lines:
        test = line["test"]
        if line["kind"] == "rounds":
            rounds[test].append(line)
            continue
        seen = tests.setdefault(test, {"failed": False, "skipped": False, "examples": 0})
        seen["failed"] = seen["failed"] or line["failed"]
        seen["skipped"] = seen["skipped"] or line["skipped"]
        seen["examples"] += line["examples"]
    counts = {row.name: Count() for row in ROWS}
    for test in set(tests) | set(rounds):
        row = row_of(test)
        if row is None:
            continue
        count = counts[row]
        seen = tests.get(test, {"failed": False, "skipped": False, "examples": 0})
        mine = rounds.get(test, [])
        if seen["skipped"] and not mine:
            count.skipped += 1
            continue
        if mine:
            count.tried += sum(r["tried"] for r in mine)
            count.failed += sum(r["failed"] for r in mine)
            count.lost += sum(r["lost"] for r in mine)
            if seen["failed"] and not any(r["failed"] for r in mine):
                count.failed += 1
        else:
            count.tried += seen["examples"] or 1
            count.failed += 1 if seen["failed"] else 0
    return counts


def run_pytest(tally_file: Path, extra: list[str]) -> int:
    env = {**os.environ, ENV: str(tally_file)}
    for name, value in FULL_SIZE.items():
        env.setdefault(name, value)
    targets = [t for t in TARGETS if (ROOT / t.split("::")[0]).exists()]
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "tests.reliability.tally",
        "-n",
        "2",
        "--dist",
        "loadfile",
        "--timeout",
        "3600",
        *extra,
        *targets,
    ]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def show(counts: dict[str, Count], pytest_status: int) -> bool:
    """Print the table; True when everything held."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Reliability — make reliability", title_justify="left")
    table.add_column("Check")
    table.add_column("Tried", justify="right")
    table.add_column("Failed", justify="right")
    table.add_column("Lost", justify="right")
    good = pytest_status == 0
    notes: list[str] = []
    for row in ROWS:
        count = counts[row.name]
        style = "green" if count.tried and not (count.failed or count.lost) else "red"
        if count.tried == 0:
            missing = not any((ROOT / p.split("::")[0]).exists() for p in row.patterns)
            if missing:
                style = "yellow"
                notes.append(f"{row.name}: no tests on this branch yet")
            else:
                good = False
                notes.append(f"{row.name}: nothing ran")
        if count.skipped:
            notes.append(f"{row.name}: {count.skipped} tests skipped here")
        good = good and not (count.failed or count.lost)
        table.add_row(row.name, str(count.tried), str(count.failed), str(count.lost), style=style)
    console = Console()
    console.print(table)
    for note in notes:
        console.print(f"  note: {note}")
    sizes = ", ".join(f"{k}={os.environ.get(k, v)}" for k, v in FULL_SIZE.items())
    console.print(f"  sizes: {sizes}")
    if pytest_status != 0:
        console.print(f"  pytest exited with status {pytest_status}", style="red")
    console.print("  all held" if good else "  FAILED", style="green" if good else "bold red")
    return good


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="wf-reliability-") as folder:
        tally_file = Path(folder) / "tally.jsonl"
        status = run_pytest(tally_file, argv)
        text = tally_file.read_text() if tally_file.exists() else ""
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    return 0 if show(tally(lines), status) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
