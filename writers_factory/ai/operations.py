"""What each AI operation asks of the model: one spec per operation, pure and testable.

A spec turns inputs the caller has already read (file texts, a selection, passages) into a
prompt. Specs never read files themselves, so building a prompt is safe anywhere, and the
same prompt is what the cost estimate counts and what the model receives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writers_factory.core.errors import WritersFactoryError

Inputs = Mapping[str, Any]
"""Operation inputs by name: strings, or documents as ``{name: text}`` / ``[(name, text)]``."""


class OperationInputError(WritersFactoryError, ValueError):
    """An input is missing or has the wrong shape; the message names operation and field."""


@dataclass(frozen=True)
class OperationSpec:
    """One operation: identity, stage, instructions for the model and the prompt builder."""

    id: str
    stage: str
    title: str
    system_prompt: str
    builder: Callable[[Inputs], str]
    max_output_tokens: int
    required: tuple[str, ...]
    description: str

    def build_prompt(self, inputs: Inputs) -> str:
        """The user prompt for ``inputs``; raises :class:`OperationInputError` naming a field."""
        for name in self.required:
            value = inputs.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise OperationInputError(f"{self.title} ({self.id}) needs the input {name!r}")
        try:
            return self.builder(inputs)
        except OperationInputError as exc:
            raise OperationInputError(f"{self.title} ({self.id}): {exc}") from exc


def documents(inputs: Inputs, field: str) -> list[tuple[str, str]]:
    """``inputs[field]`` as (name, text) pairs, from a mapping or a sequence of pairs."""
    value = inputs.get(field)
    if value is None:
        return []
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, Sequence) and not isinstance(value, str):
        items = list(value)
    else:
        raise OperationInputError(f"{field!r} must be documents as name -> text")
    out: list[tuple[str, str]] = []
    for item in items:
        if not (
            isinstance(item, Sequence)
            and len(item) == 2
            and all(isinstance(part, str) for part in item)
        ):
            raise OperationInputError(f"{field!r} holds an entry that is not (name, text)")
        out.append((item[0], item[1]))
    return out


def _text(inputs: Inputs, field: str) -> str:
    value = inputs.get(field, "")
    if not isinstance(value, str):
        raise OperationInputError(f"{field!r} must be text")
    return value.strip()


def _section(title: str, body: str) -> str:
    return f"## {title}\n\n{body.strip()}\n" if body.strip() else ""


def _docs_section(title: str, docs: list[tuple[str, str]]) -> str:
    if not docs:
        return ""
    parts = [f"### {name}\n\n{text.strip()}\n" for name, text in docs]
    return f"## {title}\n\n" + "\n".join(parts)


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part).strip() + "\n"


NOVELIST = (
    "You are a careful assistant to a novelist working in Writers Factory. The writer owns "
    "every word; serve their intent and voice. Write in plain prose without preamble."
)

DEFAULT_RUBRIC = (
    "Score each criterion from 1 to 10 with one sentence of evidence from the text:\n"
    "1. Narrative drive: does each scene change something?\n"
    "2. Character: are wants, fears and choices clear and consistent?\n"
    "3. Prose: clarity, rhythm, specificity, freedom from cliché.\n"
    "4. Dialogue: distinct voices, subtext, no exposition dumps.\n"
    "5. Pacing: balance of action, reflection and description.\n"
    "6. Continuity: consistency with what the chapter establishes.\n"
    "End with an overall score out of 10 and the single most valuable revision."
)


def _brainstorm(inputs: Inputs) -> str:
    return _join(
        _docs_section("Planning notes", documents(inputs, "planning")),
        _section(
            "What to brainstorm",
            _text(inputs, "request") or "Ideas that grow naturally from these notes.",
        ),
        "Offer 8-12 distinct ideas, each a short paragraph, from safe to surprising.",
    )


def _outline(inputs: Inputs) -> str:
    return _join(
        _docs_section("Planning notes", documents(inputs, "planning")),
        _section(
            "Outline request",
            _text(inputs, "request") or "An outline of the story so far and what should come next.",
        ),
        "Write a numbered chapter-by-chapter outline; for each chapter give its purpose, "
        "the main events and how it changes the characters.",
    )


def _generate_scene(inputs: Inputs) -> str:
    return _join(
        _docs_section("Reference notes", documents(inputs, "references")),
        _section("Preceding text", _text(inputs, "context")),
        _section("Scene to write", _text(inputs, "prompt")),
        "Write the scene in full, consistent with the reference notes and the writer's style.",
    )


def _rewrite(inputs: Inputs) -> str:
    return _join(
        _section("Surrounding text (for context only; do not rewrite)", _text(inputs, "context")),
        _section(
            "How to rewrite",
            _text(inputs, "instructions")
            or "Tighten and clarify while keeping meaning, voice and tense.",
        ),
        _section("Text to rewrite", _text(inputs, "text")),
        "Return only the rewritten text, ready to replace the original.",
    )


def _critique(inputs: Inputs) -> str:
    return _join(
        _section("Chapter", _text(inputs, "chapter")),
        _section("Focus", _text(inputs, "focus")),
        "Critique this chapter as a seasoned editor: strengths first, then the most important "
        "problems with quoted examples and concrete suggestions.",
    )


def _score(inputs: Inputs) -> str:
    return _join(
        _section("Rubric", _text(inputs, "rubric") or DEFAULT_RUBRIC),
        _section("Chapter", _text(inputs, "chapter")),
        "Score the chapter against the rubric.",
    )


def _voice_test(inputs: Inputs) -> str:
    return _join(
        _section("Sample of the writer's voice", _text(inputs, "sample")),
        _section("Write this in that voice", _text(inputs, "prompt")),
        "Match diction, sentence rhythm, point of view and tense of the sample.",
    )


def _ask_bible(inputs: Inputs) -> str:
    passages = documents(inputs, "passages")
    return _join(
        _docs_section("Passages from the story bible", passages)
        or "## Passages from the story bible\n\n(No passages were found.)\n",
        _section("Question", _text(inputs, "question")),
        "Answer only from the passages, citing the passage names you used. If they do not "
        "contain the answer, say so.",
    )


def _spec(
    id: str,
    stage: str,
    title: str,
    builder: Callable[[Inputs], str],
    max_tokens: int,
    required: tuple[str, ...],
    description: str,
    system: str = NOVELIST,
) -> OperationSpec:
    return OperationSpec(id, stage, title, system, builder, max_tokens, required, description)


OPERATIONS: Mapping[str, OperationSpec] = {
    spec.id: spec
    for spec in (
        _spec(
            "brainstorm",
            "creation",
            "Brainstorm",
            _brainstorm,
            1500,
            ("planning",),
            "Ideas from the planning/ notes.",
        ),
        _spec(
            "outline",
            "creation",
            "Outline",
            _outline,
            3000,
            ("planning",),
            "A chapter outline from the planning/ notes.",
        ),
        _spec(
            "generate_scene",
            "writing",
            "Generate scene",
            _generate_scene,
            4000,
            ("prompt",),
            "A scene from a prompt and the relevant reference/ notes.",
        ),
        _spec(
            "rewrite",
            "enhancing",
            "Rewrite",
            _rewrite,
            4000,
            ("text",),
            "Rewrite a selection or a whole scene.",
        ),
        _spec(
            "critique",
            "analyzing",
            "Critique chapter",
            _critique,
            2000,
            ("chapter",),
            "An editor's critique of a chapter.",
        ),
        _spec(
            "score",
            "scoring",
            "Score chapter",
            _score,
            1500,
            ("chapter",),
            "A chapter scored against a rubric.",
        ),
        _spec(
            "voice_test",
            "writing",
            "Voice test",
            _voice_test,
            1000,
            ("sample", "prompt"),
            "A short passage in the writer's voice, to check the model can match it.",
        ),
        _spec(
            "ask_bible",
            "analyzing",
            "Ask the story bible",
            _ask_bible,
            1000,
            ("question",),
            "An answer from passages of reference/ and planning/.",
            system=NOVELIST + " Answer questions about the story from the given passages.",
        ),
    )
}


def get_operation(operation_id: str) -> OperationSpec:
    """The spec for ``operation_id``; a clear error lists the ones that exist."""
    try:
        return OPERATIONS[operation_id]
    except KeyError:
        known = ", ".join(sorted(OPERATIONS))
        raise KeyError(f"unknown operation {operation_id!r}; known: {known}") from None


def operations_for_stage(stage: str) -> list[OperationSpec]:
    """Operations offered in ``stage``, in menu order."""
    return [spec for spec in OPERATIONS.values() if spec.stage == stage]


DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt")
DEFAULT_MAX_CHARS = 400_000
"""About 100,000 tokens: more context than this costs a lot and helps little."""


@dataclass
class GatheredDocuments:
    """Notes read for a prompt, and those left out (with the reason) so the UI can say so."""

    documents: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_documents(
    project_root: Path, folder: str, *, max_chars: int = DEFAULT_MAX_CHARS
) -> GatheredDocuments:
    """Read the notes under ``project_root/folder`` (e.g. ``planning``) for an operation.

    Blocking I/O: async callers run it with ``asyncio.to_thread``. Names are project-relative
    POSIX paths; hidden files and Writers Factory temp files are ignored; once ``max_chars``
    is reached further files are listed in ``skipped`` instead of silently dropped.
    """
    from writers_factory.store.base.durable import is_temp_file

    root = Path(project_root)
    base = root / folder
    gathered = GatheredDocuments()
    if not base.is_dir():
        return gathered
    used = 0
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(root)
        if (
            not path.is_file()
            or path.suffix.lower() not in DOCUMENT_SUFFIXES
            or is_temp_file(path)
            or any(p.startswith(".") for p in rel.parts)
        ):
            continue
        name = rel.as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            gathered.skipped.append(f"{name}: not UTF-8 text (byte {exc.start})")
            continue
        except OSError as exc:
            gathered.skipped.append(f"{name}: cannot be read ({exc.strerror or exc})")
            continue
        if used + len(text) > max_chars:
            gathered.skipped.append(f"{name}: left out, the notes exceed {max_chars:,} characters")
            continue
        used += len(text)
        gathered.documents.append((name, text))
    return gathered
