"""The rule for a path read from inside an archive: it names a file below the target, or
it is refused.

An archive is a file from disk (a synced folder, an external drive, someone's e-mail), so
its member names are hostile until checked: no absolute path, no drive, no backslash, no
``..``, no empty or ``.`` part, no NUL. Links are refused by the reader (a member that is
not a plain file), and the target itself is checked again with every link followed when a
file is written.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from writers_factory.core.errors import WritersFactoryError


class UnsafeMemberError(WritersFactoryError, ValueError):
    """A member name of an archive that would lead outside the folder it is restored into."""


def safe_relative(name: str) -> PurePosixPath:
    """``name`` as a relative path that stays below any folder, or :class:`UnsafeMemberError`."""
    if not name or "\x00" in name or "\\" in name:
        raise UnsafeMemberError(f"{name!r}: not a plain relative path")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UnsafeMemberError(f"{name!r}: an absolute path")
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnsafeMemberError(f"{name!r}: leads outside the folder it is restored into")
    return PurePosixPath(*parts)
