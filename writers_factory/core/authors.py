"""Who is writing: the author name that gives each co-author of a shared project folder their
own session, preferences, history and cost record (``.session/authors/<name>/``).

Pure logic, no I/O. The name comes from ``--author``, else ``WRITERS_FACTORY_AUTHOR``, else
the user's settings (the caller passes each in explicitly, so the order is decided here and
nowhere else). A name becomes a folder name as it is written, so it is checked as one: a name
that could lead out of ``authors/`` (a separator, ``..``), hide itself (a leading dot), or
that some system refuses as a file name is refused with a message that says which rule it
broke, before anything is opened.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from writers_factory.core.errors import WritersFactoryError

AUTHOR_ENV = "WRITERS_FACTORY_AUTHOR"
MAX_AUTHOR_LENGTH = 64
"""Characters: long enough for any pen name, short enough for every file system's paths."""

_FORBIDDEN = frozenset('/\\<>:"|?*')
"""Separators on any system, and the characters Windows refuses in file names (a synced
folder may be opened there too)."""

_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)
"""Device names Windows will not create as folders, whatever the extension."""


class InvalidAuthorError(WritersFactoryError, ValueError):
    """An author name that cannot name a folder safely; ``source`` says where it came from."""

    def __init__(self, name: str, source: str, reason: str) -> None:
        self.name = name
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: author name {name!r} {reason}")


def check_author(name: str, *, source: str = "--author") -> str:
    """The name, trimmed and in composed Unicode form, when it is a safe folder name.

    Composed form (NFC) so that the same name typed on two systems (one of which decomposes
    accented letters) names the same folder.
    """
    trimmed = unicodedata.normalize("NFC", name.strip())
    if not trimmed:
        raise InvalidAuthorError(name, source, "is empty")
    if len(trimmed) > MAX_AUTHOR_LENGTH:
        raise InvalidAuthorError(
            name, source, f"is {len(trimmed)} characters long (at most {MAX_AUTHOR_LENGTH})"
        )
    for char in trimmed:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            raise InvalidAuthorError(
                name, source, f"contains the control character U+{ord(char):04X}"
            )
        if char in ("/", "\\"):
            raise InvalidAuthorError(
                name, source, f"contains the path separator {char!r}: it must name one folder"
            )
        if char in _FORBIDDEN:
            raise InvalidAuthorError(
                name, source, f"contains {char!r}, which some systems refuse in a folder name"
            )
    if trimmed in (".", "..") or ".." in trimmed:
        raise InvalidAuthorError(name, source, "contains '..': it must name one folder")
    if trimmed.startswith("."):
        raise InvalidAuthorError(name, source, "starts with '.', which would hide its folder")
    if trimmed.endswith("."):
        raise InvalidAuthorError(name, source, "ends with '.', which some systems drop")
    if trimmed.split(".")[0].lower() in _RESERVED:
        raise InvalidAuthorError(name, source, "is a device name on some systems")
    return trimmed


def resolve_author(
    cli: str | None, environ: Mapping[str, str], settings: str | None = None
) -> str | None:
    """The author of this run: ``--author`` wins over the environment, which wins over the
    user's settings; ``None`` (no author: the single-writer layout) when none is given.

    An empty environment variable counts as unset (a shell's ``VAR=`` clears it); an empty
    ``--author`` or settings value is a mistake and is refused.
    """
    if cli is not None:
        return check_author(cli, source="--author")
    from_env = environ.get(AUTHOR_ENV)
    if from_env is not None and from_env.strip():
        return check_author(from_env, source=AUTHOR_ENV)
    if settings is not None:
        return check_author(settings, source="user settings › author")
    return None
