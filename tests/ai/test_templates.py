"""Prompt templates: shipped ones read through importlib.resources, a project's own used when
sound, a bad one reported by file and field with the shipped one used instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.operations import split_alternatives
from writers_factory.ai.templates import (
    TEMPLATE_INPUT,
    check,
    read_project_template,
    shipped_template,
)

TEMPLATED = sorted(op for op, spec in CATALOGUE.operations.items() if spec.template)


def fields_of(op: str) -> tuple[str, ...]:
    return tuple(getattr(CATALOGUE.operation(op).builder, "fields", ()))


def test_the_six_novelist_operations_are_templated() -> None:
    assert TEMPLATED == [
        "beta_reader",
        "continue",
        "describe",
        "expand",
        "rewrite_alternatives",
        "summarise_chapter",
    ]


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
