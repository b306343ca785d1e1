"""A language's known words, held small: the word list's own text and where each word is.

The spell-checking package keeps a word → frequency table (about 26 MB for English, and
three copies of it while it loads: the parsed file, a lower-cased copy, the table), which
made spell check the largest part of the app's memory at start. Telling whether a word is
known needs none of the frequencies: here the list's text is kept as one string, with the
start and end of every word in two arrays of integers (about 4 MB for English), and a word
is looked up by binary search. The package's table is built only when the writer asks for
suggestions (``speller.py``).
"""

from __future__ import annotations

import gzip
import json
import pkgutil
import re
from array import array

_ENTRY = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*:', re.MULTILINE)
"""One ``"word": frequency`` line of the package's word lists (one entry a line)."""


class WordList:
    """Sorted words in one text: ``word in words`` is a binary search, no set of strings."""

    def __init__(self, text: str, starts: array[int], ends: array[int], extra: set[str]) -> None:
        self._text = text
        self._starts = starts
        self._ends = ends
        self._extra = extra
        """Words the text holds escaped (JSON escapes): few, kept decoded."""

    def __len__(self) -> int:
        return len(self._starts) + len(self._extra)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self._extra:
            return True
        text, starts, ends = self._text, self._starts, self._ends
        low, high = 0, len(starts)
        while low < high:
            middle = (low + high) // 2
            found = text[starts[middle] : ends[middle]]
            if found == word:
                return True
            if found < word:
                low = middle + 1
            else:
                high = middle
        return False

    @classmethod
    def from_json(cls, text: str) -> WordList:
        """The words of a ``{"word": frequency, …}`` list, one entry a line, lower-cased.

        The entries are used in place when the file lists them in order (the shipped lists
        do); otherwise they are sorted into a text of their own.
        """
        text = text.lower()
        starts, ends = array("I"), array("I")
        extra: set[str] = set()
        previous = ""
        in_order = True
        for match in _ENTRY.finditer(text):
            start, end = match.span(1)
            if "\\" in text[start:end]:
                extra.add(json.loads(f'"{match.group(1)}"'))
                continue
            word = text[start:end]
            if word < previous:
                in_order = False
                break
            previous = word
            starts.append(start)
            ends.append(end)
        if in_order:
            return cls(text, starts, ends, extra)
        words = sorted({str(key).lower() for key in json.loads(text)})
        return cls.from_sorted(words)

    @classmethod
    def from_sorted(cls, words: list[str]) -> WordList:
        """Words already sorted (and unique), joined into a text of their own."""
        starts, ends = array("I"), array("I")
        at = 0
        for word in words:
            starts.append(at)
            ends.append(at + len(word))
            at += len(word) + 1
        return cls("\n".join(words), starts, ends, set())


def shipped_words(code: str) -> WordList:
    """Blocking: the word list the spell-checking package ships for ``code`` (``en``…).

    Raises ``LookupError`` when there is none."""
    data = pkgutil.get_data("spellchecker", f"resources/{code}.json.gz")
    if not data:
        raise LookupError(f"no word list for {code!r}")
    return WordList.from_json(gzip.decompress(data).decode("utf-8"))
