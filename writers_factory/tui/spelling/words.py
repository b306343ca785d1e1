"""A language's known words, held small: the words alone in one byte string, and where each
word starts.

The spell-checking package keeps a word → frequency table (about 26 MB for English, and
three copies of it while it loads: the parsed file, a lower-cased copy, the table), which
made spell check the largest part of the app's memory at start. Telling whether a word is
known needs none of the frequencies: here the words are kept as UTF-8, one a line, with the
start of every word in an array of integers (under 2.5 MB for English), and a word is looked
up by binary search (UTF-8 sorts as the code points do). The package's table is built only
when the writer asks for suggestions (``speller.py``).

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
from array import array
from collections.abc import Callable, Iterable, Iterator

_ENTRY = re.compile(rb'^"((?:[^"\\]|\\.)*)"\s*:', re.MULTILINE)
"""One ``"word": frequency`` line of the package's word lists (one entry a line)."""

_LOOK_CLOSER = re.compile(rb"[A-Z\\\x80-\xff]")
"""An entry that may not be lower-case as it stands: upper-case ASCII, an escape, or UTF-8
beyond ASCII."""


class WordList:
    """Sorted words in one byte string: ``word in words`` is a binary search, no set of
    strings."""

    def __init__(self, text: bytearray, starts: array[int], extra: set[str]) -> None:
        self._text = text
        """The words in order, each followed by a newline, UTF-8 (as built: a copy into
        ``bytes`` would be one more list's worth at the peak)."""
        self._starts = starts
        """Where each word starts, and one more: the end of the text (a word ends one byte
        before the next starts)."""
        self._extra = extra
        """Words the list holds escaped or not in lower case: few, kept decoded."""

    def __len__(self) -> int:
        return len(self._starts) - 1 + len(self._extra)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self._extra:
            return True
        try:
            key = word.encode("utf-8")
        except UnicodeEncodeError:
            return False  # a lone surrogate: no word of a list
        text, starts = self._text, self._starts
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high) // 2
            found = text[starts[middle] : starts[middle + 1] - 1]
            if found == key:
                return True
            if found < key:
                low = middle + 1
            else:
                high = middle
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
        starts = array("I")
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
                starts.append(len(text))
                text += word
                text += b"\n"
        starts.append(len(text))
        return cls(text, starts, extra)

    @classmethod
    def from_sorted(cls, words: list[str]) -> WordList:
        """Words already sorted (and unique), joined into a text of their own."""
        text = bytearray()
        starts = array("I")
        for word in words:
            starts.append(len(text))
            text += word.encode("utf-8")
            text += b"\n"
        starts.append(len(text))
        return cls(text, starts, set())


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
