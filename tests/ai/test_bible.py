"""The story-bible index over real note files: search, incremental refresh, recovery."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writers_factory.ai.bible import BibleIndex, RefreshStats, fts_query, split_passages

CHARACTERS = """# Characters

Mara Quill is a cartographer who maps the drowned city.
She distrusts the harbour guild.

Tobin, her brother, keeps bees on the roof of the lighthouse.
"""

WORLD = """The drowned city lies under the well-known Glass Lagoon.

Dragons nest in the old bell towers; nobody has seen one since the flood.
"""

OUTLINE = """Act one: Mara finds a map that should not exist.

Act two: the guild hunts for the map.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "reference").mkdir()
    (tmp_path / "planning" / "acts").mkdir(parents=True)
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "reference" / "characters.md").write_text(CHARACTERS, encoding="utf-8")
    (tmp_path / "reference" / "world.txt").write_text(WORLD, encoding="utf-8")
    (tmp_path / "planning" / "acts" / "outline.md").write_text(OUTLINE, encoding="utf-8")
    # not notes: another folder, another suffix, hidden and temp files
    (tmp_path / "manuscript" / "chapter-1.md").write_text("Mara in the manuscript.")
    (tmp_path / "reference" / "map.png").write_bytes(b"\x89PNG Mara")
    (tmp_path / "reference" / ".draft.md").write_text("Mara hidden")
    (tmp_path / "reference" / ".world.txt.99.ab12.wf-tmp").write_text("Mara temp")
    (tmp_path / "planning" / "copies").mkdir()
    (tmp_path / "planning" / "copies" / "chapter-1 (my copy 1).md").write_text("Mara copied")
    return tmp_path


@pytest.fixture
def index(project: Path) -> Iterator[BibleIndex]:
    idx = BibleIndex(project)
    yield idx
    idx.close()


def ids_of(index: BibleIndex, rel: str) -> list[int]:
    return [r[0] for r in index.conn.execute("SELECT id FROM passages WHERE path = ?", (rel,))]


def test_split_passages_keeps_starting_lines() -> None:
    # lines: 1 "a", 2 "b", 3 and 4 blank, 5 "c"
    assert split_passages("a\nb\n\n\nc\n") == [(1, "a\nb"), (5, "c")]


def test_first_refresh_indexes_only_notes_and_search_finds_passages(
    index: BibleIndex, project: Path
) -> None:
    assert index.refresh() == RefreshStats(added=3)
    assert index.path == project / ".session" / "index" / "bible.sqlite"
    assert index.path.is_file()
    hits = index.search("bees")
    assert [(h.path, h.line) for h in hits] == [("reference/characters.md", 6)]
    assert "lighthouse" in hits[0].text
    assert hits[0].score > 0
    mara = {h.path for h in index.search("Mara")}
    assert mara == {"reference/characters.md", "planning/acts/outline.md"}  # no others
    # stemming and accents: "dragon" finds "Dragons", "cartógrapher" finds "cartographer"
    assert index.search("dragon")[0].path == "reference/world.txt"
    assert index.search("cartógrapher")[0].line == 3


def test_all_words_first_then_any_word(index: BibleIndex) -> None:
    index.refresh()
    both = index.search("guild map")
    # "Act two" and Mara's paragraph ("maps" stems to "map") have both words
    assert {(h.path, h.line) for h in both} == {
        ("planning/acts/outline.md", 3),
        ("reference/characters.md", 3),
    }
    either = index.search("bees zeppelin")  # no passage has both: fall back to any
    assert [h.path for h in either] == ["reference/characters.md"]
    assert index.search("zeppelin") == []


def test_modifying_one_file_reindexes_only_that_file(index: BibleIndex, project: Path) -> None:
    index.refresh()
    world_ids = ids_of(index, "reference/world.txt")
    outline_ids = ids_of(index, "planning/acts/outline.md")
    assert index.refresh() == RefreshStats(unchanged=3)
    (project / "reference" / "characters.md").write_text("Tobin now keeps wasps.\n")
    assert index.refresh() == RefreshStats(updated=1, unchanged=2)
    assert index.search("bees") == []
    assert index.search("wasps")[0].path == "reference/characters.md"
    assert ids_of(index, "reference/world.txt") == world_ids  # untouched rows
    assert ids_of(index, "planning/acts/outline.md") == outline_ids


