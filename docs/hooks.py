"""Build-time pages made from the code itself, so the guide cannot drift from the app.

``mkdocs build`` calls :func:`on_page_markdown` for every page; a page that holds a marker
such as ``<!-- keys:workspace -->`` gets the table it names, read from the bindings the app
and its screens declare (``core/keymap.py`` holds the remappable ids and default keys, and a
test keeps them equal to the app's).
"""

from __future__ import annotations

from typing import Any

SCREENS = (
    ("writers_factory.tui.screens.recovery", "RecoveryScreen", "Crash recovery (at start)"),
    ("writers_factory.tui.screens.second_instance", "SecondInstanceScreen", "Already open"),
    ("writers_factory.tui.screens.conflict", "ConflictScreen", "Changed outside the app"),
    ("writers_factory.tui.screens.cost_confirm", "CostConfirmScreen", "Confirm AI cost"),
    ("writers_factory.tui.screens.prompt_preview", "PromptPreviewScreen", "Prompt preview"),
    ("writers_factory.tui.screens.alternatives", "AlternativesScreen", "Choose an alternative"),
    ("writers_factory.tui.screens.model_picker", "ModelPickerScreen", "Models per stage"),
    ("writers_factory.tui.screens.bible_ask", "BibleAskScreen", "Ask the story bible"),
    ("writers_factory.tui.screens.read_only_file", "ReadOnlyFileScreen", "A read-only chapter"),
    ("writers_factory.tui.screens.file_modals", "NameModal", "New file / rename"),
    ("writers_factory.tui.screens.file_modals", "ConfirmModal", "Delete a file"),
    ("writers_factory.tui.screens.workflow_resume", "WorkflowResumeScreen", "Resume a workflow"),
    ("writers_factory.tui.screens.statistics", "StatisticsScreen", "Statistics"),
    ("writers_factory.tui.screens.targets", "TargetsScreen", "Writing targets"),
    ("writers_factory.tui.screens.settings", "SettingsScreen", "Settings"),
    ("writers_factory.tui.screens.history", "HistoryScreen", "History (snapshots)"),
    ("writers_factory.tui.screens.analysis_view", "AnalysisScreen", "Local analysis"),
    ("writers_factory.tui.screens.stages.analyzing", "AnalyzingScreen", "Analyzing stage"),
    ("writers_factory.tui.screens.stages.enhancing", "EnhancingScreen", "Enhancing stage"),
    ("writers_factory.tui.screens.stages.scoring", "ScoringScreen", "Scoring stage"),
    ("writers_factory.tui.screens.stages.creation", "CreationBoard", "Planning board (Creation)"),
    ("writers_factory.tui.screens.stages.card_editor", "CardEditor", "Outline card"),
    (
        "writers_factory.tui.screens.stages.version_picker",
        "VersionPicker",
        "Earlier versions (Enhancing)",
    ),
    ("writers_factory.tui.widgets.sortable_table", "SortableTable", "Stage tables (every row)"),
    ("writers_factory.tui.screens.conversations", "ConversationsScreen", "Conversations"),
    ("writers_factory.tui.screens.spelling", "SpellingScreen", "Spelling suggestions"),
    ("writers_factory.tui.screens.go_to_line", "GoToLineScreen", "Go to line"),
    ("writers_factory.tui.widgets.ai_pane", "AIPane", "AI pane (while an answer streams)"),
    ("writers_factory.tui.widgets.editor", "BufferArea", "Editor (besides the usual keys)"),
    ("writers_factory.tui.widgets.find_bar", "FindBar", "Find bar (ctrl+f)"),
    ("writers_factory.tui.screens.project_search", "ProjectSearchScreen", "Find in project"),
    ("writers_factory.tui.screens.sync_copies", "CopiesScreen", "Sync conflict copies"),
    ("writers_factory.tui.screens.sync_copies", "ResolveScreen", "Merge a conflict copy"),
    ("writers_factory.tui.widgets.project_tree", "ProjectTree", "Project tree"),
)
"""Every screen and widget with keys of its own, and the title the guide gives it."""


