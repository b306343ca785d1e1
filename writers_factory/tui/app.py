"""The Writers Factory workspace: stages, project tree, tabbed editor, breadcrumbs, footer.

The workspace screen serves Writing (and Creation, besides its planning board); Enhancing,
Analyzing and Scoring have screens of their own, each an app mode (see ``core/stages.py``):
switching stage changes the mode, the stage bar, the operations panel and the breadcrumbs,
never the open files.

Seams for the saving layer (and others) — hook these rather than reaching into widgets:

Messages posted to the app (define ``on_<name>`` handlers on the App):
  ``BufferEdited(path, revision)``   the writer changed an open file (not on load); the text
  and its state are in the file's ``Document`` (``workspace.documents``); bursts coalesce;
  ``FileSwitched(path, previous)`` another tab became active (``None`` when none is left);
  ``StageChanged(stage, previous)``; ``FileRenamed(old, new)``;
  ``SignificantAction(kind, path)`` after which everything should be saved: kinds
  ``stage``, ``file_switch``, ``file_created``, ``file_renamed``, ``file_deleted``,
  ``file_restored``; other layers may post ``model`` and ``operation`` themselves.
  All paths are project-relative (``widgets/messages.py``).

Methods:
  ``open_buffers() -> list[OpenBuffer]``  every open file: path, text, cursor, dirty flag
      and the ``FileBuffer`` (disk state at load, for conflict-checked saves);
  ``await open_with_text(path, text, cursor, dirty=True)``  open a file showing the given
      text rather than the file's, marked unsaved;
  ``await ask_ownership() -> bool``  first at start: someone else's lock on the project
      (read-only, take over or quit, ``controllers/ownership.py``); False = quit;
  ``await before_restore() -> bool``  runs at start before the normal restore; return False
      to skip it (crash recovery decides here, ``controllers/recovery.py``;
      it runs in a worker, so questions can be awaited);
  ``await restore_workspace()``  reopen files at their cursors, the stage, screen, crumbs;
  ``await before_close(buffer) -> bool``  asked before a tab closes (default: refuse when
      the buffer is dirty);
  ``self.shutdown`` (``controllers/shutdown.py``): the one way out — ctrl+q, SIGTERM and
      SIGHUP run its sequence once; ``on_unmount`` runs its synchronous fallback.
  ``update_breadcrumbs()``  recompute the trail from stage and active file, and save it.
  ``self.ready`` is an ``asyncio.Event`` set when start-up (restore) is finished; then
  interrupted AI workflows are offered (``controllers/workflows.py``). Before it,
  ``workspace.restored`` is set as soon as the last session's files are open again and keys
  reach the editor (costs, history and the watcher still loading).
  ``self.workspace`` (``workspace.py``): the session, preferences, the one ``CostTracker``
  (``self.cost_tracker``; costs.json has a single writer per app) and the history, shared
  with the controllers (``controllers/``), which reach the app only through ``self.ui``
  (``app_ui.py``, the ports of ``controllers/ports.py``).
  ``self.editor`` (``widgets/editor.py``): ``buffers()``, ``find(path)``, ``active``,
  ``read_only`` (new tabs read-only); ``self.files`` (``controllers/files.py``).
  The status bar slot is marked in ``compose``. ``CSS_PATH`` is absolute; make it a list
  to add stylesheets.

Keys (binding ids for ``preferences.json`` → ``keybindings``): ``stage.creation`` …
``stage.scoring`` (f1–f5), ``focus.toggle`` (ctrl+o), ``file.new`` (ctrl+n),
``file.rename`` (ctrl+r), ``file.delete`` (f8), ``file.close`` (alt+w), ``file.next`` /
``file.previous`` (ctrl+pagedown / ctrl+pageup), ``history`` (alt+h: the open chapter's
snapshots), ``edit.goto_line`` (ctrl+g), ``spelling.suggest`` (alt+s), ``view.focus``
(f11, Escape leaves: ``view.focus_leave``), ``edit.find`` (ctrl+f: the find bar),
``search.project`` (alt+f: find and replace across the project), ``board`` (alt+b: the
planning board), ``app.quit`` (ctrl+q), ``modal.cancel``.

Imports: at module level, only what start-up needs until the writer can type (the last
session's chapter open again, its cursor back); every other controller is a
``cached_property`` that imports its module in its body and is made when first used (a key,
or the loading that follows the first paint), its type imported under ``TYPE_CHECKING``.
Controllers do the same for the screens they show on demand. Importing a module is memory
the writer keeps, and time before the first keys (``tests/tui/test_app_startup_cost.py``
names what start-up must not import).

Stage screens: each stage is an app mode (``STAGE_MODES``); the workspace screen is the
``workspace`` mode, made once — ``self.editor`` and the controllers' views always reach it,
whichever mode shows (see ``docs/architecture.md``, "Stage screens").
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import cached_property
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Event, Key, Resize
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import DirectoryTree, Footer, TextArea
from textual.widgets.text_area import Selection
from textual.worker import WorkerCancelled, WorkerFailed

from writers_factory.ai.tokens import count_in_helper_process
from writers_factory.core.stages import STAGES, stage_for
from writers_factory.store.manuscript.buffers import FileBuffer, UnreadableFileError
from writers_factory.store.manuscript.documents import NONE, Document
from writers_factory.store.manuscript.journal import Journal
from writers_factory.tui import gc_policy
from writers_factory.tui.app_ui import AppUI
from writers_factory.tui.commands import WorkspaceCommands
from writers_factory.tui.controllers.counts import OpenFileWords
from writers_factory.tui.controllers.focus import FocusMode
from writers_factory.tui.controllers.ownership import OwnershipDecision, OwnershipQuestion
from writers_factory.tui.controllers.preference_switch import remember
from writers_factory.tui.controllers.recovery import StartDecision, StartupChecks
from writers_factory.tui.controllers.saving import SaveCoordinator
from writers_factory.tui.controllers.shutdown import Shutdown
from writers_factory.tui.controllers.snapshots import SnapshotKeeper
from writers_factory.tui.first_paint import FirstPaint
from writers_factory.tui.made_once import made_once
from writers_factory.tui.screens.stages.base import OpenChapter, StageScreen, TrailChanged
from writers_factory.tui.themes import (
    BUNDLED_THEMES_DIR,
    ThemeFileError,
    load_theme_dir,
    user_themes_dir,
)
from writers_factory.tui.widgets.breadcrumbs import Breadcrumbs, trail_for
from writers_factory.tui.widgets.editor import BufferArea, Editor, OpenBuffer, prepare_highlighting
from writers_factory.tui.widgets.messages import (
    AIPaneOpened,
    BufferEdited,
    FileRenamed,
    FileSwitched,
    OpenFileCounted,
    OperationRequested,
    SignificantAction,
    StageChanged,
)
from writers_factory.tui.widgets.outline_card import MIN_WIDTH, OutlineCard, read_chapter_card
from writers_factory.tui.widgets.project_tree import ProjectTree
from writers_factory.tui.widgets.stage_bar import StageBar
from writers_factory.tui.widgets.stage_panel import StagePanel
from writers_factory.tui.widgets.status_bar import StatusBar
from writers_factory.tui.workspace import Workspace

if TYPE_CHECKING:
    from writers_factory.store import Preferences, Session
    from writers_factory.store.costs.tracker import CostTracker
    from writers_factory.tui.controllers.ai import AIController
    from writers_factory.tui.controllers.autosave import AutoSaveSettings
    from writers_factory.tui.controllers.backups import AutomaticBackups
    from writers_factory.tui.controllers.compiling import Compiling
    from writers_factory.tui.controllers.files import FileActions
    from writers_factory.tui.controllers.goto import GoToLine
    from writers_factory.tui.controllers.history import HistoryController
    from writers_factory.tui.controllers.order import OrderActions
    from writers_factory.tui.controllers.project_search import ProjectSearch
    from writers_factory.tui.controllers.settings import SettingsController
    from writers_factory.tui.controllers.spelling import SpellingController
    from writers_factory.tui.controllers.sync_copies import SyncCopies
    from writers_factory.tui.controllers.targets import TargetsController
    from writers_factory.tui.controllers.watching import ProjectWatch
    from writers_factory.tui.controllers.writing import WritingActivity

W = TypeVar("W", bound=Widget)

SCREEN_NAMES = ("tree", "editor", "operations")
"""What ``current_state.screen`` records: the part of the workspace that had the focus."""
TRAILING_WORK = frozenset({"snapshots", "backups", "tree-count"})
"""Worker groups start-up leaves running as it ends (``_settle_after_trailing_work``)."""


def _bindings() -> list[BindingType]:
    """The app's keys. All are priority bindings: checked before the focused widget's own, so
    the editor's defaults (TextArea binds f6 to select line, f7 to select all) never take a
    key the app uses, whatever keymap the writer chose. Typing still wins: Textual drops a
    priority binding on a printable key while a text widget has focus."""
    stage_keys: list[BindingType] = [
        Binding(s.key, f"stage('{s.id}')", s.title, id=s.binding_id, show=False, priority=True)
        for s in STAGES
    ]  # shown with their keys in the stage bar rather than the footer
    return [
        *stage_keys,
        Binding("ctrl+o", "toggle_focus", "Files", id="focus.toggle", priority=True),
        Binding("ctrl+n", "new_file", "New", id="file.new", priority=True),
        Binding("ctrl+r", "rename_file", "Rename", id="file.rename", priority=True),
        Binding("f8", "delete_file", "Delete", id="file.delete", priority=True),
        Binding("alt+w", "close_file", "Close", id="file.close", show=False, priority=True),
        Binding("ctrl+pagedown", "next_file", "Next", id="file.next", show=False, priority=True),
        Binding(
            "ctrl+pageup", "previous_file", "Prev", id="file.previous", show=False, priority=True
        ),
        Binding("f6", "ai('models')", "Models", id="ai.models", show=False, priority=True),
        Binding("f7", "ai('ask_bible')", "Ask bible", id="ai.bible", show=False, priority=True),
        Binding(
            "f9", "ai('local_analysis')", "Analysis", id="ai.analysis", show=False, priority=True
        ),
        Binding("ctrl+b", "ai('cancel')", "Stop AI", id="ai.cancel", show=False, priority=True),
        Binding("f10", "statistics", "Statistics", id="statistics", show=False, priority=True),
        Binding("alt+b", "board", "Board", id="board", show=False, priority=True),
        Binding("alt+t", "targets", "Targets", id="targets", show=False, priority=True),
        Binding("f12", "settings", "Settings", id="settings", show=False, priority=True),
        Binding("alt+h", "history('file')", "History", id="history", show=False, priority=True),
        Binding(
            "ctrl+g", "go_to_line", "Go to line", id="edit.goto_line", show=False, priority=True
        ),
        Binding("alt+s", "spelling", "Spelling", id="spelling.suggest", show=False, priority=True),
        Binding("f11", "focus_mode", "Focus", id="view.focus", show=False, priority=True),
        Binding(
            "escape",
            "leave_focus_mode",
            "Leave focus",
            id="view.focus_leave",
            show=False,
            priority=True,
        ),
        Binding("escape", "close_ai_message", "Close AI", id="ai.close", show=False, priority=True),
        Binding("ctrl+s", "save", "Save", id="file.save", priority=True),
        Binding("ctrl+f", "find", "Find", id="edit.find", show=False, priority=True),
        Binding(
            "alt+f",
            "project_search",
            "Find in project",
            id="search.project",
            show=False,
            priority=True,
        ),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]


NOT_OVER_MODALS: frozenset[tuple[str, tuple[object, ...]]] = frozenset(
    {
        ("ai", ("models",)),
        ("ai", ("ask_bible",)),
        ("ai", ("local_analysis",)),
        ("statistics", ()),
        ("targets", ()),
        ("settings", ()),
        ("history", ("file",)),
        ("go_to_line", ()),
        ("spelling", ()),
        ("focus_mode", ()),
        ("leave_focus_mode", ()),
        ("find", ()),
        ("project_search", ()),
    }
)
"""Actions (name, parameters) of keys that were ordinary bindings before they had to win over
the editor's: over an open question (a modal screen) they still reach the question, not the
app (F7 in the bible question must not open a second one). The other keys act everywhere,
as they always did."""


class WorkspaceScreen(Screen[None]):
    """The app's screen. Without auto-focus: Textual's default (the app's ``AUTO_FOCUS``,
    "*") focuses the first focusable widget, the project tree, as soon as the screen is
    composed; the tree then kept the keys while the last session's files reopened, with
    the chapter already on screen. Start-up places the focus itself (``restore_workspace``).
    Question screens keep the app's auto-focus."""

    AUTO_FOCUS = ""

    def on_resize(self, event: Resize) -> None:
        """A resize to the size the screen is already laid out at changes nothing: Textual
        lays the whole screen out again and renders it all the same. The terminal says its
        size two or three times as the app starts (each a full layout and paint of the
        workspace, while the session loads); only a size that differs is laid out again."""
        if event.size == self._compositor.size:
            event.prevent_default()  # not Screen's own handler


