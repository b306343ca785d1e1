"""Operation specs (from the catalogue): one per stage at least, prompts carry the inputs,
bad input is named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.operations import DEFAULT_RUBRIC, OperationInputError, read_documents
from writers_factory.core.stages import STAGE_IDS


def test_every_stage_has_an_operation_and_the_extras_exist(
    operation_inputs: dict[str, dict[str, Any]],
) -> None:
    for stage in STAGE_IDS:
        assert CATALOGUE.operations_for_stage(stage), stage
    assert {
        "brainstorm",
        "outline",
        "generate_scene",
        "rewrite",
        "critique",
        "score",
        "voice_test",
        "ask_bible",
    } <= set(CATALOGUE.operations)
    assert set(operation_inputs) == set(CATALOGUE.operations)


@pytest.mark.parametrize("op_id", sorted(CATALOGUE.operations))
def test_prompt_contains_every_given_input(
    op_id: str, operation_inputs: dict[str, dict[str, Any]]
) -> None:
    spec = CATALOGUE.operation(op_id)
    prompt = spec.build_prompt(operation_inputs[op_id])
    for value in operation_inputs[op_id].values():
        if isinstance(value, str):
            assert value in prompt
        else:
            pairs = value.items() if isinstance(value, dict) else value
            for name, text in pairs:
                assert name in prompt and text in prompt
    assert spec.max_output_tokens > 0 and spec.system_prompt and spec.title


@pytest.mark.parametrize("op_id", sorted(CATALOGUE.operations))
def test_missing_required_input_names_operation_and_field(op_id: str) -> None:
    spec = CATALOGUE.operation(op_id)
    with pytest.raises(OperationInputError) as info:
        spec.build_prompt({})
    assert spec.id in str(info.value) and repr(spec.required[0]) in str(info.value)


def test_blank_required_text_counts_as_missing() -> None:
    with pytest.raises(OperationInputError, match="'text'"):
        CATALOGUE.operation("rewrite").build_prompt({"text": "   "})


def test_malformed_documents_are_named() -> None:
    with pytest.raises(OperationInputError, match="'planning'"):
        CATALOGUE.operation("outline").build_prompt({"planning": "oops"})
    with pytest.raises(OperationInputError, match=r"'passages'.*not \(name, text\)"):
        CATALOGUE.operation("ask_bible").build_prompt({"question": "q", "passages": [("a", 1)]})


def test_defaults_fill_optional_inputs() -> None:
    assert DEFAULT_RUBRIC in CATALOGUE.operation("score").build_prompt({"chapter": "Text."})
    prompt = CATALOGUE.operation("ask_bible").build_prompt({"question": "Who?"})
    assert "No passages were found" in prompt


def test_prompts_are_deterministic(operation_inputs: dict[str, dict[str, Any]]) -> None:
    spec = CATALOGUE.operation("generate_scene")
    inputs = operation_inputs["generate_scene"]
    assert spec.build_prompt(inputs) == spec.build_prompt(dict(inputs))


def test_unknown_operation_lists_known_ones() -> None:
    with pytest.raises(KeyError, match="unknown operation 'nope'; known: ask_bible"):
        CATALOGUE.operation("nope")


def test_read_documents_reads_notes_in_order_and_says_what_it_left_out(tmp_path: Path) -> None:
    planning = tmp_path / "planning"
    (planning / "arcs").mkdir(parents=True)
    (planning / "premise.md").write_text("A lighthouse on Mars.", encoding="utf-8")
    (planning / "arcs" / "ada.md").write_text("Ada learns to trust.", encoding="utf-8")
    (planning / ".hidden.md").write_text("secret", encoding="utf-8")
    (planning / "image.png").write_bytes(b"\x89PNG")
    (planning / ".premise.md.123.abcd.wf-tmp").write_text("half", encoding="utf-8")
    (planning / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (planning / "zz-big.md").write_text("x" * 500, encoding="utf-8")

    gathered = read_documents(tmp_path, "planning", max_chars=100)
    assert gathered.documents == [
        ("planning/arcs/ada.md", "Ada learns to trust."),
        ("planning/premise.md", "A lighthouse on Mars."),
    ]
    assert gathered.skipped == [
        "planning/latin1.txt: not UTF-8 text (byte 3)",
        "planning/zz-big.md: left out, the notes exceed 100 characters",
    ]
    prompt = CATALOGUE.operation("outline").build_prompt({"planning": gathered.documents})
    assert "### planning/premise.md" in prompt and "Ada learns to trust." in prompt


def test_read_documents_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    gathered = read_documents(tmp_path, "reference")
    assert gathered.documents == [] and gathered.skipped == []
