"""The catalogue of AI operations: every stage-panel entry and AI palette command, once.

An entry names one thing the writer can ask for: its id (what the panel option, the palette
command and the ``ai('…')`` action pass), the stage whose panel lists it and its label
there, its palette title and help, its kind (a model call, a free local screen, a workflow,
the AI pane's buttons) and, for a model call, the operation it runs with the inputs it
fixes. The operation (:class:`~writers_factory.ai.operations.OperationSpec`) declares the
prompt builder, the model instructions, what it reads and where its result goes, so the
stage panel, the palette and the AI controller all read this one table. Adding an operation
is one :class:`Entry` here; a new kind of model call declares its spec inline in the entry.

The panels list their stage's entries and the palette its entries, both in the order below.
Pure data and lookups: no Textual, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from writers_factory.ai.operations import (
    ASKING_SOURCES,
    DEFAULT_REQUESTS,
    DEFAULT_RUBRIC,
    FILE_SOURCES,
    NO_PASSAGES,
    NOVELIST,
    OperationSpec,
    Template,
)
from writers_factory.core.errors import WritersFactoryError
from writers_factory.core.stages import StageId

Kind = Literal[
    "ai",
    "bible",
    "analysis",
    "score",
    "conversations",
    "models",
    "workflow",
    "resume",
    "cancel",
    "accept",
    "discard",
]
"""What choosing the entry does:

- ``ai``: run its operation (estimate, confirm, stream into the AI pane);
- ``bible``: open the story-bible search, whose question may then be answered by its operation;
- ``analysis`` / ``score``: the free local analysis or score screen;
- ``conversations`` / ``models``: the saved conversations, the model per stage;
- ``workflow``: start the multi-step workflow named by ``workflow``;
- ``resume``: offer the workflows a crash or a cancel left unfinished;
- ``cancel`` / ``accept`` / ``discard``: the AI pane's buttons.
"""

RUNS_AN_OPERATION: frozenset[Kind] = frozenset({"ai", "bible"})


class CatalogueError(WritersFactoryError, ValueError):
    """An entry contradicts itself or another; the message names the entry."""


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One thing the writer can ask for, in a stage panel, in the palette, or both."""

    id: str
    kind: Kind
    stage: StageId | None = None
    """The stage whose panel lists it; ``None``: in no panel (the palette, a key)."""
    label: str = ""
    """Its text in the stage panel."""
    palette: str = ""
    """Its title in the command palette (ctrl+p); empty: not in the palette."""
    help: str = ""
    """The palette's line under the title."""
    operation: OperationSpec | None = None
    """The model call an ``ai`` or ``bible`` entry runs."""
    preset: Mapping[str, str] = field(default_factory=dict)
    """Inputs the entry fixes (rewrite instructions, a critique focus); not read or asked."""
    workflow: str = ""
    """A ``workflow`` entry's workflow (``ai.workflows.WORKFLOWS``)."""


