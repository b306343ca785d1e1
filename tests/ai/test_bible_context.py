"""Story-bible notes join a prompt when the text sent names them, within a budget, visibly."""

from __future__ import annotations

from pathlib import Path

import pytest

from writers_factory.ai.bible_context import add_context, read_notes
from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.operations import drop_parts
from writers_factory.ai.runner import plan_operation
from writers_factory.core.frontmatter import parse
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.preferences.preferences import Preferences

REWRITE = CATALOGUE.operation("rewrite")
ADA = (
    "---\nname: Ada Quill\naliases: [Ada, the keeper]\nrole: keeper\n---\nAda hums when nervous.\n"
)
HARBOUR = "---\naliases:\n  - the harbour\n  - Port Vell\n---\n# Harbour\nSalt and rope.\n"
MOTH = "# Moth\nA moth that never appears in the text.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "ada.md").write_text(ADA, encoding="utf-8")
    (reference / "harbour.md").write_text(HARBOUR, encoding="utf-8")
    (reference / "moth.md").write_text(MOTH, encoding="utf-8")
    (reference / "bad.md").write_text("---\nname: [a, b]\nnonsense\n---\nBad.\n", encoding="utf-8")
    return tmp_path


def test_front_matter_is_read_safely_and_problems_name_file_and_field(project: Path) -> None:
    notes = read_notes(project)
    by_path = {e.path: e for e in notes.entries}
    assert by_path["reference/ada.md"].names == ("Ada Quill", "Ada", "the keeper")
    assert by_path["reference/ada.md"].text == "Ada hums when nervous."
    assert by_path["reference/harbour.md"].names == ("Harbour", "the harbour", "Port Vell")
    assert by_path["reference/moth.md"].names == ("Moth",)
    assert by_path["reference/bad.md"].name == "bad"  # its name field was unusable
    assert "reference/bad.md › name: Value error, a name is one line of text, not a list" in (
        notes.problems
    )
    assert "reference/bad.md › front matter: line 3: not a 'key: value' line" in notes.problems
    assert parse("---\n!!python/object: x\n---\n").fields == {"!!python/object": "x"}  # inert


def test_mentioned_notes_join_the_prompt_most_mentioned_first(project: Path) -> None:
    inputs: dict[str, object] = {"text": "The keeper saw Ada by the harbour. Ada waved."}
    with_notes, context = add_context(project, inputs, budget=4000)
    assert [c.entry.path for c in context.chosen] == ["reference/ada.md", "reference/harbour.md"]
    assert context.chosen[0].why == "mentioned 3 times"
    prompt = REWRITE.build_prompt(with_notes)
    assert "## From the story bible" in prompt and "Ada hums when nervous." in prompt
    assert "Salt and rope." in prompt and "moth that never" not in prompt


def test_budget_pins_and_exclusions(project: Path) -> None:
    inputs: dict[str, object] = {"text": "Ada, Ada, Ada and the harbour."}
    _, tight = add_context(project, inputs, budget=15)
    assert [c.entry.path for c in tight.chosen] == ["reference/ada.md"]
    assert [(e.path, why) for e, why in tight.left_out] == [
        ("reference/harbour.md", "over the budget of 15 tokens")
    ]
    _, pinned = add_context(
        project, inputs, budget=4000, pinned=["reference/moth.md"], excluded=["reference/ada.md"]
    )
    assert [c.entry.path for c in pinned.chosen] == ["reference/moth.md", "reference/harbour.md"]
    assert [(e.path, why) for e, why in pinned.left_out] == [("reference/ada.md", "excluded")]


async def test_notes_are_in_the_preview_and_dropping_one_lowers_the_estimate(
    project: Path, ai_session: tuple[Preferences, CostTracker]
) -> None:
    prefs, tracker = ai_session
    inputs, _ = add_context(project, {"text": "Ada walked to Port Vell."}, budget=4000)
    plan = await plan_operation(REWRITE, inputs, "test", tracker, prefs)
    parts = {p.key: p for p in plan.parts}
    assert {"instructions", "input:text", "bible:Ada Quill", "bible:Harbour"} <= set(parts)
    ada = parts["bible:Ada Quill"]
    assert ada.tokens > 0 and ada.droppable and ada.label == "story bible: Ada Quill"
    assert ada.cost == tracker.get_estimated_cost("test", ada.tokens, 0)
    assert 0 < plan.share(ada) < 1
    assert not parts["input:text"].droppable  # the text to rewrite is required
    assert sum(p.tokens for p in plan.parts) == plan.input_tokens.count

    fewer = drop_parts(REWRITE, plan.inputs, ["bible:Ada Quill"])
    again = await plan_operation(REWRITE, fewer, "test", tracker, prefs)
    assert "Ada hums" not in again.prompt and "Salt and rope." in again.prompt
    assert again.input_tokens.count < plan.input_tokens.count
    assert again.estimated_cost < plan.estimated_cost
    assert "bible:Ada Quill" not in {p.key for p in again.parts}
