"""Arbitrary bytes in costs.json or an operation chunk: the tracker reports, sets aside,
keeps every good operation and can still log; it never raises."""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writers_factory.store import CostTracker

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=16,
)
operation = st.fixed_dictionaries(
    {},
    optional={
        "timestamp": st.sampled_from(["2024-11-13T15:30:00Z", "yesterday", "2024-11-13"])
        | json_values,
        "operation": json_values,
        "model": st.sampled_from(["gpt-4", "ollama:llama3.2"]) | json_values,
        "input_tokens": st.integers(-5, 10**6) | json_values,
        "output_tokens": st.integers(-5, 10**6),
        "cost": st.sampled_from([0.15, "0.2", "-1", "NaN", "1e999"]) | json_values,
    },
)
shaped = st.fixed_dictionaries(
    {},
    optional={
        "schema_version": st.integers(-1, 3) | json_values,
        "operations": st.lists(operation, max_size=4) | json_values,
        "session": json_values | st.fixed_dictionaries({"id": st.text(max_size=5)}),
        "chunks": st.lists(
            st.fixed_dictionaries(
                {"file": st.sampled_from(["costs/ops-000001.json", "../../x", "ops-9.json"])},
                optional={
                    "count": st.integers(-3, 999),
                    "stamp": st.text(max_size=8),
                    "sessions": json_values,
                    "hours": json_values,
                    "keys": json_values,
                },
            ),
            max_size=3,
        )
        | json_values,
        "budget": json_values,
        "by_model": json_values,
        "hours_from": st.sampled_from(["2026-11-18T09:00:00Z", "2099-01-01T00:00:00Z", "x"])
        | json_values,
        "sealed": json_values
        | st.fixed_dictionaries(
            {
                "count": st.integers(-1, 9),
                "cost": st.sampled_from(["0", "1", "-1", "NaN"]),
                "sessions": json_values,
                "chunks": st.dictionaries(
                    st.sampled_from(["1", "2", "01", "²"]),
                    st.lists(st.text(max_size=12) | st.integers(-1, 9), max_size=6),
                    max_size=3,
                ),
                "keys": st.dictionaries(st.text(max_size=4), st.integers(-1, 3), max_size=2),
            },
            optional={"first": json_values, "last": json_values},
        ),
    },
)
contents = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    shaped.map(lambda v: json.dumps(v).encode()),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary=st.none() | contents, chunk=st.none() | contents)
def test_any_bytes_in_costs_files(summary: bytes | None, chunk: bytes | None) -> None:
    root = Path(tempfile.mkdtemp()) / ".session"
    try:
        (root / "costs").mkdir(parents=True)
        if summary is not None:
            (root / "costs.json").write_bytes(summary)
        if chunk is not None:
            (root / "costs" / "ops-000001.json").write_bytes(chunk)
        tracker = CostTracker(root)
        assert tracker.total >= 0 and tracker.operations_count >= 0
        warning = tracker.should_warn_budget()
        assert warning is None or "budget" in warning
        for problem in tracker.problems:
            assert problem.describe()
        if tracker.read_only:
            return
        before = tracker.operations_count
        asyncio.run(tracker.log_operation("probe", "ollama:llama3.2", 1, 1))
        again = CostTracker(root)
        assert again.operations_count == before + 1
        assert again.recent(1)[0].operation == "probe"
        # whatever was set aside is kept, byte for byte
        for problem in tracker.problems:
            if problem.set_aside is not None:
                assert problem.set_aside.read_bytes() in (summary, chunk)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
