"""Finding and replacing across the project (alt+f, or "Find in project" in the palette).

A search reads every file of ``manuscript/``, ``reference/`` and ``planning/`` in a thread
(``store/manuscript/searching.py``); a file open in the editor is searched as the writer
sees it, unsaved typing included. Replacing applies the ticked lines as one step:

1. the book is kept first, as a snapshot (``before-replace``, awaited: nothing is changed
   unless it is kept), open files' unsaved text included;
2. a closed file is written through the durable path, and only if it still holds the text
   that was searched (else it is left as it is, and named);
3. an open file takes the change as one edit in its buffer: ctrl+z there takes it back.

"Undo replace" brings back each touched file from that snapshot, if it still holds what the
replace made of it; a file changed since is named and left alone.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.core.search.matching import SearchQuery, check_replacement
from writers_factory.core.search.project import FileHits, Outcome, ProjectResults
from writers_factory.core.search.replacing import Replacement, line_hits, replacement
from writers_factory.store.snapshots.triggers import Trigger

if TYPE_CHECKING:
    import re

    from writers_factory.store.manuscript.buffers import FileBuffer, Remember
    from writers_factory.tui.controllers.ports import UI, Snapshots, Views
    from writers_factory.tui.widgets.editor import BufferArea
    from writers_factory.tui.workspace import Workspace


@dataclass(frozen=True)
class Searched:
    """What a file held when it was searched: replacing works from this and only this."""

    text: str
    disk: FileBuffer | None
    """A closed file's disk state as read (None: the file is open in the editor)."""
    version: int | None
    """An open file's document version as searched."""


@dataclass(frozen=True)
class Touched:
    """A file a replace changed, and how to tell whether it changed again since."""

    path: str
    after_sha256: str
    open_version: int | None
    """The buffer's version right after the edit (None: written to disk)."""


@dataclass
class ReplaceStep:
    """One replace across the project, undoable as a whole."""

    snapshot: str | None
    touched: list[Touched] = field(default_factory=list)
    before: dict[str, str] = field(default_factory=dict)
    """Each touched file's text before (kept in case the snapshot could not be taken)."""


def _sha(text: str) -> str:
    from writers_factory.store.manuscript.buffers import text_sha256

    return text_sha256(text)


def _version(area: BufferArea) -> int | None:
    return getattr(area.document, "version", None)


