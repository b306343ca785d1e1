"""Hypothesis feeds hostile values, at known fields and new ones, to every loader this store
owns (current.json, lock.json, history.json, preferences.json) and to ``verify``: nothing
raises, whatever was set aside keeps its bytes, the other files are untouched, and the part
still saves (or refuses with an ``OSError`` naming the file)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writers_factory.store import Preferences, Session, SessionHistory
from writers_factory.store.preferences.preferences import PreferenceError
from writers_factory.store.verify import verify


class Raw:
    """A JSON token written as is (json.dumps cannot write a 5,000-digit number or NaN)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:30]!r})"


def encode(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(encode(v) for v in value) + "]"
    return json.dumps(value)


def deep(levels: int) -> Raw:
    return Raw('{"d":' * levels + "1" + "}" * levels)


hostile_leaf = st.one_of(
    st.integers(min_value=41, max_value=6000).map(lambda n: Raw("9" * n)),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e999")]),
    st.integers(min_value=60, max_value=400).map(deep),
    st.sampled_from(
        [
            "2026-01-01T09:00:00",  # no time zone
            "2026-01-01T09:00:00+14:00",
            "0001-01-01T00:00:00",
            "9999-12-31T23:59:59Z",
            "2026-13-45T99:00:00Z",
            "",
        ]
    ),
    st.text(max_size=20),
    st.sampled_from([Raw('"\\ud800"'), Raw('"a\\udfffb"'), Raw('"\\u0000"')]),
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)

NOW = "2026-01-01T09:00:00Z"
BASE: dict[str, dict[str, Any]] = {
    "current.json": {
        "schema_version": 1,
        "started_at": NOW,
        "current_state": {"stage": "writing", "breadcrumb": ["Home"]},
        "open_files": [{"path": "a.md", "cursor_line": 1, "cursor_col": 2}],
        "recent_queries": [{"query": "q", "timestamp": NOW}],
        "file_changes": [{"path": "a.md", "kind": "created", "at": NOW}],
    },
    "lock.json": {
        "pid": 999_999,
        "host": socket.gethostname(),
        "user": "writer",
        "process_start": 12,
        "boot_time": NOW,
        "started_at": NOW,
        "heartbeat_at": NOW,
    },
    "history.json": {
        "schema_version": 1,
        "sessions": [
            {
                "session_id": "s1",
                "start_time": NOW,
                "end_time": NOW,
                "total_cost": "0.5",
                "words_added": 3,
                "words_by_hour": {"2026-01-01T09": 3},
            }
        ],
        "yearly": {"2025": {"sessions": 1, "first_start": NOW}},
    },
    "preferences.json": {
        "schema_version": 1,
        "theme": "nord",
        "keybindings": {"app.quit": "ctrl+q"},
        "budget": {"daily_limit": "5.00", "warn_at": 0.8},
        "auto_save_interval": 30,
        "price_overrides": {"m:x": {"input_per_mtok": "1", "output_per_mtok": "2"}},
    },
}


def paths_of(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += paths_of(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found += paths_of(value, (*prefix, index))
    return found


@st.composite
def hostile_document(draw: st.DrawFn, name: str) -> bytes:
    doc = json.loads(json.dumps(BASE[name]))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from([*paths_of(doc), ("unknown",), ("extra", "inner")]))
        node: Any = doc
        for part in where[:-1]:
            if isinstance(node, dict):
                node = node.setdefault(part, {})
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                node = None
                break
        last = where[-1]
        if isinstance(node, dict) or (
            isinstance(node, list) and isinstance(last, int) and last < len(node)
        ):
            node[last] = draw(hostile_leaf)
    data = encode(doc).encode("utf-8", "surrogatepass")
    wrap = draw(st.sampled_from(["plain", "bom", "gzip", "truncated"]))
    if wrap == "bom":
        return b"\xef\xbb\xbf" + data
    if wrap == "gzip":
        return gzip.compress(data, mtime=0)
    if wrap == "truncated":
        return data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    return data


def exercise(name: str, data: bytes) -> None:
    project = Path(tempfile.mkdtemp())
    try:
        root = project / ".session"
        root.mkdir()
        bystanders = {}
        for other, doc in BASE.items():
            if other not in (name, "lock.json"):
                (root / other).write_text(json.dumps(doc))
                bystanders[other] = (root / other).read_bytes()
        (root / name).write_bytes(data)
        for finding in verify(project):  # reports, never raises
            assert finding.describe()
        if name in ("current.json", "lock.json"):
            session = Session(project)
            assert session.current_stage in {
                "creation",
                "writing",
                "enhancing",
                "analyzing",
                "scoring",
            }
            assert all(p.describe() for p in session.problems)
            session.set_stage("scoring")
            try:
                session.save_sync()
            except OSError as exc:  # a read-only part refuses, naming the file
                assert str(root / name) in str(exc)
            session.close_sync()
        elif name == "history.json":
            history = SessionHistory(root)
            assert all(p.describe() for p in history.problems)
            history.begin("fuzz", __import__("datetime").datetime.now(__import__("datetime").UTC))
            history.record_words(2, 0)
            try:
                history.save_sync()
            except OSError as exc:
                assert str(root / name) in str(exc)
            history.yearly  # noqa: B018 - reading every part
        else:
            prefs = Preferences(root)
            assert all(p.describe() for p in prefs.problems)
            prefs.data.budget.limits()
            try:
                prefs.set_theme("dracula")
                prefs.save_sync()
            except (PreferenceError, OSError):
                pass
        corrupt = root / "corrupt"
        if corrupt.exists():  # set aside, never lost
            kept = [p.read_bytes() for p in corrupt.iterdir() if p.is_file()]
            assert data in kept or name == "lock.json" or not data.strip()
        for other, before in bystanders.items():
            if other != "current.json":  # the session itself rewrites current.json
                assert (root / other).read_bytes() == before, other
    finally:
        shutil.rmtree(project, ignore_errors=True)


FUZZ = settings(
    max_examples=int(os.environ.get("WF_FUZZ_EXAMPLES", "60")),  # more in `make reliability`
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(data=hostile_document("current.json"))
def test_hostile_current_json(data: bytes) -> None:
    exercise("current.json", data)


@FUZZ
@given(data=hostile_document("lock.json"))
def test_hostile_lock_json(data: bytes) -> None:
    exercise("lock.json", data)


@FUZZ
@given(data=hostile_document("history.json"))
def test_hostile_history_json(data: bytes) -> None:
    exercise("history.json", data)


@FUZZ
@given(data=hostile_document("preferences.json"))
def test_hostile_preferences_json(data: bytes) -> None:
    exercise("preferences.json", data)
