"""The speller on its own: misspelled columns, lines remembered, the writer's words, suggestions."""

from __future__ import annotations

import pytest

from writers_factory.tui.spelling.speller import NoDictionaryError, Speller, load_speller


@pytest.fixture(scope="module")
def speller() -> Speller:
    return load_speller("en", ["Orlaith"])


def test_misspelled_columns_and_lines_remembered(speller: Speller) -> None:
    line = "Orlaith saw a wierd light on the [mapp](https://exmaple.org)."
    spans = speller.misspelled(line)
    assert [line[start:end] for start, end in spans] == ["wierd", "mapp"]
    checked = speller.lines_checked
    assert speller.misspelled(line) == spans
    assert speller.lines_checked == checked  # drawn again: nothing checked again
    assert speller.misspelled("Orlaith’s lamp and Darcy's") == ()


def test_accepted_words_and_suggestions_in_the_case_typed(speller: Speller) -> None:
    assert speller.misspelled("Ebbrin waited") == ((0, 6),)
    speller.accept("ebbrin")
    assert speller.misspelled("Ebbrin waited") == ()
    assert "Weird" in speller.suggestions("Wierd")
    assert "receive" in speller.suggestions("recieve")


def test_a_language_without_a_dictionary_is_named() -> None:
    wanted = r"editor\.spelling_language: no dictionary for 'xx'"
    with pytest.raises(NoDictionaryError, match=wanted):
        load_speller("xx")
