"""Prompt templates the writer can read and override: plain text with named fields.

Each templated operation ships its prompt in ``writers_factory/data/prompts/<name>.txt``
(read with :mod:`importlib.resources`). A project may hold its own ``prompts/<name>.txt``;
it is used instead when it reads and names only the operation's fields, written
``{selection}``, ``{context}``… (``{{`` and ``}}`` for literal braces). Anything else — an
unknown field, an attribute or index (``{a.b}``, ``{a[0]}``), a format, a file that is not
UTF-8 text — is reported by file and field, and the shipped template is used: a bad
template never stops the writer, and never runs anything (fields are only replaced by text).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from writers_factory.core.errors import WritersFactoryError

FOLDER = "prompts"
SUFFIX = ".txt"
MAX_CHARS = 100_000
TEMPLATE_INPUT = "_template"
"""The input carrying a project's own template text to the builder (never a prompt part)."""


class TemplateError(WritersFactoryError, ValueError):
    """A template that cannot be used; the message names the file and the field."""


def shipped_template(name: str) -> str:
    """The template shipped for ``name``."""
    resource = resources.files("writers_factory.data").joinpath(FOLDER, f"{name}{SUFFIX}")
    return resource.read_text(encoding="utf-8")


def check(text: str, known: Iterable[str], where: str) -> str:
    """``text`` if every field it names is one of ``known``; else :class:`TemplateError`."""
    allowed = set(known)
    try:
        pieces = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(f"{where}: {exc} (write {{{{ and }}}} for literal braces)") from exc
    for _, name, spec, conversion in pieces:
        if name is None:
            continue
        if name not in allowed:
            known_list = ", ".join("{" + k + "}" for k in sorted(allowed))
            raise TemplateError(f"{where} › {{{name}}}: unknown field (known: {known_list})")
        if spec or conversion:
            raise TemplateError(f"{where} › {{{name}}}: fields take no format or conversion")
    return text


BLOCK_BREAK = re.compile(r"(\n[ \t]*\n\s*)")
"""Blocks of a template are separated by blank lines (kept as written)."""


def render(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each field replaced by its value (a checked template only).

    A block (text between blank lines) whose fields are all empty is left out, and with it
    a ``#`` heading line just before it: an optional input the writer did not give (a
    critique's focus, an empty reference folder) leaves no empty section in the prompt.
    """
    pieces = BLOCK_BREAK.split(text)
    blocks, breaks = pieces[0::2], pieces[1::2]
    keep = [True] * len(blocks)
    for i, block in enumerate(blocks):
        names = _fields(block)
        if names and not any(values.get(name, "").strip() for name in names):
            keep[i] = False
            if i > 0 and keep[i - 1] and _is_heading(blocks[i - 1]):
                keep[i - 1] = False
    out: list[str] = []
    for i, block in enumerate(blocks):
        if not keep[i]:
            continue
        if out:
            out.append(breaks[i - 1])
        out.append(_fill(block, values))
    return "".join(out)


def _fields(block: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(block) if name is not None]


def _is_heading(block: str) -> bool:
    lines = block.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("#")


def _fill(block: str, values: Mapping[str, str]) -> str:
    out: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(block):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)


@dataclass
class ProjectTemplates:
    """The project's own templates that passed, by name, and the problems of the others."""

    texts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_project_template(
    project_root: Path, name: str, known: Iterable[str]
) -> tuple[str | None, str | None]:
    """``(text, None)`` for a usable ``prompts/<name>.txt``, ``(None, problem)`` for a bad
    one, ``(None, None)`` when the project has none. Blocking: run in a thread."""
    rel = f"{FOLDER}/{name}{SUFFIX}"
    path = Path(project_root) / FOLDER / f"{name}{SUFFIX}"
    if not path.exists() and not path.is_symlink():
        return None, None
    from writers_factory.store.base.paths import OutsideProjectError, inside_project

    try:
        inside_project(Path(project_root), rel, where=rel)
        if not path.is_file():
            return None, f"{rel}: not a file; the shipped template is used"
        data = path.read_bytes()
        if len(data) > MAX_CHARS:
            return None, f"{rel}: longer than {MAX_CHARS:,} bytes; the shipped template is used"
        text = data.decode("utf-8")
        return check(text, known, rel), None
    except OutsideProjectError as exc:
        return None, f"{exc}; the shipped template is used"
    except UnicodeDecodeError as exc:
        return None, f"{rel}: not UTF-8 text (byte {exc.start}); the shipped template is used"
    except OSError as exc:
        return None, f"{rel}: cannot be read ({exc.strerror or exc}); the shipped template is used"
    except TemplateError as exc:
        return None, f"{exc}; the shipped template is used"


def field_text(inputs: Mapping[str, Any], name: str, *, as_documents: bool = False) -> str:
    """Input ``name`` as template text: text stripped; documents as titled sections.

    Raises :class:`~writers_factory.ai.operations.OperationInputError` naming the field when
    it is neither text nor documents (or not documents, for a field that holds notes).
    """
    from writers_factory.ai.operations import OperationInputError, documents

    value = inputs.get(name)
    if value is None:
        return ""
    if isinstance(value, str) and not as_documents:
        return value.strip()
    if not isinstance(value, str | Mapping | list | tuple):
        raise OperationInputError(f"{name!r} must be text")
    docs = documents(inputs, name)
    return "\n\n".join(f"### {doc}\n\n{text.strip()}" for doc, text in docs)
