"""What each AI operation asks of the model: the spec type and the pure prompt builders.

A spec turns inputs the caller has already read (file texts, a selection, passages) into a
prompt. Specs never read files themselves, so building a prompt is safe anywhere, and the
same prompt is what the cost estimate counts and what the model receives. A spec also says
where its inputs come from (``reads``) and where its result goes (``output``); the specs
themselves are declared with the entries that run them in ``ai/catalogue.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from writers_factory.core.errors import WritersFactoryError
from writers_factory.core.stages import StageId

Inputs = Mapping[str, Any]
"""Operation inputs by name: strings, or documents as ``{name: text}`` / ``[(name, text)]``."""

Source = Literal[
    "selection",
    "sample",
    "file",
    "before_cursor",
    "around_selection",
    "selection_or_question",
    "question",
    "planning",
    "reference",
    "bible",
    "conversation",
    "summaries",
]
"""Where an input comes from:

- ``selection``: the selected text, or the whole open file when nothing is selected;
- ``sample``: the end of that text (a sample of the writer's voice, ``SAMPLE_CHARS``);
- ``file``: the whole open file;
- ``before_cursor``: the text before the selection (``CONTEXT_CHARS``);
- ``around_selection``: the text either side of the selection, sent as context only;
- ``selection_or_question``: the selection when there is one, else asked of the writer;
- ``question``: asked of the writer (the spec's ``ask``);
- ``planning`` / ``reference``: the notes in that project folder, read in a thread;
- ``bible``: the question and passages of the story-bible screen (which gathers them);
- ``conversation``: what was said so far in a reopened conversation (given by the caller);
- ``summaries``: the kept summaries of the chapters before the open one, within
  ``preferences.story_bible.summary_tokens`` (``ai/story_so_far.py``), read in a thread.

An input given by the entry's ``preset`` is not read.
"""

EDITOR_SOURCES: frozenset[Source] = frozenset(
    {"selection", "sample", "file", "before_cursor", "around_selection", "selection_or_question"}
)
"""Read from the open file (nothing when no file is open)."""
FILE_SOURCES: frozenset[Source] = frozenset({"selection", "sample", "file", "around_selection"})
"""Need an open file: an operation reading one of these declares ``needs_file``."""
ASKING_SOURCES: frozenset[Source] = frozenset({"question", "selection_or_question"})
"""May ask the writer: an operation reading one of these declares ``ask``."""
FOLDER_SOURCES: Mapping[Source, str] = {"planning": "planning", "reference": "reference"}
"""Source -> the project folder whose notes it reads."""

Output = Literal["insert", "replace", "none", "summary", "note"]
"""Where Accept puts the result: at the end of the selection, over the text read as
``selection`` (a version is kept first), nowhere (the result is only read), kept as the
open chapter's summary (``.session/summaries.json``), or at the cursor as a note the reader
never sees (a Markdown comment, ``ai/result_notes.py``): a critique beside its chapter."""


class OperationInputError(WritersFactoryError, ValueError):
    """An input is missing or has the wrong shape; the message names operation and field."""


NOVELIST = (
    "You are a careful assistant to a novelist working in Writers Factory. The writer owns "
    "every word; serve their intent and voice. Write in plain prose without preamble."
)


@dataclass(frozen=True, kw_only=True)
class OperationSpec:
    """One model call: identity, stage, instructions, prompt builder, inputs and output."""

    id: str
    """Logged with every call in ``costs.json`` and the history; workflows name steps by it."""
    stage: StageId
    """Whose model runs it (the model chosen per stage)."""
    title: str
    builder: Callable[[Inputs], str]
    max_output_tokens: int
    required: tuple[str, ...]
    description: str
    system_prompt: str = NOVELIST
    reads: Mapping[str, Source] = field(default_factory=dict)
    """Input name -> where the controller gets it (see :data:`Source`)."""
    ask: str = ""
    """The question put to the writer for a ``question`` input ("Describe the scene to write:")."""
    output: Output = "none"
    needs_file: bool = False
    """Refused, with a message, when no file is open."""
    conversational: bool = False
    """The exchange is saved in ``.session/conversations/`` as it happens."""
    template: str = ""
    """The prompt template (``data/prompts/<template>.txt``, overridable in the project's
    ``prompts/``) its builder renders; empty: the prompt is built in code."""
    alternatives: int = 0
    """The result holds this many alternatives, one chosen on Accept (0: one result)."""

    bible_context: bool = True
    """Story-bible notes the text mentions are added (unless it reads notes itself)."""

    @property
    def takes_bible_context(self) -> bool:
        """Whether notes mentioned in the text sent join the prompt (see ``bible_context``)."""
        return self.bible_context and not ({"reference", "bible"} & set(self.reads.values()))

    def build_prompt(self, inputs: Inputs) -> str:
        """The user prompt for ``inputs``; raises :class:`OperationInputError` naming a field.

        Story-bible notes given as ``story_bible`` come first, so the model reads who and
        where before the text that names them.
        """
        for name in self.required:
            value = inputs.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise OperationInputError(f"{self.title} ({self.id}) needs the input {name!r}")
        try:
            prompt = self.builder(inputs)
            notes = documents(inputs, STORY_BIBLE)
        except OperationInputError as exc:
            raise OperationInputError(f"{self.title} ({self.id}): {exc}") from exc
        if notes:
            return _join(_docs_section("From the story bible", notes), prompt)
        return prompt


STORY_BIBLE = "story_bible"
"""The input holding the story-bible notes chosen for a prompt (``ai.bible_context``)."""

PART_LABELS: Mapping[str, str] = {
    "text": "selection",
    "chapter": "chapter text",
    "context": "surrounding text",
    "sample": "voice sample",
    "prompt": "request",
    "question": "question",
    "request": "request",
    "instructions": "how to rewrite",
    "focus": "focus",
    "rubric": "rubric",
    "history": "conversation so far",
    "story_so_far": "story so far",
}
"""What the prompt preview calls each input, in the writer's words."""


@dataclass(frozen=True)
class InputPart:
    """One piece of the text an operation sends, as the preview lists it."""

    key: str
    """``input:<name>``, ``doc:<name>:<document>`` or ``bible:<note>``: what dropping removes."""
    label: str
    text: str
    kind: Literal["input", "document", "bible"]
    droppable: bool


def input_parts(spec: OperationSpec, inputs: Inputs) -> list[InputPart]:
    """The inputs of a prompt, each text and each document apart, in the order built."""
    parts: list[InputPart] = []
    for name, value in inputs.items():
        if name.startswith("_"):
            continue  # carried to the builder (a project's template), not text sent as such
        if isinstance(value, str):
            if value.strip():
                label = PART_LABELS.get(name, name.replace("_", " "))
                parts.append(
                    InputPart(f"input:{name}", label, value, "input", name not in spec.required)
                )
            continue
        try:
            docs = documents(inputs, name)
        except OperationInputError:
            continue  # not text: build_prompt reports it
        for doc, text in docs:
            if name == STORY_BIBLE:
                parts.append(InputPart(f"bible:{doc}", f"story bible: {doc}", text, "bible", True))
            else:
                droppable = name not in spec.required or len(docs) > 1
                parts.append(InputPart(f"doc:{name}:{doc}", doc, text, "document", droppable))
    return parts


def drop_parts(spec: OperationSpec, inputs: Inputs, keys: Iterable[str]) -> dict[str, Any]:
    """``inputs`` without the parts named by ``keys`` (required texts are kept)."""
    dropped = set(keys)
    kept: dict[str, Any] = {}
    for name, value in inputs.items():
        if isinstance(value, str):
            if f"input:{name}" not in dropped or name in spec.required:
                kept[name] = value
            continue
        if not isinstance(value, Mapping | list | tuple):
            kept[name] = value
            continue
        docs = documents(inputs, name)
        prefix = "bible:" if name == STORY_BIBLE else f"doc:{name}:"
        left = [(doc, text) for doc, text in docs if f"{prefix}{doc}" not in dropped]
        kept[name] = left if left or name not in spec.required else docs
    return kept


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


def _docs_section(title: str, docs: list[tuple[str, str]]) -> str:
    if not docs:
        return ""
    parts = [f"### {name}\n\n{text.strip()}\n" for name, text in docs]
    return f"## {title}\n\n" + "\n".join(parts)


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part).strip() + "\n"


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


DEFAULT_REQUESTS: Mapping[str, str] = {
    "brainstorm": "Ideas that grow naturally from these notes.",
    "outline": "An outline of the story so far and what should come next.",
    "rewrite": "Tighten and clarify while keeping meaning, voice and tense.",
}
"""What an operation asks for when the entry and the writer give no request of their own."""
NO_PASSAGES = "(No passages were found.)"


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


@dataclass(frozen=True)
class Template:
    """A builder rendering a prompt template: the project's own (given by the controller as
    the ``_template`` input, already checked) or the shipped one.

    ``defaults`` fill an optional field the inputs leave empty (the rubric, the request);
    a field still empty leaves out its block (see :func:`~writers_factory.ai.templates.render`).
    """

    name: str
    fields: tuple[str, ...]
    defaults: tuple[tuple[str, str], ...] = ()
    documents: tuple[str, ...] = ()
    """Fields that hold notes (name -> text), rendered as titled sections."""

    def __call__(self, inputs: Inputs) -> str:
        from writers_factory.ai.templates import TEMPLATE_INPUT, field_text, render

        own = inputs.get(TEMPLATE_INPUT)
        text = own if isinstance(own, str) and own.strip() else _shipped(self.name)
        fallback = dict(self.defaults)
        values = {
            name: field_text(inputs, name, as_documents=name in self.documents)
            or fallback.get(name, "")
            for name in self.fields
        }
        return render(text, values).strip() + "\n"


def _shipped(name: str) -> str:
    from writers_factory.ai.templates import shipped_template

    return shipped_template(name)


ALTERNATIVE_MARKER = re.compile(r"^\s*=+\s*Alternative\s+(\d+)\s*=+\s*$", re.MULTILINE)


def split_alternatives(text: str) -> list[str]:
    """The alternatives of a result written under ``=== Alternative N ===`` lines; a
    result without markers is one alternative."""
    pieces = ALTERNATIVE_MARKER.split(text)
    if len(pieces) < 3:
        return [text.strip()] if text.strip() else []
    found = [body.strip() for body in pieces[2::2]]
    return [body for body in found if body]
