"""Proposed cards (an AI answer cut into cards, a kept card appended to its file) and
critique notes found again in the chapter."""

from __future__ import annotations

import pytest

from writers_factory.core.critique_notes import kept_critiques, notes, place
from writers_factory.core.outline import parse_outline
from writers_factory.core.proposals import Proposal, appended, proposals


def test_headings_become_cards_and_a_plain_answer_one() -> None:
    found = proposals("outline", "# Outline\n\n## Chapter 62\nThey marry.\n\n## Coda\n")
    assert [(p.title, p.body) for p in found] == [("Chapter 62", "They marry."), ("Coda", "")]
    assert found[0].destination == "planning/outline.md"
    listed = proposals("world", "1. Longbourn\n2) Netherfield\n")
    assert [p.title for p in listed] == ["Longbourn", "Netherfield"]
    plain = proposals("premise", "**A proud man and a quick woman** misjudge each other.\nMore.")
    assert len(plain) == 1 and plain[0].body.endswith("More.")
    assert plain[0].title.startswith("A proud man and a quick woman")
    assert proposals("characters", "  \n") == []
    with pytest.raises(KeyError, match="rewrite"):
        proposals("rewrite", "text")


def test_appended_keeps_the_file_and_adds_one_section() -> None:
    card = Proposal("characters", "Charlotte Lucas", "Practical.")
    assert appended(None, card) == "## Charlotte Lucas\nPractical.\n\n"
    text = "# Characters\n\n## Jane\nKind."
    out = appended(text, card)
    assert out.startswith(text + "\n\n## Charlotte Lucas\nPractical.\n")
    assert [c.title for c in parse_outline(out).cards] == ["Jane", "Charlotte Lucas"]


def test_critique_notes_find_their_place_but_not_in_a_kept_note() -> None:
    chapter = (
        "# One\n\nIt was a bright cold day in April.\n\n"
        "<!-- Critique chapter (AI):\n\n- “a bright cold day” is flat.\n-->\n\n"
        "She didn’t  know\nwhy.\n\nThe end.\n"
    )
    [kept] = kept_critiques(chapter)
    [first] = notes(kept)
    assert first.quotes == ("a bright cold day",)
    start, end = place(first, chapter) or (0, 0)
    assert chapter[start:end] == "a bright cold day" and start < chapter.index("<!--")
    loose = notes('1. The line "she didn\'t know why" is vague.\n2. Paragraph 3 ends well.')
    start, end = place(loose[0], chapter) or (0, 0)
    assert chapter[start:end] == "She didn’t  know\nwhy"
    start, end = place(loose[1], chapter) or (0, 0)
    assert chapter[start:end] == "She didn’t  know\nwhy."
    assert place(notes("“nowhere in the text at all”")[0], chapter) is None
