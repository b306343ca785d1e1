"""A compiled book as a document model: title page, chapters, paragraphs, scene breaks.

Pure: the chapters' texts come in (in reading order, ``core/order.py``), a :class:`Book`
comes out, and each output format (``writers_factory/compile/``) only lays that model out.
So every format agrees on what a chapter heading, a scene break or an emphasis is.

The rules, the ones manuscripts follow:

* A chapter's heading is its first Markdown heading when the chapter opens with one (the
  heading is then not repeated in the text), else its file name made readable
  ("chapter-07" → "Chapter 07").
* A scene break is a paragraph made only of one of :data:`SCENE_BREAKS` (``***``,
  ``* * *``, ``---``, ``___``, ``#``, ``~~~`` …: three or more of ``*``, ``-``, ``_``, ``~``
  with optional spaces, or a lone ``#``).
* Emphasis: ``*italic*`` / ``_italic_``, ``**bold**`` / ``__bold__``, ``***both***``; an
  underscore inside a word (``snake_case``) and an unmatched marker stay as written; ``\\*``
  is a literal star.
* Hard-wrapped lines of a paragraph are joined with a space; a YAML front-matter block,
  HTML comments and tags, and link targets are dropped (``[text](url)`` keeps its text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_SCENE_BREAK = re.compile(
    r"^(?:(?:[*][ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:~[ \t]*){3,}|#)$"
)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BLOCK_MARK = re.compile(r"^(?:>[ \t]?)+|^[ \t]*(?:[-+*]|\d+[.)])[ \t]+(?=\S)")
_DELIMITER = re.compile(r"\\[*_\\]|\*{1,3}|_{1,3}")

SCENE_BREAKS = ("***", "* * *", "---", "___", "~~~", "#")
"""Examples of the scene-break lines recognised (see the module's rules)."""


@dataclass(frozen=True)
class Span:
    """A run of text with one emphasis."""

    text: str
    italic: bool = False
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        """The paragraph's text without emphasis."""
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Heading:
    """A heading inside a chapter (its first one became the chapter's title)."""

    level: int
    text: str


@dataclass(frozen=True)
class SceneBreak:
    pass


Block = Paragraph | Heading | SceneBreak


@dataclass(frozen=True)
class Chapter:
    title: str
    blocks: tuple[Block, ...]
    source: str
    """The chapter's file, relative to ``manuscript/``."""
    part: str | None = None
    """The title of the part (sub-folder of ``manuscript/``) holding the chapter, if any."""

    @property
    def first_words(self) -> str:
        """The text of the first paragraph (what a reader meets first)."""
        for block in self.blocks:
            if isinstance(block, Paragraph):
                return block.text
        return ""


@dataclass(frozen=True)
class Book:
    title: str
    author: str
    chapters: tuple[Chapter, ...]
    words: int = 0
    surname: str = ""
    """For the manuscript header: the author's surname (last word of the name by default)."""
    language: str = "en"
    """The book's language code (an EPUB's ``dc:language``)."""


def readable_name(stem: str) -> str:
    """A file name as a heading: "chapter-07" → "Chapter 07"."""
    words = stem.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or stem
    return text[:1].upper() + text[1:]


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = _FRONT_MATTER.sub("", text)
    return _COMMENT.sub("", text)


def _blocks(text: str) -> list[list[str]]:
    """Paragraphs as lists of lines; a heading or scene-break line stands alone."""
    found: list[list[str]] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if current:
                found.append(current)
                current = []
            continue
        if _HEADING.match(line) or _SCENE_BREAK.match(line):
            if current:
                found.append(current)
                current = []
            found.append([line])
            continue
        current.append(line)
    if current:
        found.append(current)
    return found


def _inline(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    return _TAG.sub("", text)


def spans(text: str) -> tuple[Span, ...]:
    """``text`` cut into spans by its Markdown emphasis (see the module's rules)."""
    tokens: list[tuple[str, bool]] = []  # (text, is_delimiter)
    position = 0
    for match in _DELIMITER.finditer(text):
        start, end = match.span()
        mark = match.group()
        if start > position:
            tokens.append((text[position:start], False))
        if mark.startswith("\\"):
            tokens.append((mark[1:], False))
        elif mark[0] == "_" and _intraword(text, start, end):
            tokens.append((mark, False))
        else:
            tokens.append((mark, True))
        position = end
    if position < len(text):
        tokens.append((text[position:], False))
    pairs = _pair(tokens)
    out: list[Span] = []
    italic = bold = False
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            joined = "".join(buffer)
            if out and out[-1].italic == italic and out[-1].bold == bold:
                out[-1] = Span(out[-1].text + joined, italic, bold)
            else:
                out.append(Span(joined, italic, bold))
            buffer.clear()

    for index, (piece, is_mark) in enumerate(tokens):
        if not is_mark or index not in pairs:
            buffer.append(piece)
            continue
        flush()
        if len(piece) in (1, 3):
            italic = not italic
        if len(piece) in (2, 3):
            bold = not bold
    flush()
    return tuple(span for span in out if span.text)


def _intraword(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() and after.isalnum()


def _pair(tokens: list[tuple[str, bool]]) -> set[int]:
    """Indexes of delimiters that open or close a matched pair (same marker, opener first:
    not followed by a space; closer: not preceded by one)."""
    matched: set[int] = set()
    open_at: dict[str, int] = {}
    for index, (piece, is_mark) in enumerate(tokens):
        if not is_mark:
            continue
        before = tokens[index - 1][0][-1:] if index > 0 else ""
        after = tokens[index + 1][0][:1] if index + 1 < len(tokens) else ""
        can_close = piece in open_at and before not in ("", " ", "\t")
        can_open = after not in ("", " ", "\t")
        if can_close:
            matched.update((open_at.pop(piece), index))
        elif can_open:
            open_at[piece] = index
    return matched


def chapter(text: str, source: str, part: str | None = None, *, book_title: str = "") -> Chapter:
    """One chapter's text as a :class:`Chapter` (``source``: its path in ``manuscript/``).

    A first heading that only repeats ``book_title`` (a first chapter often opens with the
    book's name) is left out: the title page says it, and the next heading names the chapter.
    """
    stem = source.rpartition("/")[2].rpartition(".")[0] or source
    title: str | None = None
    blocks: list[Block] = []
    for lines in _blocks(_clean(text)):
        first = lines[0]
        heading = _HEADING.match(first) if len(lines) == 1 else None
        if heading is not None:
            words = _inline(heading.group(2)).strip()
            repeats = bool(book_title) and words.casefold() == book_title.casefold()
            if title is None and not blocks and repeats:
                book_title = ""
                continue
            if title is None and not blocks:
                title = words
            else:
                blocks.append(Heading(len(heading.group(1)), words))
            continue
        if len(lines) == 1 and _SCENE_BREAK.match(first):
            if blocks and not isinstance(blocks[-1], SceneBreak):
                blocks.append(SceneBreak())  # never two in a row, never one first
            continue
        joined = " ".join(_BLOCK_MARK.sub("", line) for line in lines)
        found = spans(_inline(joined))
        if found:
            blocks.append(Paragraph(found))
    while blocks and isinstance(blocks[-1], SceneBreak):
        blocks.pop()
    return Chapter(title or readable_name(stem), tuple(blocks), source, part)


def surname_of(author: str) -> str:
    """The last word of the author's name (the manuscript header's "Surname")."""
    words = author.split()
    return words[-1] if words else ""


def book(
    title: str,
    author: str,
    chapters: list[Chapter],
    *,
    words: int = 0,
    surname: str | None = None,
    language: str = "en",
) -> Book:
    """The :class:`Book` of ``chapters`` (in reading order)."""
    return Book(
        title=title.strip() or "Untitled",
        author=author.strip(),
        chapters=tuple(chapters),
        words=words,
        surname=(surname or surname_of(author)).strip(),
        language=language.strip() or "en",
    )
