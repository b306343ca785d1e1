"""A syntax-aware document whose tree follows each edit incrementally, and whose first
parse of a large text can run in a thread while the text is already shown and edited.

An edit moves the tree's nodes at once (``Tree.edit``: cheap) and leaves the parse for
:meth:`SyntaxDocument.settle`, which the text area runs a moment later, after the key's
paint. The Markdown grammar re-parses a whole heading section at each edit (about a
millisecond per 8 KB: a chapter without headings is one section), which made up half of a
key's work on the event loop; meanwhile the edited tree answers queries with its nodes
moved along with the text, and the parse says whether any structure changed (a line
becoming a heading, a fence opening): only then are highlights found again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from textual.document._document import EditResult, Location
from textual.document._syntax_aware_document import SyntaxAwareDocument
from tree_sitter import Language, Node, Parser, Query, Tree

from writers_factory.tui.widgets.document.lines import LineDocument

REPARSE_IN_THREAD = 200_000
"""An edit touching more bytes than this (a replace-all over a novel, its undo) drops the
tree: the text is parsed again in a thread rather than re-parsed on the event loop."""

CHUNK = 4096
"""Bytes handed to the parser per read when parsing in a thread: between reads the thread
gives up the interpreter lock, so the event loop keeps running during a long first parse."""


@dataclass(frozen=True)
class TreeEdit:
    """One edit as the syntax tree needs to hear of it (byte offsets and points)."""

    start_byte: int
    old_end_byte: int
    new_end_byte: int
    start_point: tuple[int, int]
    old_end_point: tuple[int, int]
    new_end_point: tuple[int, int]

    @property
    def size(self) -> int:
        """Bytes the edit removed and added."""
        return self.old_end_byte + self.new_end_byte - 2 * self.start_byte

    def apply(self, tree: Tree) -> None:
        tree.edit(
            self.start_byte,
            self.old_end_byte,
            self.new_end_byte,
            self.start_point,
            self.old_end_point,
            self.new_end_point,
        )


@cache
def compiled_query(language: Language, query: str) -> Query:
    """``query`` compiled for ``language``, once per process: compiling the Markdown
    highlight query took longer than parsing a chapter, and ran for every tab built and
    every reload. A query is only read by a search (each search has a cursor of its own),
    so every document of the language shares it."""
    return Query(language, query)


def parse_settled(parser: Parser, read: Callable[[int, tuple[int, int]], bytes]) -> Tree:
    """Parse from scratch, then once more over the new tree.

    The first incremental parse after a parse from scratch re-reads everything after its
    edit (half the novel for a keystroke in the middle); after one incremental parse, any
    edit reads only its surroundings. So the price is paid here, once, by an empty edit at
    the start and a second parse.
    """
    tree = parser.parse(read)
    tree.edit(0, 0, 0, (0, 0), (0, 0), (0, 0))
    return parser.parse(read, tree)


def parse_in_thread(language: Language, text: str) -> Tree:
    """Blocking: parse ``text`` from scratch, letting other threads run between chunks."""
    source = text.encode()

    def read(offset: int, _point: tuple[int, int]) -> bytes:
        time.sleep(0)  # release the interpreter lock: the event loop runs between chunks
        return source[offset : offset + CHUNK]

    return parse_settled(Parser(language), read)


class SyntaxDocument(SyntaxAwareDocument, LineDocument):
    """A :class:`SyntaxAwareDocument` that finds byte offsets without summing every line
    above the edit, counts the bytes it parses, and may start without a tree.

    Without a tree (``parse=False``) the text is editable at once and queries find nothing;
    edits are remembered, and :meth:`adopt_tree` takes a tree parsed in a thread from the
    text of :meth:`text_to_parse`, replays the edits made since onto it and re-parses only
    what they changed.
    """

    def __init__(self, text: str, language: Language, *, parse: bool = True) -> None:
        LineDocument.__init__(self, text)  # not SyntaxAwareDocument's: it always parses
        self.language = language
        self._parser = Parser(language)
        self._pending: list[TreeEdit] = []
        self._tree: Tree | None = None
        self._unparsed = False
        """Edits were applied to the tree that the parser has not seen (:meth:`settle`)."""
        if parse:
            self._tree = parse_settled(self._parser, self._read_callable)

    def prepare_query(self, query: str) -> Query:
        return compiled_query(self.language, query)

    # Textual's SyntaxAwareDocument reads ``_syntax_tree``; here it may be missing.
    @property
    def _syntax_tree(self) -> Tree:  # type: ignore[override]
        assert self._tree is not None
        return self._tree

    @_syntax_tree.setter
    def _syntax_tree(self, tree: Tree) -> None:
        self._tree = tree

    @property
    def parsed(self) -> bool:
        """True once the document has a syntax tree."""
        return self._tree is not None

    @property
    def unsettled(self) -> bool:
        """Edits have moved the tree's nodes but not been parsed yet (:meth:`settle`)."""
        return self._unparsed

    def settle(self) -> bool:
        """Parse the edits made since the last parse; True when the syntax changed (some
        node is not what the edited tree said: its highlights are to be found again)."""
        if self._tree is None or not self._unparsed:
            return False
        self._unparsed = False
        self.work.parses += 1
        edited = self._tree
        self._tree = self._parser.parse(self._read_callable, edited)
        return bool(edited.changed_ranges(self._tree))

    def query_syntax_tree(
        self,
        query: Query,
        start_point: tuple[int, int] | None = None,
        end_point: tuple[int, int] | None = None,
    ) -> dict[str, list[Node]]:
        if self._tree is None:
            return {}
        return super().query_syntax_tree(query, start_point, end_point)

    def _location_to_byte_offset(self, location: Location) -> int:
        return self.byte_offset(location)

    def _read_callable(self, byte_offset: int, point: tuple[int, int]) -> bytes:
        chunk = super()._read_callable(byte_offset, point)
        self.work.bytes_parsed += len(chunk)
        return chunk

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        top, bottom = sorted((start, end))
        start_byte, old_end_byte = self.byte_offset(top), self.byte_offset(bottom)
        start_point, old_end_point = self._location_to_point(top), self._location_to_point(bottom)
        result = LineDocument.replace_range(self, start, end, text)
        new_end = result.end_location
        edit = TreeEdit(
            start_byte,
            old_end_byte,
            self.byte_offset(new_end),
            start_point,
            old_end_point,
            self._location_to_point(new_end),
        )
        if self._tree is None:
            self._pending.append(edit)
        elif edit.size > REPARSE_IN_THREAD:
            self._tree = None  # parsed afresh in a thread (the area asks for it)
            self._unparsed = False
            self._pending.clear()
        else:
            edit.apply(self._tree)  # parsed by settle(), after the key's paint
            self._unparsed = True
        return result

    def text_to_parse(self) -> str:
        """The text a thread should parse; edits from now on are replayed onto its tree.

        As the document feeds itself to the parser: every line ends with a newline.
        """
        self._pending.clear()
        return self.text + self.newline

    def adopt_tree(self, tree: Tree) -> bool:
        """Take ``tree``, parsed from :meth:`text_to_parse`'s text, bringing it up to date;
        False when the edits made meanwhile are too large to replay here (parse again)."""
        if self._tree is not None:
            return True
        if sum(edit.size for edit in self._pending) > REPARSE_IN_THREAD:
            return False
        for edit in self._pending:
            edit.apply(tree)
        if self._pending:
            tree = self._parser.parse(self._read_callable, tree)
        self._pending.clear()
        self._tree = tree
        return True
