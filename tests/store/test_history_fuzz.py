"""Arbitrary bytes as history.json: the loader reports and sets aside, never raises."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writers_factory.store import SessionHistory

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
entryish = st.dictionaries(
    st.sampled_from(
        [
            "session_id",
            "start_time",
            "end_time",
            "duration_minutes",
            "total_cost",
            "words_by_hour",
            "operations_count",
            "files_modified",
            "words_added",
        ]
    ),
    scalars | st.lists(scalars, max_size=3) | st.dictionaries(st.text(max_size=14), scalars),
    max_size=6,
)
payloads = st.one_of(
    st.binary(max_size=512),
    st.lists(entryish, max_size=4).map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {
            "schema_version": st.integers(-1, 3) | scalars,
            "sessions": st.lists(entryish, max_size=3) | scalars,
            "yearly": st.dictionaries(st.text(max_size=5), scalars | entryish, max_size=2),
        }
    ).map(lambda v: json.dumps(v).encode()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=payloads)
def test_any_bytes_never_crash_the_loader(data: bytes) -> None:
    root = Path(tempfile.mkdtemp()) / ".session"
    root.mkdir()
    try:
        (root / "history.json").write_bytes(data)
        history = SessionHistory(root)
        assert isinstance(history.sessions, list)
        for problem in history.problems:
            assert "history.json" in problem.describe()
        if not history.read_only:  # and the result can be written back and read again
            history.begin("fuzz", __import__("datetime").datetime(2026, 1, 1))
            history.save_sync()
            assert SessionHistory(root).current is None
    finally:
        shutil.rmtree(root.parent)
