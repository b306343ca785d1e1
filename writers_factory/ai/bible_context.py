"""Story-bible notes sent with a prompt because the text sent mentions them.

A note in ``reference/`` goes by its name (its front matter's ``name``, else its first
heading, else its file name) and the aliases its front matter declares. When the text an
operation sends names a note, the note joins the prompt: pinned notes first, then the most
mentioned, until the token budget from preferences is spent; excluded notes never. What was
added and what was left out (and why) is kept, so the writer sees it in the preview.

A front matter that cannot be read is reported by file and field, and the note still counts
under its other names. Reading is blocking: async callers use ``asyncio.to_thread``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from writers_factory.core.frontmatter import parse
from writers_factory.core.sync_conflicts import is_conflict_copy
from writers_factory.store.base.paths import OutsideProjectError, inside_project
from writers_factory.store.manuscript.order import Beside

FOLDER = "reference"
SUFFIXES = (".md", ".markdown", ".txt")
MAX_NOTE_CHARS = 200_000
"""A note longer than this is not a note to send whole (it is left out, and said so)."""


class EntryFrontMatter(BaseModel):
    """What a note's front matter may say of its names; other keys are the writer's own."""

    model_config = ConfigDict(extra="allow")

    name: str | None = None
    aliases: list[str] = []

    @field_validator("aliases", mode="before")
    @classmethod
    def _one_alias(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("name", mode="before")
    @classmethod
    def _name_text(cls, value: object) -> object:
        if isinstance(value, list):
            raise ValueError("a name is one line of text, not a list")
        return value


@dataclass(frozen=True)
class BibleEntry:
    """One note: where it is, the names it goes by, and the text sent for it."""

    path: str
    name: str
    aliases: tuple[str, ...]
    text: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class BibleNotes:
    """The notes read, and the problems found reading them (file › field: why)."""

    entries: list[BibleEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _heading(body: str) -> str | None:
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip() or None
    return None


def _stem_name(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip() or path.stem


def read_entry(rel: str, text: str) -> tuple[BibleEntry, list[str]]:
    """The entry for one note's text, and the problems of its front matter."""
    matter = parse(text)
    problems = [f"{rel} › front matter: {why}" for why in matter.problems]
    names = EntryFrontMatter()
    try:
        names = EntryFrontMatter.model_validate(matter.fields)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "front matter"
            problems.append(f"{rel} › {where}: {error['msg']}")
        # keep what was valid: the fields that did not fail
        bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        good = {k: v for k, v in matter.fields.items() if k not in bad}
        names = EntryFrontMatter.model_validate(good)
    name = (names.name or "").strip() or _heading(matter.body) or _stem_name(Path(rel))
    aliases = tuple(a.strip() for a in names.aliases if a.strip() and a.strip() != name)
    return BibleEntry(rel, name, aliases, matter.body.strip()), problems


def read_notes(project_root: Path) -> BibleNotes:
    """Every note under ``reference/`` (hidden files and links leading out skipped)."""
    from writers_factory.store.base.durable import is_temp_file

    root = Path(project_root)
    base = root / FOLDER
    notes = BibleNotes()
    if not base.is_dir():
        return notes
    for path in sorted(base.rglob("*")):
        rel_path = path.relative_to(root)
        rel = rel_path.as_posix()
        if (
            path.suffix.lower() not in SUFFIXES
            or is_temp_file(path)
            or any(part.startswith(".") for part in rel_path.parts)
            or not path.is_file()
            or is_conflict_copy(path.name, Beside(path.parent))
        ):
            continue
        try:
            inside_project(root, rel_path, where=rel)
            text = path.read_text(encoding="utf-8")
        except OutsideProjectError as exc:
            notes.problems.append(str(exc))
            continue
        except UnicodeDecodeError as exc:
            notes.problems.append(f"{rel}: not UTF-8 text (byte {exc.start})")
            continue
        except OSError as exc:
            notes.problems.append(f"{rel}: cannot be read ({exc.strerror or exc})")
            continue
        if len(text) > MAX_NOTE_CHARS:
            notes.problems.append(f"{rel}: longer than {MAX_NOTE_CHARS:,} characters, not sent")
            continue
        entry, problems = read_entry(rel, text)
        notes.entries.append(entry)
        notes.problems.extend(problems)
    return notes


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def mentions(entry: BibleEntry, text: str) -> int:
    """How often ``text`` names ``entry`` (whole words, any case)."""
    pattern = _pattern(entry.names)
    return 0 if pattern is None else len(pattern.findall(text))


