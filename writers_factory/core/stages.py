"""The five stages of writing a novel: the one definition every layer reads.

``current.json`` stores a stage id, preferences map stage ids to models, the AI catalogue
files each operation under a stage, and the interface shows the title and switches with the
key. Declared once here so they can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from writers_factory.core.errors import WritersFactoryError

StageId = Literal["creation", "writing", "enhancing", "analyzing", "scoring"]
"""A stage as stored on disk."""

STAGE_IDS: tuple[StageId, ...] = get_args(StageId)
DEFAULT_STAGE: StageId = "creation"


@dataclass(frozen=True)
class Stage:
    id: StageId
    title: str
    key: str
    """The default key that switches to this stage (remappable by its binding id)."""
    purpose: str

    @property
    def binding_id(self) -> str:
        return f"stage.{self.id}"


STAGES: tuple[Stage, ...] = (
    Stage("creation", "Creation", "f1", "premise, characters, world and outline"),
    Stage("writing", "Writing", "f2", "drafting scenes and chapters"),
    Stage("enhancing", "Enhancing", "f3", "revising prose, voice and dialogue"),
    Stage("analyzing", "Analyzing", "f4", "pacing, continuity and counts across the book"),
    Stage("scoring", "Scoring", "f5", "where the book is weakest"),
)

STAGE_BY_ID: dict[str, Stage] = {stage.id: stage for stage in STAGES}
assert tuple(STAGE_BY_ID) == STAGE_IDS, "STAGES lists every StageId once, in order"


def stage_for(stage_id: str | None) -> Stage:
    """The stage named ``stage_id``; an unknown or missing id falls back to Creation."""
    return STAGE_BY_ID.get(stage_id or "", STAGE_BY_ID[DEFAULT_STAGE])


def is_stage(value: object) -> bool:
    return value in STAGE_BY_ID


class InvalidStageError(WritersFactoryError, ValueError):
    """A change to a stage that does not exist: refused, the stage stays as it was."""

    def __init__(self, requested: object, current: str | None = None) -> None:
        self.requested = requested
        now = f"; the stage stays {current!r}" if current else ""
        super().__init__(
            f"cannot change the stage to {requested!r}: there is no such stage "
            f"(choose one of {', '.join(STAGE_IDS)}){now}"
        )


def check_transition(current: str | None, requested: str) -> StageId:
    """The stage ``requested`` names, or :class:`InvalidStageError`.

    Every stage may follow every other (a writer goes back to Creation to rework the
    outline as readily as forward to Scoring); what is refused is a stage that is none.
    """
    value = requested.lower() if isinstance(requested, str) else requested
    if not is_stage(value):
        raise InvalidStageError(requested, current)
    return STAGE_BY_ID[value].id
