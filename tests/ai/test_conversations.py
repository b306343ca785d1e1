"""Conversations written as they happen, reopened by a fresh store, broken files set aside."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path

import pytest

from writers_factory.ai.conversations import (
    Conversation,
    ConversationError,
    ConversationStore,
    new_id,
)
from writers_factory.store.base.events import ProblemKind
from writers_factory.store.verify import check_file


@pytest.fixture
def session_dir(tmp_path: Path) -> Path:
    return tmp_path / ".session"


def on_disk(store: ConversationStore, conv: Conversation) -> dict[str, object]:
    raw = json.loads(store.path_of(conv.id).read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


def test_new_conversation_is_on_disk_at_once(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    conv = store.new("Villain motives", "creation", "anthropic:claude-sonnet-4-5")
    path = session_dir / "conversations" / f"{conv.id}.json"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and '\n  "title": "Villain motives"' in text  # indented JSON
    raw = json.loads(text)
    assert raw["schema_version"] == 1
    assert raw["stage"] == "creation" and raw["turns"] == []
    assert check_file(path, Conversation) == []  # `session verify` accepts it


def test_every_turn_is_written_before_add_turn_returns(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    conv = store.new("Chapter 3 pacing", "analyzing", "openai:gpt-4o")
    store.add_turn(conv, "user", "Is chapter 3 too slow?")
    assert len(ConversationStore(session_dir).open(conv.id).turns) == 1
    store.add_turn(
        conv,
        "assistant",
        "The middle drags.",
        input_tokens=1200,
        output_tokens=85,
        cost=Decimal("0.004875"),
    )
    raw = on_disk(store, conv)
    turns = raw["turns"]
    assert isinstance(turns, list) and len(turns) == 2
    assert turns[1]["cost"] == "0.004875"  # a string: exact, no float rounding
    assert turns[1]["input_tokens"] == 1200 and turns[0]["cost"] is None

    reopened = ConversationStore(session_dir).open(conv.id)
    assert [(t.role, t.text) for t in reopened.turns] == [
        ("user", "Is chapter 3 too slow?"),
        ("assistant", "The middle drags."),
    ]
    assert reopened.turns[1].cost == Decimal("0.004875")
    assert reopened.turns[1].output_tokens == 85
    assert reopened.updated_at == reopened.turns[1].timestamp
    assert reopened.created_at <= reopened.updated_at


async def test_async_turns_all_land_in_order(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    conv = await store.new_async("Brainstorm", "creation", "ollama:llama3.2")
    await asyncio.gather(
        *(store.add_turn_async(conv, "user", f"idea {n}", cost="0") for n in range(10))
    )
    reopened = await ConversationStore(session_dir).open_async(conv.id)
    assert [t.text for t in reopened.turns] == [f"idea {n}" for n in range(10)]


def test_an_older_snapshot_never_overwrites_a_newer_one(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    conv = store.new("Race", "writing", "openai:gpt-4o")
    store.add_turn(conv, "user", "first")
    old_seq, old_bytes = store._snapshot(conv)  # one turn, taken before the next save
    store.add_turn(conv, "assistant", "newer")
    store._write(conv.id, old_seq, old_bytes)  # a slow worker thread finishing late
    assert [t.text for t in store.open(conv.id).turns] == ["first", "newer"]


def test_list_is_newest_first_and_reopens_in_fresh_store(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    first = store.new("first", "writing", "m:a")
    second = store.new("second", "writing", "m:a")
    third = store.new("third", "scoring", "m:a")
    assert [s.id for s in ConversationStore(session_dir).list()] == [
        third.id,
        second.id,
        first.id,
    ]
    store.add_turn(first, "user", "  back to\nthe first one  " + "x" * 100)
    summaries = ConversationStore(session_dir).list()
    assert [s.title for s in summaries] == ["first", "third", "second"]
    assert summaries[0].turns == 1
    assert summaries[0].last_text.startswith("back to the first one x")
    assert len(summaries[0].last_text) == 80
    assert summaries[1].stage == "scoring"


def test_ids_sort_by_creation_time() -> None:
    from datetime import UTC, datetime

    early = new_id(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC))
    late = new_id(datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=UTC))
    assert early.startswith("20260102T030405000006Z-")
    assert sorted([late, early]) == [early, late]


def test_unparseable_file_is_set_aside_and_reported(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    good = store.new("good", "writing", "m:a")
    bad_id = new_id()
    bad = session_dir / "conversations" / f"{bad_id}.json"
    bad.write_bytes(b'{"id": "half a file')
    fresh = ConversationStore(session_dir)
    assert [s.id for s in fresh.list()] == [good.id]
    assert not bad.exists()
    [problem] = fresh.problems
    assert problem.kind is ProblemKind.CORRUPT and problem.path == bad
    assert problem.set_aside is not None and problem.set_aside.parent == session_dir / "corrupt"
    assert problem.set_aside.read_bytes() == b'{"id": "half a file'  # kept, not deleted
    assert bad.name in problem.describe()


def test_invalid_field_names_the_field(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    conv = store.new("t", "writing", "m:a")
    store.add_turn(conv, "user", "hello")
    raw = on_disk(store, conv)
    raw["turns"][0]["role"] = "narrator"  # type: ignore[index]
    store.path_of(conv.id).write_text(json.dumps(raw), encoding="utf-8")
    fresh = ConversationStore(session_dir)
    with pytest.raises(ConversationError) as caught:
        fresh.open(conv.id)
    assert caught.value.problem.field == "turns.0.role"
    assert "turns.0.role" in str(caught.value)
    assert list((session_dir / "corrupt").iterdir()) == [caught.value.problem.set_aside]
    assert fresh.list() == []  # already set aside: nothing left to list


def test_file_under_the_wrong_name_is_set_aside(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    conv = store.new("t", "writing", "m:a")
    other = store.path_of(new_id())
    other.write_bytes(store.path_of(conv.id).read_bytes())
    fresh = ConversationStore(session_dir)
    assert [s.id for s in fresh.list()] == [conv.id]
    assert fresh.problems[0].field == "id"


def test_newer_schema_is_reported_and_left_in_place(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    conv = store.new("from the future", "writing", "m:a")
    raw = on_disk(store, conv)
    raw["schema_version"] = 7
    store.path_of(conv.id).write_text(json.dumps(raw), encoding="utf-8")
    fresh = ConversationStore(session_dir)
    assert fresh.list() == []
    assert fresh.problems[0].kind is ProblemKind.NEWER_VERSION
    assert store.path_of(conv.id).exists()
    assert not (session_dir / "corrupt").exists()


def test_unknown_fields_survive_a_rewrite(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    conv = store.new("t", "writing", "m:a")
    raw = on_disk(store, conv)
    raw["pinned"] = True
    store.path_of(conv.id).write_text(json.dumps(raw), encoding="utf-8")
    reopened = ConversationStore(session_dir).open(conv.id)
    store.add_turn(reopened, "user", "still pinned?")
    assert on_disk(store, reopened)["pinned"] is True


def test_bad_ids_and_missing_files(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    with pytest.raises(ValueError, match="not a conversation id"):
        store.open("../current")
    with pytest.raises(FileNotFoundError):
        store.open(new_id())
    assert store.list() == []


def test_temp_and_foreign_files_are_not_conversations(session_dir: Path) -> None:
    store = ConversationStore(session_dir)
    conv = store.new("t", "writing", "m:a")
    folder = session_dir / "conversations"
    (folder / f".{conv.id}.json.4242.abcd.wf-tmp").write_text("partial")
    (folder / "notes.json").write_text("{}")
    assert [s.id for s in store.list()] == [conv.id]
    assert store.problems == []


def test_a_timestamp_without_a_zone_reads_as_utc(session_dir: Path) -> None:
    """A hand-edited turn without a time zone is read (as UTC), not set aside."""
    store = ConversationStore(session_dir)
    conv = store.new("Edited by hand", "creation", "m")
    store.add_turn(conv, "user", "Hello")
    raw = on_disk(store, conv)
    raw["updated_at"] = "2026-11-01T09:00:00"
    raw["turns"][0]["timestamp"] = "2026-11-01T09:00:00"  # type: ignore[index]
    store.path_of(conv.id).write_text(json.dumps(raw), encoding="utf-8")
    again = ConversationStore(session_dir).open(conv.id)
    assert again.updated_at.tzinfo is not None and again.turns[0].timestamp.tzinfo is not None
    assert again.updated_at == again.turns[0].timestamp
