"""The TextArea built on the documents of this package."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

from textual._tree_sitter import TREE_SITTER, get_language
from textual.document._document_navigator import DocumentNavigator
from textual.widgets import TextArea
from textual.widgets.text_area import LanguageDoesNotExist

from writers_factory.tui.widgets.document.highlights import VisibleHighlights
from writers_factory.tui.widgets.document.lines import LineDocument, Work
from writers_factory.tui.widgets.document.wrapping import FastWrappedDocument

PARSE_IN_THREAD = 200_000
"""Texts longer than this (characters) are shown first and parsed in a thread."""


class ScaledTextArea(TextArea):
    """A TextArea whose work per keystroke is proportional to the edit and the lines on
    screen: incremental parsing with byte offsets found locally, highlights looked up for
    the visible lines only, a cached text, length and wrapped height.

    A large text opens without waiting for its syntax tree: it is shown plain, parsed in a
    thread, then highlighted (edits made meanwhile are replayed onto the tree).
    """

    def __init__(self, text: str = "", *, language: str | None = None, **options: Any) -> None:
        self._document_language: str | None = None
        # TextArea builds a document of the text twice before this one; start it empty
        super().__init__("", language=language, **options)
        self._set_document(text, language)

    @property
    def work(self) -> Work:
        """What the current document has done that could grow with its size."""
        document = self.document
        return document.work if isinstance(document, LineDocument) else Work()

    @property
    def parsed(self) -> bool:
        """False while the syntax tree of a large text is still being built."""
        return getattr(self.document, "parsed", True)

    def _watch_language(self, language: str | None) -> None:
        if language != self._document_language:
            super()._watch_language(language)

    def _set_document(self, text: str, language: str | None) -> None:
        from writers_factory.tui.widgets.document.syntax import SyntaxDocument

        self._highlight_query = None
        self._document_language = language
        document: LineDocument
        if TREE_SITTER and language:
            registered = self._languages.get(language)
            if registered is not None:
                query = registered.highlight_query
                grammar = registered.language or get_language(language)
            else:
                query = self._get_builtin_highlight_query(language)
                grammar = get_language(language)
            if grammar is None:
                raise LanguageDoesNotExist(f"no tree-sitter language called {language!r}")
            document = SyntaxDocument(text, grammar, parse=len(text) <= PARSE_IN_THREAD)
            self._highlight_query = document.prepare_query(query)
        else:
            document = LineDocument(text)
        self.document = document
        self.wrapped_document = FastWrappedDocument(
            document, tab_width=self.indent_width, work=document.work
        )
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()
        if self.is_attached:
            self.call_after_refresh(self._parse_in_thread)

    def _on_mount(self, event: Any) -> None:
        super()._on_mount(event)
        # after the first paint: the parsing thread would hold the interpreter lock meanwhile
        self.call_after_refresh(self._parse_in_thread)

    def _parse_in_thread(self) -> None:
        from writers_factory.tui.widgets.document.syntax import SyntaxDocument, parse_in_thread

        document = self.document
        if not isinstance(document, SyntaxDocument) or document.parsed:
            return
        text = document.text_to_parse()

        async def parse() -> None:
            tree = await asyncio.to_thread(parse_in_thread, document.language, text)
            if self.document is document:
                document.adopt_tree(tree)
                self._build_highlight_map()
                self.refresh()

        self.run_worker(parse(), group="syntax", exit_on_error=False)

    def _build_highlight_map(self) -> None:
        self._line_cache.clear()
        query, document = self._highlight_query, self.document
        if query is not None and isinstance(document, LineDocument):
            self._highlights = VisibleHighlights(document, query, document.work)
        else:
            self._highlights = defaultdict(list)
