"""The scaled documents stay equal to Textual's own after any edits: text, lines, byte
offsets, syntax tree, highlights and wrapping (the speed must never cost correctness)."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st
from textual._tree_sitter import get_language
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import TextArea
from textual.widgets.text_area import Highlight
from tree_sitter import Language, Query

from writers_factory.tui.widgets.document.highlights import VisibleHighlights
from writers_factory.tui.widgets.document.lines import LineDocument, Work
from writers_factory.tui.widgets.document.syntax import SyntaxDocument, parse_in_thread
from writers_factory.tui.widgets.document.wrapping import FastWrappedDocument

PIECES = [
    "a",
    "é",
    "word ",
    "\n",
    "\n\n",
    "# ",
    "## Title\n",
    "```\n",
    "> ",
    "- ",
    "\t",
    "\r\n",
    "*",
    "日本",
]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
# an edit: where (as fractions of the lines / columns) and what it puts in
edits = st.lists(
    st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), texts),
    min_size=1,
    max_size=12,
)


Edits = list[tuple[float, float, float, float, str]]


def markdown() -> Language:
    language = get_language("markdown")
    assert language is not None
    return language


def query(language: Language) -> Query:
    return Query(language, TextArea._get_builtin_highlight_query("markdown"))


def location(document: Document, row_at: float, column_at: float) -> tuple[int, int]:
    row = min(int(row_at * document.line_count), document.line_count - 1)
    return row, min(int(column_at * (len(document[row]) + 1)), len(document[row]))


def full_highlights(document: SyntaxDocument, highlight_query: Query) -> dict[int, list[Highlight]]:
    """The map Textual builds from a query of the whole tree."""
    rows: dict[int, list[Highlight]] = defaultdict(list)
    for name, nodes in document.query_syntax_tree(highlight_query).items():
        for node in nodes:
            (first, first_column), (last, last_column) = node.start_point, node.end_point
            for row in range(first, last + 1):
                rows[row].append(
                    (
                        first_column if row == first else 0,
                        last_column if row == last else None,
                        name,
                    )
                )
    return rows


def drawn(highlights: list[Highlight]) -> list[Highlight]:
    """The highlights that style something (an empty one, a node emptied by an edit that
    the parse then drops, draws nothing)."""
    return sorted((h for h in highlights if h[0] != h[1]), key=repr)


def apply(edits_: Edits, *documents: Document) -> None:
    for row_a, col_a, row_b, col_b, text in edits_:
        start = location(documents[0], row_a, col_a)
        end = location(documents[0], row_b, col_b)
        for document in documents:
            document.replace_range(start, end, text)


@settings(max_examples=150, deadline=None)
@given(texts, edits)
def test_line_document_matches_textual_document(text: str, edits_: Edits) -> None:
    ours, theirs = LineDocument(text), Document(text)
    ours.byte_offset((ours.line_count - 1, 0))  # line starts known everywhere, then edited
    apply(edits_, ours, theirs)
    assert ours.lines == theirs.lines
    assert ours.text == theirs.text
    assert len(ours) == len(theirs.text)
    for row in range(theirs.line_count):
        for column in (0, len(theirs[row]) // 2, len(theirs[row])):
            index = theirs.get_index_from_location((row, column))
            assert ours.byte_offset((row, column)) == len(theirs.text[:index].encode())


@settings(max_examples=100, deadline=None)
@given(texts, edits)
def test_syntax_tree_and_highlights_match_a_fresh_parse(text: str, edits_: Edits) -> None:
    language = markdown()
    document = SyntaxDocument(text, language)
    apply(edits_, document)
    highlight_query = query(language)
    # what is drawn between the edits and their parse: the edited tree, its nodes moved
    unparsed = VisibleHighlights(document, highlight_query, Work())
    before = {row: drawn(unparsed[row]) for row in range(document.line_count)}
    changed = document.settle()
    assert not document.unsettled
    fresh = SyntaxDocument(document.text, language)
    assert str(document._syntax_tree.root_node) == str(fresh._syntax_tree.root_node)
    expected = full_highlights(fresh, highlight_query)
    lazy = VisibleHighlights(document, highlight_query, Work())
    for row in range(document.line_count):
        assert sorted(lazy[row], key=repr) == sorted(expected[row], key=repr), row
        if not changed:  # the parse found nothing new: what was drawn was right
            assert before[row] == drawn(expected[row]), row


@settings(max_examples=60, deadline=None)
@given(texts, edits, edits)
def test_a_tree_parsed_in_a_thread_catches_up_with_later_edits(
    text: str, before: Edits, after: Edits
) -> None:
    language = markdown()
    document = SyntaxDocument(text, language, parse=False)
    apply(before, document)
    assert document.query_syntax_tree(query(language)) == {}
    snapshot = document.text_to_parse()
    apply(after, document)  # typed while the thread parses
    document.adopt_tree(parse_in_thread(language, snapshot))
    fresh = SyntaxDocument(document.text, language)
    assert str(document._syntax_tree.root_node) == str(fresh._syntax_tree.root_node)


wrap_pieces = ["word ", "longerword ", "\t", "é", "日本語 ", "\n", "x" * 30, "’", "—", "e\u0301"]
wrap_texts = st.lists(st.sampled_from(wrap_pieces), max_size=60).map("".join)


def wrap_state(wrapped: WrappedDocument) -> tuple[object, ...]:
    return (
        wrapped._wrap_offsets,
        wrapped._tab_width_cache,
        list(wrapped._offset_to_line_info),
        list(wrapped._line_index_to_offsets),
        wrapped.height,
    )


@settings(max_examples=150, deadline=None)
@given(
    wrap_texts,
    st.integers(0, 40),
    st.lists(
        st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), wrap_texts),
        max_size=6,
    ),
)
def test_wrapping_matches_textual_wrapping(text: str, width: int, edits_: Edits) -> None:
    ours_doc, theirs_doc = LineDocument(text), Document(text)
    ours = FastWrappedDocument(ours_doc, width, 4, work=Work())
    theirs = WrappedDocument(theirs_doc, width, 4)
    assert wrap_state(ours) == wrap_state(theirs)
    for row_a, col_a, row_b, col_b, insert in edits_:
        start, end = sorted(
            (location(theirs_doc, row_a, col_a), location(theirs_doc, row_b, col_b))
        )
        result = ours_doc.replace_range(start, end, insert)
        theirs_doc.replace_range(start, end, insert)
        ours.wrap_range(start, end, result.end_location)
        theirs.wrap_range(start, end, result.end_location)
        assert wrap_state(ours) == wrap_state(theirs)
    ours.wrap(width + 1)  # a full wrap after edits (a resize) sees the edited text
    theirs.wrap(width + 1)
    assert wrap_state(ours) == wrap_state(theirs)


def test_characters_taken_as_one_cell_wide_are() -> None:
    """Wrapping skips measuring lines made of these: each must be exactly one cell."""
    from rich.cells import cell_len

    from writers_factory.tui.widgets.document.wrapping import _ONE_CELL

    for code in range(0x30000):
        character = chr(code)
        if _ONE_CELL.fullmatch(character):
            assert cell_len(character) == 1, hex(code)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 100), max_size=30),
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.floats(0, 1),
            st.lists(st.integers(0, 100), max_size=4),
            st.integers(-3, 3),
        ),
        max_size=10,
    ),
)
def test_shifted_rows_read_as_a_list_shifted_at_once(
    items: list[int], edits_: list[tuple[float, float, list[int], int]]
) -> None:
    from writers_factory.tui.widgets.document.rows import ShiftedRows

    rows, plain = ShiftedRows(list(items), lambda item, by: item + by), list(items)
    for low_at, high_at, new, by in edits_:
        low, high = sorted((int(low_at * len(plain)), int(high_at * len(plain))))
        rows.replace(low, high, new, by)
        plain[low:high] = new
        plain[low + len(new) :] = [item + by for item in plain[low + len(new) :]]
        assert list(rows) == plain
        assert len(rows) == len(plain)
        if plain:
            assert rows[-1] == plain[-1]


@settings(max_examples=150, deadline=None)
@given(texts, edits, edits, st.integers(0, 4))
def test_edit_windows_hold_every_edit_since_they_were_opened(
    text: str, before: Edits, since: Edits, counted_up_to: int
) -> None:
    """Whatever the edits (typing, deleting lines, replacing across lines, at either end),
    the text outside a window is the text as it was when the window was opened; a window
    opened later knows only the later edits, and its windowed common ends are the whole
    compare's."""
    from writers_factory.core.common_ends import Unchanged, common_ends

    ours = LineDocument(text)
    ours._char_start(min(counted_up_to, ours.line_count - 1))  # some offsets known, then edited
    start_text = ours.text  # its line ends made one
    first = ours.mark_edits()
    apply(before, ours)
    middle_text = ours.text
    second = ours.mark_edits()
    apply(since, ours)
    now = ours.text
    for base, window in ((start_text, first), (middle_text, second)):
        found = ours.unchanged_since(window)
        assert found is not None
        head, tail = found
        assert head + tail <= min(len(base), len(now))
        assert base[:head] == now[:head]
        assert base[len(base) - tail :] == now[len(now) - tail :]
        windowed = common_ends(base, now, Unchanged(base, head, tail))
        whole = common_ends(base, now)
        assert (windowed.prefix, windowed.suffix) == (whole.prefix, whole.suffix)


def test_a_window_is_its_documents_and_forgotten_windows_know_nothing() -> None:
    ours, other = LineDocument("one\ntwo"), LineDocument("one\ntwo")
    window = ours.mark_edits()
    assert ours.unchanged_since(window) == (len("one\ntwo"), 0), "nothing edited yet"
    assert other.unchanged_since(window) is None, "another document (a reload)"
    ours.forget(window)
    assert ours.unchanged_since(window) is None


def test_typing_in_one_place_sums_the_lengths_of_its_lines_once() -> None:
    """Counted, not timed: the first window sums the lines above the place typed at; the
    keys typed after, and their windows, sum only the line typed in."""
    ours = LineDocument("A line of the novel.\n" * 10_000)
    row = 7_000
    window = ours.mark_edits()
    ours.replace_range((row, 3), (row, 3), "x")
    ours.unchanged_since(window)
    first = ours.work.lines_counted
    assert first <= row + 2
    for column in range(4, 24):
        ours.replace_range((row, column), (row, column), "y")
        found = ours.unchanged_since(window)
        assert found is not None and found[0] == row * len("A line of the novel.\n") + 3
    assert ours.work.lines_counted - first <= 2 * 20
