"""Operation specs: one per stage at least, prompts carry the inputs, bad input is named."""

from __future__ import annotations

from typing import Any

import pytest

from writers_factory.ai.operations import (
    DEFAULT_RUBRIC,
    OPERATIONS,
    OperationInputError,
    get_operation,
    operations_for_stage,
)
from writers_factory.store.session_models import STAGES

FULL_INPUTS: dict[str, dict[str, Any]] = {
    "brainstorm": {"planning": {"premise.md": "A lighthouse on Mars."},
                   "request": "twists for act two"},
    "outline": {"planning": [("premise.md", "A lighthouse on Mars."),
                             ("characters.md", "Ada, the keeper.")]},
    "generate_scene": {"prompt": "Ada finds the signal.",
                       "references": {"ada.md": "Ada hums when nervous."},
                       "context": "The storm had lasted a week."},
    "rewrite": {"text": "She walked slowly and very slowly.", "instructions": "tighter"},
    "critique": {"chapter": "Chapter one text.", "focus": "pacing"},
    "score": {"chapter": "Chapter one text.", "rubric": "1. Tension"},
    "voice_test": {"sample": "I was never one for weather.", "prompt": "A market at dawn."},
    "ask_bible": {"question": "What colour are Ada's eyes?",
                  "passages": [("reference/ada.md", "Ada's eyes are grey.")]},
}


def test_every_stage_has_an_operation_and_the_extras_exist() -> None:
    for stage in STAGES:
        assert operations_for_stage(stage), stage
    assert {"brainstorm", "outline", "generate_scene", "rewrite", "critique", "score",
            "voice_test", "ask_bible"} <= set(OPERATIONS)
    assert set(FULL_INPUTS) == set(OPERATIONS)


@pytest.mark.parametrize("op_id", sorted(OPERATIONS))
def test_prompt_contains_every_given_input(op_id: str) -> None:
    spec = get_operation(op_id)
    prompt = spec.build_prompt(FULL_INPUTS[op_id])
    for value in FULL_INPUTS[op_id].values():
        if isinstance(value, str):
            assert value in prompt
        else:
            pairs = value.items() if isinstance(value, dict) else value
            for name, text in pairs:
                assert name in prompt and text in prompt
    assert spec.max_output_tokens > 0 and spec.system_prompt and spec.title


@pytest.mark.parametrize("op_id", sorted(OPERATIONS))
def test_missing_required_input_names_operation_and_field(op_id: str) -> None:
    spec = get_operation(op_id)
    with pytest.raises(OperationInputError) as info:
        spec.build_prompt({})
    assert spec.id in str(info.value) and repr(spec.required[0]) in str(info.value)


def test_blank_required_text_counts_as_missing() -> None:
    with pytest.raises(OperationInputError, match="'text'"):
        get_operation("rewrite").build_prompt({"text": "   "})


def test_malformed_documents_are_named() -> None:
    with pytest.raises(OperationInputError, match="'references'"):
        get_operation("generate_scene").build_prompt({"prompt": "x", "references": "oops"})
    with pytest.raises(OperationInputError, match=r"'passages'.*not \(name, text\)"):
        get_operation("ask_bible").build_prompt({"question": "q", "passages": [("a", 1)]})


def test_defaults_fill_optional_inputs() -> None:
    assert DEFAULT_RUBRIC in get_operation("score").build_prompt({"chapter": "Text."})
    prompt = get_operation("ask_bible").build_prompt({"question": "Who?"})
    assert "No passages were found" in prompt


def test_prompts_are_deterministic() -> None:
    spec = get_operation("generate_scene")
    assert spec.build_prompt(FULL_INPUTS["generate_scene"]) == spec.build_prompt(
        FULL_INPUTS["generate_scene"]
    )


def test_unknown_operation_lists_known_ones() -> None:
    with pytest.raises(KeyError, match="unknown operation 'nope'; known: ask_bible"):
        get_operation("nope")
