"""Spell check: the word list loaded in a thread, suggestions on a key, the project dictionary.

The editor checks only the lines it draws (``tui/spelling/highlights.py``); here is what takes
time or touches the disk, all off the event loop: loading a language's word list, reading
and appending to ``dictionary.txt``, finding suggestions for a word.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from writers_factory.store.manuscript.dictionary import FILE_NAME, ProjectDictionary
from writers_factory.tui.controllers.preference_switch import remember
from writers_factory.tui.spelling.speller import (
    NoDictionaryError,
    Speller,
    languages,
    load_speller,
)

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI, Views
    from writers_factory.tui.screens.spelling import SpellingChoice
    from writers_factory.tui.workspace import Workspace


class SpellingController:
    """One per app: holds the speller the editor's tabs share."""

    def __init__(self, workspace: Workspace, ui: UI, views: Views) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.speller: Speller | None = None
        self.dictionary = ProjectDictionary(workspace.project)
        self._switched: bool | None = None
        self.poll_every = 3.0
        """Seconds between looks at ``dictionary.txt`` (the writer may edit it anywhere)."""
        self._stamp: tuple[int, int] | None = None
        self._polling = False

    @property
    def wanted(self) -> bool:
        """Spell check is on: as switched in this session, else as the preferences say."""
        if self._switched is not None:
            return self._switched
        prefs = self.workspace.preferences if self.workspace.has_preferences else None
        return prefs is not None and prefs.data.editor.spell_check

    @property
    def language(self) -> str:
        if not self.workspace.has_preferences:
            return "en"
        return self.workspace.preferences.data.editor.spelling_language

    async def start(self) -> None:
        """Load the word list of the preferred language (if spell check is on) and show."""
        if self.wanted:
            await self.load()

    async def load(self) -> Speller | None:
        """The word list and the project dictionary, read in a thread; then every tab checks."""
        language = self.language
        speller, problems = await asyncio.to_thread(self._load, language)
        for problem in problems:
            self.ui.notify(problem, title="Spell check", severity="warning", timeout=12)
        if speller is not None and self.wanted and language == self.language:
            self._use(speller)
            if not self._polling:
                self._polling = True
                self.ui.every(self.poll_every, self._poll, name="project-dictionary")
        return speller

    def _poll(self) -> None:
        if self.speller is not None and not self.ui.closing:
            self.ui.start(self._reread, group="project-dictionary", exclusive=True)

    async def _reread(self) -> None:
        """Read ``dictionary.txt`` again when it changed (in a thread), then recheck."""
        words = await asyncio.to_thread(self._changed_words)
        speller = self.speller
        if words is None or speller is None:
            return
        speller.use_dictionary(words)
        editor = self.views.editor
        if editor is not None:
            editor.recheck_spelling()

    def _changed_words(self) -> list[str] | None:
        """In a thread: the dictionary's words if the file changed since last read."""
        stamp = self.dictionary.stamp()
        if stamp == self._stamp:
            return None
        try:
            words = self.dictionary.words()
        except OSError:
            return None  # said once at start; a file being written is read next time
        self._stamp = stamp
        return words

    def _load(self, language: str) -> tuple[Speller | None, list[str]]:
        """In a thread: the speller, and what went wrong (told by the caller, on the loop:
        spell check is a comfort, it never stops the app)."""
        problems: list[str] = []
        words: list[str] = []
        try:
            self._stamp = self.dictionary.stamp()
            words = self.dictionary.words()
        except OSError as exc:
            problems.append(str(exc))
        try:
            return load_speller(language, words), problems
        except NoDictionaryError as exc:
            return None, [*problems, str(exc)]

    def _use(self, speller: Speller | None) -> None:
        self.speller = speller
        editor = self.views.editor
        if editor is not None:
            editor.set_speller(speller)

    async def toggle(self) -> None:
        """Spell check on or off, now and in the preferences."""
        on = not self.wanted
        self._switched = on
        remember(self.workspace, self.ui, "editor.spell_check", on)
        if not on:
            self._use(None)
            self.ui.notify("Spell check is off.", title="Spell check")
            return
        if await self.load() is not None:
            self.ui.notify(f"Spell check is on ({self.language}).", title="Spell check")

    async def choose_language(self) -> None:
        """Ask for the language's code; an unknown one is refused with the list."""
        from writers_factory.tui.screens.file_modals import NameModal  # dialogs: on demand

        available = languages()
        answer = await self.ui.ask(
            NameModal(
                "Spell check language",
                f"Language code ({', '.join(available)})",
                self.language,
            )
        )
        if answer is None:
            return
        code = answer.strip().lower()
        if code not in available:
            self.ui.notify(
                f"No dictionary for {answer!r} (available: {', '.join(available)}).",
                title="Spell check",
                severity="warning",
            )
            return
        remember(self.workspace, self.ui, "editor.spelling_language", code)
        if self.wanted and await self.load() is not None:
            self.ui.notify(f"Spell check in {code}.", title="Spell check")

    async def suggest(self) -> None:
        """Suggestions for the misspelled word at the cursor; apply what the writer picks."""
        editor = self.views.editor
        area = editor.active if editor is not None else None
        speller = self.speller
        if area is None or speller is None:
            self.ui.notify(
                "Spell check is off (palette: Spell check: switch on/off).", title="Spell check"
            )
            return
        found = area.misspelled_at_cursor()
        if found is None:
            self.ui.notify("No misspelled word at the cursor.", title="Spell check")
            return
        start, end, word = found
        suggestions = await asyncio.to_thread(speller.suggestions, word)
        from writers_factory.tui.screens.spelling import SpellingScreen

        choice: SpellingChoice | None = await self.ui.ask(
            SpellingScreen(word, suggestions, can_add=not self.workspace.read_only)
        )
        if choice is None:
            return
        if choice.kind == "replace":
            # the word is where it was unless the text changed meanwhile: check before
            if area.is_mounted and area.get_text_range(start, end) == word:
                area.replace_word(start, end, choice.text)
            area.focus()
            return
        speller.accept(word)
        if editor is not None:
            editor.recheck_spelling()
        area.focus()
        if choice.kind == "add":
            await self.add_to_dictionary(word)

    def _add(self, word: str) -> None:
        """In a thread: append, and take the file as read (it holds what the speller knows)."""
        self.dictionary.add(word)
        self._stamp = self.dictionary.stamp()

    async def add_to_dictionary(self, word: str) -> None:
        """Append ``word`` to ``dictionary.txt`` (through the durable path, in a thread)."""
        try:
            await asyncio.to_thread(self._add, word)
        except (OSError, ValueError) as exc:
            self.ui.notify(
                f"{word!r} is known for this session but was not added to {FILE_NAME}: {exc}",
                title="Spell check",
                severity="error",
                timeout=15,
            )
            return
        self.ui.notify(f"“{word}” added to {FILE_NAME}.", title="Spell check")
