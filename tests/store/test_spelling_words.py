"""Which words of a Markdown line are checked, and the project dictionary's text."""

from __future__ import annotations

import pytest

from writers_factory.core.spelling import forms_of, parse_dictionary, with_word, word_spans
from writers_factory.core.typography import smart_replacement


def words(line: str) -> list[str]:
    return [line[start:end] for start, end in word_spans(line)]


def test_prose_words_with_apostrophes_inside() -> None:
    assert words("Darcy’s sister didn't — well, not *quite* _so_.") == [
        "Darcy’s",
        "sister",
        "didn't",
        "well",
        "not",
        "quite",
        "so",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("## Chapter Thre", ["Chapter", "Thre"]),
        ("See [the mapp](https://exmaple.org/pth?q=zzz) now", ["See", "the", "mapp", "now"]),
        ("![a picture](images/lghthouse.png)", ["a", "picture"]),
        ("[label]: https://exmaple.org/xyzzy", []),
        ("Run `frobnicate --qux` first", ["Run", "first"]),
        ("Write to <keeper@exmaple.org> or <https://x.org/qq>", ["Write", "to", "or"]),
        ("a <span class='zzyzx'>word</span>", ["a", "word"]),
        ("Visit www.exmaple.org or mail me@exmaple.org", ["Visit", "or", "mail"]),
        ("In 1812, room 4B, NATO and CHAPTER IV", ["In", "room", "and"]),
    ],
)
def test_markdown_syntax_and_addresses_are_not_words(line: str, expected: list[str]) -> None:
    assert words(line) == expected


def test_forms_looked_up() -> None:
    assert forms_of("Darcy’s") == ["darcy's", "darcy"]
    assert forms_of("Bennets'") == ["bennets'", "bennets"]
    assert forms_of("Keeper") == ["keeper"]


def test_project_dictionary_text() -> None:
    text = "# names\nMarisol\n\n  Ebb  \n"
    assert parse_dictionary(text) == ["Marisol", "Ebb"]
    assert with_word(text, "marisol") == text  # already there, in any case
    assert with_word(text, "Tomas") == text + "Tomas\n"
    assert with_word("Ebb", "Tomas") == "Ebb\nTomas\n"
    with pytest.raises(ValueError, match="not a word"):
        with_word(text, "two\nlines")


@pytest.mark.parametrize(
    ("before", "typed", "expected"),
    [
        ("", '"', (0, "“")),
        ("she said ", '"', (0, "“")),
        ("“Hello,", '"', (0, "”")),
        ("(", "'", (0, "‘")),
        ("it", "'", (0, "’")),
        ("wait -", "-", (1, "—")),
        ("-", "-", None),  # a rule or a list starts the line
        ("wait --", "-", None),
        ("wait", "-", None),
        ("x", "a", None),
    ],
)
def test_smart_replacement(before: str, typed: str, expected: tuple[int, str] | None) -> None:
    assert smart_replacement(before, typed) == expected
