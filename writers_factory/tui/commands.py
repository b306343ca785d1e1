"""Command-palette commands of the workspace (ctrl+p).

Everything a key does can also be found by name here, so a writer who forgot a key — or
rebound it — can still reach every stage and file action. Commands call the app's
``action_*`` methods, the same code the keys run.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual.command import DiscoveryHit, Hit, Hits, Provider

from writers_factory.ai.catalogue import CATALOGUE, Catalogue
from writers_factory.core.stages import STAGES

Command = tuple[str, str, str]
"""(title shown in the palette, help text, action string run on the app)."""


def workspace_commands(catalogue: Catalogue = CATALOGUE) -> list[Command]:
    """Stage switches, file actions, then the catalogue's palette entries (run by ``ai``)."""
    commands: list[Command] = [
        (f"Stage: {stage.title}", f"Switch to the {stage.title} stage", f"stage('{stage.id}')")
        for stage in STAGES
    ]
    commands += [
        ("New file", "Create a file in the folder selected in the tree", "new_file"),
        ("Rename file", "Rename the selected or current file", "rename_file"),
        ("Delete file", "Move the selected or current file to the trash", "delete_file"),
        ("Close file", "Close the current tab", "close_file"),
        ("Restore last deleted file", "Bring back the file deleted most recently", "restore_last"),
        ("Go to line", "Move the cursor to a line of the open file", "go_to_line"),
        (
            "Spell check: switch on/off",
            "Underline misspelled words in the editor",
            "toggle_spell_check",
        ),
        ("Spell check: suggestions", "Corrections for the word at the cursor", "spelling"),
        ("Spell check: language", "The dictionary's language", "spelling_language"),
        ("Focus mode: enter/leave", "The editor alone in a centred column", "focus_mode"),
        ("Focus mode: column width", "How wide the focus mode column is", "focus_width"),
        (
            "Focus mode: typewriter scrolling on/off",
            "Keep the cursor's line in the middle",
            "typewriter",
        ),
        (
            "Smart quotes and em-dashes: on/off",
            "Curly quotes as you type; -- becomes —",
            "smart_quotes",
        ),
        ("Focus project tree / editor", "Move between the tree and the editor", "toggle_focus"),
        ("Writing statistics", "Words per day, streaks and sessions", "statistics"),
        ("Planning board", "Outline cards beside the story bible; reorder, edit, add", "board"),
        ("Find in this file", "Find and replace in the open file (ctrl+f)", "find"),
        (
            "Find in project",
            "Find and replace across manuscript, reference and planning",
            "project_search",
        ),
        (
            "Undo replace across project",
            "Bring back the files the last replace across the project changed",
            "undo_replace",
        ),
        (
            "Writing targets",
            "Words a day, per session, per chapter, for the manuscript by a deadline",
            "targets",
        ),
        (
            "Settings",
            "Each setting, where it comes from; keep a change here or for all projects (f12)",
            "settings",
        ),
        ("Auto-save: switch on/off", "Stop or resume the timed saves", "toggle_auto_save"),
        ("Auto-save: interval", "How often auto-save writes", "auto_save_interval"),
        ("Snapshot now", "Keep the whole book as it is now, with a message", "snapshot_now"),
        ("History of this chapter", "Its snapshots, a diff with now, restore", "history('file')"),
        (
            "History of the project",
            "Every snapshot of the book, with its diff",
            "history('project')",
        ),
        ("What I wrote today", "The book now against where the day started", "history('today')"),
        (
            "Restore a deleted file from snapshots",
            "Files a snapshot still holds",
            "history('deleted')",
        ),
        (
            "Sync conflict copies",
            "Copies a syncing tool left: compare with the original, take either side, merge",
            "sync_copies",
        ),
    ]
    commands += [
        (
            "Move chapter up",
            "Earlier in the reading order (alt+up in the tree)",
            "move_chapter(-1)",
        ),
        (
            "Move chapter down",
            "Later in the reading order (alt+down in the tree)",
            "move_chapter(1)",
        ),
        (
            "Compile manuscript: DOCX",
            "The whole book as one document, in output/",
            "compile('docx')",
        ),
        (
            "Compile manuscript: DOCX, standard manuscript layout",
            "Double-spaced, 12 pt, header Surname / Title / page, in output/",
            "compile('docx', True)",
        ),
        ("Compile manuscript: EPUB", "The whole book as an e-book, in output/", "compile('epub')"),
        ("Compile manuscript: PDF", "The whole book as a PDF, in output/", "compile('pdf')"),
        ("Compile manuscript: Markdown", "The whole book as one .md file", "compile('md')"),
        ("Compile manuscript: plain text", "The whole book as one .txt file", "compile('txt')"),
    ]
    commands += [(e.palette, e.help, f"ai('{e.id}')") for e in catalogue.palette()]
    return commands


class WorkspaceCommands(Provider):
    """Stage switches, file actions and the catalogue's commands, searchable by name."""

    catalogue: ClassVar[Catalogue] = CATALOGUE

    def _runner(self, action: str) -> Callable[[], object]:
        return partial(self.app.run_action, action)

    async def discover(self) -> Hits:
        for title, help_text, action in workspace_commands(self.catalogue):
            yield DiscoveryHit(title, self._runner(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in workspace_commands(self.catalogue):
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._runner(action), help=help_text)
