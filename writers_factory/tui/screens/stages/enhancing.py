"""Enhancing — compare and choose: the open chapter and a proposed rewrite, side by side,
change by change (paragraph by paragraph); accept or reject each.

The proposal is the AI result waiting for Accept when it rewrites the whole open chapter,
else the rewrite of the latest finished enhance-chapter workflow on it. Accepting a change
replaces those paragraphs in the editor's buffer as one undoable edit (the buffer is saved
and journaled as any typing is); the chapter is then compared afresh. A rejected change is
hidden and never applied. The screen reaches the editor only through its host's callables.

Critique notes (the critiques kept in the chapter as notes, and the newest enhance-chapter
workflow's critique of it) are listed under the changes; Enter on one selects the passage
it quotes (or the paragraph it names) in Writing. v lists the chapter's earlier versions
(the snapshot history): the one chosen becomes the proposal, so paragraphs of an earlier
draft are taken back change by change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from writers_factory.core.critique_notes import Note, kept_critiques, notes, place
from writers_factory.core.paragraph_diff import Hunk, hunks, location, replacement
from writers_factory.tui.screens.stages.base import StageScreen
from writers_factory.tui.screens.stages.chapter_sources import (
    Version,
    chapter_versions,
    latest_step_output,
    version_text,
)
from writers_factory.tui.screens.stages.version_picker import REWRITE, VersionPicker
from writers_factory.tui.widgets.numbered_changes import mark_selected, stepped

if TYPE_CHECKING:
    from writers_factory.tui.widgets.status_bar import StatusBar
    from writers_factory.tui.workspace import Workspace

Location = tuple[int, int]


@dataclass(frozen=True)
class EnhanceHost:
    """What the screen may ask of the app."""

    chapter: Callable[[], tuple[Path, str] | None]
    """The open chapter: its project-relative path and its text in the editor now."""
    pending: Callable[[Path], str | None]
    """A whole-chapter rewrite of that file waiting in the AI pane, if any."""
    apply: Callable[[Path, Location, Location, str, str], bool]
    """Replace (start, end) holding the expected text by the new text, as one undoable edit;
    False when the buffer is gone or that text changed meanwhile."""
    show_place: Callable[[Path, Location, Location], None]
    """Show Writing with (start, end) of the chapter selected."""


@dataclass
class Proposal:
    path: Path
    text: str
    source: str
    rejected: set[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=set)


def latest_rewrite(session_dir: Path, chapter: str) -> str | None:
    """Blocking: the rewrite step's output of the newest finished workflow on ``chapter``
    (in ``session_dir``: the writer's own, a co-author's folder for a co-author)."""
    return latest_step_output(session_dir, chapter, "rewrite")


def critique_notes(session_dir: Path, chapter: str, text: str) -> list[Note]:
    """Blocking: the notes of the critiques kept in ``text`` and of the newest workflow's."""
    critiques = kept_critiques(text)
    analysed = latest_step_output(session_dir, chapter, "analyze")
    if analysed is not None and analysed not in critiques:
        critiques.append(analysed)
    return [note for critique in critiques for note in notes(critique)]


class HunkView(Horizontal):
    """One change: the chapter's paragraphs on the left, the proposal's on the right."""

    DEFAULT_CSS = """
    HunkView { height: auto; margin-bottom: 1; }
    HunkView > Static { width: 1fr; padding: 0 1; }
    HunkView.-selected { background: $boost; border-left: thick $accent; }
    """

    def __init__(self, hunk: Hunk, number: int) -> None:
        super().__init__()
        self.hunk = hunk
        self.number = number

    def compose(self) -> ComposeResult:
        old = Text(f"{self.number}. chapter\n", style="bold")
        old.append("\n\n".join(self.hunk.old) or "(nothing: the rewrite adds)", style="red")
        new = Text(f"{self.number}. proposed\n", style="bold")
        new.append("\n\n".join(self.hunk.new) or "(removed)", style="green")
        yield Static(old)
        yield Static(new)


