"""Odd names and odd entries in ``.session/costs/`` never crash loading: each is named in a
problem, set aside or ignored, and every good operation still counts."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writers_factory.store import CostTracker
from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.serialisers import dumps
from writers_factory.store.costs.models import OperationChunk, OperationRecord, chunk_number

LOCAL = "ollama:llama3.2"
GOOD = [
    OperationRecord(
        timestamp=datetime(2026, 11, 18, 9, tzinfo=UTC) + timedelta(minutes=i),
        operation=f"good{i}",
        model="test:m",
        input_tokens=10,
        output_tokens=1,
        cost=Decimal("0.25"),
        session_id="s",
    )
    for i in range(3)
]


def good_project(root: Path) -> None:
    plain = OperationChunk(operations=GOOD).model_dump(mode="json")
    write_atomic(root / "costs" / "ops-000001.json", dumps(plain))


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("ops-000001.json", 1),
        ("costs/ops-000042.json", 42),
        ("ops-1234567.json", 1_234_567),
        ("ops-².json", None),
        ("ops-٠٠٠٠٠١.json", None),  # Arabic-Indic digits
        ("ops-1.json", None),
        ("ops-0000001.json", None),
        ("ops-000000.json", None),
        ("ops-" + "9" * 200 + ".json", None),
        ("ops- 00001.json", None),
        ("ops-+00001.json", None),
        ("ops-000001.json.bak", None),
    ],
)
def test_only_names_we_write_are_chunk_names(name: str, number: int | None) -> None:
    assert chunk_number(name) == number


odd_names = st.one_of(
    st.sampled_from(
        [
            "ops-².json",
            "ops-٣٣٣٣٣٣.json",
            "ops-1.json",
            "ops-0000001.json",
            "ops-000000.json",
            "ops-" + "9" * 200 + ".json",
            "ops-000002.json",
            "ops-000007.json",
            "notes.txt",
            "ops-000003.json.bak",
            "ops-.json",
        ]
    ),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12
    ).map(lambda t: f"ops-{t}.json"),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=20
    ),
).filter(lambda n: n not in {".", "..", "ops-000001.json"} and len(n.encode()) < 250)

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
operation = st.fixed_dictionaries(
    {
        "timestamp": st.sampled_from(["2026-11-18T10:00:00Z", "2026-11-18T10:00:00", "x"]),
        "operation": st.text(max_size=5),
        "model": st.just(LOCAL),
        "input_tokens": st.integers(-1, 10),
        "output_tokens": st.integers(0, 10),
        "cost": st.sampled_from(["0.5", "-1", "NaN", 0.5, "1e999"]),
    }
)
contents = st.one_of(
    st.binary(max_size=200),
    st.fixed_dictionaries(
        {"schema_version": st.integers(0, 2), "operations": st.lists(operation, max_size=3)}
    ).map(lambda v: json.dumps(v).encode()),
    st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
        max_leaves=8,
    ).map(lambda v: json.dumps(v).encode()),
)
kinds = st.sampled_from(["file", "directory", "symlink", "empty-directory"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=odd_names, data=contents, kind=kinds)
def test_any_entry_in_the_costs_folder(name: str, data: bytes, kind: str) -> None:
    root = Path(tempfile.mkdtemp()) / ".session"
    try:
        good_project(root)
        odd = root / "costs" / name
        try:
            if kind == "file":
                odd.write_bytes(data)
            elif kind == "symlink":
                (root.parent / "outside.json").write_bytes(data)
                odd.symlink_to(root.parent / "outside.json")
            else:
                odd.mkdir()
                if kind == "directory":
                    (odd / "inside.json").write_bytes(data)
        except OSError:
            return  # a name this filesystem refuses cannot be left by anyone
        tracker = CostTracker(root)
        seen = {r.operation for r in tracker.recent(10)}
        assert {r.operation for r in GOOD} <= seen  # nothing else lost
        assert tracker.operations_count >= len(GOOD)
        for problem in tracker.problems:
            assert problem.describe()
        if chunk_number(name) is None or kind != "file":
            # not a chunk: named in a problem, and set aside whole or left alone
            named = [p for p in tracker.problems if p.path == odd]
            assert named, [p.describe() for p in tracker.problems]
            aside = named[0].set_aside
            assert (aside is not None and os.path.lexists(aside)) or os.path.lexists(odd)
        if tracker.read_only:
            return
        before = tracker.operations_count
        asyncio.run(tracker.log_operation("probe", LOCAL, 1, 1))
        again = CostTracker(root)
        assert again.operations_count == before + 1
        assert again.recent(1)[0].operation == "probe"
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
