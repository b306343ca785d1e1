"""The five stages of writing a novel, and what each offers the writer.

A stage is a mode of the one workspace rather than a separate screen: the open files, the
tree and the editor stay where they are while the writer moves from drafting to revising,
so no text is ever hidden behind a screen switch. The stage decides the side panel's
operations and the breadcrumb's second crumb.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Operation:
    """One thing the writer can ask for in a stage; ``id`` is what handlers receive."""

    id: str
    title: str


@dataclass(frozen=True)
class Stage:
    id: str
    """The value stored in ``.session/current.json`` (``creation`` … ``scoring``)."""
    title: str
    key: str
    """The default key that switches to this stage (overridable by binding id)."""
    operations: tuple[Operation, ...]

    @property
    def binding_id(self) -> str:
        return f"stage.{self.id}"


STAGES: tuple[Stage, ...] = (
    Stage(
        "creation",
        "Creation",
        "f1",
        (
            Operation("premise", "Shape the premise"),
            Operation("characters", "Build characters"),
            Operation("world", "Build the world"),
            Operation("outline", "Draft the outline"),
        ),
    ),
    Stage(
        "writing",
        "Writing",
        "f2",
        (
            Operation("draft_scene", "Draft a scene"),
            Operation("continue", "Continue from the cursor"),
            Operation("ask_bible", "Ask the story bible"),
        ),
    ),
    Stage(
        "enhancing",
        "Enhancing",
        "f3",
        (
            Operation("polish", "Polish prose"),
            Operation("voice", "Check voice consistency"),
            Operation("dialogue", "Sharpen dialogue"),
        ),
    ),
    Stage(
        "analyzing",
        "Analyzing",
        "f4",
        (
            Operation("pacing", "Pacing report"),
            Operation("continuity", "Continuity check"),
            Operation("word_counts", "Word counts"),
        ),
    ),
    Stage(
        "scoring",
        "Scoring",
        "f5",
        (
            Operation("score_chapter", "Score this chapter"),
            Operation("compare", "Compare versions"),
            Operation("report", "Write a scoring report"),
        ),
    ),
)

STAGE_BY_ID: dict[str, Stage] = {stage.id: stage for stage in STAGES}
DEFAULT_STAGE = "creation"


def stage_for(stage_id: str | None) -> Stage:
    """The stage named ``stage_id``; an unknown or missing id falls back to Creation."""
    return STAGE_BY_ID.get(stage_id or "", STAGE_BY_ID[DEFAULT_STAGE])
