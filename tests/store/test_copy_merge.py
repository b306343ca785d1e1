"""A file and its conflict copy merged change by change (core/copy_merge.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from writers_factory.core.copy_merge import changes, merged
from writers_factory.core.paragraph_diff import paragraphs

ANCESTOR = "One.\n\nTwo.\n\nThree.\n\nFour.\n"
ORIGINAL = "One.\n\nTwo, edited here.\n\nThree.\n\nFour.\n"
COPY = "One.\n\nTwo.\n\nThree, edited there.\n\nFour.\n\nFive, added there.\n"


def test_the_ancestor_proposes_each_sides_own_change() -> None:
    found = changes(ORIGINAL, COPY, ANCESTOR)
    assert [(c.origin, c.proposed) for c in found] == [
        ("original", "original"),
        ("copy", "copy"),
        ("copy", "copy"),
    ]
    assert merged(ORIGINAL, found, {}) == (
        "One.\n\nTwo, edited here.\n\nThree, edited there.\n\nFour.\n\nFive, added there.\n"
    )


def test_without_an_ancestor_the_original_stays_until_the_writer_chooses() -> None:
    found = changes(ORIGINAL, COPY)
    assert {c.origin for c in found} == {"unknown"} and merged(ORIGINAL, found, {}) == ORIGINAL
    every = {i: "copy" for i in range(len(found))}
    assert merged(ORIGINAL, found, every) == COPY.rstrip("\n") + "\n"


def test_a_paragraph_removed_on_one_side() -> None:
    copy = "One.\n\nThree.\n\nFour.\n"
    found = changes(ANCESTOR, copy, ANCESTOR)
    assert [(c.origin, c.proposed) for c in found] == [("copy", "copy")]
    assert merged(ANCESTOR, found, {}) == copy


PARAS = st.lists(st.sampled_from(["Alpha.", "Beta.", "Gamma.", "Delta.", "Eps."]), max_size=6)


@given(PARAS, PARAS, st.data())
def test_any_choice_keeps_every_paragraph_of_the_side_taken(
    a: list[str], b: list[str], data: st.DataObject
) -> None:
    original, copy = "\n\n".join(a) + "\n", "\n\n".join(b) + "\n"
    found = changes(original, copy)
    picks = {i: data.draw(st.sampled_from(["original", "copy"])) for i in range(len(found))}
    result = [p.text for p in paragraphs(merged(original, found, picks))]
    if all(v == "copy" for v in picks.values()):
        assert result == b
    if all(v == "original" for v in picks.values()):
        assert result == a
    kept = [
        p for i, c in enumerate(found) for p in (c.hunk.new if picks[i] == "copy" else c.hunk.old)
    ]
    for paragraph in kept:
        assert paragraph in result
