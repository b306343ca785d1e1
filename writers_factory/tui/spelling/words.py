"""A language's known words, held small: the words alone, sorted, in compressed blocks.

The spell-checking package keeps a word → frequency table (about 26 MB for English, and
three copies of it while it loads: the parsed file, a lower-cased copy, the table), which
made spell check the largest part of the app's memory at start. Telling whether a word is
known needs none of the frequencies: here the words are kept sorted as UTF-8, one a line,
in blocks of about 2 KB each compressed on its own (0.44 MB for English, where the plain
text was 1.6 MB and, grown a piece at a time, peaked near 3 MB while it loaded: the largest
part of spell check's memory at start). A word is looked up by a binary search over the
blocks' first words, then in its one block, decompressed (a few microseconds; the last few
blocks read are kept, for the words of a line that sit close together). The package's table
is built only when the writer asks for suggestions (``speller.py``).

Loading never makes a ``str`` of the whole list: lower-casing one (``str.lower``) with a
single accented letter in it allocates four bytes a character three times over (33 MB
for English, for a list that is lower-case already), and a list with one character beyond
Latin-1 (French ’, Dutch ₂) takes two or four bytes a character as a ``str``. Only the few
entries that are not plain lower-case ASCII are decoded, one at a time; and the package's
file is read and decompressed in pieces, so neither it nor its text is ever whole in memory.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import IO

_ENTRY = re.compile(rb'^"((?:[^"\\]|\\.)*)"\s*:', re.MULTILINE)
"""One ``"word": frequency`` line of the package's word lists (one entry a line)."""

_LOOK_CLOSER = re.compile(rb"[A-Z\\\x80-\xff]")
"""An entry that may not be lower-case as it stands: upper-case ASCII, an escape, or UTF-8
beyond ASCII."""

BLOCK = 2048
"""Bytes of words (about 200) compressed together: a lookup decompresses one block."""
BLOCKS_KEPT = 8
"""Decompressed blocks kept for the next lookups."""


class WordList:
    """Sorted words in compressed blocks: ``word in words`` finds the block by a binary
    search over the blocks' first words, then the word in it; no set of strings."""

    def __init__(
        self, blocks: list[bytes], firsts: list[bytes], count: int, extra: set[str]
    ) -> None:
        self._blocks = blocks
        """Each a zlib-compressed run of whole lines: a newline, then each word followed
        by a newline (so ``b"\\n" + word + b"\\n"`` is found only as a whole word)."""
        self._firsts = firsts
        """The first word of each block, in order."""
        self._count = count
        self._extra = extra
        """Words the list holds escaped or not in lower case: few, kept decoded."""
        self._open: dict[int, bytes] = {}
        """Blocks decompressed lately, by number."""

    def __len__(self) -> int:
        return self._count + len(self._extra)

    @property
    def nbytes(self) -> int:
        """The compressed blocks' bytes: what the list keeps of its words."""
        return sum(len(block) for block in self._blocks)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self._extra:
            return True
        try:
            key = word.encode("utf-8")
        except UnicodeEncodeError:
            return False  # a lone surrogate: no word of a list
        if b"\n" in key:
            return False
        number = bisect_right(self._firsts, key) - 1
        if number < 0:
            return False
        return b"\n" + key + b"\n" in self._block(number)

    def _block(self, number: int) -> bytes:
        opened = self._open
        text = opened.get(number)
        if text is None:
            if len(opened) >= BLOCKS_KEPT:
                opened.clear()
            text = opened[number] = zlib.decompress(self._blocks[number])
        return text

    @classmethod
    def from_json(cls, data: bytes) -> WordList:
        """The words of a ``{"word": frequency, …}`` list (UTF-8), one entry a line,
        lower-cased."""
        return cls.from_pieces([data], lambda: data)

    @classmethod
    def from_pieces(cls, pieces: Iterable[bytes], whole: Callable[[], bytes]) -> WordList:
        """The words of a list given in pieces that each end at a line's end (the whole text
        is never held); ``whole`` gives the text at once, for a list out of order.

        The entries are copied as they are when the list has them in order (the shipped
        lists do); otherwise the list is read as JSON and sorted.
        """
        blocks: list[bytes] = []
        firsts: list[bytes] = []
        text = bytearray()
        count = 0
        extra: set[str] = set()
        previous = b""
        for piece in pieces:
            for match in _ENTRY.finditer(piece):
                word = match.group(1)
                if _LOOK_CLOSER.search(word) is not None:
                    escaped = b"\\" in word
                    decoded = json.loads(b'"' + word + b'"') if escaped else word.decode("utf-8")
                    if escaped or decoded.lower() != decoded:
                        extra.add(decoded.lower())
                        continue
                if word < previous:
                    keys = json.loads(whole())
                    return cls.from_sorted(sorted({str(key).lower() for key in keys}))
                previous = word
                count += 1
                text += word
                text += b"\n"
            _pack(text, blocks, firsts)
        _pack(text, blocks, firsts, final=True)
        return cls(blocks, firsts, count, extra)

    @classmethod
    def from_sorted(cls, words: list[str]) -> WordList:
        """Words already sorted (and unique), kept in blocks of their own (a word with a
        line break in it, which would break the text's lines, kept aside)."""
        blocks: list[bytes] = []
        firsts: list[bytes] = []
        text = bytearray()
        apart = {word for word in words if "\n" in word}
        for word in words:
            if word not in apart:
                text += word.encode("utf-8", "surrogatepass")
                text += b"\n"
                if len(text) >= 2 * BLOCK:
                    _pack(text, blocks, firsts)
        _pack(text, blocks, firsts, final=True)
        return cls(blocks, firsts, len(words) - len(apart), apart)


