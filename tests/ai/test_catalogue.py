"""The catalogue: the panels and palette the writer knows, its views, and what it refuses."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from writers_factory.ai.catalogue import CATALOGUE, Catalogue, CatalogueError, Entry
from writers_factory.ai.operations import OperationSpec
from writers_factory.ai.workflows import WORKFLOWS
from writers_factory.core.stages import STAGE_IDS

PANELS = {
    "creation": ["Shape the premise", "Build characters", "Build the world", "Draft the outline"],
    "writing": ["Draft a scene", "Continue from the cursor", "Ask the story bible"],
    "enhancing": ["Polish prose", "Check voice consistency", "Sharpen dialogue"],
    "analyzing": ["Pacing report", "Continuity check", "Word counts"],
    "scoring": ["Score this chapter", "Compare versions", "Write a scoring report"],
}
PALETTE = [
    "AI: Brainstorm",
    "AI: Outline",
    "AI: Generate scene",
    "AI: Continue from the cursor",
    "AI: Describe the selection (the senses)",
    "AI: Expand the selection",
    "AI: Rewrite selection",
    "AI: Polish prose",
    "AI: Rewrite with three alternatives",
    "AI: Critique chapter",
    "AI: Summarise chapter or scene",
    "AI: Beta-reader reaction",
    "AI: Score chapter",
    "AI: Voice test",
    "AI: Enhance chapter (analyze → rewrite → score)",
    "AI: Resume unfinished workflows",
    "AI: Choose model per stage",
    "AI: Conversations",
    "AI: Cancel",
    "AI: Accept result",
    "AI: Discard result",
    "Ask the story bible",
    "Local analysis",
    "Local score",
]


def test_panels_and_palette_list_what_the_writer_knows_in_order() -> None:
    assert {s: [e.label for e in CATALOGUE.for_stage(s)] for s in STAGE_IDS} == PANELS
    assert [entry.palette for entry in CATALOGUE.palette()] == PALETTE


def test_every_entry_can_be_reached_and_runs_something_that_exists() -> None:
    for entry in CATALOGUE.entries:
        assert entry.stage or entry.palette, entry.id
        if entry.kind == "workflow":
            assert entry.workflow in WORKFLOWS, entry.id
    for workflow in WORKFLOWS.values():
        for step in workflow.steps:
            CATALOGUE.operation(step.operation)  # a workflow step names a declared operation


def test_entries_sharing_an_operation_differ_only_in_what_they_preset() -> None:
    polish, dialogue = CATALOGUE.entry("polish"), CATALOGUE.entry("dialogue")
    assert polish is not None and dialogue is not None
    assert polish.operation is dialogue.operation is CATALOGUE.operation("rewrite")
    assert polish.preset["instructions"] != dialogue.preset["instructions"]
    assert CATALOGUE.entry("nope") is None


def _summary(inputs: Any) -> str:
    return f"Summarise:\n{inputs['text']}\n"


SUMMARY = OperationSpec(
    id="summarise",
    stage="enhancing",
    title="Summarise",
    builder=_summary,
    max_output_tokens=100,
    required=("text",),
    description="A one-line summary of the selection.",
    reads={"text": "selection"},
    output="insert",
    needs_file=True,
)
ENTRY = Entry(
    id="summarise",
    kind="ai",
    stage="enhancing",
    label="Summarise the selection",
    palette="AI: Summarise selection",
    help="A one-line summary after the selection",
    operation=SUMMARY,
)


def test_one_more_entry_shows_in_every_view_and_the_original_is_unchanged() -> None:
    extended = CATALOGUE.with_entries(ENTRY)
    assert extended.for_stage("enhancing")[-1] is ENTRY
    assert extended.palette()[-1] is ENTRY
    assert extended.entry("summarise") is ENTRY
    assert extended.operation("summarise") is SUMMARY
    assert SUMMARY in extended.operations_for_stage("enhancing")
    assert CATALOGUE.entry("summarise") is None and "summarise" not in CATALOGUE.operations


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (replace(ENTRY, id="polish"), "declared twice"),
        (replace(ENTRY, label=""), "needs a label"),
        (replace(ENTRY, help=""), "needs a help line"),
        (replace(ENTRY, operation=None), "run an operation"),
        (Entry(id="x", kind="analysis", operation=SUMMARY), "run an operation"),
        (Entry(id="x", kind="workflow", palette="X", help="x"), "names its workflow"),
        (replace(ENTRY, operation=replace(SUMMARY, id="rewrite")), "differently"),
        (replace(ENTRY, operation=replace(SUMMARY, needs_file=False)), "needs_file"),
        (replace(ENTRY, operation=replace(SUMMARY, reads={"text": "question"})), "(ask)"),
        (replace(ENTRY, operation=replace(SUMMARY, reads={"text": "bible"})), "story-bible"),
        (replace(ENTRY, operation=replace(SUMMARY, reads={})), "nothing reads or presets"),
        (
            replace(ENTRY, operation=replace(SUMMARY, reads={"text": "file"}, output="replace")),
            "reads the selection it replaces",
        ),
    ],
)
def test_an_entry_that_contradicts_itself_or_another_is_refused(entry: Entry, problem: str) -> None:
    with pytest.raises(CatalogueError, match=r"catalogue entry '\w+': .*" + re.escape(problem)):
        CATALOGUE.with_entries(entry)


def test_a_preset_stands_in_for_a_read_and_an_empty_catalogue_is_empty() -> None:
    bare = replace(SUMMARY, reads={})
    catalogue = Catalogue([Entry(id="s", kind="ai", operation=bare, preset={"text": "fixed"})])
    assert catalogue.operation("summarise") is bare
    assert Catalogue([]).palette() == () and Catalogue([]).for_stage("writing") == ()
