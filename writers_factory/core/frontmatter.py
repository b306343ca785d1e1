"""The front matter of a story-bible note: a few ``key: value`` lines between ``---`` lines.

A note may declare the names it goes by::

    ---
    name: Ada Quill
    aliases: [Ada, the keeper]
    ---

Only plain scalars and lists are understood (``[a, b]`` on the line, or ``- item`` lines
under the key): nothing is evaluated, no tags, no references, so a hostile note can do
nothing but be reported. A line that cannot be read is a problem naming its line; what the
fields must hold is checked by the caller's model, which names the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FENCE = "---"
MAX_LINES = 200
"""Front matter longer than this is not front matter (a note that begins with a rule)."""


@dataclass
class FrontMatter:
    """The fields read, the body after the front matter, and what could not be read."""

    fields: dict[str, str | list[str]] = field(default_factory=dict)
    body: str = ""
    problems: list[str] = field(default_factory=list)
    present: bool = False


def _scalar(raw: str) -> str:
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _inline_list(raw: str) -> list[str]:
    inner = raw.strip()[1:-1]
    return [_scalar(item) for item in inner.split(",") if item.strip()]


def parse(text: str) -> FrontMatter:
    """Split ``text`` into its front matter and body; a note without one is all body."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != FENCE:
        return FrontMatter(body=text)
    try:
        end = next(i for i in range(1, min(len(lines), MAX_LINES)) if lines[i].strip() == FENCE)
    except StopIteration:
        return FrontMatter(body=text, problems=["the front matter opened with --- is never closed"])
    found = FrontMatter(body="\n".join(lines[end + 1 :]).lstrip("\n"), present=True)
    current: str | None = None
    for number, line in enumerate(lines[1:end], start=2):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("- ") or stripped == "-":
            value = found.fields.get(current) if current is not None else None
            if not isinstance(value, list):
                found.problems.append(f"line {number}: a list item belongs under a key")
                continue
            value.append(_scalar(stripped[1:]))
            continue
        key, sep, raw = line.partition(":")
        key = key.strip()
        if not sep or not key or line[:1].isspace():
            found.problems.append(f"line {number}: not a 'key: value' line")
            current = None
            continue
        raw = raw.strip()
        if raw.startswith("[") and raw.endswith("]"):
            found.fields[key] = _inline_list(raw)
        elif raw:
            found.fields[key] = _scalar(raw)
        else:
            found.fields[key] = []  # the items follow as "- item" lines
        current = key
    return found
