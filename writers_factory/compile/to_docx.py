"""DOCX through python-docx: a title page, a page per chapter, emphasis kept.

The standard manuscript format (``manuscript=True``) is what agents and editors ask for:
12 pt Times New Roman, double-spaced, first lines indented half an inch, one-inch margins,
a header "Surname / Title / page" on every page but the title page, the title page with the
author's name and the word count, chapters starting a third of the way down a new page,
and ``#`` for scene breaks.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from writers_factory.core.book import Book, Heading, Paragraph, SceneBreak

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph as DocxParagraph

Progress = Callable[[int, int], None]

MANUSCRIPT_FONT = "Times New Roman"


def _page_field(paragraph: DocxParagraph) -> None:
    """A PAGE field (the page number, updated by the word processor)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _manuscript_layout(document: DocxDocument, book: Book) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Inches, Pt

    normal: Any = document.styles["Normal"]
    normal.font.name = MANUSCRIPT_FONT
    normal.font.size = Pt(12)
    spacing = normal.paragraph_format
    spacing.line_spacing_rule = WD_LINE_SPACING.DOUBLE
    spacing.space_after = Pt(0)
    spacing.first_line_indent = Inches(0.5)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style: Any = document.styles[name]
        style.font.name = MANUSCRIPT_FONT
        style.font.size = Pt(12)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = None
    section = document.sections[0]
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Inches(1))
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.paragraph_format.first_line_indent = Inches(0)
    surname = book.surname or "Author"
    header.add_run(f"{surname} / {book.title} / ")
    _page_field(header)


def to_docx(book: Book, *, manuscript: bool = False, progress: Progress | None = None) -> bytes:
    """The book as the bytes of a DOCX file."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Pt

    document = Document()
    document.core_properties.title = book.title
    document.core_properties.author = book.author
    if manuscript:
        _manuscript_layout(document, book)
        corner = document.add_paragraph(book.author or "")
        corner.paragraph_format.first_line_indent = Inches(0)
        words = document.add_paragraph(f"about {round(book.words, -2) or book.words:,} words")
        words.paragraph_format.first_line_indent = Inches(0)
        for _ in range(8):
            document.add_paragraph().paragraph_format.first_line_indent = Inches(0)
    title = document.add_paragraph(book.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if book.author:
        by = document.add_paragraph(f"by {book.author}")
        by.alignment = WD_ALIGN_PARAGRAPH.CENTER
        by.paragraph_format.first_line_indent = Inches(0)
    part: str | None = None
    total = len(book.chapters)
    for done, chapter in enumerate(book.chapters, start=1):
        if chapter.part is not None and chapter.part != part:
            part_heading = document.add_heading(chapter.part, level=1)
            part_heading.paragraph_format.page_break_before = True
            part_heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        part = chapter.part
        heading = document.add_heading(chapter.title, level=1 if chapter.part is None else 2)
        heading.paragraph_format.page_break_before = True
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if manuscript:
            heading.paragraph_format.first_line_indent = Inches(0)
            heading.paragraph_format.space_before = Pt(144)  # a third of the way down
        for block in chapter.blocks:
            if isinstance(block, Paragraph):
                paragraph = document.add_paragraph()
                for span in block.spans:
                    run = paragraph.add_run(span.text)
                    run.italic = span.italic or None
                    run.bold = span.bold or None
            elif isinstance(block, Heading):
                document.add_heading(block.text, level=min(9, block.level + 1))
            elif isinstance(block, SceneBreak):
                mark = document.add_paragraph("#" if manuscript else "* * *")
                mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
                mark.paragraph_format.first_line_indent = Inches(0)
        if progress is not None:
            progress(done, total)
    if manuscript:
        end = document.add_paragraph("THE END")
        end.alignment = WD_ALIGN_PARAGRAPH.CENTER
        end.paragraph_format.first_line_indent = Inches(0)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
