"""The targets dialog: counts the words it shows (in threads), keeps what the writer sets.

Targets live in ``preferences.json`` (``daily_word_target`` and the ``targets`` section);
a change is written at once, in a worker, through the preferences' durable save. The status
bar follows: the day's line, and the open chapter's words against its target.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.core.targets import TargetSettings, WordsSoFar, target_progress
from writers_factory.core.wordcount import count_words
from writers_factory.store.manuscript.buffers import ENCODING
from writers_factory.store.preferences.preferences import PreferenceError

if TYPE_CHECKING:
    from writers_factory.tui.controllers.counts import OpenFileWords
    from writers_factory.tui.controllers.ports import UI, Views
    from writers_factory.tui.controllers.writing import WritingActivity
    from writers_factory.tui.workspace import Workspace

MANUSCRIPT = "manuscript"


def manuscript_words(project: Path, open_texts: dict[Path, str]) -> int:
    """Words of every chapter, the unsaved text of open ones instead of their files
    (``open_texts`` by project-relative path). In a thread: reads and counts every file."""
    # listed by the store: the analysis package (its models) is not needed to count words
    from writers_factory.store.manuscript.order import chapter_files

    folder = project / MANUSCRIPT
    total = 0
    for path in chapter_files(folder) if folder.is_dir() else []:
        relative = path.relative_to(project)
        text = open_texts.get(relative)
        if text is None:
            try:
                text = path.read_bytes().decode(ENCODING, errors="replace")
            except OSError:
                continue
        total += count_words(text)
    return total


class TargetsController:
    """Opens the targets dialog and applies its answer; one per running app."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        views: Views,
        writing: WritingActivity,
        open_words: OpenFileWords,
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.writing = writing
        self.open_words = open_words
        self.today: Callable[[], date] = lambda: datetime.now().astimezone().date()
        """The writer's local date (a test fixes it, so the days to a deadline are known)."""

    def settings(self, chapter: Path | None) -> TargetSettings:
        if not self.workspace.has_preferences:
            return TargetSettings()
        data = self.workspace.preferences.data
        targets = data.targets
        return TargetSettings(
            daily=data.daily_word_target,
            session=targets.session_words,
            chapter=None if chapter is None else targets.chapters.get(chapter.as_posix()),
            manuscript=targets.manuscript_words,
            deadline=targets.deadline,
        )

    def show(self) -> None:
        if not self.workspace.has_preferences:
            self.ui.notify("Targets are not available yet: the preferences are still loading.")
            return
        from writers_factory.tui.screens.targets import TargetsScreen  # loaded when first shown

        if self.ui.showing(TargetsScreen):
            return
        self.ui.start(self._show, group="targets", exclusive=True)

    def _open_chapter(self) -> Path | None:
        editor = self.views.editor
        area = editor.active if editor is not None else None
        if area is None or area.path.parts[:1] != (MANUSCRIPT,):
            return None
        return area.path

    async def _show(self) -> None:
        from writers_factory.tui.screens.targets import TargetsScreen, TargetsView

        chapter = self._open_chapter()
        open_texts: dict[Path, str] = {}
        for doc in self.workspace.documents:
            if doc.path.parts[:1] == (MANUSCRIPT,) and (doc.dirty or doc.path == chapter):
                snap = doc.snapshot()
                if snap is not None:
                    open_texts[doc.path] = snap.text
        project = self.workspace.project
        book = await asyncio.to_thread(manuscript_words, project, open_texts)
        chapter_words = None
        if chapter is not None:
            text = open_texts.get(chapter, "")
            chapter_words = await asyncio.to_thread(count_words, text)
        today = self.today()
        day, session = self.writing.typed_words()
        settings = self.settings(chapter)
        words = WordsSoFar(today=day, session=session, chapter=chapter_words, manuscript=book)
        label = "Chapter" if chapter is None else chapter.name
        view = TargetsView(
            values=settings,
            progress=target_progress(words, settings, today, chapter_label=label),
            today=today,
            chapter=None if chapter is None else chapter.as_posix(),
        )
        answer = await self.ui.ask(TargetsScreen(view))
        if answer is not None:
            await self.apply(answer, chapter)

    async def apply(self, values: TargetSettings, chapter: Path | None) -> None:
        """Keep ``values`` in the preferences (written at once) and refresh what shows them."""
        prefs = self.workspace.preferences
        data = prefs.data

        def changed_to(key: str, now: object, value: object) -> bool:
            # only what the writer changed becomes the project's own: a value the dialog
            # showed from the user settings stays theirs (it was pinned to the project)
            return now != value and prefs.set(key, value)

        try:
            changed = changed_to("daily_word_target", data.daily_word_target, values.daily)
            targets = data.targets
            changed = (
                changed_to("targets.session_words", targets.session_words, values.session)
                or changed
            )
            changed = (
                changed_to("targets.manuscript_words", targets.manuscript_words, values.manuscript)
                or changed
            )
            changed = changed_to("targets.deadline", targets.deadline, values.deadline) or changed
            if chapter is not None:
                chapters = dict(targets.chapters)
                if values.chapter is None:
                    chapters.pop(chapter.as_posix(), None)
                else:
                    chapters[chapter.as_posix()] = values.chapter
                changed = changed_to("targets.chapters", targets.chapters, chapters) or changed
        except PreferenceError as exc:
            self.ui.notify(str(exc), severity="error", timeout=10)
            return
        if not changed:
            return
        try:
            await prefs.save()
        except OSError as exc:
            self.ui.notify(
                f"{prefs.path} could not be written ({exc}); the targets apply until you quit.",
                severity="warning",
                timeout=10,
            )
        self.writing.refresh_progress()
        self.open_words.ask()
        self.ui.notify("Targets saved.", title="Targets")
