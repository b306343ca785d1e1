"""Proposed cards: an AI answer cut into cards, and a kept card appended to its file."""

from __future__ import annotations

import pytest

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