WHAT = {
    "focus.toggle": "Move between the project tree and the editor",
    "file.new": "New file in the folder selected in the tree",
    "file.rename": "Rename the selected file",
    "file.delete": "Delete the selected file (kept in `.session/trash/`)",
    "file.close": "Close the current tab",
    "file.next": "Next tab",
    "file.previous": "Previous tab",
    "ai.models": "Choose the model for each stage",
    "ai.bible": "Ask the story bible",
    "ai.analysis": "Local analysis of the manuscript (no AI, free)",
    "ai.cancel": "Stop the AI operation that is running",
    "statistics": "Writing statistics",
    "board": "The planning board: outline cards beside the story bible (Creation)",
    "targets": "Writing targets: a day, a session, a chapter, the manuscript by a deadline",
    "settings": "Settings: each value and where it comes from; keep a change here or for all",
    "history": "History of the open chapter: snapshots, a diff with now, restore",
    "edit.goto_line": "Go to a line of the open file",
    "spelling.suggest": "Spelling suggestions for the word at the cursor (add, ignore)",
    "view.focus": "Focus mode: the editor alone in a centred column (again to leave)",
    "view.focus_leave": "Leave focus mode (elsewhere Escape is the focused widget's)",
    "ai.close": "Close the AI pane's message (no provider, a spending limit) from the editor",
    "file.save": "Save now (auto-save runs anyway)",
    "edit.find": "Find and replace in the open file",
    "search.project": "Find (and replace) in the whole project",
    "app.quit": "Save everything and quit",
}
"""Longer words for the workspace's keys than the footer has room for; by binding id."""


def _keys(spec: str) -> str:
    return ", ".join(f"`{key.strip()}`" for key in spec.split(",") if key.strip())


def _bindings(owner: Any) -> list[Any]:
    from textual.binding import Binding

    found: list[Any] = []
    for item in owner.BINDINGS:
        if isinstance(item, Binding):
            found.append(item)
        elif isinstance(item, tuple):
            found.append(Binding(*item))
    return found


def workspace_table() -> str:
    """The workspace's keys, with the binding id a keymap in ``preferences.json`` uses."""
    from textual.app import App

    from writers_factory.core.keymap import DEFAULT_KEYS
    from writers_factory.core.stages import STAGE_BY_ID
    from writers_factory.tui.app import WritersFactoryApp

    rows = ["| key | what it does | binding id |", "| --- | --- | --- |"]
    for binding in _bindings(WritersFactoryApp):
        what = WHAT.get(binding.id or "", binding.description)
        if binding.id and binding.id.startswith("stage."):
            stage = STAGE_BY_ID[binding.id.removeprefix("stage.")]
            what = f"{stage.title} stage: {stage.purpose}"
        assert DEFAULT_KEYS.get(binding.id) == binding.key, binding.id
        rows.append(f"| {_keys(binding.key)} | {what} | `{binding.id}` |")
    rows.append(f"| {_keys(App.COMMAND_PALETTE_BINDING)} | Command palette | — |")
    return "\n".join(rows)


def screens_tables() -> str:
    """One table per screen: its own keys (Escape closes every question)."""
    import importlib

    parts: list[str] = []
    for module_name, class_name, title in SCREENS:
        owner = getattr(importlib.import_module(module_name), class_name)
        rows = [f"### {title}", "", "| key | what it does |", "| --- | --- |"]
        for binding in _bindings(owner):
            rows.append(f"| {_keys(binding.key)} | {binding.description} |")
        parts.append("\n".join(rows))
    return "\n\n".join(parts)


KINDS = {
    "ai": "a model call: estimated first, confirmed above your threshold, logged",
    "bible": "searches the story bible (free); a model answers only if you ask it to",
    "analysis": "local and free: no model is called",
    "score": "local and free: no model is called",
    "conversations": "your saved conversations",
    "models": "choose the model of each stage",
    "workflow": "several model calls in a row, each recorded as it finishes",
    "resume": "offers workflows a crash or a cancel left unfinished",
    "cancel": "stops the running operation",
    "accept": "inserts the result (a version of the file is kept first when it replaces text)",
    "discard": "drops the result",
}
"""What choosing an entry of each kind does, in the guide's words."""


def catalogue_tables() -> str:
    """Each stage panel's entries, then the palette's, from the operation catalogue."""
    from writers_factory.ai.catalogue import CATALOGUE
    from writers_factory.core.stages import STAGES

    parts: list[str] = []
    for stage in STAGES:
        rows = [
            f"### {stage.title} (`{stage.key}`)",
            "",
            f"{stage.purpose.capitalize()}.",
            "",
            "| entry | what it does |",
            "| --- | --- |",
        ]
        for entry in CATALOGUE.for_stage(stage.id):
            rows.append(f"| {entry.label} | {KINDS[entry.kind]} |")
        parts.append("\n".join(rows))
    rows = [
        "### In the command palette (`ctrl+p`)",
        "",
        "| command | what it does |",
        "| --- | --- |",
    ]
    for entry in CATALOGUE.palette():
        rows.append(f"| {entry.palette} | {entry.help} |")
    parts.append("\n".join(rows))
    return "\n\n".join(parts)


MARKERS = {
    "<!-- catalogue:panels -->": catalogue_tables,
    "<!-- keys:workspace -->": workspace_table,
    "<!-- keys:screens -->": screens_tables,
}


def on_page_markdown(markdown: str, **_: Any) -> str:
    for marker, make in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown
