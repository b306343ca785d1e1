"""Word counts as a writer counts them, and word deltas of edits."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from writers_factory.core import wordcount
from writers_factory.core.analysis.metrics import analyze_text
from writers_factory.core.wordcount import (
    count_words,
    count_words_stepwise,
    sequence_delta,
    word_delta,
    words,
)


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


# --- one counter for the whole product --------------------------------------------------


MARKED_UP = (
    "# Chapter One\n\n"
    "She said <!-- fix this later please, the whole scene is wrong --> hello.\n"
    "See [the map](https://example.com/a/b/c) now https://x.org/y/z\n"
)


def test_analysis_counts_what_statistics_count() -> None:
    # Analysis used to tokenise raw text (comments and link targets counted, headings not):
    # 12 words where the statistics counted 10.
    assert count_words(MARKED_UP) == 2 + 3 + 4
    assert analyze_text(MARKED_UP).words == count_words(MARKED_UP)
    assert analyze_text(MARKED_UP).readability.words == count_words(MARKED_UP) - 2


def test_chinese_japanese_korean_count_by_characters() -> None:
    chinese = "他说：“我们明天再去看看那座灯塔吧。”她点了点头，没有说话。"
    han = sum(1 for c in chinese if "\u4e00" <= c <= "\u9fff")
    assert count_words(chinese) == han == 24
    assert count_words("灯塔在北方的海边。") == 8
    assert count_words("東京へ行きました。") == 8  # kanji and kana alike
    assert count_words("안녕하세요 세계") == 7
    # mixed: Latin words plus CJK characters, with or without spaces between them
    assert count_words("Anna 去了 Tokyo東京 yesterday.") == 1 + 2 + 1 + 2 + 1
    assert words("well-known灯塔") == ["well-known", "灯", "塔"]
    assert analyze_text("灯塔在北方。她笑了。").words == 8


_LATIN = st.text(alphabet="abcdeéñz019'’-", min_size=1, max_size=8)
_CJK = st.text(alphabet="灯塔北方海边東京へ안녕", min_size=1, max_size=6)
_SPACE = st.text(alphabet=" \t\n", min_size=1, max_size=3)
_PUNCT = st.sampled_from(["", ".", ",", "!", "?", "“", "”", ";"])
_TOKEN = st.one_of(_LATIN, _CJK, st.tuples(_LATIN, _PUNCT).map("".join))
_PROSE = st.lists(st.tuples(_TOKEN, _SPACE), max_size=30).map(
    lambda pairs: "".join(t + s for t, s in pairs)
)


@given(_PROSE, _PROSE)
def test_concatenation_adds_counts(a: str, b: str) -> None:
    assert count_words(a + " " + b) == count_words(a) + count_words(b)
    assert count_words(a + "\n\n" + b) == count_words(a) + count_words(b)


@given(_PROSE, _SPACE, _SPACE)
def test_whitespace_does_not_count(text: str, before: str, after: str) -> None:
    assert count_words(before + text + after) == count_words(text)
    assert count_words(" ".join(text.split())) == count_words(text)
    assert count_words(before) == 0


@given(_CJK, _CJK)
def test_cjk_characters_add_without_spaces(a: str, b: str) -> None:
    assert count_words(a + b) == count_words(a) + count_words(b) == len(a) + len(b)


@given(st.lists(st.one_of(_PROSE, st.just(MARKED_UP)), max_size=6), st.integers(1, 200))
def test_stepwise_count_is_the_count(parts: list[str], size: int) -> None:
    text = "\n\n".join(parts)
    assert sum(count_words_stepwise(text, size)) == count_words(text) == len(words(text))
    assert word_delta("", text) == (count_words(text), 0)
    assert word_delta(text, text) == (0, 0)
