"""A language's word list with the writer's own words on top, offline.

The word lists ship inside the spell-checking package (word frequencies of a dozen
languages); nothing is fetched. Loading one takes a fraction of a second and suggestions for a
long word may take longer: both are blocking and run in threads. Checking a word is a lookup
in a compact list of the words (``words.py``), cheap enough for every visible line at every
key; the package's own frequency table (six times the memory) is loaded only for the first
suggestions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from writers_factory.core.errors import WritersFactoryError
from writers_factory.core.spelling import Span, forms_of, word_spans
from writers_factory.tui.spelling.words import WordList, shipped_languages, shipped_words

if TYPE_CHECKING:
    from spellchecker import SpellChecker

LINES_KEPT = 4096
"""Lines whose misspellings are remembered (a few screenfuls of edits, many times over)."""
WORDS_KEPT = 65_536
"""Words whose verdict is remembered: a key changes its line, and the line's other words
(a paragraph is one line: a hundred of them) are answered without searching the list."""

SUGGESTIONS = 8


class NoDictionaryError(WritersFactoryError, LookupError):
    """No word list for the language the preferences ask for; the message names it."""


def languages() -> list[str]:
    """The languages a word list ships for (codes such as ``en``, ``de``)."""
    return shipped_languages()


class Speller:
    """Says which words of a line are misspelled, and what might have been meant.

    The writer's words (the project dictionary, words ignored for this session) count as
    known in any case. The misspellings of a line are remembered by its text, so a line
    drawn again (every visible line is redrawn after each key) costs one lookup; and each
    word's verdict is remembered, so the line a key changed searches the list only for the
    word typed.
    """

    def __init__(self, language: str, words: WordList, own_words: Iterable[str] = ()) -> None:
        self.language = language
        self._known = words
        self._own: set[str] = {word.lower() for word in own_words}
        self._ignored: set[str] = set()
        self._lines: dict[str, tuple[Span, ...]] = {}
        self._words: dict[str, bool] = {}
        self.lines_checked = 0
        """Lines tokenised and looked up (tests read it: drawing again costs nothing)."""
        self.words_looked_up = 0
        """Words searched for in the lists (tests read it: a word seen before costs none)."""

    def is_known(self, word: str) -> bool:
        verdict = self._words.get(word)
        if verdict is None:
            self.words_looked_up += 1
            known, own, ignored = self._known, self._own, self._ignored
            verdict = any(
                form in known or form in own or form in ignored for form in forms_of(word)
            )
            if len(self._words) >= WORDS_KEPT:
                self._words.clear()
            self._words[word] = verdict
        return verdict

    def misspelled(self, line: str) -> tuple[Span, ...]:
        """The columns of the misspelled words of ``line``."""
        found = self._lines.get(line)
        if found is None:
            self.lines_checked += 1
            found = tuple(
                (start, end)
                for start, end in word_spans(line)
                if not self.is_known(line[start:end])
            )
            if len(self._lines) >= LINES_KEPT:
                self._lines.clear()
            self._lines[line] = found
        return found

    def accept(self, word: str) -> None:
        """Count ``word`` as known from now on (added to the project dictionary, or ignored)."""
        self._ignored.add(word.lower())
        self._lines.clear()
        self._words.clear()

    def use_dictionary(self, words: Iterable[str]) -> None:
        """The project dictionary's words, read again (the writer edited the file)."""
        self._own = {word.lower() for word in words}
        self._lines.clear()
        self._words.clear()

    def suggestions(self, word: str, limit: int = SUGGESTIONS) -> list[str]:
        """Blocking (may take a while for a long word): likely corrections, most common
        first, in the case the writer typed ("Teh" gives "The")."""
        plain = forms_of(word)[0]
        checker = _checker(self.language)
        found = checker.candidates(plain) or set()
        found.discard(plain)
        ranked = sorted(found, key=lambda w: (-checker.word_usage_frequency(w), w))
        return [_same_case(word, suggestion) for suggestion in ranked[:limit]]


def _same_case(typed: str, suggestion: str) -> str:
    if len(typed) > 1 and typed.isupper():
        return suggestion.upper()
    if typed[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def load_speller(language: str, own_words: Iterable[str] = ()) -> Speller:
    """Blocking: the word list of ``language`` (about 0.2 s the first time), with the
    writer's words."""
    code = language.strip().lower()
    available = languages()
    if code not in available:
        raise NoDictionaryError(
            f"preferences.json › editor.spelling_language: no dictionary for {language!r} "
            f"(available: {', '.join(available)}); spell check is off"
        )
    return Speller(code, _word_list(code), own_words)


_LOADING = threading.Lock()


@lru_cache(maxsize=2)
def _word_list_cached(code: str) -> WordList:
    return shipped_words(code)


def _word_list(code: str) -> WordList:
    """One word list a language per process: only read after loading, so the apps of a
    process (and their threads) share it; the lock keeps two threads from loading it twice."""
    with _LOADING:
        return _word_list_cached(code)


@lru_cache(maxsize=1)
def _checker_cached(code: str) -> SpellChecker:
    from spellchecker import SpellChecker

    return SpellChecker(language=code)


def _checker(code: str) -> SpellChecker:
    """The package's frequency table, for suggestions only (blocking, first time ~0.3 s)."""
    with _LOADING:
        return _checker_cached(code)