@dataclass(frozen=True)
class Chosen:
    """A note sent with the prompt, its tokens, and why it was chosen."""

    entry: BibleEntry
    tokens: int
    why: str


@dataclass
class BibleContext:
    """The notes chosen for one prompt, in the order sent, and those left out with why."""

    chosen: list[Chosen] = field(default_factory=list)
    left_out: list[tuple[BibleEntry, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def documents(self) -> list[tuple[str, str]]:
        """The chosen notes as the prompt's ``story_bible`` documents."""
        return [(c.entry.name, c.entry.text) for c in self.chosen]


def choose(
    notes: BibleNotes,
    text_sent: str,
    *,
    budget: int,
    count: Callable[[str], int],
    pinned: Sequence[str] = (),
    excluded: Sequence[str] = (),
) -> BibleContext:
    """The notes to send with ``text_sent``: pinned first, then most mentioned, in budget.

    ``count`` gives a note's tokens (``ai.tokens``); blocking for long notes.
    """
    context = BibleContext(problems=list(notes.problems))
    candidates: list[tuple[int, int, BibleEntry, str]] = []
    for order, entry in enumerate(notes.entries):
        if entry.path in excluded:
            if mentions(entry, text_sent):
                context.left_out.append((entry, "excluded"))
            continue
        if entry.path in pinned:
            candidates.append((0, order, entry, "pinned"))
            continue
        found = mentions(entry, text_sent)
        if found:
            times = "once" if found == 1 else f"{found} times"
            candidates.append((-found, order, entry, f"mentioned {times}"))
    candidates.sort(key=lambda c: (c[3] != "pinned", c[0], c[1]))
    spent = 0
    for _, _, entry, why in candidates:
        tokens = count(f"### {entry.name}\n\n{entry.text}\n")
        if spent + tokens > budget:
            context.left_out.append((entry, f"over the budget of {budget:,} tokens"))
            continue
        spent += tokens
        context.chosen.append(Chosen(entry, tokens, why))
    return context


def text_of(inputs: object) -> str:
    """Every text an operation's inputs send (strings and documents), joined."""
    parts: list[str] = []
    if isinstance(inputs, str):
        return inputs
    if isinstance(inputs, dict):
        values: Iterable[object] = inputs.values()
    elif isinstance(inputs, list | tuple):
        values = inputs
    else:
        return ""
    for value in values:
        parts.append(text_of(value))
    return "\n".join(p for p in parts if p)


def add_context(
    project_root: Path,
    inputs: dict[str, object],
    *,
    budget: int,
    model: str | None = None,
    pinned: Sequence[str] = (),
    excluded: Sequence[str] = (),
) -> tuple[dict[str, object], BibleContext]:
    """``inputs`` with the notes their text mentions (as ``story_bible``), and the choice.

    Blocking (reads ``reference/`` and counts tokens through ``ai.tokens``): async callers
    use ``asyncio.to_thread``.
    """
    from writers_factory.ai.operations import STORY_BIBLE
    from writers_factory.ai.tokens import estimate_tokens

    sent = text_of({k: v for k, v in inputs.items() if k != STORY_BIBLE and not k.startswith("_")})
    context = choose(
        read_notes(project_root),
        sent,
        budget=budget,
        count=lambda text: estimate_tokens(text, model).count,
        pinned=pinned,
        excluded=excluded,
    )
    with_notes = dict(inputs)
    if context.chosen:
        with_notes[STORY_BIBLE] = context.documents()
    else:
        with_notes.pop(STORY_BIBLE, None)
    return with_notes, context
