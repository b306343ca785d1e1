"""The speller on its own: misspelled columns, lines remembered, the writer's words, suggestions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import spellchecker
from textual.app import App, ComposeResult

from writers_factory.store.manuscript.buffers import FileBuffer
from writers_factory.store.manuscript.documents import Documents
from writers_factory.tui.spelling.speller import NoDictionaryError, Speller, load_speller
from writers_factory.tui.widgets.editor import BufferArea


@pytest.fixture(scope="module")
def speller() -> Speller:
    return load_speller("en", ["Orlaith"])


def test_misspelled_columns_and_lines_remembered(speller: Speller) -> None:
    line = "Orlaith saw a wierd light on the [mapp](https://exmaple.org)."
    spans = speller.misspelled(line)
    assert [line[start:end] for start, end in spans] == ["wierd", "mapp"]
    checked = speller.lines_checked
    assert speller.misspelled(line) == spans
    assert speller.lines_checked == checked  # drawn again: nothing checked again
    assert speller.misspelled("Orlaith’s lamp and Darcy's") == ()


def test_a_key_in_a_long_line_searches_the_list_for_the_word_typed_only() -> None:
    """A paragraph is one line: each key changes it, and every word of it was searched for
    in the list again (a binary search a word, a hundred words a paragraph, at every key)."""
    speller = load_speller("en")
    line = "The old prince walked slowly along the avenue of lime trees, " * 8
    assert speller.misspelled(line) == ()
    for typed in ("qz", "qzx", "qzxv"):
        searched = speller.words_looked_up
        spans = speller.misspelled(line + typed)
        assert [(line + typed)[start:end] for start, end in spans] == [typed]
        assert speller.words_looked_up - searched == 1  # the word typed, the rest known
    speller.accept("qzxv")  # the writer's words change the verdicts: none is kept
    assert speller.misspelled(line + "qzxv") == ()


def test_accepted_words_and_suggestions_in_the_case_typed(speller: Speller) -> None:
    assert speller.misspelled("Ebbrin waited") == ((0, 6),)
    speller.accept("ebbrin")
    assert speller.misspelled("Ebbrin waited") == ()
    assert "Weird" in speller.suggestions("Wierd")
    assert "receive" in speller.suggestions("recieve")


def printed_by(probe: str) -> list[str]:
    """The lines ``probe`` prints in a process of its own (this one may have imported, or
    built, what it counts)."""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return done.stdout.split("\n")


def test_checking_loads_no_frequency_table_only_suggesting_does() -> None:
    """The package's word → frequency table (six times the memory of the compact list) is
    built for the first suggestions, not to check words. In a process of its own: the test
    process may have built it already."""
    probe = (
        "import sys\n"
        "from spellchecker import SpellChecker\n"
        "built = []\n"
        "original = SpellChecker.__init__\n"
        "def counting(self, *a, **k):\n"
        "    built.append(k.get('language'))\n"
        "    original(self, *a, **k)\n"
        "SpellChecker.__init__ = counting\n"
        "from writers_factory.tui.spelling.speller import load_speller\n"
        "speller = load_speller('en')\n"
        "spans = speller.misspelled('The keeper saw a wierd light')\n"
        "print(len(built), spans)\n"
        "speller.suggestions('wierd')\n"
        "print(len(built))\n"
    )
    out = printed_by(probe)
    assert out[:2] == ["0 ((17, 22),)", "1"]


def test_checking_imports_neither_the_package_nor_archive_support() -> None:
    """The word lists are files of the package, found without importing it: importing it
    (its checker, and through the resource readers the archive support) is for
    suggestions. In a process of its own."""
    probe = (
        "import sys\n"
        "from writers_factory.tui.spelling.speller import load_speller\n"
        "speller = load_speller('en')\n"
        "print(speller.misspelled('a wierd light'),\n"
        "      [m for m in ('spellchecker', 'zipfile') if m in sys.modules])\n"
        "speller.suggestions('wierd')\n"
        "print('spellchecker' in sys.modules)\n"
    )
    out = printed_by(probe)
    assert out[:2] == ["((2, 7),) []", "True"]


def test_the_languages_are_the_word_lists_the_package_ships() -> None:
    from spellchecker import SpellChecker

    from writers_factory.tui.spelling.speller import languages

    assert languages() == sorted(SpellChecker.languages())
    with pytest.raises(NoDictionaryError, match="no dictionary for 'xx'"):
        load_speller("xx")


def test_the_compact_list_knows_every_word_of_the_table() -> None:
    from spellchecker import SpellChecker

    from writers_factory.tui.spelling.words import WordList, shipped_words

    words = shipped_words("es")
    table = SpellChecker(language="es").word_frequency.dictionary
    assert len(words) == len(table)
    assert all(word in words for word in table)
    assert "qwxzy" not in words and "" not in words
    # a list with escapes and capitals, or out of order, is read as well
    mixed = WordList.from_json(
        b'{\n"Alpha": 2,\n"caf\\u00e9": 3,\n"\xc3\x89cole": 1,\n"zeta": 1\n}'
    )
    shuffled = WordList.from_json('{\n"zeta": 1,\n"Alpha": 2,\n"café": 3\n}'.encode())
    for found in (mixed, shuffled):
        wanted = ("zeta", "alpha", "café", "beta", "Alpha")
        assert [w in found for w in wanted] == [True, True, True, False, False]
    assert "école" in mixed and len(mixed) == 4 and len(shuffled) == 3


def test_every_word_and_no_other_is_found_by_the_search_over_bytes() -> None:
    """The search finds lines in a byte string: first and last words, words that begin
    others, accented ones; nothing between them, nothing across a line's end."""
    from writers_factory.tui.spelling.words import WordList

    words = sorted({"a", "ab", "abc", "b", "café", "cafés", "zoo", "zoology", "été"})
    found = WordList.from_sorted(words)
    assert len(found) == len(words) and all(word in found for word in words)
    others = ["", "aa", "abd", "c", "caf", "cafe", "zo", "zooz", "étés", "ab\nabc", "\ud800"]
    assert not any(other in found for other in others)
    assert "a" in WordList.from_sorted(["a"]) and "a" not in WordList.from_sorted([])
    # out of order, so sorted afresh; the word with a line break in it is kept aside
    broken = WordList.from_json(b'{\n"b": 1,\n"a": 2,\n"a\\nb": 3\n}')
    assert ["a\nb" in broken, "b" in broken, "a" in broken, "ab" in broken] == [True] * 3 + [False]
    assert len(broken) == 3