def test_touch_without_change_is_hashed_not_reindexed(index: BibleIndex, project: Path) -> None:
    index.refresh()
    world = project / "reference" / "world.txt"
    before = ids_of(index, "reference/world.txt")
    st = world.stat()
    os.utime(world, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert index.refresh() == RefreshStats(unchanged=3)
    assert ids_of(index, "reference/world.txt") == before
    stored = index.conn.execute(
        "SELECT mtime_ns FROM files WHERE path = ?", ("reference/world.txt",)
    ).fetchone()[0]
    assert stored == st.st_mtime_ns + 5_000_000_000  # new stat remembered: no re-hash next time


def test_deleting_and_adding_files(index: BibleIndex, project: Path) -> None:
    index.refresh()
    (project / "reference" / "world.txt").unlink()
    (project / "planning" / "themes.md").write_text("Grief, and the sea that keeps what it takes.")
    assert index.refresh() == RefreshStats(added=1, removed=1, unchanged=2)
    assert index.search("lagoon") == []
    assert ids_of(index, "reference/world.txt") == []
    assert index.search("grief")[0].path == "planning/themes.md"


def test_index_persists_across_instances(project: Path) -> None:
    first = BibleIndex(project)
    first.refresh()
    first.close()
    second = BibleIndex(project)
    try:
        assert second.refresh() == RefreshStats(unchanged=3)
        assert second.search("lighthouse")[0].line == 6
    finally:
        second.close()


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        "AND",
        "OR NOT",
        "NEAR(mara map)",
        "well-known",
        "col:mara",
        "*",
        "^bees",
        "bees*",
        "it's Tobin's",
        "(((",
        "",
        "   ",
        'map" OR "x',
        "-",
        "Mara -guild",
    ],
)
def test_queries_with_fts_syntax_never_raise(index: BibleIndex, query: str) -> None:
    index.refresh()
    hits = index.search(query)
    assert isinstance(hits, list)
    assert len(hits) <= 8


def test_punctuated_queries_still_find_words(index: BibleIndex) -> None:
    index.refresh()
    assert index.search("well-known")[0].path == "reference/world.txt"
    assert index.search('"Tobin\'s bees?"')[0].line == 6
    assert fts_query('a "b" OR c-d') == '"a" "b" "OR" "c" "d"'
    assert fts_query("?!") is None


def test_limit_is_respected(index: BibleIndex, project: Path) -> None:
    (project / "reference" / "many.md").write_text("\n\n".join(["the harbour"] * 20))
    index.refresh()
    assert len(index.search("harbour", limit=5)) == 5


def test_garbage_index_is_set_aside_and_rebuilt(project: Path) -> None:
    target = project / ".session" / "index" / "bible.sqlite"
    target.parent.mkdir(parents=True)
    garbage = b"this is not a database at all" * 100
    target.write_bytes(garbage)
    idx = BibleIndex(project)
    try:
        kept = list((project / ".session" / "corrupt").iterdir())
        assert len(kept) == 1 and kept[0].name.startswith("index__bible.sqlite.")
        assert kept[0].read_bytes() == garbage  # kept, not deleted
        assert len(idx.problems) == 1
        assert str(target) in idx.problems[0] and str(kept[0]) in idx.problems[0]
        assert idx.refresh() == RefreshStats(added=3)
        assert idx.search("bees")
    finally:
        idx.close()


def test_damaged_pages_are_detected_on_open(project: Path) -> None:
    for n in range(30):  # enough text for a multi-page database
        (project / "reference" / f"note-{n}.md").write_text(
            ("The harbour sleeps. " * 50 + "\n\n") * 20
        )
    first = BibleIndex(project)
    first.refresh()
    first.close()
    data = bytearray(first.path.read_bytes())
    data[8192 : 8192 + 4096] = b"\xab" * 4096  # scribble over the third page
    first.path.write_bytes(bytes(data))
    again = BibleIndex(project)
    try:
        assert "unreadable" in again.problems[0]
        assert again.refresh().added == 33
        assert again.search("harbour")
    finally:
        again.close()


def test_other_schema_version_is_set_aside(project: Path) -> None:
    target = project / ".session" / "index" / "bible.sqlite"
    target.parent.mkdir(parents=True)
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    idx = BibleIndex(project)
    try:
        assert "schema 99" in idx.problems[0]
        assert idx.refresh().added == 3
    finally:
        idx.close()


async def test_usable_from_worker_threads(index: BibleIndex) -> None:
    stats = await asyncio.to_thread(index.refresh)
    assert stats.added == 3
    hits = await asyncio.to_thread(index.search, "lighthouse")
    assert hits[0].path == "reference/characters.md"


def test_closed_index_says_so(project: Path) -> None:
    idx = BibleIndex(project)
    idx.close()
    with pytest.raises(RuntimeError, match="closed"):
        idx.search("bees")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=60))
def test_any_query_at_all_never_raises(index: BibleIndex, query: str) -> None:
    index.refresh()
    assert len(index.search(query)) <= 8