class Catalogue:
    """Entries in order, checked once, with the views the panel, palette and controller use."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._by_id: dict[str, Entry] = {}
        self._operations: dict[str, OperationSpec] = {}
        for entry in self.entries:
            self._add(entry)

    def _add(self, entry: Entry) -> None:
        problem = self._problem(entry)
        if problem:
            raise CatalogueError(f"catalogue entry {entry.id!r}: {problem}")
        self._by_id[entry.id] = entry
        if entry.operation is not None:
            self._operations[entry.operation.id] = entry.operation

    def _problem(self, entry: Entry) -> str | None:
        """Why ``entry`` cannot join the entries before it, or ``None``."""
        if entry.id in self._by_id:
            return "the id is declared twice"
        if entry.stage is not None and not entry.label:
            return "an entry in a stage panel needs a label"
        if entry.palette and not entry.help:
            return "a palette command needs a help line"
        if entry.kind == "workflow" and not entry.workflow:
            return "a workflow entry names its workflow"
        spec = entry.operation
        if (spec is not None) != (entry.kind in RUNS_AN_OPERATION):
            return "ai and bible entries run an operation, other kinds none"
        if spec is None:
            return None
        known = self._operations.get(spec.id)
        if known is not None and known != spec:
            return f"another entry declares the operation {spec.id!r} differently"
        sources = set(spec.reads.values())
        if spec.output == "replace" and "selection" not in sources:
            return f"{spec.id!r} replaces text, so it reads the selection it replaces"
        if spec.output in ("replace", "note", "summary") and not spec.needs_file:
            return f"{spec.id!r} puts its result in the open file, so it needs_file"
        if sources & FILE_SOURCES and not spec.needs_file:
            return f"{spec.id!r} reads the open file, so it needs_file"
        if sources & ASKING_SOURCES and not spec.ask:
            return f"{spec.id!r} asks the writer, so it declares the question (ask)"
        if ("bible" in sources) != (entry.kind == "bible"):
            return "'bible' inputs are gathered by the story-bible screen (kind bible) only"
        given = set(spec.reads) | set(entry.preset)
        missing = [name for name in spec.required if name not in given]
        if missing:
            return f"{spec.id!r} requires {missing}, which nothing reads or presets"
        return None

    # ------------------------------------------------------------------ views
    def entry(self, entry_id: str) -> Entry | None:
        """The entry a panel option, palette command or ``ai('…')`` action names."""
        return self._by_id.get(entry_id)

    def for_stage(self, stage: str) -> tuple[Entry, ...]:
        """The entries ``stage``'s panel lists, in panel order."""
        return tuple(entry for entry in self.entries if entry.stage == stage)

    def palette(self) -> tuple[Entry, ...]:
        """The entries the command palette offers, in palette order."""
        return tuple(entry for entry in self.entries if entry.palette)

    @property
    def operations(self) -> Mapping[str, OperationSpec]:
        """Operation id -> spec, for every operation an entry runs."""
        return MappingProxyType(self._operations)

    def operation(self, operation_id: str) -> OperationSpec:
        """The spec for ``operation_id``; a clear error lists the ones that exist."""
        try:
            return self._operations[operation_id]
        except KeyError:
            known = ", ".join(sorted(self._operations))
            raise KeyError(f"unknown operation {operation_id!r}; known: {known}") from None

    def operations_for_stage(self, stage: str) -> list[OperationSpec]:
        """Operations whose model is ``stage``'s."""
        return [spec for spec in self._operations.values() if spec.stage == stage]

    def with_entries(self, *entries: Entry) -> Catalogue:
        """This catalogue with ``entries`` added at the end."""
        return Catalogue((*self.entries, *entries))


