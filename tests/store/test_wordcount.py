"""Word counts as a writer counts them, and word deltas of edits."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from writers_factory.core import wordcount
from writers_factory.core.analysis.metrics import analyze_text
from writers_factory.core.common_ends import common_ends
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


# Pieces that put word boundaries, blank lines and every kind of markup next to an edit.
_PIECES = st.sampled_from(
    [
        "word", "wo", "rd", "don't", "well-", "known", "1984", "東京", " ", "  ", "\t", "\n",
        "\n\n", "\n \n", "\n\t\n\n", "-", "--", "—", "'", "’", ".", "[", "]", "(", ")",
        "](x)", "![", "<b>", "</b>", "<", ">", "<!--", "-->", "---\n", "...\n", "---",
        "http://x.org/a", "<https://y>", "[r]: http://z", "#", "*", "_", "`", "\u2028",
    ]
)  # fmt: skip
_MARKED = st.lists(_PIECES, max_size=40).map("".join)


def _whole_delta(old: str, new: str) -> tuple[int, int]:
    """What ``word_delta`` computed before it looked only at the differing paragraphs."""
    return sequence_delta(words(old), words(new))


@given(
    st.lists(st.one_of(_MARKED, _PROSE, st.just(MARKED_UP)), min_size=1, max_size=8),
    st.data(),
)
def test_word_delta_of_the_differing_part_is_the_whole_delta(
    paragraphs: list[str], data: st.DataObject
) -> None:
    """Edits anywhere (inside a word, at a paragraph's edge, opening a comment, adding
    front matter): the delta from the differing paragraphs equals the whole-text delta."""
    old = data.draw(st.sampled_from(["\n\n", "\n", "\n \n", ""])).join(paragraphs)
    new = old
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(new)))
        j = data.draw(st.integers(i, min(len(new), i + 12)))
        new = new[:i] + data.draw(_MARKED) + new[j:]
    assert word_delta(old, new) == _whole_delta(old, new)
    assert word_delta(new, old) == _whole_delta(new, old)
    # the common ends a save found: the same delta; the ends of other texts are not used
    found = common_ends(old, new)
    assert word_delta(old, new, found) == _whole_delta(old, new)
    assert word_delta(new, old, found) == _whole_delta(new, old)


def test_a_sentence_typed_in_a_novel_counts_only_its_paragraph(monkeypatch: Any) -> None:
    """Counted in words split, never timed: a save of a long text with one sentence typed
    splits the paragraphs around the edit, not the whole text twice."""
    paragraph = "It was a dark and stormy night; the rain fell in torrents. " * 8
    old = "\n\n".join(f"{paragraph}({n})" for n in range(2_000))
    middle = len(old) // 2
    new = old[:middle] + " Then the wind rose." + old[middle:]
    split: list[int] = []
    real = wordcount.words

    def counting(text: str) -> list[str]:
        split.append(len(text))
        return real(text)

    monkeypatch.setattr(wordcount, "words", counting)
    delta = word_delta(old, new)
    assert sum(split) < 4 * len(paragraph)
    monkeypatch.undo()
    assert delta == _whole_delta(old, new)


@given(
    st.lists(st.sampled_from(["<", "<!--", "!--", "a", "-->", "<b>", "<!"]), max_size=30).map(
        "".join
    ),
    st.integers(0, 3),
    st.data(),
)
def test_the_last_comment_opener_is_the_four_character_searchs(
    text: str, tries: int, data: st.DataObject
) -> None:
    """Visiting the ``<`` one by one (then, past a few, searching ``<!--`` itself) finds the
    opener the plain search finds, within any bounds."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wordcount, "_OPENER_TRIES", tries)
        assert wordcount._last_opener(text, start, end) == text.rfind("<!--", start, end)


def test_patterns_that_need_a_piece_of_text_are_not_run_without_it(monkeypatch: Any) -> None:
    """The URL pattern starts with ``\\b``, so the regex engine tried it at every position
    of the text (two thirds of the masking of a novel's prose, which has no URL): it, and the
    reference definitions' one, run only on text holding the ``://`` / ``]:`` they need.
    Counted in pattern runs, never timed; the counts themselves are unchanged."""
    ran: list[str] = []

    class Counting:
        def __init__(self, name: str, pattern: Any) -> None:
            self.name, self.pattern = name, pattern

        def sub(self, *args: Any) -> Any:
            ran.append(self.name)
            return self.pattern.sub(*args)

    for name in ("_URL", "_REF_DEF"):
        monkeypatch.setattr(wordcount, name, Counting(name, getattr(wordcount, name)))
    prose = "It was a dark and stormy night; the rain fell in torrents.\n\n" * 50
    assert count_words(prose) == 12 * 50
    assert ran == []
    assert count_words("See https://example.org/page now.\n[map]: https://example.org/m\n") == 2
    assert sorted(ran) == ["_REF_DEF", "_URL"]
