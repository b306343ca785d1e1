"""Arbitrary bytes in any .session file: loaders report, set aside, never crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writers_factory.store import Session
from writers_factory.store.verify import verify

json_like = st.one_of(
    st.binary(max_size=512),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
        max_leaves=12,
    ).map(lambda v: __import__("json").dumps(v).encode()),
    st.fixed_dictionaries(
        {
            "schema_version": st.integers(-2, 3),
            "current_state": st.dictionaries(
                st.sampled_from(["stage", "screen", "breadcrumb"]), st.text(max_size=10)
            ),
        },
    ).map(lambda v: __import__("json").dumps(v).encode()),
)

FILES = ("current.json", "lock.json", "history.json", "costs.json", "preferences.json")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FILES), data=json_like)
def test_any_bytes_in_any_file(name: str, data: bytes) -> None:
    project = Path(tempfile.mkdtemp())
    try:
        (project / ".session").mkdir()
        (project / ".session" / name).write_bytes(data)
        findings = verify(project)  # read-only: reports, never raises
        assert all(f.path.exists() or f.path.name == ".session" for f in findings)
        session = Session(project)
        assert session.current_stage in {"creation", "writing", "enhancing", "analyzing", "scoring"}
        session.close_sync()
        # nothing lost: whatever was set aside still holds the original bytes
        corrupt = project / ".session" / "corrupt"
        if corrupt.exists() and name in {"current.json", "lock.json"}:
            kept = [p.read_bytes() for p in corrupt.iterdir()]
            assert data in kept
    finally:
        shutil.rmtree(project, ignore_errors=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folder=st.sampled_from(["journal", "conversations", "workflows"]), data=json_like)
def test_any_bytes_in_journal_conversation_or_workflow_files(folder: str, data: bytes) -> None:
    from writers_factory.ai.conversations import ConversationStore
    from writers_factory.ai.workflows import find_unfinished
    from writers_factory.store.manuscript.journal import Journal

    project = Path(tempfile.mkdtemp())
    try:
        target = project / ".session" / folder
        target.mkdir(parents=True)
        (target / "20260101T000000000000Z-abcdef.json").write_bytes(data)
        entries, _problems = Journal(project).entries()
        assert all(e.path for e in entries)
        ConversationStore(project / ".session").list()
        problems: list[str] = []
        find_unfinished(project / ".session", problems)
        verify(project)
    finally:
        shutil.rmtree(project, ignore_errors=True)
