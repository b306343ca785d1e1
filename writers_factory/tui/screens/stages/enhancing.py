"""Enhancing — compare and choose: the open chapter and a proposed rewrite, side by side,
change by change (paragraph by paragraph); accept or reject each.

The proposal is the AI result waiting for Accept when it rewrites the whole open chapter,
else the rewrite of the latest finished enhance-chapter workflow on it. Accepting a change
replaces those paragraphs in the editor's buffer as one undoable edit (the buffer is saved
and journaled as any typing is); the chapter is then compared afresh. A rejected change is
hidden and never applied. The screen reaches the editor only through its host's callables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from writers_factory.core.paragraph_diff import Hunk, hunks, location, replacement
from writers_factory.tui.screens.stages.base import StageScreen

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


@dataclass
class Proposal:
    path: Path
    text: str
    source: str
    rejected: set[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=set)


def latest_rewrite(session_dir: Path, chapter: str) -> str | None:
    """Blocking: the rewrite step's output of the newest finished workflow on ``chapter``
    (in ``session_dir``: the writer's own, a co-author's folder for a co-author)."""
    from writers_factory.ai.workflows import WorkflowFileError, load_workflow, workflows_dir

    folder = workflows_dir(session_dir)
    best: tuple[str, str] | None = None
    for path in folder.glob("*.json") if folder.is_dir() else []:
        try:
            record = load_workflow(path)
        except WorkflowFileError:
            continue
        step = next((s for s in record.steps if s.name == "rewrite"), None)
        if record.status != "finished" or record.inputs.get("path") != chapter:
            continue
        if step is None or step.output is None:
            continue
        stamp = record.updated.isoformat()
        if best is None or best[0] < stamp:
            best = (stamp, step.output)
    return None if best is None else best[1]


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
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "select(1)", "Next change", id="enhancing.next"),
        Binding("up,k", "select(-1)", "Previous change", id="enhancing.previous"),
        Binding("y", "accept", "Accept change", id="enhancing.accept"),
        Binding("n", "reject", "Reject change", id="enhancing.reject"),
        Binding("r", "reload", "Compare again", id="enhancing.reload"),
    ]

    proposal: Proposal | None = None
    changes: list[Hunk]
    selected = 0

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

    def compose_body(self) -> ComposeResult:
        with Vertical(id="en-body"):
            yield Static("", id="en-status", markup=False)
            yield VerticalScroll(id="en-changes", can_focus=True)

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
        path, _ = found
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
        for view in self.query(HunkView):
            chosen = view.number - 1 == self.selected
            view.set_class(chosen, "-selected")
            if chosen:
                view.scroll_visible(animate=False)

    def action_select(self, step: int) -> None:
        if self.changes:
            self.selected = max(0, min(len(self.changes) - 1, self.selected + step))
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

    def trail_tail(self) -> list[str]:
        found = self.host.chapter()
        return [] if found is None else [found[0].name]
