"""An editor's window (what it knows it left untouched) gives exactly the common ends, the
encoding and the words count of comparing the whole texts, and compares only the window."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from writers_factory.core import common_ends as ends_module
from writers_factory.core.common_ends import Unchanged, common_ends
from writers_factory.core.wordcount import sequence_delta, word_delta, words
from writers_factory.store.manuscript.encoded import encode, encode_after

# repeated characters and words make shared starts and ends run on past an edit
_PIECES = st.sampled_from(
    ["a", "b", " ", "\n", "\n\n", "é", "’", "東", "😀", "ab ", "<!-- ", " -->"]
)
_TEXT = st.lists(_PIECES, max_size=40).map("".join)
_EDITS = st.lists(st.tuples(st.integers(0, 200), st.integers(0, 8), _TEXT), max_size=6)


def edited(base: str, edits: list[tuple[int, int, str]]) -> tuple[str, int, int]:
    """``base`` after ``edits`` (where, how many characters replaced, by what), and the
    window an editor reports: characters untouched at the start and at the end."""
    text, head, tail = base, len(base), len(base)
    for at, length, typed in edits:
        at = min(at, len(text))
        end = min(at + length, len(text))
        head, tail = min(head, at), min(tail, len(text) - end)
        text = text[:at] + typed + text[end:]
    if not edits:
        tail = 0
    return text, head, tail


@given(_TEXT, _EDITS, st.integers(0, 3), st.integers(0, 3), st.integers(1, 5))
def test_the_window_gives_the_ends_of_the_whole_compare(
    base: str, edits: list[tuple[int, int, str]], less_head: int, less_tail: int, block: int
) -> None:
    """Any truthful window (the editor's, or a wider one) gives the very ends the whole
    compare finds, however far the shared start runs on past it."""
    text, head, tail = edited(base, edits)
    head, tail = max(0, head - less_head), max(0, tail - less_tail)  # wider: still true
    assert base[:head] == text[:head] and base[len(base) - tail :] == text[len(text) - tail :]
    with pytest.MonkeyPatch.context() as patch:  # small blocks: compares across their edges
        patch.setattr(ends_module, "BLOCK", block)
        windowed = common_ends(base, text, Unchanged(base, head, tail))
        whole = common_ends(base, text)
    assert (windowed.prefix, windowed.suffix) == (whole.prefix, whole.suffix)
    assert windowed.between(base, text)


@given(_TEXT, _EDITS)
def test_the_window_gives_the_bytes_and_the_words_of_the_whole_compare(
    base: str, edits: list[tuple[int, int, str]]
) -> None:
    text, head, tail = edited(base, edits)
    before = encode(base, 4)
    after, ends = encode_after(before, text, 4, Unchanged(base, head, tail))
    assert after.data == text.encode("utf-8")
    whole = sequence_delta(words(base), words(text))
    assert word_delta(base, text, ends) == whole
    if ends is not None:
        assert (ends.prefix, ends.suffix) == (
            (found := common_ends(base, text)).prefix,
            found.suffix,
        )


def test_a_window_about_another_text_is_not_used() -> None:
    """The claim is about one string: an equal copy, or a window that cannot fit, is
    ignored and the whole texts are compared."""
    base = "The rain fell. " * 10
    copy = "".join(list(base))
    new = base + "Then it stopped."
    assert not Unchanged(copy, 5, 5).applies(base, new)
    assert not Unchanged(base, len(base), 1).applies(base, new)
    assert not Unchanged(base, -1, 0).applies(base, new)
    assert Unchanged(base, len(base), 0).applies(base, new)
    found = common_ends(base, new, Unchanged(copy, 1, 1))
    assert (found.prefix, found.suffix) == (len(base), 0)


def compared_here() -> int:
    return ends_module.compared_by_thread[threading.get_ident()]


def test_a_key_typed_in_a_novel_compares_its_window_not_the_novel() -> None:
    """Counted in characters compared, not timed: with the editor's window, a save after one
    key compares a few characters; without it, about the whole text."""
    paragraph = "It was a dark and stormy night — the rain fell in torrents.\n\n"
    old = paragraph * 20_000
    middle = len(old) // 2 + 7
    new = old[:middle] + "x" + old[middle:]
    before = compared_here()
    windowed = common_ends(old, new, Unchanged(old, middle, len(old) - middle))
    with_window = compared_here() - before
    whole = common_ends(old, new)
    without = compared_here() - before - with_window
    assert (windowed.prefix, windowed.suffix) == (whole.prefix, whole.suffix)
    assert with_window <= 4, "the key and the characters around it"
    assert without >= len(old), "the whole text, at least once"