def _pack(text: bytearray, blocks: list[bytes], firsts: list[bytes], final: bool = False) -> None:
    """Compress the whole lines of ``text`` into blocks of about ``BLOCK`` bytes, removed
    from it; the last, shorter block only when ``final``."""
    while text and (final or len(text) >= BLOCK):
        end = text.find(b"\n", BLOCK - 1) + 1 or len(text)
        firsts.append(bytes(text[: text.index(b"\n")]))
        blocks.append(zlib.compress(b"\n" + text[:end]))
        del text[:end]


SHIPPED_IN = "spellchecker"
"""The package whose word lists (``resources/<code>.json.gz``) are used."""


def shipped_folder() -> Path | None:
    """The folder of the word lists, found without importing their package: importing it
    (its checker, and the resource readers, archive support included, that looking a file
    up through it brings) is for suggestions, asked for later if at all; spell check at
    start-up needs only the files."""
    spec = find_spec(SHIPPED_IN)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


def shipped_languages() -> list[str]:
    """The codes (``en``, ``de``…) of the word lists shipped, sorted."""
    folder = shipped_folder()
    if folder is None or not folder.is_dir():
        return []
    return sorted(p.name.removesuffix(".json.gz") for p in folder.glob("*.json.gz"))


def shipped_words(code: str) -> WordList:
    """Blocking: the word list the spell-checking package ships for ``code`` (``en``…).

    Raises ``LookupError`` when there is none."""
    folder = shipped_folder()
    packed = None if folder is None else folder / f"{code}.json.gz"
    if packed is None or not packed.is_file():
        raise LookupError(f"no word list for {code!r}")
    with packed.open("rb") as stream:
        return WordList.from_pieces(
            gunzip_lines(stream), lambda: gzip.decompress(packed.read_bytes())
        )


PIECE = 1 << 16
"""Bytes of decompressed text at a time."""
READ = 1 << 16
"""Bytes of the compressed file read at a time."""


def gunzip_lines(source: bytes | IO[bytes], size: int = PIECE) -> Iterator[bytes]:
    """The text of a gzip file in pieces of about ``size`` bytes, each ending at a line's
    end (the last one wherever the text ends): the whole text is never in memory, nor
    (read from a file) the whole compressed file."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    carry = b""
    inflate = zlib.decompressobj(wbits=31)  # one gzip member
    begun = False
    """Some of the current member was given to ``inflate``."""
    pending = b""
    while True:
        if not pending:
            pending = stream.read(READ)
            if not pending:
                if begun and not inflate.eof:
                    raise EOFError("the compressed word list ends early")
                break
        begun = True
        piece = inflate.decompress(pending, size)
        pending = inflate.unconsumed_tail
        if inflate.eof:  # the next member, if any, starts in what is left
            pending = inflate.unused_data
            inflate, begun = zlib.decompressobj(wbits=31), False
        cut = piece.rfind(b"\n") + 1
        if cut == 0:
            carry += piece
            continue
        yield carry + piece[:cut]
        carry = piece[cut:]
    if carry:
        yield carry