WORKSPACE_MODE = "workspace"
"""The app mode of the workspace screen (tree, editor): Writing, and the stages that have no
screen of their own yet."""
BOARD_MODE = "board"
"""The planning board: the Creation stage's own screen, opened from Creation (alt+b) and
shown again by f1 while the writer left it open (the workspace stays Creation's other view,
where the new project's first files are written)."""
FILES_VIEW = "files"
"""Creation's remembered view once the writer left the board for the files: f1 then keeps
to the workspace (alt+b shows the board again)."""
STAGE_MODES: dict[str, str] = {
    "enhancing": "enhancing:EnhancingScreen",
    "analyzing": "analyzing:AnalyzingScreen",
    "scoring": "scoring:ScoringScreen",
}
"""Stages with a screen of their own, each an app mode (its own screen stack) of that name:
module (under ``tui/screens/stages/``) and class, imported when first shown (start-up
imports none of them)."""
MODE_SCREENS: dict[str, str] = {**STAGE_MODES, BOARD_MODE: "creation:CreationBoard"}


WORKSPACE_ONLY = frozenset(
    {
        "toggle_focus",
        "new_file",
        "rename_file",
        "delete_file",
        "close_file",
        "next_file",
        "previous_file",
        "go_to_line",
        "spelling",
        "focus_mode",
        "leave_focus_mode",
        "find",
    }
)
"""Actions on the project tree and the editor (its tabs, lines, spelling, focus mode): not
offered on a stage screen, which hides them."""


