"""Compiling the manuscript into one document: DOCX, EPUB, PDF, Markdown or plain text.

``plan.py`` reads the project (chapters in reading order, title and author from the
preferences) into the pure document model of ``core/book.py``; each ``to_*.py`` lays that
model out in one format; ``run.py`` ties them together and writes the result through the
durable path. The format libraries (python-docx, ebooklib, fpdf2) are imported only inside
the writer that needs them, and only this package imports them.
"""

from __future__ import annotations

from typing import Literal

Format = Literal["docx", "epub", "pdf", "md", "txt"]
FORMATS: tuple[Format, ...] = ("docx", "epub", "pdf", "md", "txt")
"""Every format ``writers-factory compile --format`` accepts, the default first."""
