"""A language's known words, held small: the words alone, one a line, in one byte string.

The spell-checking package keeps a word → frequency table (about 26 MB for English, and
three copies of it while it loads: the parsed file, a lower-cased copy, the table), which
made spell check the largest part of the app's memory at start. Telling whether a word is
known needs none of the frequencies: here the words are kept sorted as UTF-8, one a line
(1.7 MB for English), and a word is looked up by binary search over the bytes (UTF-8 sorts
as the code points do), with no index of where the words start (an array of them was
0.7 MB more). The package's table is built only when the writer asks for suggestions
(``speller.py``).

Loading never makes a ``str`` of the whole list: lower-casing one (``str.lower``) with a
single accented letter in it allocates four bytes a character three times over (33 MB
for English, for a list that is lower-case already), and a list with one character beyond
Latin-1 (French ’, Dutch ₂) takes two or four bytes a character as a ``str``. Only the few
entries that are not plain lower-case ASCII are decoded, one at a time; and the list is
decompressed and read in pieces, so its whole text is never in memory either.
"""

from __future__ import annotations

import gzip
import json
import pkgutil
import re
import zlib
from collections.abc import Callable, Iterable, Iterator

_ENTRY = re.compile(rb'^"((?:[^"\\]|\\.)*)"\s*:', re.MULTILINE)
"""One ``"word": frequency`` line of the package's word lists (one entry a line)."""

_LOOK_CLOSER = re.compile(rb"[A-Z\\\x80-\xff]")
"""An entry that may not be lower-case as it stands: upper-case ASCII, an escape, or UTF-8
beyond ASCII."""


class WordList:
    """Sorted words in one byte string: ``word in words`` is a binary search, no set of
    strings."""

    def __init__(self, text: bytearray, count: int, extra: set[str]) -> None:
        self._text = text
        """The words in order, each followed by a newline, UTF-8 (as built: a copy into
        ``bytes`` would be one more list's worth at the peak)."""
        self._count = count
        self._extra = extra
        """Words the list holds escaped or not in lower case: few, kept decoded."""

    def __len__(self) -> int:
        return self._count + len(self._extra)

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
        # A binary search over the bytes: the line around the middle byte is compared, and
        # the search goes on before or after it; ``low`` and ``high`` are always line starts.
        text = self._text
        find, rfind = text.find, text.rfind
        low, high = 0, len(text)
        while low < high:
            start = rfind(b"\n", low, (low + high) >> 1) + 1 or low
            end = find(b"\n", start)
            found = text[start:end]
            if found == key:
                return True
            if found < key:
                low = end + 1
            else:
                high = start
        return False

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
        return cls(text, count, extra)

    @classmethod
    def from_sorted(cls, words: list[str]) -> WordList:
        """Words already sorted (and unique), joined into a text of their own (a word with
        a line break in it, which would break the text's lines, kept aside)."""
        text = bytearray()
        apart = {word for word in words if "\n" in word}
        for word in words:
            if word not in apart:
                text += word.encode("utf-8", "surrogatepass")
                text += b"\n"
        return cls(text, len(words) - len(apart), apart)


def shipped_words(code: str) -> WordList:
    """Blocking: the word list the spell-checking package ships for ``code`` (``en``…).

    Raises ``LookupError`` when there is none."""
    data = pkgutil.get_data("spellchecker", f"resources/{code}.json.gz")
    if not data:
        raise LookupError(f"no word list for {code!r}")
    return WordList.from_pieces(gunzip_lines(data), lambda: gzip.decompress(data))


PIECE = 1 << 16
"""Bytes of decompressed text at a time."""


def gunzip_lines(data: bytes, size: int = PIECE) -> Iterator[bytes]:
    """The text of a gzip file in pieces of about ``size`` bytes, each ending at a line's
    end (the last one wherever the text ends): the whole text is never in memory."""
    carry = b""
    while data:
        inflate = zlib.decompressobj(wbits=31)  # one gzip member
        while not inflate.eof:
            piece = inflate.decompress(data, size)
            data = inflate.unconsumed_tail
            if not piece and not data:
                raise EOFError("the compressed word list ends early")
            cut = piece.rfind(b"\n") + 1
            if cut == 0:
                carry += piece
                continue
            yield carry + piece[:cut]
            carry = piece[cut:]
        data = inflate.unused_data
    if carry:
        yield carry
