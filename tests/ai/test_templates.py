"""Prompt templates: shipped ones read through importlib.resources, a project's own used when
sound, a bad one reported by file and field with the shipped one used instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.operations import DEFAULT_REQUESTS, DEFAULT_RUBRIC, split_alternatives
from writers_factory.ai.templates import (
    TEMPLATE_INPUT,
    check,
    read_project_template,
    render,
    shipped_template,
)

TEMPLATED = sorted(op for op, spec in CATALOGUE.operations.items() if spec.template)


def fields_of(op: str) -> tuple[str, ...]:
    return tuple(getattr(CATALOGUE.operation(op).builder, "fields", ()))


def test_every_operation_is_templated() -> None:
    """Every prompt can be read and overridden in the project's prompts/ folder."""
    from writers_factory.ai.catalogue import FOLLOW_UP

    assert sorted(CATALOGUE.operations) == TEMPLATED
    assert FOLLOW_UP.template == "follow_up"


@pytest.mark.parametrize("op", TEMPLATED)
def test_each_shipped_template_names_only_its_operations_fields(op: str) -> None:
    spec = CATALOGUE.operation(op)
    text = shipped_template(spec.template)
    assert check(text, fields_of(op), spec.template) == text
    for name in spec.required:
        assert "{" + name + "}" in text


def test_a_projects_own_template_is_used(tmp_path: Path) -> None:
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "describe.txt").write_text(
        "Only smells, please, for: {text} {{literal}}", encoding="utf-8"
    )
    own, problem = read_project_template(tmp_path, "describe", fields_of("describe"))
    assert problem is None and own is not None
    spec = CATALOGUE.operation("describe")
    prompt = spec.build_prompt({"text": "Ada ran.", TEMPLATE_INPUT: own})
    assert prompt == "Only smells, please, for: Ada ran. {literal}\n"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("Describe {text} in {mood}", "prompts/describe.txt › {mood}: unknown field"),
        ("Leak {text.__class__}", "prompts/describe.txt › {text.__class__}: unknown field"),
        ("Index {text[0]}", "prompts/describe.txt › {text[0]}: unknown field"),
        ("Pad {text:>40}", "prompts/describe.txt › {text}: fields take no format"),
        ("Open {text", "prompts/describe.txt: "),
        (b"\xff\xfe{text}", "prompts/describe.txt: not UTF-8 text (byte 0)"),
    ],
)
def test_a_bad_template_is_reported_by_file_and_field(
    tmp_path: Path, content: str | bytes, problem: str
) -> None:
    (tmp_path / "prompts").mkdir()
    path = tmp_path / "prompts" / "describe.txt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    own, found = read_project_template(tmp_path, "describe", fields_of("describe"))
    assert own is None and found is not None
    assert found.startswith(problem) and found.endswith("the shipped template is used")


def test_no_project_template_is_no_problem(tmp_path: Path) -> None:
    assert read_project_template(tmp_path, "describe", fields_of("describe")) == (None, None)


def test_alternatives_are_split_on_their_markers() -> None:
    text = (
        "=== Alternative 1 ===\nOne.\n\n=== Alternative 2 ===\nTwo.\n=== Alternative 3 ===\nThree."
    )
    assert split_alternatives(text) == ["One.", "Two.", "Three."]
    assert split_alternatives("Just one.") == ["Just one."]


def test_a_section_whose_fields_are_empty_is_left_out() -> None:
    text = "Intro.\n\n## Focus\n\n{focus}\n\n## Chapter\n\n{chapter}\n\nEnd."
    assert render(text, {"chapter": "Ch.", "focus": " "}) == "Intro.\n\n## Chapter\n\nCh.\n\nEnd."
    assert render(text, {"chapter": "Ch.", "focus": "Pace"}).count("## ") == 2


def test_an_older_operation_reads_a_projects_own_template(tmp_path: Path) -> None:
    """The critique (built in code before) is overridable like the novelist operations."""
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "critique.txt").write_text(
        "Be gentle.\n\n{chapter}\n\nOnly about: {focus}", encoding="utf-8"
    )
    own, problem = read_project_template(tmp_path, "critique", fields_of("critique"))
    assert problem is None and own is not None
    spec = CATALOGUE.operation("critique")
    assert spec.build_prompt({"chapter": "Ada ran.", TEMPLATE_INPUT: own}) == (
        "Be gentle.\n\nAda ran.\n"
    )
    shipped = spec.build_prompt({"chapter": "Ada ran.", "focus": "pacing"})
    assert "## Focus\n\npacing" in shipped and "seasoned editor" in shipped
    assert "## Focus" not in spec.build_prompt({"chapter": "Ada ran."})


def test_defaults_and_notes_fields_of_the_older_templates() -> None:
    score = CATALOGUE.operation("score").build_prompt({"chapter": "Text.", "rubric": "  "})
    assert DEFAULT_RUBRIC in score
    outline = CATALOGUE.operation("outline").build_prompt({"planning": [("p.md", " Mars ")]})
    assert "### p.md\n\nMars" in outline and DEFAULT_REQUESTS["outline"] in outline
