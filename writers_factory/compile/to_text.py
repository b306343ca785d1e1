"""Markdown and plain text: the book as one readable file.

Markdown keeps emphasis (``*italic*``, ``**bold**``) and marks chapters as ``##`` headings
under the book's ``#`` title; plain text drops the markers and underlines headings.
"""

from __future__ import annotations

from writers_factory.core.book import Book, Heading, Paragraph, SceneBreak, Span

SCENE_BREAK = "* * *"


def _markdown_span(span: Span) -> str:
    text = span.text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    if not text.strip():
        return text
    mark = "*" * (span.italic + 2 * span.bold)
    if not mark:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{text.strip()}{mark}{trail}"


def to_markdown(book: Book) -> str:
    """The whole book as one Markdown document."""
    out = [f"# {book.title}", ""]
    if book.author:
        out += [f"by {book.author}", ""]
    part: str | None = None
    for chapter in book.chapters:
        if chapter.part is not None and chapter.part != part:
            out += [f"# {chapter.part}", ""]
        part = chapter.part
        out += [f"## {chapter.title}", ""]
        for block in chapter.blocks:
            if isinstance(block, Paragraph):
                out += ["".join(_markdown_span(s) for s in block.spans), ""]
            elif isinstance(block, Heading):
                out += [f"{'#' * min(6, block.level + 2)} {block.text}", ""]
            elif isinstance(block, SceneBreak):
                out += [SCENE_BREAK, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def to_plain_text(book: Book) -> str:
    """The whole book as plain text: no markup, headings underlined."""
    out = [book.title.upper(), ""]
    if book.author:
        out += [f"by {book.author}", ""]
    out.append("")
    part: str | None = None
    for chapter in book.chapters:
        if chapter.part is not None and chapter.part != part:
            out += ["", chapter.part.upper(), "=" * len(chapter.part), ""]
        part = chapter.part
        out += ["", chapter.title, "-" * len(chapter.title), ""]
        for block in chapter.blocks:
            if isinstance(block, Paragraph | Heading):
                out += [block.text, ""]
            elif isinstance(block, SceneBreak):
                out += [SCENE_BREAK.center(40).rstrip(), ""]
    return "\n".join(out).rstrip("\n") + "\n"
