"""Creation — the planning board: the outline's cards beside the story bible's entries.

Cards are the ``## `` headings of ``planning/outline.md`` with what each chapter must do
(``core/outline.py``); the bible's entries are the ``## `` headings of ``reference/``. Open,
edit, add and reorder cards: every change rewrites the outline through the durable path, in
a thread, and only when the file on disk is still the one the board read (an outline edited
meanwhile, or open with unsaved changes in the editor, is never overwritten).

The stage panel's AI actions (outline, characters, world, premise) answer here, not in the
editor: the answer is cut into proposed cards (``core/proposals.py``) listed under the
board; y keeps the highlighted one (the outline gains a card, or the story-bible or
planning file its action names gains a section), n leaves it and no file is touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from writers_factory.ai.analysis import natural_key
from writers_factory.core.analysis.characters import character_names
from writers_factory.core.outline import Outline, make_card, parse_outline
from writers_factory.core.proposals import DESTINATIONS, Proposal, proposals
from writers_factory.store.base.durable import write_text_atomic
from writers_factory.tui.screens.stages.base import OpenChapter, StageScreen
from writers_factory.tui.screens.stages.card_editor import CardEditor, CardText
from writers_factory.tui.screens.stages.proposed import (
    AskAI,
    FileChanged,
    ProposedCards,
    keep_section,
)
from writers_factory.tui.widgets.messages import OperationRequested

if TYPE_CHECKING:
    from writers_factory.tui.widgets.status_bar import StatusBar
    from writers_factory.tui.workspace import Workspace

OUTLINE = Path("planning") / "outline.md"
REFERENCE = "reference"
VIEW = "board"


@dataclass(frozen=True)
class BibleEntry:
    path: str
    """Project-relative file."""
    name: str


@dataclass(frozen=True)
class Board:
    outline: Outline
    text: str | None
    """The outline file's text as read (None: no file yet): a write checks it is unchanged."""
    bible: list[BibleEntry]