class WritersFactoryApp(App[int]):
    """The workspace on one project folder."""

    CSS_PATH = str(Path(__file__).parent / "app.tcss")
    """Absolute, so subclasses elsewhere (tests) find it; make it a list to add stylesheets."""
    TITLE = "Writers Factory"
    DEFAULT_MODE: ClassVar[str] = WORKSPACE_MODE
    COMMANDS: ClassVar = App.COMMANDS | {WorkspaceCommands}
    BINDINGS: ClassVar[list[BindingType]] = _bindings()

    def __init__(
        self,
        project: Path,
        *,
        session: Session | None = None,
        preferences: Preferences | None = None,
        user_themes: Path | None = None,
        author: str | None = None,
    ) -> None:
        super().__init__()
        gc_policy.hold()  # until start-up is over (``gc_policy.py``)
        self.first_paint = FirstPaint(self)
        """No paint until the last session's chapter is open again (``first_paint.py``)."""
        self.workspace_screen: WorkspaceScreen | None = None
        """The one workspace screen (its editor is never re-created: modes only hide it)."""
        self._outline_card: OutlineCard | None = None
        """Held from the compose: asking the workspace screen for it walks its whole DOM
        (at every tab switch and count)."""
        self._card_reads = False
        """The outline card may read (the outline, the chapters' list): not before the
        reopened chapter is painted (``_read_after_first_paint``)."""
        self.add_mode(WORKSPACE_MODE, self.get_default_screen)
        self._stage_screens: dict[str, StageScreen] = {}
        """The stage screens made so far, by mode."""
        for mode in MODE_SCREENS:
            self.add_mode(mode, self._stage_screen_factory(mode))
        # building the token encoding would hold the interpreter lock (and this loop) for a
        # fifth of a second or more: this app counts tokens in a helper process, started at
        # the first count (never during start-up), its first start run on this app's loop
        count_in_helper_process(True, on_loop=self._soon_on_loop)
        self.workspace = Workspace(project, session=session, preferences=preferences, author=author)
        """What the controllers share: the store objects and the open documents."""
        self.user_themes = user_themes_dir() if user_themes is None else user_themes
        self.stage_id = stage_for(None).id
        self._restoring = False
        self._session_closed = False
        self._typeahead: list[Key] | None = None
        """Keys pressed while the workspace reopens, kept for the focus it reopens to."""
        self._session_gate = threading.Lock()
        """Orders closing the session against a session still opening in a thread."""
        self.ui = AppUI(self, self.open_path, self.update_breadcrumbs)
        """The controllers' view of this app (their ``UI`` and ``Views`` ports)."""
        workspace, ui = self.workspace, self.ui
        self.snapshots = SnapshotKeeper(workspace, ui)
        """The one snapshot worker (``controllers/snapshots.py``); asked, never waited on."""
        self.open_words = OpenFileWords(workspace, ui, ui)
        """The status bar's words of the open file and selection (``controllers/counts.py``)."""
        self.focus_mode = FocusMode(workspace, ui, ui)
        """The editor alone in a centred column (``controllers/focus.py``)."""
        self.saving: SaveCoordinator | None = None
        """Journal, auto-save and conflicts (``controllers/saving.py``), made at start-up."""
        self.recovery: StartupChecks | None = None
        """The start-up questions and crash recovery (``controllers/recovery.py``)."""
        # the other controllers are made when first used (see "Imports" above)
        self.shutdown = Shutdown(
            self.ui,
            saving=lambda: self.saving,
            stop_watching=self._stop_watching,
            stop_watching_soon=self._stop_watching_soon,
            close_history=self._close_history,
            close_session=self._close_session,
            close_snapshot=self.snapshots.close,
            after_close=lambda: self.backups.on_close(),
        )
        """The one way out (``controllers/shutdown.py``)."""

    # ------------------------------------------------------------------ store access
    # The data lives in the workspace; these forward to it (tests and the app read them).
    @property
    def project(self) -> Path:
        return self.workspace.project

    @property
    def session(self) -> Session:
        return self.workspace.session

    @property
    def preferences(self) -> Preferences:
        return self.workspace.preferences

    @property
    def cost_tracker(self) -> CostTracker | None:
        """The one ``CostTracker`` of this app, loaded at start-up (``ai.get_tracker``)."""
        return self.workspace.costs

    @property
    def ready(self) -> asyncio.Event:
        """Set when start-up is over (``workspace.ready``)."""
        return self.workspace.ready

    # ------------------------------------------------------------------ palette
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own, with "Screenshot" saving into the project and saying where
        (``controllers/screenshots.py``; Textual's failed with no reason without a
        downloads folder)."""
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":
                yield SystemCommand(
                    "Screenshot",
                    "Save a picture (SVG) of the screen in output/screenshots/",
                    lambda: self.set_timer(0.1, self.take_screenshot),  # once the palette closed
                )
            else:
                yield command

    def take_screenshot(self) -> None:
        """Export the screen now (on the loop), write it in a thread."""
        from writers_factory.tui.controllers.screenshots import save_screenshot

        svg = self.export_screenshot(title=self.project.name)
        moment = datetime.now(UTC).astimezone()
        self.run_worker(save_screenshot(self.ui, self.project, svg, moment), group="screenshot")

    # ------------------------------------------------------------------ layout
    def get_default_screen(self) -> Screen[None]:
        if self.workspace_screen is None:
            self.workspace_screen = WorkspaceScreen(id="_default")
        return self.workspace_screen

    def _stage_screen_factory(self, mode: str) -> Callable[[], StageScreen]:
        def make() -> StageScreen:
            module_name, _, class_name = MODE_SCREENS[mode].partition(":")
            module = import_module(f"writers_factory.tui.screens.stages.{module_name}")
            screen_type: Callable[..., StageScreen] = getattr(module, class_name)
            extra: dict[str, object] = {}
            if mode == "enhancing":
                extra["host"] = module.EnhanceHost(
                    self._open_chapter_text,
                    self._pending_rewrite,
                    self._apply_change,
                    self._show_place,
                )
            elif mode == BOARD_MODE:
                extra["ask_ai"] = self.ai.propose
            screen = screen_type(
                self.workspace, lambda: self.ui.status, id=f"stage-{mode}", **extra
            )
            self._stage_screens[mode] = screen
            return screen

        return make

    def stage_screen(self, mode: str | None = None) -> StageScreen | None:
        """The stage screen of an app mode (default: the one showing), once it was shown."""
        return self._stage_screens.get(mode or self.current_mode)

    def _mode_for(self, stage_id: str) -> str:
        if stage_id in STAGE_MODES:
            return stage_id
        if stage_id == "creation" and self.workspace.loaded:
            board = self.session.stage_view("creation").view == "board"
            return BOARD_MODE if board else WORKSPACE_MODE
        return WORKSPACE_MODE

    def _in_workspace(self, widget_type: type[W]) -> W:
        """A widget of the workspace screen, whichever mode shows (``app.query_one`` only
        sees the current screen)."""
        screen = self.workspace_screen
        assert screen is not None, "the workspace screen exists from the app's compose"
        return screen.query_one(widget_type)

    def compose(self) -> ComposeResult:
        yield StageBar(id="stage-bar")
        yield Breadcrumbs(id="breadcrumbs")
        with Horizontal(id="workspace"):
            with Vertical(id="sidebar"):
                tree = ProjectTree(self.project, id="tree")
                tree.border_title = "Project"
                yield tree
                yield StagePanel(stage_for(self.stage_id), id="operations")
            editor = Editor(self.workspace.documents, id="editor")
            editor.paste_hook = self._count_paste
            yield editor
            self._outline_card = OutlineCard(id="outline-card")
            yield self._outline_card
            # the AI pane is mounted here when first wanted (``AppUI.ai_pane``)
        yield StatusBar()
        yield Footer()

    @property
    def editor(self) -> Editor:
        return self._in_workspace(Editor)

    @cached_property
    def ai(self) -> AIController:
        """The AI operations (``controllers/ai.py``): made, and its modules imported, when
        first used — loading the costs after the reopened chapter is painted, or a key."""
        from writers_factory.tui.controllers.ai import AIController

        return AIController(
            self.workspace,
            self.ui,
            self.ui,
            record_operation=self.writing.record_operation,
            snapshots=self.snapshots,
        )

    # The way out stops and closes only what was made: quitting before start-up's end made
    # the watcher and the statistics (importing their modules, the watching library's among
    # them) to stop what never started and close what never opened.
    async def _stop_watching(self) -> None:
        watch: ProjectWatch | None = self.__dict__.get("project_watch")
        if watch is not None:
            await watch.stop()

    def _stop_watching_soon(self) -> None:
        watch: ProjectWatch | None = self.__dict__.get("project_watch")
        if watch is not None:
            watch.stop_soon()

    def _close_history(self) -> None:
        writing: WritingActivity | None = self.__dict__.get("writing")
        if writing is not None:
            writing.close_sync()

    @made_once
    def writing(self) -> WritingActivity:
        """The writing statistics (``controllers/writing.py``), fed from the first edit and
        loaded after the reopened chapter is painted; made once (``made_once.py``): a
        save's thread may reach it first, through the watcher."""
        from writers_factory.tui.controllers.writing import WritingActivity

        return WritingActivity(self.workspace, self.ui, self.ui)

    @made_once
    def project_watch(self) -> ProjectWatch:
        """Changes made by other programs (``controllers/watching.py``); its ``remember`` is
        the hook every buffer save passes to ``FileBuffer``, so a save's thread may reach it
        first: made once (``made_once.py``)."""
        from writers_factory.tui.controllers.watching import ProjectWatch

        return ProjectWatch(
            self.workspace,
            self.ui,
            self.ui,
            self.writing,
            saving=lambda: self.saving,
            snapshots=self.snapshots,
            appeared=lambda paths: self.sync_copies.seen(paths),
        )

    @cached_property
    def sync_copies(self) -> SyncCopies:
        """A syncing tool's conflict copies (``controllers/sync_copies.py``)."""
        from writers_factory.tui.controllers.sync_copies import SyncCopies

        return SyncCopies(
            self.workspace,
            self.ui,
            self.ui,
            self.snapshots,
            remember=lambda outgoing: self.project_watch.remember(outgoing),
        )

    @cached_property
    def spelling(self) -> SpellingController:
        """The word list the tabs check with, suggestions, the project dictionary."""
        from writers_factory.tui.controllers.spelling import SpellingController

        return SpellingController(self.workspace, self.ui, self.ui)

    @cached_property
    def backups(self) -> AutomaticBackups:
        """Today's backup and the one on close (``controllers/backups.py``)."""
        from writers_factory.tui.controllers.backups import AutomaticBackups

        return AutomaticBackups(self.workspace, self.ui)

    @cached_property
    def book_history(self) -> HistoryController:
        """The history screen's source and "Snapshot now" (``controllers/history.py``)."""
        from writers_factory.tui.controllers.history import HistoryController

        return HistoryController(self.workspace, self.ui, self.ui, self.snapshots)

    @cached_property
    def targets(self) -> TargetsController:
        """The targets dialog and its preferences (``controllers/targets.py``)."""
        from writers_factory.tui.controllers.targets import TargetsController

        return TargetsController(self.workspace, self.ui, self.ui, self.writing, self.open_words)

    @cached_property
    def settings(self) -> SettingsController:
        """The settings dialog: values, their sources, where a change is kept."""
        from writers_factory.tui.controllers.settings import SettingsController

        return SettingsController(self.workspace, self.ui, self.setting_applied)

    @cached_property
    def auto_save(self) -> AutoSaveSettings:
        """The writer's auto-save switch and interval (``controllers/autosave.py``)."""
        from writers_factory.tui.controllers.autosave import AutoSaveSettings

        return AutoSaveSettings(self.workspace, self.ui, self.writing, lambda: self.saving)

    @cached_property
    def files(self) -> FileActions:
        """New, rename, delete, close, restore (``controllers/files.py``)."""
        from writers_factory.tui.controllers.files import FileActions

        return FileActions(self.workspace, self.ui, self.ui, before_close=self.before_close)

    @cached_property
    def go_to_line(self) -> GoToLine:
        from writers_factory.tui.controllers.goto import GoToLine

        return GoToLine(self.ui, self.ui)

    @cached_property
    def order(self) -> OrderActions:
        """Moving chapters and parts in the reading order (``controllers/order.py``)."""
        from writers_factory.tui.controllers.order import OrderActions

        known = self.project_watch.known
        return OrderActions(self.workspace, self.ui, self.ui, remember=known.remember)

    @cached_property
    def compiling(self) -> Compiling:
        """The palette's compiles (``controllers/compiling.py``)."""
        from writers_factory.tui.controllers.compiling import Compiling

        known = self.project_watch.known
        return Compiling(self.workspace, self.ui, lambda: self.saving, remember=known.remember)

    @cached_property
    def project_search(self) -> ProjectSearch:
        """Find and replace across the project (``controllers/project_search.py``): made,
        and its modules (the search core) imported, when first used — never before the
        writer can type."""
        from writers_factory.tui.controllers.project_search import ProjectSearch

        return ProjectSearch(
            self.workspace,
            self.ui,
            self.ui,
            self.snapshots,
            remember=self.project_watch.remember,
        )

    @property
    def project_tree(self) -> ProjectTree:
        return self._in_workspace(ProjectTree)

    # ------------------------------------------------------------------ start-up
    def on_mount(self) -> None:
        self.first_paint.hold()
        self.run_worker(self._startup(), name="startup", group="startup", exclusive=True)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        """Textual's; a question asked at start-up (a lock, crash recovery) is painted."""
        self.first_paint.release()
        return super().push_screen(*args, **kwargs)

    async def _startup(self) -> None:
        try:
            await self._start()
        finally:
            self.first_paint.release()

    async def _start(self) -> None:
        workspace = self.workspace
        # Themes and highlighting need no session: read alongside it, not one thread hop
        # after another (each hop waits for the loop, busy with the first paint).
        side = asyncio.gather(
            asyncio.to_thread(self._read_themes),
            asyncio.to_thread(prepare_highlighting),  # before any buffer opens
        )
        if not workspace.loaded:
            await asyncio.to_thread(self._open_session)
        found, _ = await side
        if not workspace.loaded:
            return  # the writer quit while the session was opening
        if not await self.ask_ownership():
            return
        if not workspace.has_preferences:
            from writers_factory.store import Preferences

            root, read_only = self.session.paths.root, self.session.read_only
            workspace.preferences = await asyncio.to_thread(
                lambda: Preferences(root, read_only=read_only)
            )
        self.report_store_problems()
        self.register_themes(found)
        self.editor.read_only = self.session.read_only
        self.apply_keymap()
        self.apply_theme_preference()
        self.editor.set_smart_quotes(self.preferences.data.editor.smart_quotes)
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)
        if await self.before_restore():
            self.editor.hold_switches()  # tabs opened now are not the writer switching files
            await self.restore_workspace()
            await self.after_restore()
            self.first_paint.release()  # the reopened chapter is the first paint
            self.workspace.restored.set()
            self.open_words.ask()  # the reopened file's words (switches were quiet)
            # what follows is not needed to type: the writer types while it loads. It
            # starts once the reopened chapter is on screen: its threads (conflict copies,
            # costs) share the interpreter with the loop and slowed that first paint.
            painted = asyncio.Event()
            if self.screen.call_after_refresh(painted.set):
                await painted.wait()
            self._read_after_first_paint()
            # what showing the chapter built is frozen now, and the collector runs as usual
            # while the rest loads: held until the end, the garbage of the loading and of
            # each repaint piled up (about 2 MB) and was frozen with the rest for good
            gc_policy.settle()
            await self.sync_copies.start()  # .session/ copies merged before costs load
            await self.load_costs()
            await self.writing.start()
            await self.project_watch.start()
            await self.spelling.start()  # once a process: the word list is shared after
            self.snapshots.request("session-start")
            self.backups.start()  # today's backup, in a thread
        self.workspace.restored.set()
        self._read_after_first_paint()  # (no restore: nothing painted to wait for)
        self.ready.set()
        self.project_tree.start_counting()  # after start-up: see _read_after_first_paint
        # The objects of start-up (Textual's, the store's, the costs) live as long as the
        # app: a full collection walking them all stalled typing for 200 ms. Frozen, the
        # collector leaves them alone; only what is made from now on is walked.
        gc_policy.settle()
        self.ai.workflows.offer_resume()  # after the start-up questions: interrupted workflows
        # the method, not a coroutine made now: a worker not started (the app quitting)
        # would leave that coroutine never awaited
        self.ui.start(self._settle_after_trailing_work, group="start-up-settle")

    async def _settle_after_trailing_work(self) -> None:
        """Start-up leaves work running as it ends: the session's first snapshot (the
        snapshot library imported with it), the daily backup, the tree's word counts. What
        that work keeps lives as long as the app (some 15,000 objects on a novel of 365
        chapters), and every full collection of the session walked it again: 10 ms more a
        pass, landing on a keystroke's paint. Once that work has ended, it is frozen too."""
        trailing = [w for w in self.workers if w.group in TRAILING_WORK and not w.is_finished]
        for worker in trailing:
            with contextlib.suppress(WorkerFailed, WorkerCancelled):
                await worker.wait()  # its failure is told where it happens, not here
        if not self.ui.closing:
            gc_policy.settle()

    def _read_after_first_paint(self) -> None:
        """What is read for views beside the chapter, once it is painted: the outline
        card's outline and list of chapters (a ``stat`` per chapter). The tree's word
        counts wait longer, for start-up's end (``ProjectTree.start_counting``): counting
        a whole novel's chapters holds the interpreter for a third of a second and more.
        Before, both ran in threads while the reopened chapter was laid out and painted
        for the first time, and slowed that paint and the loading after it."""
        if not self._card_reads:
            self._card_reads = True
            self.refresh_outline_card()

    async def ask_ownership(self) -> bool:
        """Someone else's lock: read-only, take over or quit (``controllers/ownership.py``),
        before anything else loads; False = the writer quit, nothing touched."""
        question = OwnershipQuestion(self.workspace, self.ui, lambda: datetime.now(UTC))
        if await question.run() is OwnershipDecision.QUIT:
            self.shutdown.leave_untouched = True
            self.exit(0)
            return False
        return True

    async def load_costs(self) -> None:
        """The cost tracker, before any AI call (``get_tracker`` waits for it) and for
        today's spend in the status bar. After the restore: loading it reads and validates
        ``costs.json`` in a thread that holds the GIL, which would delay the first keys; and
        after the start-up questions, so a writer who quits there leaves it untouched."""
        try:
            await self.ai.get_tracker()
        except (OSError, ValueError) as exc:
            self.notify(f"Cost files could not be read: {exc}", severity="error", timeout=15)

    async def before_restore(self) -> bool:
        """Second-instance and crash-recovery questions (``controllers/recovery.py``);
        True = restore the workspace."""
        # one per app: it remembers what was discarded
        journal = Journal(self.project, self.workspace.author)
        self.saving = SaveCoordinator(
            self.workspace,
            self.ui,
            self.ui,
            journal,
            interval=self.preferences.data.auto_save_interval,
            remember=lambda outgoing: self.project_watch.remember(outgoing),
            snapshots=self.snapshots,
        )
        self.recovery = StartupChecks(self.workspace, self.ui, journal, self.saving.clock)
        decision = await self.recovery.run()
        if decision is StartDecision.QUIT:
            self.shutdown.leave_untouched = True
            self.exit(0)
            return False
        if decision is StartDecision.READ_ONLY:
            self.saving.disable()
            self.snapshots.disable()
            self.editor.read_only = True
            self._in_workspace(StatusBar).set_read_only(True)
        return True

    async def after_restore(self) -> None:
        """Show the recovered text as unsaved edits, then start saving and listening."""
        if self.saving is None or self.recovery is None:
            return
        if self.recovery.to_recover:  # the files as they are, before recovered text lands
            self.snapshots.request("before-recovery")
        recovered = await self.recovery.apply(self.editor)
        area = self.editor.active
        self.editor.activate_quietly(None if area is None else area.path)  # switches again
        self.update_breadcrumbs()
        await self.saving.recovered(recovered)
        self.saving.show_disk_state()  # the truth at start: saved, unless recovery says not
        self.saving.auto_save_on = self.preferences.data.auto_save_enabled
        self.saving.start()
        if self.saving.enabled:
            self.shutdown.install_signals()

    def report_store_problems(self) -> None:
        """Tell the writer about anything the store mended or set aside while loading."""
        for problem in [*self.session.problems, *self.preferences.problems]:
            self.notify(problem.describe(), title="Session files", severity="warning", timeout=15)

    async def load_themes(self) -> None:
        """Register the shipped and the writer's themes; report bad files by file and field."""
        self.register_themes(await asyncio.to_thread(self._read_themes))

    def _read_themes(self) -> list[tuple[list[Theme], list[ThemeFileError]]]:
        """In a thread: the themes (and errors) of the shipped folder, then the writer's."""
        return [load_theme_dir(folder) for folder in (BUNDLED_THEMES_DIR, self.user_themes)]

    def register_themes(self, found: list[tuple[list[Theme], list[ThemeFileError]]]) -> None:
        for themes, errors in found:
            for theme in themes:
                self.register_theme(theme)
            for error in errors:
                self.notify(f"Theme skipped — {error}", severity="error", timeout=12)

    def apply_theme_preference(self) -> None:
        name = self.preferences.data.theme
        if not name:
            return
        if name in self.available_themes:
            self.theme = name
        else:
            where = self.preferences.file_of("theme")
            self.notify(
                f"{where.name if where else 'preferences.json'}: field 'theme': no theme "
                f"called {name!r}; using the default",
                severity="warning",
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_focus_mode" and not self.focus_mode.on:
            return False  # Escape is the focused widget's, as ever, outside focus mode
        if action == "close_ai_message":
            return self._ai_message_over_editor()
        # False: the key goes on to the modal's focused widget, as if the app had no binding
        if action == "stage" and self.screen.is_modal:
            return False  # a stage with a screen of its own would hide the open question
        if action in WORKSPACE_ONLY and isinstance(self.screen, StageScreen):
            return False  # they act on the tree and the tabs, hidden behind a stage screen
        return not (self.screen.is_modal and (action, parameters) in NOT_OVER_MODALS)

    def binding_ids(self) -> set[str]:
        """Every binding id a keymap in ``preferences.json`` may name."""
        own = [*self.BINDINGS, *ProjectTree.BINDINGS]
        return {b.id for b in own if isinstance(b, Binding) and b.id} | {"modal.cancel"}

    def apply_keymap(self) -> None:
        """Use the writer's keys from ``preferences.json`` (binding id → keys)."""
        wanted = dict(self.preferences.data.keybindings)
        known = self.binding_ids()
        for binding_id in sorted(set(wanted) - known):
            del wanted[binding_id]
            where = self.preferences.file_of(f"keybindings.{binding_id}")
            self.notify(
                f"{where.name if where else 'preferences.json'}: field "
                f"'keybindings.{binding_id}': no such binding "
                f"(known: {', '.join(sorted(known))})",
                severity="warning",
                timeout=12,
            )
        if wanted:
            self.set_keymap(wanted)
            self._in_workspace(StageBar).refresh()

    def _on_theme_changed(self, theme: Theme) -> None:
        if not self.workspace.has_preferences:
            return
        prefs = self.preferences
        if prefs.read_only or prefs.data.theme == theme.name:
            return
        prefs.set_theme(theme.name)
        self.run_worker(prefs.save(), group="preferences")

    async def restore_workspace(self) -> None:
        """Reopen what the last session had open, where it was, on the stage it was."""
        data = self.session.data
        state = data.current_state
        self._restoring = True
        self._typeahead = []  # a tab shows as soon as its file is read: keys wait from now
        try:
            # one paint for the whole restore: each tab mounted alone was a full layout and
            # render of the screen (most of start-up's time on the loop)
            items = list(data.open_files)
            with self.batch_update():
                # every file read in one thread hop, then the tabs mounted
                read = await asyncio.to_thread(lambda: [self._read(Path(i.path)) for i in items])
                self.switch_stage(state.stage, announce=False)
                files = []
                for item, found in zip(items, read, strict=True):
                    loaded = self._loaded(Path(item.path), found)
                    if loaded is None:
                        self.session.close_file(item.path)
                        continue
                    disk, text = loaded
                    files.append((Path(item.path), text, disk, (item.cursor_line, item.cursor_col)))
                # a tab each, mounted together, but only the one shown gets its editor
                # (built when first shown): the others cost neither parsing nor layout
                await self.editor.open_all_later(files)
                if data.active_file is not None:
                    self.editor.activate(Path(data.active_file))
                await self.editor.show_active()
                self._focus_screen(state.screen)
                if state.focus_mode:
                    self.focus_mode.set(True, remember_it=False)
        finally:
            self._restoring = False
            self.screen.refresh()  # what the batch held back
            self._release_typeahead()  # after the focus: keys go where the writer looks
        # The trail is derived from stage and file, so a restored stage and active file
        # restore it; recomputing also mends a trail that no longer matches them.
        self.update_breadcrumbs()
        # the tree opens where the writer is: manuscript/ open, the active chapter (else the
        # first) under the cursor; it opened folded shut with nothing chosen
        self.project_tree.reveal(Path(data.active_file) if data.active_file else None)
        self.refresh_outline_card()

    def _focus_screen(self, screen: str) -> None:
        """Focus what had the focus last time, now (``Widget.focus`` would wait a turn)."""
        area = self.editor.active
        target: Widget
        if screen == "editor" and area is not None:
            target = area
        elif screen in SCREEN_NAMES and screen != "editor":
            assert self.workspace_screen is not None
            target = self.workspace_screen.query_one(f"#{screen}")
        elif area is not None:
            target = area
        else:
            target = self.project_tree
        target.screen.set_focus(target)

    async def on_event(self, event: Event) -> None:
        if (
            self._typeahead is not None
            and isinstance(event, Key)
            and not event.is_forwarded  # from the terminal, not bubbling back up
            and isinstance(self.screen, WorkspaceScreen)
        ):
            self._typeahead.append(event)
            return
        await super().on_event(event)

    def _release_typeahead(self) -> None:
        """Let the held keys go on, once the focus is placed. Through the message queue, so
        that keys already queued are held too and the order of the keys is kept."""
        self.call_later(self._send_typeahead)

    async def _send_typeahead(self) -> None:
        held, self._typeahead = self._typeahead or [], None
        for key in held:
            await super().on_event(key)

    async def _load(
        self, relative: Path, *, must_exist: bool = True
    ) -> tuple[FileBuffer, str] | None:
        """Read a project file in a thread; say why when it cannot be opened."""
        found = await asyncio.to_thread(self._read, relative, must_exist=must_exist)
        return self._loaded(relative, found)

    def _read(
        self, relative: Path, *, must_exist: bool = True
    ) -> tuple[FileBuffer, str] | OSError | None:
        """In a thread: the file and its text; None if it is gone, or why it is unreadable."""
        path = self.project / relative
        try:
            if must_exist and not path.is_file():
                return None
            return FileBuffer.load(path, project=self.project)
        except (UnreadableFileError, OSError) as exc:
            return exc

    def _loaded(
        self, relative: Path, found: tuple[FileBuffer, str] | OSError | None
    ) -> tuple[FileBuffer, str] | None:
        """What ``_read`` found, told to the writer when it cannot be opened."""
        if found is None:
            self.notify(f"{relative.as_posix()} no longer exists; it was not reopened.")
            return None
        if isinstance(found, OSError):
            self.notify(f"{relative.as_posix()} could not be opened: {found}", severity="error")
            return None
        disk, _ = found
        if disk.read_only_reason is not None:
            self.notify(disk.read_only_reason, title="Read-only", severity="warning", timeout=15)
        return found

    # ------------------------------------------------------------------ seams
    def open_buffers(self) -> list[OpenBuffer]:
        return self.editor.snapshots()

    async def open_with_text(
        self, path: Path, text: str, cursor: tuple[int, int] = (0, 0), *, dirty: bool = True
    ) -> None:
        """Open ``path`` (project-relative) showing ``text`` rather than the file's content."""
        loaded = await self._load(path, must_exist=False)
        disk, disk_text = loaded or (
            FileBuffer(self.project / path, None, None, project=self.project),
            "",
        )
        known = disk_text if disk.base_sha256 is not None else None
        doc = Document(path, disk, known, saved=NONE if dirty else None)
        await self.editor.open_document(doc, text, cursor)

    async def before_close(self, buffer: OpenBuffer) -> bool:
        if buffer.dirty:
            self.notify(f"{buffer.path.name} has unsaved changes; save first (ctrl+s).")
            return False
        return True

    def _open_session(self) -> None:
        """In a thread. A quit that comes while the session opens (it already holds the lock)
        finds no session to close, so the session is closed here instead of left locked."""
        from writers_factory.store import Session

        author = self.workspace.author
        failed = ""
        if author is not None:
            from writers_factory.store.authors.migrate import migrate_to_author

            try:  # the first run with an author moves the single-writer files to them
                migrate_to_author(self.project, author)
            except OSError as exc:
                failed = (
                    f"The session files could not be moved to the author {author} ({exc}). "
                    "The project is open read-only; nothing was lost."
                )
        session = Session(self.project, author=author, read_only=bool(failed))
        if failed:
            self.call_from_thread(self.notify, failed, severity="error", timeout=30)
        with self._session_gate:
            if not self._session_closed:
                self.workspace.session = session
                return
        session.close_sync()

    def _close_session(self) -> None:
        """Close the session cleanly (``current.json`` once, lock released); any thread,
        safe to call twice. A session still opening is closed by ``_open_session``."""
        with self._session_gate:
            if self._session_closed:
                return
            self._session_closed = True
            if not self.workspace.loaded:
                return
        self.workspace.flush_metrics()  # the last counts, while the project is still ours
        self.session.close_sync()

    async def action_quit(self) -> None:
        await self.shutdown.quit()

    def action_save(self) -> None:
        """ctrl+s: save everything now; asks again about files set aside with "decide later"."""
        if self.saving is not None:
            self.saving.request_save("manual", interactive=True)

    @on(BufferEdited)
    def _journal_edit(self, event: BufferEdited) -> None:
        if self.saving is not None:
            self.saving.buffer_edited(event.path, event.revision)

    @on(SignificantAction)
    def _save_now(self, event: SignificantAction) -> None:
        if self.saving is not None:
            self.saving.request_save(event.kind)

    @on(FileRenamed)
    async def _journal_follows_rename(self, event: FileRenamed) -> None:
        if self.saving is not None:
            await self.saving.buffer_renamed(event.old, event.new)

    @on(FileRenamed)
    async def _order_follows_rename(self, event: FileRenamed) -> None:
        await self.order.follow(event.old, event.new)

    @on(SignificantAction)
    async def _order_follows_delete(self, event: SignificantAction) -> None:
        if event.kind == "file_deleted" and event.path is not None:
            await self.order.follow(event.path, None)
            await self.ai.notes_follow(event.path, None)

    @on(FileRenamed)
    async def _notes_follow_rename(self, event: FileRenamed) -> None:
        await self.ai.notes_follow(event.old, event.new)

    def _soon_on_loop(self, callback: Callable[[], object]) -> None:
        """Thread-safe: ``callback`` runs soon on this app's loop; ``RuntimeError`` when the
        app runs no more."""
        loop = self._loop
        if loop is None:
            raise RuntimeError("the app is not running")
        loop.call_soon_threadsafe(callback)

    def on_unmount(self) -> None:
        self.shutdown.finish_sync()  # only if the app closes without the shutdown path
        self.snapshots.release()
        count_in_helper_process(False)
        gc_policy.thaw()  # what start-up left is the collector's again

    # ------------------------------------------------------------------ writing statistics
    @on(BufferEdited)
    def _count_writing(self, event: BufferEdited) -> None:
        doc = self.workspace.documents.get(event.path)
        if doc is not None:
            self.writing.edited(event.path, None if doc.dirty else doc.disk_text)
        self.open_words.ask()

    def _count_paste(self, path: Path, text: str, undone: bool) -> None:
        self.writing.pasted(path, text, undone=undone)

    @on(SignificantAction)
    def _save_history(self, event: SignificantAction) -> None:
        self.writing.significant(event.kind, event.path)

    def action_statistics(self) -> None:
        self.writing.show_statistics()

    def action_targets(self) -> None:
        self.targets.show()

    def action_settings(self) -> None:
        self.settings.show()

    def setting_applied(self, key: str) -> None:
        """Show a setting changed in the settings dialog now, where it shows at once."""
        if key == "theme":
            self.apply_theme_preference()
        elif key.startswith("keybindings."):
            self.apply_keymap()

    def action_toggle_auto_save(self) -> None:
        self.auto_save.toggle()

    def action_auto_save_interval(self) -> None:
        self.auto_save.ask_interval()

    def set_auto_save(self, enabled: bool | None = None, interval: float | None = None) -> None:
        """Switch auto-save on/off and/or change its interval now (kept in preferences)."""
        self.auto_save.apply(enabled, interval)

    # ------------------------------------------------------------------ snapshots
    def action_snapshot_now(self) -> None:
        self.book_history.snapshot_now()

    def action_history(self, mode: str) -> None:
        if mode in ("file", "project", "today", "deleted"):
            self.book_history.show(mode)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ stages
    def action_stage(self, stage_id: str) -> None:
        if stage_id == "creation" and self._board_first():
            self.action_board()  # Creation is the planning board, unless the writer left it
            return
        self.switch_stage(stage_id)

    def _board_first(self) -> bool:
        """f1 shows the board, unless the writer left it for the files (escape on the board);
        start-up shows what was left open, so a new project opens on its first files."""
        if not self.workspace.loaded:
            return False
        return self.session.stage_view("creation").view != FILES_VIEW

    def switch_stage(self, stage_id: str, *, announce: bool = True) -> None:
        stage = stage_for(stage_id)
        previous, self.stage_id = self.stage_id, stage.id
        self._in_workspace(StageBar).stage = stage.id
        self._in_workspace(StagePanel).show(stage)
        mode = self._mode_for(stage.id)
        if self.current_mode != mode:
            self.switch_mode(mode)
        self.update_breadcrumbs()
        self.refresh_outline_card()
        if self.workspace.loaded and not self.session.read_only:
            self.session.set_stage(stage.id)
        if announce and previous != stage.id:
            self.post_message(StageChanged(stage.id, previous))
            self.post_message(SignificantAction("stage"))

    def update_breadcrumbs(self) -> None:
        title = stage_for(self.stage_id).title
        screen = self.stage_screen()
        if screen is not None and self.stage_id == screen.STAGE:
            trail = ["Home", title, *screen.trail_tail()]
            screen.show_trail(trail)
        else:
            area = self.editor.active
            trail = trail_for(title, area.path.name if area else None)
        self._in_workspace(Breadcrumbs).trail = tuple(trail)
        if self.workspace.loaded and not self._restoring:
            self.session.set_breadcrumb(trail)

    # ------------------------------------------------------------------ navigation
    def on_open_file_counted(self, event: OpenFileCounted) -> None:
        card = self._outline_card
        if card is not None and card.is_attached:
            card.words_counted(event.path, event.words, event.target)

    def on_file_switched(self, event: FileSwitched) -> None:
        if self._restoring:
            return
        self.update_breadcrumbs()
        self.refresh_outline_card()
        area = self.editor.active
        if area is not None:
            line, col = area.cursor_location
            self.session.open_file(area.path, line, col)
        self.open_words.ask()
        self.post_message(SignificantAction("file_switch", event.path))

    @on(TextArea.SelectionChanged)
    def _cursor_moved(self, event: TextArea.SelectionChanged) -> None:
        area = event.text_area
        if (
            isinstance(area, BufferArea)
            and area is self.editor.active
            and self.workspace.loaded
            and not self._restoring
        ):
            line, col = area.cursor_location
            self.session.open_file(area.path, line, col)
            self.focus_mode.follow(area)
            self.open_words.selection_changed(not area.selection.is_empty)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if not self.ready.is_set() or self._restoring or self.session.read_only:
            return  # the focus Textual gives at mount must not overwrite the saved screen
        for node in event.widget.ancestors_with_self:
            if node.id in SCREEN_NAMES:
                self.session.set_screen(node.id)
                return

    @on(DirectoryTree.FileSelected)
    async def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        await self.open_path(Path(event.path))

    async def open_path(self, path: Path) -> None:
        """Open (or switch to) a project file given by absolute path, and focus it."""
        relative = path.relative_to(self.project)
        area = await self.editor.built(relative)
        if area is None:
            loaded = await self._load(relative)
            if loaded is None:
                return
            area = await self.editor.open(relative, loaded[1], loaded[0])
            self.session.open_file(relative, 0, 0)
        self.editor.activate(relative)
        area.focus()

    def action_toggle_focus(self) -> None:
        area = self.editor.active
        if self.project_tree.has_focus and area is not None:
            area.focus()
        else:
            self.project_tree.focus()

    async def _cycle(self, step: int) -> None:
        paths = self.editor.paths()
        active = self.editor.active
        if not paths or active is None or active.path not in paths:
            return
        index = paths.index(active.path)
        target = await self.editor.built(paths[(index + step) % len(paths)])
        if target is not None:
            self.editor.activate(target.path)
            target.focus()

    async def action_next_file(self) -> None:
        await self._cycle(1)

    async def action_previous_file(self) -> None:
        await self._cycle(-1)

    # ------------------------------------------------------------------ the outline card
    def chapter_target(self, path: Path) -> int | None:
        """The word target of a chapter (project-relative), ``None`` when it has none: the
        targets the writer set (alt+t), as the status bar shows them."""
        return self.open_words.chapter_target(path)

    def refresh_outline_card(self) -> None:
        """Show the open chapter's outline card and words beside the editor (Writing only,
        on a wide enough terminal); read and counted in a thread."""
        card = self._outline_card
        if card is None or not card.is_attached:
            return
        wanted = self.stage_id == "writing" and self.size.width >= MIN_WIDTH
        card.set_class(wanted, "-on")
        area = self.editor.active
        if not wanted:
            return
        if area is None or not area.path.parts or area.path.parts[0] != "manuscript":
            card.show(None)
            return
        if not self._card_reads:
            return  # read once the reopened chapter is painted (``_read_after_first_paint``)
        path, text, target = area.path, area.text, self.chapter_target(area.path)
        project = self.project

        def read() -> None:
            from writers_factory.store.manuscript.order import chapter_files

            folder = project / "manuscript"
            chapters = [p.relative_to(project) for p in chapter_files(folder)]
            found = read_chapter_card(project, path, text, chapters, target)
            self.call_from_thread(card.show, found)

        self.run_worker(read, thread=True, group="outline-card", exclusive=True)

    def on_resize(self) -> None:
        self.refresh_outline_card()

    # ------------------------------------------------------------------ Enhancing's host
    def _open_chapter_text(self) -> tuple[Path, str] | None:
        area = self.editor.active
        return None if area is None else (area.path, area.text)

    def _pending_rewrite(self, path: Path) -> str | None:
        pending = self.ai.pending
        target = None if pending is None else pending.target
        if pending is None or target is None or target.path != path or not target.replaces:
            return None
        area = self.editor.find(path)
        if area is None or target.original != area.text:
            return None  # a rewrite of a part, or of text since changed: not a whole chapter
        return pending.text

    def _apply_change(
        self, path: Path, start: tuple[int, int], end: tuple[int, int], old: str, new: str
    ) -> bool:
        """One accepted change: a single undoable edit of the open buffer."""
        area = self.editor.find(path)
        if area is None or area.get_text_range(start, end) != old:
            return False
        area.replace(new, start, end)
        return True

    def _show_place(self, path: Path, start: tuple[int, int], end: tuple[int, int]) -> None:
        """A critique note's place: Writing, with that passage selected in the chapter."""
        area = self.editor.find(path)
        if area is None:
            return
        self.switch_stage("writing")
        self.editor.activate(path)
        area.selection = Selection(start, end)
        area.scroll_cursor_visible(center=True, animate=False)
        area.focus()

    def action_board(self) -> None:
        """alt+b: the planning board (Creation's own screen), remembered as left open."""
        if self.workspace.loaded and not self.session.read_only:
            view = self.session.stage_view("creation")
            self.session.set_stage_view("creation", view.model_copy(update={"view": "board"}))
        self.switch_stage("creation")
        if self.current_mode != BOARD_MODE:
            self.switch_mode(BOARD_MODE)
            self.update_breadcrumbs()

    def action_leave_board(self) -> None:
        """Back from the board to the workspace (still the Creation stage)."""
        board = self.stage_screen(BOARD_MODE)
        if board is not None:
            board.remember(view=FILES_VIEW)
        if self.current_mode == BOARD_MODE:
            self.switch_mode(WORKSPACE_MODE)
            self.update_breadcrumbs()

    @on(AIPaneOpened)
    def _show_the_pane(self, event: AIPaneOpened) -> None:
        """An AI answer streams (or a message shows) in the pane beside the editor: show the
        workspace, whichever stage screen showed; the stage stays the writer's."""
        if event.shown and self.current_mode != WORKSPACE_MODE:
            self.switch_mode(WORKSPACE_MODE)
            self.update_breadcrumbs()

    @on(TrailChanged)
    def _stage_trail_changed(self, event: TrailChanged) -> None:
        if self._exit or self.workspace_screen is None:
            return  # closing: the workspace's widgets may already be gone
        if self.workspace_screen.query(Editor):
            self.update_breadcrumbs()

    @on(OpenChapter)
    async def _open_chapter(self, event: OpenChapter) -> None:
        """A stage screen's Enter on a chapter: Writing, with that chapter open."""
        path = self.project / event.path
        self.switch_stage("writing")
        await self.open_path(path)

    def on_operation_requested(self, event: OperationRequested) -> None:
        self.ai.command(event.operation)

    def action_ai(self, what: str) -> None:
        """Runs a catalogue entry: AI operations, local tools, cancel/accept/discard."""
        self.ai.command(what)

    # ------------------------------------------------------------------ writing comfort
    def action_go_to_line(self) -> None:
        self.run_worker(self.go_to_line.ask(), group="go-to-line")

    def action_spelling(self) -> None:
        self.run_worker(self.spelling.suggest(), group="spelling")

    def action_toggle_spell_check(self) -> None:
        self.run_worker(self.spelling.toggle(), group="spelling")

    def action_spelling_language(self) -> None:
        self.run_worker(self.spelling.choose_language(), group="spelling")

    def action_focus_mode(self) -> None:
        self.focus_mode.toggle()

    def action_leave_focus_mode(self) -> None:
        self.focus_mode.set(False)

    def _ai_message_over_editor(self) -> bool:
        """Escape typed in the editor while the AI pane shows a message (no provider, a
        spending limit): the editor's own Escape moves the focus on, into the message's
        scroll, where the pane's Escape is not asked and the writer's next words went
        nowhere. A result waiting to be kept or a call running is left to the pane's keys."""
        return (
            not self.screen.is_modal
            and isinstance(self.focused, BufferArea)
            and self.ui.ai_message_shown
        )

    def action_close_ai_message(self) -> None:
        self.ai.discard()  # the focus stays in the editor

    def action_focus_width(self) -> None:
        self.run_worker(self.focus_mode.ask_width(), group="focus-mode")

    def action_typewriter(self) -> None:
        self.focus_mode.toggle_typewriter()

    def action_smart_quotes(self) -> None:
        on = not self.editor.smart_quotes
        self.editor.set_smart_quotes(on)
        remember(self.workspace, self.ui, "editor.smart_quotes", on)
        self.notify(f"Smart quotes and em-dashes are {'on' if on else 'off'}.")

    # ------------------------------------------------------------------ finding
    async def action_find(self) -> None:
        """ctrl+f: the find bar on the open file."""
        if not await self.editor.show_find():
            self.notify("Open a file to find in it; alt+f finds in the whole project.")

    def action_project_search(self) -> None:
        self.project_search.show()

    def action_undo_replace(self) -> None:
        self.project_search.undo_last()

    def action_sync_copies(self) -> None:
        self.sync_copies.show()

    # ------------------------------------------------------------------ file actions
    # The flows live in ``controllers/files.py``; keys and palette commands land here.
    def action_new_file(self) -> None:
        self.files.new_file()

    def action_rename_file(self) -> None:
        self.files.rename()

    def action_delete_file(self) -> None:
        self.files.delete()

    def action_restore_last(self) -> None:
        self.files.restore_last()

    def action_move_chapter(self, step: int) -> None:
        self.order.move_selected(step)

    def on_project_tree_move_requested(self, event: ProjectTree.MoveRequested) -> None:
        self.order.move(event.path, event.step)

    def on_project_tree_order_problems(self, event: ProjectTree.OrderProblems) -> None:
        self.notify("\n".join(event.problems), title="Reading order", severity="warning")

    def action_compile(self, fmt: str, manuscript: bool = False) -> None:
        from writers_factory.compile import FORMATS

        for known in FORMATS:
            if known == fmt:
                self.compiling.start(known, manuscript=manuscript)

    def action_close_file(self) -> None:
        self.files.close()


def run_app(project: Path, author: str | None = None) -> int:
    """Open the workspace on ``project`` (as ``author``, a co-author, when given) and return
    the exit code when it closes."""
    app = WritersFactoryApp(project, author=author)
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
