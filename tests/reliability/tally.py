"""Counts for ``make reliability``: how many rounds each row tried, failed and lost.

Two sources, both written as JSON lines to the file named by ``WF_RELIABILITY_TALLY`` (and
nothing at all when it is unset, as in ``make test``):

* a test that runs rounds itself (the crash loop, the lock race, the TUI kills) calls
  :func:`record` once per round, with what that round found;
* the pytest plugin below (``-p tests.reliability.tally``, added by ``report.py``) writes
  one line per test of a row: whether it failed, and how many hypothesis examples ran in
  it (counted as they run, through hypothesis's observability callbacks).

``report.py`` adds them up: a test that recorded rounds counts as its rounds; any other test
of a row counts as one try, or as its examples. Lines are appended with one ``write`` each
(``O_APPEND``), so parallel workers never interleave them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

import pytest

ENV = "WF_RELIABILITY_TALLY"


@dataclass(frozen=True)
class Row:
    """One line of the table: its name, the env var that sizes it, and its tests."""

    name: str
    patterns: tuple[str, ...]
    """Node-id patterns (fnmatch) of the tests that make up this row."""


ROWS: tuple[Row, ...] = (
    Row("crash loop (SIGKILL, store API)", ("tests/reliability/test_crash_loop.py::*",)),
    Row(
        "TUI killed while typing, then Recover",
        ("tests/e2e/test_recovery_scenarios.py::test_recover_after_kill*",),
    ),
    Row("faults on the durable path", ("tests/reliability/test_durable_faults.py::*",)),
    Row(
        "hostile files and fuzzed loaders",
        (
            "tests/store/test_hostile_files.py::*",
            "tests/store/test_hostile_fuzz.py::*",
            "tests/store/test_fuzz_loaders.py::*",
            "tests/store/test_costs_fuzz.py::*",
            "tests/store/test_history_fuzz.py::*",
            "tests/store/test_prefs_fuzz.py::*",
        ),
    ),
    Row("paths, symlinks, permissions", ("tests/reliability/test_paths_and_links.py::*",)),
    Row("two starts at once (lock race)", ("tests/reliability/test_lock_race.py::*",)),
    Row("two cost trackers in two processes", ("tests/store/test_costs_processes.py::*",)),
)


def row_of(nodeid: str) -> str | None:
    for row in ROWS:
        if any(fnmatch(nodeid, pattern) for pattern in row.patterns):
            return row.name
    return None


def _current_test() -> str:
    # "path::name[param] (call)": the test this process is running now
    return os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]


def _append(line: dict[str, Any]) -> None:
    path = os.environ.get(ENV)
    if not path:
        return
    data = (json.dumps(line) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def record(*, tried: int = 1, failed: int = 0, lost: int = 0, note: str = "") -> None:
    """One round (or ``tried`` rounds) of the running test: what failed, what was lost.

    ``lost`` counts acknowledged or typed items missing afterwards; ``failed`` counts rounds
    that broke a promise in any way (a loss, a torn file, something deleted coming back).
    """
    test = _current_test()
    _append(
        {
            "kind": "rounds",
            "test": test,
            "row": row_of(test),
            "tried": tried,
            "failed": failed,
            "lost": lost,
            "note": note,
        }
    )


@contextmanager
def one_round() -> Iterator[None]:
    """Record a round that either finishes (tried) or raises (tried and failed)."""
    try:
        yield
    except BaseException:
        record(failed=1)
        raise
    record()


# ------------------------------------------------------------------------- the plugin
_examples: dict[str, int] = {}


def _observed(observation: Any, thread_id: int | None = None) -> None:
    if getattr(observation, "type", None) != "test_case" or observation.status == "gave_up":
        return
    test = _current_test()
    _examples[test] = _examples.get(test, 0) + 1


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(ENV):
        from hypothesis.internal.observability import add_observability_callback

        add_observability_callback(_observed, all_threads=True)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not os.environ.get(ENV):
        return
    row = row_of(report.nodeid)
    if row is None:
        return
    failed = report.failed
    if report.when == "call" or failed or report.skipped:
        _append(
            {
                "kind": "test",
                "test": report.nodeid,
                "row": row,
                "failed": failed,
                "skipped": report.skipped,
                "examples": _examples.pop(report.nodeid, 0),
            }
        )
