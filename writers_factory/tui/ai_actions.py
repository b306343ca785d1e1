"""What each entry of the stage panel and the palette does on the AI side.

The stage panel names things the way a writer thinks of them ("Polish prose", "Pacing
report"); the AI layer knows a handful of operations (``ai/operations.py``) and the free
local tools. This table is the one place that joins the two, so a panel entry and its
palette command can never drift apart. Pure data: no Textual, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["ai", "analysis", "score", "bible", "conversations", "models", "workflow"]


@dataclass(frozen=True)
class AIAction:
    """One thing to do: an AI operation with preset inputs, or a local (free) screen."""

    kind: Kind
    operation: str | None = None
    """The ``ai.operations`` id for ``kind == "ai"``."""
    preset: Mapping[str, str] = field(default_factory=dict)
    """Inputs fixed by the entry, e.g. rewrite instructions or a critique focus."""
    continue_from_cursor: bool = False
    """Write on from the cursor instead of asking the writer for a scene prompt."""


def _ai(operation: str, **preset: str) -> AIAction:
    return AIAction("ai", operation, preset)


PANEL_ACTIONS: Mapping[str, AIAction] = {
    # Creation
    "premise": _ai(
        "brainstorm",
        request="Shape the premise: sharpen the central question, "
        "what the protagonist wants and what stands in the way.",
    ),
    "characters": _ai(
        "brainstorm",
        request="Build characters: wants, fears, contradictions "
        "and relationships that create conflict.",
    ),
    "world": _ai(
        "brainstorm",
        request="Build the world: places, rules, history and textures that the story can use.",
    ),
    "outline": _ai("outline"),
    "brainstorm": _ai("brainstorm"),
    # Writing
    "draft_scene": _ai("generate_scene"),
    "continue": AIAction(
        "ai",
        "generate_scene",
        {"prompt": "Continue the story from exactly where the preceding text stops."},
        continue_from_cursor=True,
    ),
    "voice_test": _ai("voice_test"),
    "ask_bible": AIAction("bible"),
    # Enhancing
    "polish": _ai(
        "rewrite",
        instructions="Polish the prose: tighten, clarify, vary rhythm; "
        "keep meaning, voice and tense.",
    ),
    "dialogue": _ai(
        "rewrite",
        instructions="Sharpen the dialogue: distinct voices, subtext, "
        "no exposition dumps; keep the narration as it is.",
    ),
    "rewrite": _ai("rewrite"),
    "voice": _ai("voice_test"),
    # Analyzing
    "pacing": AIAction("analysis"),
    "word_counts": AIAction("analysis"),
    "local_analysis": AIAction("analysis"),
    "continuity": _ai(
        "critique",
        focus="Continuity: facts, timeline, names and details that contradict each other.",
    ),
    "critique": _ai("critique"),
    # Scoring
    "score_chapter": _ai("score"),
    "report": _ai("score"),
    "compare": AIAction("score"),
    "local_score": AIAction("score"),
    # Anywhere
    "conversations": AIAction("conversations"),
    "models": AIAction("models"),
    # Multi-step workflows (``operation``: the workflow, or "resume" for the start-up offer)
    "enhance_chapter": AIAction("workflow", "enhance_chapter"),
    "resume_workflows": AIAction("workflow", "resume"),
}
"""Stage-panel option id -> what it runs. Ids from ``screens/stages.py`` plus our extras."""

EXTRA_OPTIONS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "creation": (("brainstorm", "Brainstorm from planning/ (AI)"),),
    "writing": (("voice_test", "Voice test (AI)"),),
    "enhancing": (("rewrite", "Rewrite selection or file (AI)"),),
    "analyzing": (
        ("local_analysis", "Local analysis (free)"),
        ("critique", "Critique chapter (AI)"),
    ),
    "scoring": (("local_score", "Local score (free)"),),
}
"""Panel entries the stage list lacks, so every AI operation and local tool is reachable."""


def extra_options(stage_id: str) -> tuple[tuple[str, str], ...]:
    """(option id, title) pairs the stage panel appends for ``stage_id``."""
    return EXTRA_OPTIONS.get(stage_id, ())


def action_for(option_id: str) -> AIAction | None:
    """The action behind a panel option or palette command; ``None`` if it has none."""
    return PANEL_ACTIONS.get(option_id)


PALETTE: tuple[tuple[str, str, str], ...] = (
    ("AI: Brainstorm", "Ideas from the planning/ notes", "brainstorm"),
    ("AI: Outline", "A chapter outline from the planning/ notes", "outline"),
    ("AI: Generate scene", "A scene from a prompt and the reference/ notes", "draft_scene"),
    ("AI: Continue from the cursor", "Write on from where the text stops", "continue"),
    ("AI: Rewrite selection", "Rewrite the selection (or the file); keeps a version", "rewrite"),
    ("AI: Polish prose", "Rewrite the selection with polishing instructions", "polish"),
    ("AI: Critique chapter", "An editor's critique of the open chapter", "critique"),
    ("AI: Score chapter", "Score the open chapter against a rubric", "score_chapter"),
    ("AI: Voice test", "A passage in the voice of the selection or file", "voice_test"),
    (
        "AI: Enhance chapter (analyze → rewrite → score)",
        "Critique, rewrite and score the open chapter; the rewrite waits for Accept",
        "enhance_chapter",
    ),
    (
        "AI: Resume unfinished workflows",
        "Continue or abandon workflows a crash or a cancel interrupted",
        "resume_workflows",
    ),
    ("AI: Choose model per stage", "Pick the model each stage uses (saved at once)", "models"),
    ("AI: Conversations", "Reopen saved conversations", "conversations"),
    ("AI: Cancel", "Stop the running AI operation", "cancel"),
    ("AI: Accept result", "Insert the finished AI result into the editor", "accept"),
    ("AI: Discard result", "Close the AI pane without inserting", "discard"),
    ("Ask the story bible", "Search reference/ and planning/ (free); answer with AI", "ask_bible"),
    (
        "Local analysis",
        "Word counts, readability, dialogue, pacing per chapter (free)",
        "local_analysis",
    ),
    ("Local score", "Score chapters offline against a fixed rubric (free)", "local_score"),
)
"""(title, help, what) palette commands; ``what`` is passed to the app's ``ai`` action."""


def palette_commands() -> list[tuple[str, str, str]]:
    """Palette entries as (title, help, action string) like the workspace commands."""
    return [(title, help_text, f"ai('{what}')") for title, help_text, what in PALETTE]
