"""Arbitrary bytes or JSON in preferences.json: loading never raises, every value in use is
valid, and the writer's file is untouched until a preference is changed."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writers_factory.store import Preferences
from writers_factory.store.base.events import ProblemKind
from writers_factory.store.preferences.models import PreferencesData

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
FIELDS = [
    *PreferencesData.model_fields,
    "model_preferences",
    "keyboard_shortcuts",
    "notebooklm_enabled",
    "cost_warning_threshold",
]
shaped = st.dictionaries(
    st.sampled_from(FIELDS),
    json_values
    | st.dictionaries(
        st.sampled_from(
            [
                "writing",
                "daily_limit",
                "warn_at",
                "hard_stop",
                "enabled",
                "input_per_mtok",
                "gpt-4o",
                "x",
            ]
        ),
        json_values
        | st.fixed_dictionaries(
            {}, optional={"input_per_mtok": json_values, "output_per_mtok": json_values}
        ),
        max_size=3,
    ),
    max_size=6,
)
contents = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    shaped.map(lambda v: json.dumps(v).encode()),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=contents)
def test_any_bytes_in_preferences(data: bytes) -> None:
    root = Path(tempfile.mkdtemp()) / ".session"
    try:
        root.mkdir()
        path = root / "preferences.json"
        path.write_bytes(data)
        prefs = Preferences(root)
        PreferencesData.model_validate(prefs.data.model_dump())  # everything in use is valid
        for problem in prefs.problems:
            assert problem.describe()
            if problem.kind is ProblemKind.INVALID_FIELD:
                assert problem.field and problem.path == path
        migrated = any(p.kind is ProblemKind.MIGRATED for p in prefs.problems)
        corrupt = any(p.kind is ProblemKind.CORRUPT for p in prefs.problems)
        if not (migrated or corrupt):
            assert path.read_bytes() == data  # not rewritten by loading
        if prefs.read_only:
            return
        prefs.set_theme("fuzzed")
        prefs.save_sync()
        assert Preferences(root).data.theme == "fuzzed"
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
