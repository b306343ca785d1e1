"""The outline as cards, and a chapter against a rewrite paragraph by paragraph (pure)."""

from __future__ import annotations

from writers_factory.core.outline import card_for_chapter, make_card, parse_outline
from writers_factory.core.paragraph_diff import hunks, location, paragraphs, replacement

OUTLINE = "# Outline\n\nNotes.\n\n## Chapter 1\nMeet.\n\n## Chapter 2\nDance.\n"


def test_cards_round_trip_and_move_with_their_text() -> None:
    outline = parse_outline(OUTLINE)
    assert [c.title for c in outline.cards] == ["Chapter 1", "Chapter 2"]
    assert outline.text() == OUTLINE
    moved = outline.moved(1, -1).text()
    assert moved == "# Outline\n\nNotes.\n\n## Chapter 2\nDance.\n\n## Chapter 1\nMeet.\n\n"
    assert parse_outline(moved).moved(0, 5).cards[-1].title == "Chapter 2"
    added = outline.with_card(2, make_card("Epilogue", "After.")).text()
    assert added.endswith("## Chapter 2\nDance.\n\n## Epilogue\nAfter.\n\n")


def test_a_chapter_finds_its_card_by_number_or_place() -> None:
    outline = parse_outline(OUTLINE)
    assert card_for_chapter(outline, "chapter-02.md", 0).title == "Chapter 2"  # type: ignore[union-attr]
    listed = parse_outline("# Outline\n\n1. Opening image\n2. Inciting incident\n")
    assert not listed.headed
    assert card_for_chapter(listed, "opening.md", 1).title == "Inciting incident"  # type: ignore[union-attr]
    assert card_for_chapter(listed, "x.md", 7) is None


def test_each_change_is_one_replacement_of_the_text_as_it_is() -> None:
    chapter = "# T\n\nOne.\n\nTwo.\n\nThree.\n"
    assert [p.text for p in paragraphs(chapter)] == ["# T", "One.", "Two.", "Three."]
    proposal = "# T\n\nOne!\n\nTwo.\n\nNew.\n\nThree.\n"
    found = hunks(chapter, proposal)
    assert [h.kind for h in found] == ["replace", "insert"]
    text = chapter
    while changes := hunks(text, proposal):
        start, end, new = replacement(text, changes[0])
        text = text[:start] + new + text[end:]
    assert text == proposal
    gone = hunks(chapter, "# T\n\nOne.\n\nThree.\n")[0]
    start, end, new = replacement(chapter, gone)
    assert chapter[:start] + new + chapter[end:] == "# T\n\nOne.\n\nThree.\n"
    assert location("ab\ncd", 4) == (1, 1)