class EnhancingScreen(StageScreen):
    """The Enhancing stage's screen (app mode ``enhancing``)."""

    STAGE = "enhancing"
    DEFAULT_CSS = """
    EnhancingScreen #en-body { width: 1fr; height: 1fr; }
    EnhancingScreen #en-status { height: auto; padding: 0 1; color: $text-muted; }
    EnhancingScreen #en-changes { height: 1fr; }
    EnhancingScreen #en-notes-box { height: auto; max-height: 40%; display: none; }
    EnhancingScreen #en-notes-box.-open { display: block; border-top: hkey $accent; }
    EnhancingScreen #en-notes { height: auto; max-height: 10; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "select(1)", "Next change", id="enhancing.next"),
        Binding("up,k", "select(-1)", "Previous change", id="enhancing.previous"),
        Binding("y", "accept", "Accept change", id="enhancing.accept"),
        Binding("n", "reject", "Reject change", id="enhancing.reject"),
        Binding("r", "reload", "Compare again", id="enhancing.reload"),
        Binding("v", "versions", "Versions", id="enhancing.versions"),
    ]

    proposal: Proposal | None = None
    changes: list[Hunk]
    selected = 0
    notes: list[Note]
    """The critique notes on the chapter, as last read (in a thread)."""
    notes_for: Path | None = None
    """The chapter they were read for (tests wait on it)."""

    def __init__(
        self,
        workspace: Workspace,
        status: Callable[[], StatusBar | None],
        *,
        id: str,
        host: EnhanceHost,
    ) -> None:
        super().__init__(workspace, status, id=id)
        self.host = host
        self.changes = []
        self.notes = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="en-body"):
            yield Static("", id="en-status", markup=False)
            yield VerticalScroll(id="en-changes", can_focus=True)
            with Vertical(id="en-notes-box"):
                yield Label("Critique notes — Enter goes to the place in the chapter")
                yield OptionList(id="en-notes")

    def on_mount(self) -> None:
        super().on_mount()
        self.action_reload()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.is_mounted:
            self.action_reload()

    def action_reload(self) -> None:
        """Read the open chapter and its proposal again (the writer may have typed)."""
        found = self.host.chapter()
        if found is None:
            self.proposal = None
            self._show_changes("Open a chapter in Writing (f2) to compare it with a rewrite.")
            return
        path, text = found
        self._read_notes(path, text)
        if self.proposal is not None and self.proposal.path == path:
            self._compare()
            return
        pending = self.host.pending(path)
        if pending is not None:
            self.proposal = Proposal(path, pending, "the AI result waiting in the pane")
            self._compare()
            return
        self._find_rewrite(path)

    @work(thread=True, exclusive=True, group="enhancing")
    def _find_rewrite(self, path: Path) -> None:
        text = latest_rewrite(self.workspace.session.paths.root, path.as_posix())
        self.app.call_from_thread(self._found_rewrite, path, text)

    def _found_rewrite(self, path: Path, text: str | None) -> None:
        if text is None:
            self.proposal = None
            self._show_changes(
                f"No rewrite of {path.name} to compare yet. Run “Rewrite” or the "
                "enhance-chapter workflow from the panel; its result shows here."
            )
            return
        self.proposal = Proposal(path, text, "the latest enhance-chapter workflow")
        self._compare()

    def _compare(self) -> None:
        proposal = self.proposal
        if proposal is None:
            return
        found = self.host.chapter()
        if found is None or found[0] != proposal.path:  # another chapter is open now
            self.proposal = None
            self.action_reload()
            return
        _, text = found
        self.changes = [h for h in hunks(text, proposal.text) if h.key not in proposal.rejected]
        self.selected = min(self.selected, max(0, len(self.changes) - 1))
        count = len(self.changes)
        status = (
            f"{proposal.path.name} against {proposal.source}: "
            f"{count} change{'' if count == 1 else 's'} left"
        )
        self._show_changes(status if count else status + " — nothing left to choose.")

    def _show_changes(self, status: str) -> None:
        self.query_one("#en-status", Static).update(status)
        box = self.query_one("#en-changes", VerticalScroll)
        box.remove_children()
        views = [HunkView(h, n) for n, h in enumerate(self.changes, start=1)]
        if views:
            box.mount_all(views)
            self._mark()
        self.settled = True
        self.post_message_trail()

    def post_message_trail(self) -> None:
        proposal = self.proposal
        self.remember(view="compare", selection=None if proposal is None else str(proposal.path))

    def _mark(self) -> None:
        mark_selected(self.query(HunkView), self.selected)

    def action_select(self, step: int) -> None:
        if self.changes:
            self.selected = stepped(self.selected, step, len(self.changes))
            self._mark()

    def action_accept(self) -> None:
        proposal = self.proposal
        found = self.host.chapter()
        if proposal is None or found is None or not self.changes:
            return
        path, text = found
        hunk = self.changes[self.selected]
        start, end, new = replacement(text, hunk)
        if not self.host.apply(
            path, location(text, start), location(text, end), text[start:end], new
        ):
            self.notify(f"{path.name} changed meanwhile; compared again.", severity="warning")
        self._compare()

    def action_reject(self) -> None:
        if self.proposal is None or not self.changes:
            return
        self.proposal.rejected.add(self.changes[self.selected].key)
        self._compare()

    # -- critique notes ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="enhancing-notes")
    def _read_notes(self, path: Path, text: str) -> None:
        found = critique_notes(self.workspace.session.paths.root, path.as_posix(), text)
        self.app.call_from_thread(self._show_notes, path, found)

    def _show_notes(self, path: Path, found: list[Note]) -> None:
        if not self.is_attached:
            return
        self.notes = found
        self.notes_for = path
        listed = self.query_one("#en-notes", OptionList)
        listed.clear_options()
        listed.add_options(Option(note.text, id=f"note-{n}") for n, note in enumerate(found))
        self.query_one("#en-notes-box").set_class(bool(found), "-open")

    @on(OptionList.OptionSelected, "#en-notes")
    def _note_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.go_to_note(event.option_index)

    def go_to_note(self, index: int) -> None:
        """Select the passage note ``index`` refers to in Writing (and its change here)."""
        found = self.host.chapter()
        if found is None or not 0 <= index < len(self.notes):
            return
        path, text = found
        where = place(self.notes[index], text)
        if where is None:
            self.notify(
                f"The passage this note speaks of is not in {path.name} (any more).",
                severity="warning",
            )
            return
        start, end = where
        covering = [n for n, h in enumerate(self.changes) if h.start <= start <= h.end]
        if covering:
            self.selected = covering[0]
            self._mark()
        self.host.show_place(path, location(text, start), location(text, end))

    # -- earlier versions ---------------------------------------------------------------

    def action_versions(self) -> None:
        found = self.host.chapter()
        if found is None:
            self.notify("Open a chapter in Writing (f2) to see its earlier versions.")
            return
        self._list_versions(found[0])

    @work(thread=True, exclusive=True, group="enhancing-versions")
    def _list_versions(self, path: Path) -> None:
        try:
            versions = chapter_versions(self.workspace.project, path.as_posix())
        except Exception as exc:  # a damaged history: say so, the screen stays usable
            self.app.call_from_thread(
                self.notify, f"The history could not be read: {exc}", severity="error"
            )
            return
        self.app.call_from_thread(self._pick_version, path, versions)

    def _pick_version(self, path: Path, versions: list[Version]) -> None:
        labels = {v.id: v.label for v in versions}

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            if choice == REWRITE:
                self.proposal = None
                self.action_reload()
                return
            self._load_version(path, choice, labels.get(choice, choice[:8]))

        self.app.push_screen(VersionPicker(path.name, versions), chosen)

    @work(thread=True, exclusive=True, group="enhancing-versions")
    def _load_version(self, path: Path, snapshot_id: str, label: str) -> None:
        text = version_text(self.workspace.project, snapshot_id, path.as_posix())
        self.app.call_from_thread(self._compare_with_version, path, text, label)

    def _compare_with_version(self, path: Path, text: str | None, label: str) -> None:
        if text is None:
            self.notify(f"That version holds no {path.name}.", severity="warning")
            return
        self.proposal = Proposal(path, text, f"the version of {label}")
        self.selected = 0
        self._compare()

    def trail_tail(self) -> list[str]:
        found = self.host.chapter()
        return [] if found is None else [found[0].name]
