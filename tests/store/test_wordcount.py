"""Word counts as a writer counts them, and word deltas of edits."""

from __future__ import annotations

import random

from writers_factory.core import wordcount
from writers_factory.core.wordcount import count_words, sequence_delta, word_delta


def test_plain_prose() -> None:
    assert count_words("The rain fell on the roof.") == 6


def test_markdown_markup_is_not_counted() -> None:
    text = (
        "---\ntitle: Chapter One\npov: Anna\n---\n"
        "# Chapter One\n\n"
        "* **Bold** and _italic_ words\n"
        "> A quoted line\n"
        "See [the map](https://example.org/map.png) and ![a sketch](img/sketch.png).\n"
        "<!-- a note to self\nspanning lines -->\n"
        "<span class='x'>Tagged</span> text https://example.org/page\n"
        "[map]: https://example.org/map\n"
        "***\n"
    )
    # Chapter One | Bold and italic words | A quoted line | See the map and | Tagged text
    assert count_words(text) == 2 + 4 + 3 + 4 + 2


def test_hyphens_and_contractions_are_one_word_dashes_split() -> None:
    assert count_words("A well-known state-of-the-art idea") == 4
    assert count_words("Don't you’re rock’n’roll o'clock") == 4
    assert count_words("She waited—then ran–fast -- gone") == 6
    assert count_words("Year 1984, room 101.") == 4
    assert count_words("") == 0
    assert count_words("*** --- ___ !!") == 0


def test_unclosed_comment_hides_the_rest() -> None:
    assert count_words("one two <!-- draft notes never closed") == 2


def test_word_delta_insert_delete_replace() -> None:
    old = "The cat sat on the mat."
    assert word_delta(old, old) == (0, 0)
    assert word_delta(old, "The black cat sat on the mat.") == (1, 0)
    assert word_delta(old, "The cat sat on the mat. It purred loudly.") == (3, 0)
    assert word_delta(old, "The cat sat.") == (0, 3)
    assert word_delta(old, "The dog sat on the mat.") == (1, 1)
    assert word_delta("", "Once upon a time") == (4, 0)
    assert word_delta("Once upon a time", "") == (0, 4)


def test_markup_only_edits_change_nothing() -> None:
    assert word_delta("The cat sat.", "The **cat** sat.") == (0, 0)
    assert word_delta("The cat sat.", "The cat sat. <!-- check this -->") == (0, 0)


def test_chapter_sized_edit_is_exact() -> None:
    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(800)]
    chapter = [rng.choice(vocab) for _ in range(12_000)]
    edited = [*chapter[:6000], "fresh", "words", "here", *chapter[6010:]]
    assert sequence_delta(chapter, edited) == (3, 10)


def test_huge_rewrite_uses_multiset_approximation() -> None:
    # Above EXACT_LIMIT the delta ignores order: a moved block is neither added nor removed.
    old = [f"w{i}" for i in range(wordcount.EXACT_LIMIT + 10)]
    moved = old[100:] + old[:100]
    moved[0] = "changed"  # differs at both ends so trimming does not shrink it
    moved[-1] = "also"
    added, removed = sequence_delta(old, moved)
    assert (added, removed) == (2, 2)
