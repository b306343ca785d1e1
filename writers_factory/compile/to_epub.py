"""EPUB 3 through ebooklib: a title page, one XHTML document per chapter, a table of contents.

Every piece of the writer's text is XML-escaped before it goes into a page: a chapter is
text, never markup, whatever characters it holds.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from html import escape

from writers_factory.core.book import Book, Heading, Paragraph, SceneBreak, Span
from writers_factory.store.base.digests import sha256_hex

Progress = Callable[[int, int], None]

STYLE = """\
body { font-family: serif; line-height: 1.4; }
h1, h2 { text-align: center; margin: 2em 0 1em; }
p { margin: 0; text-indent: 1.5em; }
p.first, p.scene + p { text-indent: 0; }
p.scene { text-align: center; text-indent: 0; margin: 1em 0; }
.title-page { text-align: center; margin-top: 30%; }
.title-page p { text-indent: 0; }
"""

_XML_ILLEGAL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _text(text: str) -> str:
    return escape(text.translate(_XML_ILLEGAL), quote=False)


def _span(span: Span) -> str:
    html = _text(span.text)
    if span.bold:
        html = f"<strong>{html}</strong>"
    if span.italic:
        html = f"<em>{html}</em>"
    return html


def _body(book: Book, index: int) -> str:
    chapter = book.chapters[index]
    html = [f"<h1>{_text(chapter.title)}</h1>"]
    first = True
    for block in chapter.blocks:
        if isinstance(block, Paragraph):
            css = ' class="first"' if first else ""
            html.append(f"<p{css}>{''.join(_span(s) for s in block.spans)}</p>")
            first = False
        elif isinstance(block, Heading):
            html.append(f"<h2>{_text(block.text)}</h2>")
            first = True
        elif isinstance(block, SceneBreak):
            html.append('<p class="scene">* * *</p>')
    return "\n".join(html)


def book_id(book: Book) -> str:
    """A stable identifier: the same title and author give the same book id."""
    digest = sha256_hex(f"{book.title}\n{book.author}".encode())[:32]
    return f"urn:writers-factory:{digest}"


def to_epub(book: Book, *, language: str = "en", progress: Progress | None = None) -> bytes:
    """The book as the bytes of an EPUB file."""
    from ebooklib import epub

    document = epub.EpubBook()
    document.set_identifier(book_id(book))
    document.set_title(book.title)
    document.set_language(language)
    if book.author:
        document.add_author(book.author)
    style = epub.EpubItem(
        uid="style", file_name="style/book.css", media_type="text/css", content=STYLE
    )
    document.add_item(style)
    by = f"<p>by {_text(book.author)}</p>" if book.author else ""
    title_page = epub.EpubHtml(title=book.title, file_name="title.xhtml", lang=language)
    title_page.content = f'<div class="title-page"><h1>{_text(book.title)}</h1>{by}</div>'
    title_page.add_item(style)
    document.add_item(title_page)
    pages: list[epub.EpubHtml] = []
    toc: list[object] = []
    part: str | None = None
    part_pages: list[epub.EpubHtml] = []
    total = len(book.chapters)
    for index, chapter in enumerate(book.chapters):
        page = epub.EpubHtml(
            title=chapter.title, file_name=f"chapter-{index + 1:04d}.xhtml", lang=language
        )
        page.content = _body(book, index)
        page.add_item(style)
        document.add_item(page)
        pages.append(page)
        if chapter.part is None:
            toc.append(page)
        else:
            if chapter.part != part:
                part_pages = []
                toc.append((epub.Section(chapter.part, page.file_name), part_pages))
            part_pages.append(page)
        part = chapter.part
        if progress is not None:
            progress(index + 1, total)
    document.toc = toc
    document.add_item(epub.EpubNcx())
    document.add_item(epub.EpubNav())
    document.spine = [title_page, "nav", *pages]
    out = io.BytesIO()
    epub.write_epub(out, document, {})
    return out.getvalue()