# --------------------------------------------------------------------------- model calls
# Shared by several entries below; an entry may equally declare its own spec inline.
BRAINSTORM = OperationSpec(
    id="brainstorm",
    stage="creation",
    title="Brainstorm",
    builder=Template(
        "brainstorm",
        ("planning", "request"),
        (("request", DEFAULT_REQUESTS["brainstorm"]),),
        documents=("planning",),
    ),
    template="brainstorm",
    max_output_tokens=1500,
    required=("planning",),
    description="Ideas from the planning/ notes.",
    reads={"planning": "planning"},
    output="insert",
)
OUTLINE = OperationSpec(
    id="outline",
    stage="creation",
    title="Outline",
    builder=Template(
        "outline",
        ("planning", "request"),
        (("request", DEFAULT_REQUESTS["outline"]),),
        documents=("planning",),
    ),
    template="outline",
    max_output_tokens=3000,
    required=("planning",),
    description="A chapter outline from the planning/ notes.",
    reads={"planning": "planning"},
    output="insert",
)
GENERATE_SCENE = OperationSpec(
    id="generate_scene",
    stage="writing",
    title="Generate scene",
    builder=Template(
        "generate_scene", ("story_so_far", "context", "prompt"), documents=("story_so_far",)
    ),
    template="generate_scene",
    max_output_tokens=4000,
    required=("prompt",),
    description="A scene from a prompt, with the story-bible notes it and the text mention.",
    # The reference/ notes come as story-bible context: those the request and the text
    # before the cursor mention, within the budget (not every note, whatever it costs).
    reads={
        "context": "before_cursor",
        "prompt": "selection_or_question",
        "story_so_far": "summaries",
    },
    ask="Describe the scene to write:",
    output="insert",
)
REWRITE = OperationSpec(
    id="rewrite",
    stage="enhancing",
    title="Rewrite",
    builder=Template(
        "rewrite",
        ("context", "instructions", "text"),
        (("instructions", DEFAULT_REQUESTS["rewrite"]),),
    ),
    template="rewrite",
    max_output_tokens=4000,
    required=("text",),
    description="Rewrite a selection or a whole scene.",
    reads={"text": "selection", "context": "around_selection"},
    output="replace",
    needs_file=True,
)
CRITIQUE = OperationSpec(
    id="critique",
    stage="analyzing",
    title="Critique chapter",
    builder=Template("critique", ("chapter", "focus")),
    template="critique",
    max_output_tokens=2000,
    required=("chapter",),
    description="An editor's critique of a chapter.",
    reads={"chapter": "file"},
    output="note",
    needs_file=True,
)
SCORE = OperationSpec(
    id="score",
    stage="scoring",
    title="Score chapter",
    builder=Template("score", ("rubric", "chapter"), (("rubric", DEFAULT_RUBRIC),)),
    template="score",
    max_output_tokens=1500,
    required=("chapter",),
    description="A chapter scored against a rubric.",
    reads={"chapter": "file"},
    output="note",
    needs_file=True,
)
VOICE_TEST = OperationSpec(
    id="voice_test",
    stage="writing",
    title="Voice test",
    builder=Template("voice_test", ("sample", "prompt")),
    template="voice_test",
    max_output_tokens=1000,
    required=("sample", "prompt"),
    description="A short passage in the writer's voice, to check the model can match it.",
    reads={"sample": "sample", "prompt": "question"},
    ask="Describe what to write:",
    output="insert",
    needs_file=True,
    conversational=True,
)
ASK_BIBLE = OperationSpec(
    id="ask_bible",
    stage="analyzing",
    title="Ask the story bible",
    builder=Template(
        "ask_bible",
        ("passages", "question"),
        (("passages", NO_PASSAGES),),
        documents=("passages",),
    ),
    template="ask_bible",
    max_output_tokens=1000,
    required=("question",),
    description="An answer from passages of reference/ and planning/.",
    system_prompt=NOVELIST + " Answer questions about the story from the given passages.",
    reads={"question": "bible", "passages": "bible"},
    conversational=True,
)


# Operations whose prompt is a template (``data/prompts/<id>.txt``), which the writer may
# read and override in the project's ``prompts/`` folder. Their entries are in the palette;
# the stage panels list them once the stage screens place them.
DESCRIBE = OperationSpec(
    id="describe",
    stage="writing",
    title="Describe (the senses)",
    builder=Template("describe", ("text", "context")),
    template="describe",
    max_output_tokens=800,
    required=("text",),
    description="A paragraph of sight, sound, smell, touch and taste for the selection.",
    reads={"text": "selection", "context": "around_selection"},
    output="insert",
    needs_file=True,
)
EXPAND = OperationSpec(
    id="expand",
    stage="writing",
    title="Expand",
    builder=Template("expand", ("text", "context")),
    template="expand",
    max_output_tokens=3000,
    required=("text",),
    description="The selection slowed down and written out at about twice its length.",
    reads={"text": "selection", "context": "around_selection"},
    output="replace",
    needs_file=True,
)
CONTINUE = OperationSpec(
    id="continue",
    stage="writing",
    title="Continue from the cursor",
    builder=Template("continue", ("story_so_far", "context"), documents=("story_so_far",)),
    template="continue",
    max_output_tokens=4000,
    required=("context",),
    description="The story written on from where the text before the cursor stops.",
    reads={"context": "before_cursor", "story_so_far": "summaries"},
    output="insert",
    needs_file=True,
)
REWRITE_ALTERNATIVES = OperationSpec(
    id="rewrite_alternatives",
    stage="enhancing",
    title="Rewrite: three alternatives",
    builder=Template("rewrite_alternatives", ("text", "context", "instructions")),
    template="rewrite_alternatives",
    max_output_tokens=6000,
    required=("text",),
    description="Three rewrites of the selection; the writer picks one on Accept.",
    reads={"text": "selection", "context": "around_selection"},
    output="replace",
    needs_file=True,
    alternatives=3,
)
SUMMARISE = OperationSpec(
    id="summarise_chapter",
    stage="analyzing",
    title="Summarise chapter",
    builder=Template("summarise", ("chapter",)),
    template="summarise",
    max_output_tokens=400,
    required=("chapter",),
    description="A short summary of the open chapter (or selected scene), kept as its summary.",
    reads={"chapter": "selection"},
    output="summary",
    needs_file=True,
)
BETA_READER = OperationSpec(
    id="beta_reader",
    stage="analyzing",
    title="Beta-reader reaction",
    builder=Template("beta_reader", ("chapter",)),
    template="beta_reader",
    max_output_tokens=1500,
    required=("chapter",),
    description="How a reader feels through the chapter, and where attention drops.",
    reads={"chapter": "file"},
    needs_file=True,
)