def test_loading_a_list_never_holds_its_whole_text() -> None:
    """Bytes the interpreter allocates (counted by it, not the machine's memory): loading
    peaks at about 0.75 times the shipped list's text, read in pieces, the words alone
    kept; the text lower-cased as one ``str`` peaked at fourteen times it (39 MB for
    English)."""
    import gzip
    import tracemalloc

    from writers_factory.tui.spelling.words import WordList, gunzip_lines

    packed = Path(spellchecker.__file__).with_name("resources").joinpath("en.json.gz")
    data = packed.read_bytes()
    size = len(gzip.decompress(data))
    tracemalloc.start()
    try:
        words = WordList.from_pieces(gunzip_lines(data), lambda: gzip.decompress(data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "keeper" in words and len(words) == 160_572
    assert peak < size


def test_the_list_is_kept_compressed_and_read_from_the_package_in_pieces() -> None:
    """The English list's words (1.6 MB as plain text) are kept in compressed blocks, and
    loading it from the package never holds the compressed file nor the words' plain text
    whole: the plain text grown a piece at a time (and the file read at once) peaked near
    3 MB, most of spell check's memory at start. Bytes the interpreter counts."""
    import gzip
    import tracemalloc

    from writers_factory.tui.spelling.words import shipped_words

    packed = Path(spellchecker.__file__).with_name("resources").joinpath("en.json.gz")
    size = len(gzip.decompress(packed.read_bytes()))
    shipped_words("es")  # what loading imports, imported before counting
    tracemalloc.start()
    try:
        words = shipped_words("en")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "keeper" in words and len(words) == 160_572
    assert words.nbytes < 600_000
    assert peak < size // 2


def test_every_word_is_found_across_the_blocks() -> None:
    """Thousands of words, many blocks: each word is found in its block (the first and the
    last of each included), and no word between two of them."""
    from writers_factory.tui.spelling.words import BLOCK, WordList

    words = sorted({f"{a}{b}{c}" for a in "bdfhk" for b in "aeiouy" for c in range(200)})
    found = WordList.from_sorted(words)
    plain = sum(len(word) + 1 for word in words)
    assert plain > 10 * BLOCK and found.nbytes < plain  # many blocks, each compressed
    assert all(word in found for word in words)
    between = [w + "a" for w in words] + [w[:-1] + "/" for w in words] + ["a", "zz", "ba"]
    assert not any(word in found for word in between if word not in words)


def test_pieces_end_at_line_ends_across_gzip_members() -> None:
    import gzip

    from writers_factory.tui.spelling.words import gunzip_lines

    data = gzip.compress(b"ab\ncd") + gzip.compress(b"ef\ngh\nij")
    assert list(gunzip_lines(data, size=2)) == [b"ab\n", b"cdef\n", b"gh\n", b"ij"]
    with pytest.raises(EOFError):
        list(gunzip_lines(data[:-12]))


def test_a_language_without_a_dictionary_is_named() -> None:
    wanted = r"editor\.spelling_language: no dictionary for 'xx'"
    with pytest.raises(NoDictionaryError, match=wanted):
        load_speller("xx")


async def test_only_the_lines_drawn_are_checked_in_a_long_text(
    speller: Speller, tmp_path: Path
) -> None:
    lines = [f"The keeper counted {n} shps and waited." for n in range(20_000)]
    text = "\n".join(lines)
    doc = Documents().open(Path("novel.md"), FileBuffer(tmp_path / "novel.md", "0" * 64, 0.0), text)

    class Editor(App[None]):
        def compose(self) -> ComposeResult:
            yield BufferArea(doc, text, id="novel")

    app = Editor()
    async with app.run_test(size=(100, 30)) as pilot:
        area = app.query_one(BufferArea)
        area.focus()
        area.move_cursor((10_000, 0), center=True)
        area.set_speller(speller)
        await pilot.pause()
        before = speller.lines_checked
        await pilot.press(*"Tavish ")
        await pilot.pause()
        row = area.cursor_location[0]
        assert area.document[row].startswith("Tavish The keeper")
        spans = speller.misspelled(area.document[row])
        assert [area.document[row][s:e] for s, e in spans] == ["Tavish", "shps"]
        # every key checks the line it changed; the screen's other lines are remembered
        assert 0 < speller.lines_checked - before <= len("Tavish ") + 1
        assert speller.lines_checked < 200  # never a pass over the 20,000 lines