class ProjectSearch:
    """Implements :class:`~writers_factory.tui.screens.project_search.SearchSource`."""

    def __init__(
        self,
        workspace: Workspace,
        ui: UI,
        views: Views,
        snapshots: Snapshots,
        remember: Remember | None = None,
    ) -> None:
        self.workspace = workspace
        self.ui = ui
        self.views = views
        self.snapshots = snapshots
        self.remember = remember
        self.searched: dict[str, Searched] = {}
        """The texts of the last search, by project-relative path."""
        self.last: ReplaceStep | None = None
        """The last replace, for "Undo replace"."""
        self.busy = False
        """A replace or an undo is under way (tests wait on it)."""

    # -- the screen ----------------------------------------------------------------------------

    def show(self) -> None:
        from writers_factory.tui.screens.project_search import (
            ProjectSearchScreen,
        )  # when first shown

        if not self.ui.showing(ProjectSearchScreen):
            self.ui.show(ProjectSearchScreen(self))

    def _open_areas(self) -> dict[str, BufferArea]:
        editor = self.views.editor
        if editor is None:
            return {}
        return {area.path.as_posix(): area for area in editor.buffers()}

    async def search(self, query: SearchQuery, replace_with: str | None) -> ProjectResults:
        """Every match in the project (and each line replaced, with ``replace_with``).

        Raises ``BadPattern`` (``core.search.matching``) for a regular expression or a
        replacement that cannot work.
        """
        pattern = query.compile()
        if pattern is not None and replace_with is not None:
            check_replacement(pattern, replace_with, query.regex)
        # open files: their lines as shown now (a copy of a list of immutable strings)
        open_now = {
            path: (list(area.document.lines), area.document.newline, _version(area))
            for path, area in self._open_areas().items()
        }
        project = self.workspace.project

        def work() -> tuple[ProjectResults, dict[str, Searched]]:
            from writers_factory.store.manuscript.searching import (
                ProjectText,
                project_texts,
                searched_files,
            )

            results = ProjectResults(replacement=replace_with)
            texts: dict[str, Searched] = {}
            disk: dict[str, ProjectText] = {}
            for found in project_texts(project, skip=open_now):
                if isinstance(found, ProjectText):
                    disk[found.path] = found
                else:
                    results.skipped.append(f"{found.path}: {found.reason}")
            order = [p for p in searched_files(project) if p in disk or p in open_now]
            order += [p for p in open_now if p not in order]  # open, not yet on disk
            for path in order:
                if path in open_now:
                    lines, newline, version = open_now[path]
                    searched = Searched(newline.join(lines), None, version)
                else:
                    item = disk[path]
                    searched = Searched(item.text, item.disk, None)
                hits = line_hits(searched.text, pattern, replace_with, regex=query.regex)
                if hits:
                    texts[path] = searched
                    results.files.append(FileHits(path, hits, path in open_now))
            return results, texts

        results, self.searched = await asyncio.to_thread(work)
        return results

    async def open_at(self, path: str, line: int, column: int, length: int) -> None:
        """Open ``path`` with the match at ``line``/``column`` selected."""
        from textual.widgets.text_area import Selection

        await self.views.open_path(self.workspace.project / path)
        editor = self.views.editor
        area = None if editor is None else editor.find(Path(path))
        if area is None:
            return
        row = min(line, area.document.line_count - 1)
        text = area.document.get_line(row)
        start = min(column, len(text))
        area.selection = Selection((row, start), (row, min(start + length, len(text))))
        area.scroll_cursor_visible(center=True)

    # -- replacing -----------------------------------------------------------------------------

    async def replace(
        self, query: SearchQuery, replace_with: str, chosen: dict[str, set[int]]
    ) -> Outcome:
        """Replace the matches on the ``chosen`` lines (path -> lines) as one step."""
        if self.busy:
            return Outcome(left=["another replace is under way"])
        if self.workspace.read_only:
            return Outcome(left=["the project is open read-only"])
        pattern = query.compile()
        if pattern is None:
            return Outcome()
        check_replacement(pattern, replace_with, query.regex)
        self.busy = True

        async def step() -> Outcome:
            try:
                return await self._replace(pattern, query, replace_with, chosen)
            finally:
                self.busy = False

        # the app's worker, not the screen's: closing the screen must not stop it halfway
        worker = self.ui.start(step, group="project-replace")
        await worker.wait()
        assert isinstance(worker.result, Outcome)
        return worker.result

    async def _replace(
        self,
        pattern: re.Pattern[str],
        query: SearchQuery,
        replace_with: str,
        chosen: dict[str, set[int]],
    ) -> Outcome:
        outcome = Outcome()
        searched = {p: self.searched[p] for p in chosen if p in self.searched}
        open_areas = self._open_areas()

        def edits() -> dict[str, tuple[Replacement, str]]:
            """Each file's edit, and the hash of the text it makes (the undo checks it)."""
            made: dict[str, tuple[Replacement, str]] = {}
            for path, was in searched.items():
                edit = replacement(
                    was.text, pattern, replace_with, regex=query.regex, lines=chosen[path]
                )
                if edit is not None:
                    made[path] = edit, _sha(edit.apply(was.text))
            return made

        made = await asyncio.to_thread(edits)
        if not made:
            return outcome
        unsaved = {p: a.text for p, a in open_areas.items() if a.dirty}
        names = f"{len(made)} file{'s' if len(made) != 1 else ''}"
        try:
            ident = await self.snapshots.take(
                Trigger.REPLACE,
                message=f"before replacing {query.text!r} with {replace_with!r} in {names}",
                overrides=unsaved,
            )
        except Exception as exc:
            outcome.left.append(f"the book could not be kept first ({exc}), so nothing changed")
            return outcome
        step = ReplaceStep(ident)
        closed: dict[str, tuple[Searched, Replacement]] = {}
        for path, (edit, after_sha) in made.items():
            was = searched[path]
            area = open_areas.get(path)
            if was.disk is not None:  # closed when searched
                if area is not None:
                    outcome.left.append(f"{path} (opened since the search: search again)")
                else:
                    closed[path] = (was, edit)
                continue
            if area is None:
                outcome.left.append(f"{path} (closed since the search: search again)")
                continue
            if _version(area) != was.version:
                outcome.left.append(f"{path} (changed since the search)")
                continue
            if area.read_only:
                outcome.left.append(f"{path} (read-only)")
                continue
            area.history.checkpoint()
            area.replace(
                edit.insert, edit.start_location, edit.end_location, maintain_selection_offset=False
            )
            area.history.checkpoint()
            step.before[path] = was.text
            step.touched.append(Touched(path, after_sha, _version(area)))
            outcome.replaced += edit.count
            outcome.files += 1
        await asyncio.to_thread(self._write_closed, closed, outcome, step)
        self.last = step if step.touched else self.last
        return outcome

    def _write_closed(
        self, closed: dict[str, tuple[Searched, Replacement]], outcome: Outcome, step: ReplaceStep
    ) -> None:
        """In a thread: each closed file written only if it still holds what was searched."""
        from writers_factory.store.manuscript.buffers import (
            ReadOnlyFileError,
            SaveConflict,
        )

        for path, (was, edit) in closed.items():
            assert was.disk is not None
            after = edit.apply(was.text)
            try:
                written = was.disk.save(after, remember=self.remember)
            except SaveConflict:
                outcome.left.append(f"{path} (changed on disk since the search)")
                continue
            except ReadOnlyFileError:
                outcome.left.append(f"{path} (read-only)")
                continue
            except OSError as exc:
                outcome.left.append(f"{path} ({exc})")
                continue
            step.before[path] = was.text
            step.touched.append(Touched(path, written.sha256, None))
            outcome.replaced += edit.count
            outcome.files += 1

    # -- undoing -------------------------------------------------------------------------------

    def undo_last(self) -> None:
        """The palette's "Undo replace across project"."""
        self.ui.start(self._undo_and_tell, group="undo-replace")

    async def _undo_and_tell(self) -> None:
        outcome = await self.undo()
        if outcome is None:
            self.ui.notify("There is no replace across the project to undo.")
            return
        from writers_factory.tui.screens.project_search import undo_message

        self.ui.notify(undo_message(outcome), title="Undo replace", timeout=10)

    async def undo(self) -> Outcome | None:
        """Bring back the files of the last replace that still hold what it made of them."""
        step = self.last
        if step is None or self.busy:
            return None
        self.busy = True

        async def undoing() -> Outcome:
            try:
                return await self._undo(step)
            finally:
                self.busy = False

        worker = self.ui.start(undoing, group="project-replace")
        await worker.wait()
        assert isinstance(worker.result, Outcome)
        return worker.result

    async def _undo(self, step: ReplaceStep) -> Outcome:
        outcome = Outcome()
        before = await asyncio.to_thread(self._before_texts, step)
        open_areas = self._open_areas()
        # an open file edited since: does it hold what the replace made? (hashed in a thread)
        texts = {
            t.path: area.text
            for t in step.touched
            if (area := open_areas.get(t.path)) is not None and _version(area) != t.open_version
        }
        hashes = await asyncio.to_thread(lambda: {p: _sha(text) for p, text in texts.items()})
        closed: list[Touched] = []
        for touched in step.touched:
            area = open_areas.get(touched.path)
            if area is None:
                closed.append(touched)
                continue
            if touched.path not in hashes and _version(area) == touched.open_version:
                area.undo()  # the replace was the buffer's last edit: undone, and redoable
            elif hashes.get(touched.path) == touched.after_sha256 and not area.read_only:
                area.history.checkpoint()
                area.replace(before[touched.path], (0, 0), area.document.end)
                area.history.checkpoint()
            else:
                outcome.left.append(f"{touched.path} (changed since the replace)")
                continue
            outcome.files += 1
        await asyncio.to_thread(self._restore_closed, closed, before, outcome)
        if not outcome.left:
            self.last = None
        return outcome

    def _before_texts(self, step: ReplaceStep) -> dict[str, str]:
        """In a thread: each touched file as the snapshot taken first holds it."""
        texts = dict(step.before)
        if step.snapshot is None:
            return texts
        from writers_factory.store.snapshots.restore import version_of
        from writers_factory.store.snapshots.taker import Snapshotter

        snapshotter = Snapshotter(self.workspace.project)
        try:
            for touched in step.touched:
                try:
                    _commit, data = version_of(snapshotter, step.snapshot, touched.path)
                except (OSError, ValueError):
                    continue  # kept in memory anyway
                texts[touched.path] = data.decode("utf-8")
        finally:
            snapshotter.repository.close()
        return texts

    def _restore_closed(
        self, closed: list[Touched], before: dict[str, str], outcome: Outcome
    ) -> None:
        """In a thread: a closed file goes back only if it holds what the replace wrote."""
        from writers_factory.store.manuscript.buffers import FileBuffer, SaveConflict

        project = self.workspace.project
        for touched in closed:
            try:
                disk, _text = FileBuffer.load(project / touched.path, project=project)
                if disk.base_sha256 != touched.after_sha256:
                    outcome.left.append(f"{touched.path} (changed since the replace)")
                    continue
                disk.save(before[touched.path], remember=self.remember)
            except (SaveConflict, OSError) as exc:
                outcome.left.append(f"{touched.path} ({exc})")
                continue
            outcome.files += 1