FOLLOW_UP = OperationSpec(
    id="follow_up",
    stage="writing",
    title="Continue the conversation",
    builder=Template("follow_up", ("history", "question")),
    template="follow_up",
    max_output_tokens=1500,
    required=("question",),
    description="The writer's next message in a reopened conversation, with what was said.",
    reads={"history": "conversation", "question": "question"},
    ask="Your next message:",
    conversational=True,
)
"""Run from the saved conversations (its model is the conversation's), not a panel."""


# --------------------------------------------------------------------------- the entries
# In palette order; each panel lists its stage's entries in the order they appear here.
ENTRIES: tuple[Entry, ...] = (
    Entry(
        id="brainstorm",
        kind="ai",
        palette="AI: Brainstorm",
        help="Ideas from the planning/ notes",
        operation=BRAINSTORM,
    ),
    Entry(
        id="premise",
        kind="ai",
        stage="creation",
        label="Shape the premise",
        operation=BRAINSTORM,
        preset={
            "request": "Shape the premise: sharpen the central question, "
            "what the protagonist wants and what stands in the way."
        },
    ),
    Entry(
        id="characters",
        kind="ai",
        stage="creation",
        label="Build characters",
        operation=BRAINSTORM,
        preset={
            "request": "Build characters: wants, fears, contradictions "
            "and relationships that create conflict."
        },
    ),
    Entry(
        id="world",
        kind="ai",
        stage="creation",
        label="Build the world",
        operation=BRAINSTORM,
        preset={
            "request": "Build the world: places, rules, history and textures "
            "that the story can use."
        },
    ),
    Entry(
        id="outline",
        kind="ai",
        stage="creation",
        label="Draft the outline",
        palette="AI: Outline",
        help="A chapter outline from the planning/ notes",
        operation=OUTLINE,
    ),
    Entry(
        id="draft_scene",
        kind="ai",
        stage="writing",
        label="Draft a scene",
        palette="AI: Generate scene",
        help="A scene from a prompt and the story-bible notes it mentions",
        operation=GENERATE_SCENE,
    ),
    Entry(
        id="continue",
        kind="ai",
        stage="writing",
        label="Continue from the cursor",
        palette="AI: Continue from the cursor",
        help="Write on from where the text before the cursor stops",
        operation=CONTINUE,
    ),
    Entry(
        id="describe",
        kind="ai",
        palette="AI: Describe the selection (the senses)",
        help="A paragraph of sight, sound, smell, touch and taste after the selection",
        operation=DESCRIBE,
    ),
    Entry(
        id="expand",
        kind="ai",
        palette="AI: Expand the selection",
        help="The selection written out at about twice its length; keeps a version",
        operation=EXPAND,
    ),
    Entry(
        id="rewrite",
        kind="ai",
        palette="AI: Rewrite selection",
        help="Rewrite the selection (or the file); keeps a version",
        operation=REWRITE,
    ),
    Entry(
        id="polish",
        kind="ai",
        stage="enhancing",
        label="Polish prose",
        palette="AI: Polish prose",
        help="Rewrite the selection with polishing instructions",
        operation=REWRITE,
        preset={
            "instructions": "Polish the prose: tighten, clarify, vary rhythm; "
            "keep meaning, voice and tense."
        },
    ),
    Entry(
        id="rewrite_alternatives",
        kind="ai",
        palette="AI: Rewrite with three alternatives",
        help="Three rewrites of the selection to choose from on Accept",
        operation=REWRITE_ALTERNATIVES,
        preset={"instructions": "Tighten and clarify while keeping meaning, voice and tense."},
    ),
    Entry(
        id="voice",
        kind="ai",
        stage="enhancing",
        label="Check voice consistency",
        operation=VOICE_TEST,
    ),
    Entry(
        id="dialogue",
        kind="ai",
        stage="enhancing",
        label="Sharpen dialogue",
        operation=REWRITE,
        preset={
            "instructions": "Sharpen the dialogue: distinct voices, subtext, "
            "no exposition dumps; keep the narration as it is."
        },
    ),
    Entry(
        id="critique",
        kind="ai",
        palette="AI: Critique chapter",
        help="An editor's critique of the open chapter",
        operation=CRITIQUE,
    ),
    Entry(id="pacing", kind="analysis", stage="analyzing", label="Pacing report"),
    Entry(
        id="continuity",
        kind="ai",
        stage="analyzing",
        label="Continuity check",
        operation=CRITIQUE,
        preset={
            "focus": "Continuity: facts, timeline, names and details that contradict each other."
        },
    ),
    Entry(id="word_counts", kind="analysis", stage="analyzing", label="Word counts"),
    Entry(
        id="summarise_chapter",
        kind="ai",
        palette="AI: Summarise chapter or scene",
        help="A short summary of the chapter (or the selected scene), kept as its summary",
        operation=SUMMARISE,
    ),
    Entry(
        id="beta_reader",
        kind="ai",
        palette="AI: Beta-reader reaction",
        help="How a reader feels through the chapter and where attention drops",
        operation=BETA_READER,
    ),
    Entry(
        id="score_chapter",
        kind="ai",
        stage="scoring",
        label="Score this chapter",
        palette="AI: Score chapter",
        help="Score the open chapter against a rubric",
        operation=SCORE,
    ),
    Entry(id="compare", kind="score", stage="scoring", label="Compare versions"),
    Entry(
        id="report",
        kind="ai",
        stage="scoring",
        label="Write a scoring report",
        operation=SCORE,
    ),
    Entry(
        id="voice_test",
        kind="ai",
        palette="AI: Voice test",
        help="A passage in the voice of the selection or file",
        operation=VOICE_TEST,
    ),
    Entry(
        id="enhance_chapter",
        kind="workflow",
        workflow="enhance_chapter",
        palette="AI: Enhance chapter (analyze → rewrite → score)",
        help="Critique, rewrite and score the open chapter; the rewrite waits for Accept",
    ),
    Entry(
        id="resume_workflows",
        kind="resume",
        palette="AI: Resume unfinished workflows",
        help="Continue or abandon workflows a crash or a cancel interrupted",
    ),
    Entry(
        id="models",
        kind="models",
        palette="AI: Choose model per stage",
        help="Pick the model each stage uses (saved at once)",
    ),
    Entry(
        id="conversations",
        kind="conversations",
        palette="AI: Conversations",
        help="Reopen saved conversations, and continue one (c)",
    ),
    Entry(id="cancel", kind="cancel", palette="AI: Cancel", help="Stop the running AI operation"),
    Entry(
        id="accept",
        kind="accept",
        palette="AI: Accept result",
        help="Insert the finished AI result into the editor",
    ),
    Entry(
        id="discard",
        kind="discard",
        palette="AI: Discard result",
        help="Close the AI pane without inserting",
    ),
    Entry(
        id="ask_bible",
        kind="bible",
        stage="writing",
        label="Ask the story bible",
        palette="Ask the story bible",
        help="Search reference/ and planning/ (free); answer with AI",
        operation=ASK_BIBLE,
    ),
    Entry(
        id="local_analysis",
        kind="analysis",
        palette="Local analysis",
        help="Word counts, readability, dialogue, pacing per chapter (free)",
    ),
    Entry(
        id="local_score",
        kind="score",
        palette="Local score",
        help="Score chapters offline against a fixed rubric (free)",
    ),
)

CATALOGUE = Catalogue(ENTRIES)
"""The app's catalogue; readers take a catalogue parameter defaulting to this one."""
