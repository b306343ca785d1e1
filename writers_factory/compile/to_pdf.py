"""PDF through fpdf2, set in a Unicode TrueType family (``fonts.py``): a title page, each
chapter on a new page, emphasis kept, page numbers in the footer."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

from writers_factory.compile.errors import CompileError
from writers_factory.compile.fonts import FontFamily, find_family, missing_font_message
from writers_factory.core.book import Book, Heading, Paragraph, SceneBreak

Progress = Callable[[int, int], None]

BODY_SIZE = 11
LINE = 6.0
"""Line height in millimetres for the body text."""


def _styles(span_italic: bool, span_bold: bool) -> str:
    return ("B" if span_bold else "") + ("I" if span_italic else "")


def to_pdf(
    book: Book,
    *,
    family: FontFamily | None = None,
    progress: Progress | None = None,
    problems: list[str] | None = None,
) -> bytes:
    """The book as the bytes of a PDF file; :class:`CompileError` when no font is found.

    Characters the font has no glyph for are blank in the PDF: they are named in
    ``problems`` (DOCX and EPUB keep them, the reader's fonts draw them).
    """
    family = family or find_family()
    if family is None:
        raise CompileError(missing_font_message())
    from fpdf import FPDF

    class BookPDF(FPDF):  # type: ignore[misc]
        def footer(self) -> None:
            if self.page_no() > 1:
                self.set_y(-15)
                self.set_font("book", size=9)
                self.cell(0, 10, str(self.page_no()), align="C")

    pdf: Any = BookPDF(format=(148, 210))  # A5, in millimetres
    pdf.set_title(book.title)
    pdf.set_author(book.author)
    pdf.set_creator("Writers Factory")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    faces = {"": family.regular, "I": family.italic, "B": family.bold, "BI": family.bold_italic}
    for style, path in faces.items():
        pdf.add_font("book", style=style, fname=str(path))
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_font("book", style="B", size=22)
    pdf.multi_cell(0, 11, book.title, align="C")
    if book.author:
        pdf.ln(6)
        pdf.set_font("book", size=14)
        pdf.multi_cell(0, 8, book.author, align="C")
    part: str | None = None
    total = len(book.chapters)
    for done, chapter in enumerate(book.chapters, start=1):
        if chapter.part is not None and chapter.part != part:
            pdf.add_page()
            pdf.set_y(70)
            pdf.set_font("book", style="B", size=18)
            pdf.multi_cell(0, 10, chapter.part, align="C")
        part = chapter.part
        pdf.add_page()
        pdf.set_y(40)
        pdf.set_font("book", style="B", size=16)
        pdf.multi_cell(0, 9, chapter.title, align="C")
        pdf.ln(8)
        for block in chapter.blocks:
            if isinstance(block, Paragraph):
                for span in block.spans:
                    pdf.set_font("book", style=_styles(span.italic, span.bold), size=BODY_SIZE)
                    pdf.write(LINE, span.text)
                pdf.ln(LINE * 1.5)
            elif isinstance(block, Heading):
                pdf.ln(LINE / 2)
                pdf.set_font("book", style="B", size=BODY_SIZE + 1)
                pdf.multi_cell(0, LINE, block.text)
                pdf.ln(LINE / 2)
            elif isinstance(block, SceneBreak):
                pdf.set_font("book", size=BODY_SIZE)
                pdf.cell(0, LINE * 1.5, "* * *", align="C", new_x="LMARGIN", new_y="NEXT")
        if progress is not None:
            progress(done, total)
    out = io.BytesIO()
    fpdf_log = logging.getLogger("fpdf")
    level = fpdf_log.level
    fpdf_log.setLevel(logging.ERROR)  # missing glyphs are reported below, with the font named
    try:
        pdf.output(out)
    finally:
        fpdf_log.setLevel(level)
    missing = sorted(
        {chr(c) for font in pdf.fonts.values() for c in getattr(font, "missing_glyphs", [])}
    )
    if missing and problems is not None:
        shown = " ".join(missing[:20]) + (
            f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        )
        problems.append(
            f"the PDF's font ({family.name}) has no glyphs for {shown}: they are blank in the "
            "PDF (DOCX and EPUB keep them)"
        )
    return out.getvalue()
