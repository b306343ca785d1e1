"""The table of ``make reliability`` counts what ran: rounds, cases and examples, never less.

The tally plugin and ``record`` write lines only when ``WF_RELIABILITY_TALLY`` names a file;
``report.tally`` adds them up per row.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.reliability.report import ROOT, tally
from tests.reliability.tally import ENV, ROWS, record

CRASH = "tests/reliability/test_crash_loop.py::test_kill"
FAULT = "tests/reliability/test_durable_faults.py::test_a_fault"
FUZZ = "tests/store/test_hostile_fuzz.py::test_hostile_lock_json"


def line(kind: str, test: str, **fields: object) -> dict[str, object]:
    return {"kind": kind, "test": test, **fields}


def test_rounds_cases_and_examples_add_up_per_row() -> None:
    crash, tui, faults, hostile, *_ = (row.name for row in ROWS)
    lines = [
        *(line("rounds", CRASH, tried=1, failed=0, lost=0) for _ in range(7)),
        line("rounds", CRASH, tried=1, failed=1, lost=2),
        line("test", CRASH, failed=True, skipped=False, examples=0),
        line("test", f"{FAULT}[1]", failed=False, skipped=False, examples=0),
        line("test", f"{FAULT}[2]", failed=True, skipped=False, examples=0),
        line("test", f"{FAULT}[3]", failed=False, skipped=True, examples=0),
        line("test", FUZZ, failed=False, skipped=False, examples=120),
        line("test", "tests/tui/test_other.py::test_x", failed=True, skipped=False, examples=0),
    ]
    counts = tally(lines)
    assert (counts[crash].tried, counts[crash].failed, counts[crash].lost) == (8, 1, 2)
    assert (counts[faults].tried, counts[faults].failed, counts[faults].skipped) == (2, 1, 1)
    assert (counts[hostile].tried, counts[hostile].failed) == (120, 0)
    assert counts[tui].tried == 0  # nothing ran: the report says so and fails


def test_a_test_failing_after_clean_rounds_still_counts_as_a_failure() -> None:
    crash = ROWS[0].name
    lines = [
        line("rounds", CRASH, tried=1, failed=0, lost=0),
        line("test", CRASH, failed=True, skipped=False, examples=0),
    ]
    assert tally(lines)[crash].failed == 1


def test_the_plugin_counts_real_hypothesis_examples_and_rounds(tmp_path: Path) -> None:
    """A real pytest run with the plugin, on a probe placed where a row's tests live."""
    probe = tmp_path / "tests" / "reliability" / "test_crash_loop.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        textwrap.dedent("""
        from hypothesis import given, settings, strategies as st
        from tests.reliability.tally import record

        @settings(max_examples=17, database=None)
        @given(st.integers())
        def test_examples(n):
            pass

        def test_rounds():
            for _ in range(4):
                record(lost=1)
        """)
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    tally_file = tmp_path / "tally.jsonl"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["--import-mode=importlib", "-p", "tests.reliability.tally"]
    done = subprocess.run(
        [*command, "tests/reliability/test_crash_loop.py"],
        cwd=tmp_path,
        env={**os.environ, ENV: str(tally_file), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    counts = tally([json.loads(x) for x in tally_file.read_text().splitlines()])
    crash = counts[ROWS[0].name]
    # 4 recorded rounds, and 17 examples for the test that recorded none
    assert (crash.tried, crash.failed, crash.lost) == (4 + 17, 0, 4)


def test_nothing_is_written_without_the_env_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, str(tmp_path / "tally.jsonl"))
    record()
    assert (tmp_path / "tally.jsonl").exists()
    (tmp_path / "tally.jsonl").unlink()
    monkeypatch.delenv(ENV)
    record()  # as in make test: nothing anywhere
    assert not (tmp_path / "tally.jsonl").exists()
