"""The compiled book's model: chapter headings, scene breaks and emphasis from Markdown."""

from __future__ import annotations

from writers_factory.core.book import Heading, Paragraph, SceneBreak, Span, chapter, spans


def test_the_first_heading_names_the_chapter_else_the_file_name() -> None:
    opened = chapter("# The Ball\n\nThey danced.\n\n## Later\n\nMore.\n", "ch-3.md")
    assert opened.title == "The Ball"
    assert opened.blocks == (
        Paragraph((Span("They danced."),)),
        Heading(2, "Later"),
        Paragraph((Span("More."),)),
    )
    assert chapter("They danced.\n", "part-one/chapter-07.md").title == "Chapter 07"
    repeated = chapter("# My Book\n\n## Chapter 1\n\nText.\n", "c.md", book_title="My Book")
    assert repeated.title == "Chapter 1" and repeated.first_words == "Text."


def test_scene_break_markers() -> None:
    for marker in ("***", "* * *", "---", "___", "~~~", "#", "- - -"):
        found = chapter(f"One.\n\n{marker}\n\nTwo.\n", "c.md")
        assert [type(b) for b in found.blocks] == [Paragraph, SceneBreak, Paragraph], marker
    edges = chapter("***\n\nOne.\n\n***\n\n* * *\n\nTwo.\n\n***\n", "c.md")
    assert [type(b) for b in edges.blocks] == [Paragraph, SceneBreak, Paragraph]


def test_emphasis_runs() -> None:
    assert spans("a *b* c") == (Span("a "), Span("b", italic=True), Span(" c"))
    assert spans("**bold** and _it_") == (
        Span("bold", bold=True),
        Span(" and "),
        Span("it", italic=True),
    )
    assert spans("***both***") == (Span("both", italic=True, bold=True),)
    assert spans("snake_case_name stays") == (Span("snake_case_name stays"),)
    assert spans("2 * 3 * 4 and \\*literal\\*") == (Span("2 * 3 * 4 and *literal*"),)
    assert spans("an *unclosed star") == (Span("an *unclosed star"),)


def test_wrapped_lines_join_and_markup_goes() -> None:
    text = "---\ntitle: x\n---\nA line\nwrapped <!-- note --> with [a link](http://x).\n"
    found = chapter(text, "c.md")
    assert found.first_words == "A line wrapped  with a link."
