"""Matching and replacing (core.search) and the files a project search reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from writers_factory.core.search.lines import line_starts, location
from writers_factory.core.search.matching import BadPattern, SearchQuery, check_replacement, spans
from writers_factory.core.search.project import FileHits, ProjectResults, chosen_lines
from writers_factory.core.search.replacing import line_hits, replacement
from writers_factory.store.manuscript.searching import ProjectText, Skipped, project_texts

TEXT = "Jane said to jane: Janet!\nThe end, JANE.\n"


def found(query: SearchQuery, text: str = TEXT) -> list[str]:
    return [text[a:b] for a, b in spans(text, query.compile())]


def test_case_and_whole_word() -> None:
    assert found(SearchQuery("jane")) == ["Jane", "jane", "Jane", "JANE"]
    assert found(SearchQuery("jane", case_sensitive=True)) == ["jane"]
    assert found(SearchQuery("jane", whole_word=True)) == ["Jane", "jane", "JANE"]
    assert found(SearchQuery("Jane", case_sensitive=True, whole_word=True)) == ["Jane"]
    # punctuation in the query is literal, and a word boundary still holds around it
    assert found(SearchQuery("end,", whole_word=True)) == ["end,"]
    assert found(SearchQuery("")) == []


def test_regular_expressions_and_bad_ones() -> None:
    assert found(SearchQuery(r"J\w+t", regex=True)) == ["Janet"]
    assert found(SearchQuery("^the", regex=True)) == ["The"]  # ^ is a line start
    assert found(SearchQuery("x*", regex=True)) == []  # empty matches are never matches
    with pytest.raises(BadPattern, match=r"Not a valid regular expression: .* at position 1"):
        SearchQuery("(Jane", regex=True).compile()
    pattern = SearchQuery("(J)ane", regex=True).compile()
    assert pattern is not None
    with pytest.raises(BadPattern, match="Not a valid replacement"):
        check_replacement(pattern, r"\2", regex=True)
    check_replacement(pattern, r"\2", regex=False)  # literal: no groups involved


def test_line_hits_and_preview() -> None:
    pattern = SearchQuery("jane", whole_word=True).compile()
    hits = line_hits(TEXT, pattern, "Lizzy")
    assert [h.line for h in hits] == [0, 1]
    assert hits[0].columns == ((0, 4), (13, 17))
    assert hits[0].after == "Lizzy said to Lizzy: Janet!"
    assert hits[1].text == "The end, JANE." and hits[1].after == "The end, Lizzy."
    regex = SearchQuery(r"(\w+) (said)", regex=True).compile()
    assert line_hits(TEXT, regex, r"\2 \1", regex=True)[0].after.startswith("said Jane")


def test_replacement_is_one_edit_over_the_chosen_lines() -> None:
    pattern = SearchQuery("jane", whole_word=True).compile()
    edit = replacement(TEXT, pattern, "Lizzy")
    assert edit is not None and edit.count == 3
    assert edit.apply(TEXT) == "Lizzy said to Lizzy: Janet!\nThe end, Lizzy.\n"
    assert edit.start_location == (0, 0) and edit.end_location == (1, 13)
    only_second = replacement(TEXT, pattern, "Lizzy", lines={1})
    assert only_second is not None and only_second.count == 1
    assert only_second.apply(TEXT) == "Jane said to jane: Janet!\nThe end, Lizzy.\n"
    one = replacement("a Jane b", pattern, "L", only=(2, 6))
    assert one is not None and one.apply("a Jane b") == "a L b"
    assert replacement(TEXT, pattern, "x", lines=set()) is None


def test_locations_and_crlf_lines() -> None:
    text = "ab\r\ncd\r\n"
    starts = line_starts(text)
    assert starts == [0, 4, 8]
    assert location(starts, 5) == (1, 1)
    hits = line_hits(text, SearchQuery("d").compile(), "D")
    assert hits[0].text == "cd" and hits[0].after == "cD"  # no "\r" shown


def test_unticked_lines_drop_out() -> None:
    pattern = SearchQuery("jane").compile()
    results = ProjectResults([FileHits("a.md", line_hits(TEXT, pattern))], replacement="x")
    assert chosen_lines(results, [("a.md", 0)]) == {"a.md": {1}}
    assert chosen_lines(results, [("a.md", 0), ("a.md", 1)]) == {}
    assert results.summary() == "4 matches in 1 file"


def test_project_texts_walks_the_writers_files_only(tmp_path: Path) -> None:
    project = tmp_path / "book"
    for rel in [
        "manuscript/chapter-10.md",
        "manuscript/chapter-2.md",
        "manuscript/part/chapter-3.md",
        "reference/people.md",
        "planning/plan.md",
        "manuscript/.hidden.md",
        "manuscript/x.md.wf-tmp",
        "output/book.md",
    ]:
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text("Jane\n", encoding="utf-8")
    (project / "manuscript" / "image.bin").write_bytes(b"\xff\xfe\x00")
    outside = tmp_path / "outside.md"
    outside.write_text("Jane\n", encoding="utf-8")
    (project / "manuscript" / "link.md").symlink_to(outside)
    items = list(project_texts(project, skip={"planning/plan.md"}))
    texts = [i.path for i in items if isinstance(i, ProjectText)]
    assert texts == [
        "manuscript/chapter-2.md",
        "manuscript/chapter-10.md",
        "manuscript/part/chapter-3.md",
        "reference/people.md",
    ]
    assert [(i.path, i.reason) for i in items if isinstance(i, Skipped)] == [
        ("manuscript/image.bin", "not UTF-8 text")
    ]