def read_board(project: Path) -> Board:
    """Blocking (run in a thread): the outline and the bible's entries."""
    try:
        text: str | None = (project / OUTLINE).read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    outline = parse_outline(text or "")
    bible: list[BibleEntry] = []
    folder = project / REFERENCE
    files = sorted(
        (p for p in folder.rglob("*.md") if p.is_file()) if folder.is_dir() else [],
        key=lambda p: natural_key(p.relative_to(folder)),
    )
    for path in files:
        try:
            names = character_names(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        relative = path.relative_to(project).as_posix()
        bible += [BibleEntry(relative, name) for name in names]
    return Board(outline, text, bible)


class OutlineChanged(Exception):
    """The outline on disk is not the one the board read: nothing was written."""


def write_outline(project: Path, expected: str | None, outline: Outline) -> str:
    """Blocking: write ``outline`` durably if the file still holds ``expected``."""
    path = project / OUTLINE
    try:
        current: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    if current != expected:
        raise OutlineChanged(f"{OUTLINE.as_posix()} changed since the board read it")
    text = outline.text()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return text


class CreationBoard(StageScreen):
    """The planning board (app mode ``board``), a view of the Creation stage."""

    STAGE = "creation"
    DEFAULT_CSS = """
    CreationBoard #board-body { width: 1fr; height: 1fr; }
    CreationBoard #board-columns { height: 2fr; }
    CreationBoard .board-column { width: 1fr; height: 1fr; }
    CreationBoard .board-heading { text-style: bold; padding: 0 1; }
    CreationBoard OptionList { height: 1fr; }
    CreationBoard #board-detail-scroll { height: 1fr; min-height: 3; border-top: hkey $panel; }
    CreationBoard #board-detail { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.leave_board", "Back to files", id="board.leave"),
        Binding("a", "add_card", "Add card", id="board.add"),
        Binding("e", "edit_card", "Edit card", id="board.edit"),
        Binding("alt+up", "move_card(-1)", "Move up", id="board.up"),
        Binding("alt+down", "move_card(1)", "Move down", id="board.down"),
        Binding("y", "keep_proposal", "Keep proposed", id="board.keep"),
        Binding("n", "leave_proposal", "Leave proposed", id="board.leave_proposal"),
    ]

    board: Board | None = None
    _restoring = True
    _writes = 0
    _writing = False
    # what the writer asked for while a change was being written: done after it, in order,
    # against the outline as written (refusing it lost a card typed a moment too soon)
    _waiting: list[Callable[[], None]]
    """A change is being written: the next waits for it (it builds on what it wrote)."""
    """Writes started so far: a read begun before the latest write shows nothing (it may
    hold the file as it was, and the board would then refuse the next change)."""

    def __init__(
        self,
        workspace: Workspace,
        status: Callable[[], StatusBar | None],
        *,
        id: str,
        ask_ai: AskAI | None = None,
    ) -> None:
        super().__init__(workspace, status, id=id)
        self.ask_ai = ask_ai
        """Runs a board AI action and hands its answer back (``AIController.propose``)."""
        self.asking: str | None = None
        """The AI action whose answer is awaited."""

    def compose_body(self) -> ComposeResult:
        with Vertical(id="board-body"):
            with Horizontal(id="board-columns"):
                with Vertical(classes="board-column"):
                    yield Label("Outline (planning/outline.md)", classes="board-heading")
                    yield OptionList(id="board-outline")
                with Vertical(classes="board-column"):
                    yield Label("Story bible (reference/)", classes="board-heading")
                    yield OptionList(id="board-bible")
            yield ProposedCards()
            with VerticalScroll(id="board-detail-scroll"):
                yield Static("", id="board-detail", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self._read(self._writes)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.board is not None:
            self._read(self._writes)  # the outline may have been edited in Writing meanwhile

    # -- reading and writing -------------------------------------------------------------

    @work(thread=True, group="board")
    def _read(self, writes: int) -> None:
        board = read_board(self.workspace.project)
        self.app.call_from_thread(self._show_read, board, writes)

    def _show_read(self, board: Board, writes: int) -> None:
        if writes == self._writes:  # no write began since this read did
            self._show(board)

    def _show(self, board: Board, selected: int | None = None) -> None:
        if not self.is_attached:
            return
        self.board = board
        cards = self.query_one("#board-outline", OptionList)
        keep = cards.highlighted if selected is None else selected
        cards.clear_options()
        cards.add_options(
            Option(f"{n + 1}. {card.title}", id=f"card-{n}")
            for n, card in enumerate(board.outline.cards)
        )
        bible = self.query_one("#board-bible", OptionList)
        bible.clear_options()
        bible.add_options(
            Option(f"{entry.name}  ({Path(entry.path).name})", id=f"bible-{n}")
            for n, entry in enumerate(board.bible)
        )
        if self._restoring:
            self._restoring = False
            keep = self._remembered_index()
            cards.focus()
        if board.outline.cards:
            cards.highlighted = min(keep or 0, len(board.outline.cards) - 1)
        self._show_detail()
        self.settled = True

    def _remembered_index(self) -> int | None:
        selection = self.view_state.selection
        if self.board is None or selection is None:
            return None
        titles = [c.title for c in self.board.outline.cards]
        return titles.index(selection) if selection in titles else None

    def _write(
        self,
        outline: Outline,
        selected: int,
        done: str,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Write ``outline`` (in a thread); ``then`` runs once it is on disk."""
        board = self.board
        if board is None:
            return
        doc = self.workspace.documents.get(OUTLINE)
        if doc is not None and doc.dirty:
            self.notify(
                f"{OUTLINE.as_posix()} has unsaved changes in the editor: save them first "
                "(ctrl+s), then change the board.",
                severity="warning",
            )
            return
        if self._writing:
            self.notify("Still writing the last change to the outline…", timeout=2)
            return
        self._writing = True
        self._writes += 1
        self._write_in_thread(board.text, outline, selected, done, then)

    @work(thread=True, group="board-write")
    def _write_in_thread(
        self,
        expected: str | None,
        outline: Outline,
        selected: int,
        done: str,
        then: Callable[[], None] | None,
    ) -> None:
        project = self.workspace.project
        try:
            text = write_outline(project, expected, outline)
        except (OSError, OutlineChanged) as exc:
            board = read_board(project)
            self.app.call_from_thread(self._write_failed, board)
            self.app.call_from_thread(
                self.notify,
                f"Not written: {exc}. The board shows the file as it is now.",
                severity="error",
            )
            return
        fresh = Board(parse_outline(text), text, self.board.bible if self.board else [])
        self.app.call_from_thread(self._after_write, fresh, selected, done, then)

    def _write_failed(self, board: Board) -> None:
        self._writing = False
        self._show(board)
        self._run_waiting()

    def _after_write(
        self, board: Board, selected: int, done: str, then: Callable[[], None] | None
    ) -> None:
        self._writing = False
        self._show(board, selected)
        self._remember_selection()
        self.notify(done, timeout=3)
        if then is not None:
            then()
        self._run_waiting()

    def _wait_for_write(self, action: Callable[[], None]) -> bool:
        """Keep ``action`` for after the write in flight, if there is one."""
        if not self._writing:
            return False
        self._waiting = [*getattr(self, "_waiting", []), action]
        return True

    def _run_waiting(self) -> None:
        waiting, self._waiting = getattr(self, "_waiting", []), []
        for action in waiting:
            action()  # the first starts a write; the others wait for it in turn

    # -- actions ---------------------------------------------------------------------------

    @property
    def selected_card(self) -> int | None:
        cards = self.query_one("#board-outline", OptionList)
        return cards.highlighted if self.board and self.board.outline.cards else None

    def action_move_card(self, step: int) -> None:
        if self._wait_for_write(lambda: self.action_move_card(step)):
            return
        index = self.selected_card
        if self.board is None or index is None:
            return
        if not self.board.outline.headed:
            self.notify("The outline has no ## headings to reorder; add a card (a) first.")
            return
        target = max(0, min(len(self.board.outline.cards) - 1, index + step))
        if target == index:
            return
        moved = self.board.outline.moved(index, step)
        self._write(moved, target, f"Moved “{moved.cards[target].title}”.")

    def action_edit_card(self) -> None:
        index = self.selected_card
        if self.board is None or index is None:
            return
        card = self.board.outline.cards[index]
        self.app.push_screen(
            CardEditor("Edit card", card.title, card.summary),
            lambda result: self._edited(index, result),
        )

    def action_add_card(self) -> None:
        if self.board is None:
            return
        count = len(self.board.outline.cards)
        self.app.push_screen(
            CardEditor("New card", f"Chapter {count + 1}"),
            lambda result: self._edited(count, result),
        )

    def _edited(
        self, index: int, result: CardText | None, then: Callable[[], None] | None = None
    ) -> None:
        if result is None or self.board is None:
            return
        if self._wait_for_write(lambda: self._edited(index, result, then)):
            return
        outline = self.board.outline
        if not outline.headed and outline.cards and index < len(outline.cards):
            self.notify("Only ## headings can be edited here; edit the list in Writing.")
            return
        title, body = result
        changed = outline.with_card(index, make_card(title, body))
        if not outline.headed:  # the first ## card of a list outline: the list stays above
            changed = Outline(outline.preamble, changed.cards[-1:], True)
        index = min(index, len(changed.cards) - 1)
        self._write(changed, index, f"Card “{title}” kept.", then)

    # -- AI proposals ----------------------------------------------------------------------

    @on(OperationRequested)
    def _panel_asked(self, event: OperationRequested) -> None:
        """A board AI action from the stage panel: its answer comes back here as cards."""
        if event.operation in DESTINATIONS and self.ask_ai is not None:
            event.stop()
            self.ask_for_cards(event.operation)

    def ask_for_cards(self, action: str) -> None:
        if self.ask_ai is None:
            return
        if self.asking is not None:
            self.notify("Still waiting for the last answer (ctrl+b cancels it).")
            return
        if self.ask_ai(action, lambda answer: self._answered(action, answer)):
            self.asking = action
            self.query_one(ProposedCards).waiting(action)

    def _answered(self, action: str, answer: str | None) -> None:
        self.asking = None
        if not self.is_attached:
            return
        found = proposals(action, answer) if answer else []
        cards = self.query_one(ProposedCards)
        cards.add(found)
        if not found:
            self.notify("Nothing was proposed (the call was cancelled, refused or empty).")
            return
        count = len(found)
        self.notify(
            f"{count} proposed card{'' if count == 1 else 's'}: y keeps one, n leaves it.",
            timeout=4,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("keep_proposal", "leave_proposal"):
            return self.is_mounted and self.query_one(ProposedCards).current is not None
        return True

    def action_leave_proposal(self) -> None:
        cards = self.query_one(ProposedCards)
        proposal = cards.current
        if proposal is not None:
            cards.drop(proposal)
            self.notify(f"Left “{proposal.title}”; no file was changed.", timeout=3)

    def action_keep_proposal(self) -> None:
        cards = self.query_one(ProposedCards)
        proposal = cards.current
        if proposal is None or self.board is None:
            return
        if proposal.action == "outline":
            count = len(self.board.outline.cards)
            self._edited(count, (proposal.title, proposal.body), lambda: cards.drop(proposal))
            return
        doc = self.workspace.documents.get(Path(proposal.destination))
        if doc is not None and doc.dirty:
            self.notify(
                f"{proposal.destination} has unsaved changes in the editor: save them first "
                "(ctrl+s), then keep the card.",
                severity="warning",
            )
            return
        self._keep_in_file(proposal)

    @work(thread=True, group="board-keep")
    def _keep_in_file(self, proposal: Proposal) -> None:
        project = self.workspace.project
        try:
            keep_section(project, proposal)
        except (OSError, FileChanged) as exc:
            self.app.call_from_thread(
                self.notify, f"Not kept: {exc}. The card stays proposed.", severity="error"
            )
            return
        self.app.call_from_thread(self._kept, proposal)

    def _kept(self, proposal: Proposal) -> None:
        if not self.is_attached:
            return
        self.query_one(ProposedCards).drop(proposal)
        self.notify(f"“{proposal.title}” added to {proposal.destination}.", timeout=3)
        self._read(self._writes)  # the bible column shows a new character or place

    # -- selection -------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#board-outline")
    def _card_moved(self, event: OptionList.OptionHighlighted) -> None:
        self._show_detail()
        if not self._restoring:
            self._remember_selection()

    @on(OptionList.OptionHighlighted, "#board-bible")
    def _entry_moved(self, event: OptionList.OptionHighlighted) -> None:
        if self.board is not None and event.option_index < len(self.board.bible):
            entry = self.board.bible[event.option_index]
            self.query_one("#board-detail", Static).update(
                f"{entry.name} — {entry.path}\nEnter opens the file in Writing."
            )

    @on(OptionList.OptionHighlighted, "#board-proposed")
    def _proposal_moved(self, event: OptionList.OptionHighlighted) -> None:
        proposal = self.query_one(ProposedCards).current
        if proposal is not None:
            self.query_one("#board-detail", Static).update(
                f"Proposed for {proposal.destination}: {proposal.title}\n\n"
                f"{proposal.body or '(nothing written on the card)'}"
            )

    @on(OptionList.OptionSelected, "#board-proposed")
    def _proposal_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_keep_proposal()

    @on(OptionList.OptionSelected, "#board-outline")
    def _card_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit_card()

    @on(OptionList.OptionSelected, "#board-bible")
    def _entry_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.board is not None and event.option_index < len(self.board.bible):
            self.post_message(OpenChapter(self.board.bible[event.option_index].path))

    def _show_detail(self) -> None:
        index = self.selected_card
        detail = self.query_one("#board-detail", Static)
        if self.board is None or index is None:
            detail.update("No cards yet: a adds one (a ## heading in planning/outline.md).")
            return
        card = self.board.outline.cards[index]
        detail.update(f"{card.title}\n\n{card.summary or '(nothing written on the card)'}")

    def _remember_selection(self) -> None:
        index = self.selected_card
        title = (
            None if index is None or self.board is None else self.board.outline.cards[index].title
        )
        self.remember(view=VIEW, selection=title)

    def trail_tail(self) -> list[str]:
        tail = ["Board"]
        if self.view_state.selection:
            tail.append(self.view_state.selection)
        return tail
