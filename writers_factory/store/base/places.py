"""Where Writers Factory keeps the writer's things that live outside a project, by platform.

Two kinds, each in the folder its system expects, so a writer finds them where their other
applications keep theirs and the system's own backup and clean-up tools treat them right:

* ``data`` (whole-project backups): ``$XDG_DATA_HOME/writers-factory`` on Linux and other
  POSIX systems (``~/.local/share`` when unset), ``~/Library/Application Support/writers-factory``
  on macOS, ``%LOCALAPPDATA%\\writers-factory`` on Windows;
* ``config`` (the writer's themes): ``$XDG_CONFIG_HOME/writers-factory`` (``~/.config`` when
  unset), ``~/Library/Application Support/writers-factory`` on macOS,
  ``%APPDATA%\\writers-factory`` on Windows.

Data (whole-project backups) is large and belongs to this machine: on Windows it goes to the
local, not the roaming, profile. Configuration (the writer's themes) is small and follows the
writer: Windows' roaming profile. A variable that is unset, empty or not an absolute path is
ignored (the XDG rule; a relative one would move with the working folder).

:func:`app_folder` is pure: the platform, the environment and the home folder are passed in,
so each branch is tested on any machine. :func:`user_folder` asks the running system.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Literal

APP = "writers-factory"

Kind = Literal["data", "config"]

_POSIX: dict[str, tuple[str, tuple[str, ...]]] = {
    "data": ("XDG_DATA_HOME", (".local", "share")),
    "config": ("XDG_CONFIG_HOME", (".config",)),
}
_WINDOWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "data": ("LOCALAPPDATA", ("AppData", "Local")),
    "config": ("APPDATA", ("AppData", "Roaming")),
}


def app_folder(
    kind: Kind, *, platform: str, environ: Mapping[str, str], home: PurePath
) -> PurePath:
    """The folder of ``kind`` for Writers Factory on ``platform`` (a ``sys.platform`` value).

    Returns a pure path of that platform's flavour (a Windows path on ``win32``), so the
    answer for any platform can be computed and checked anywhere.
    """
    if platform == "win32":
        win_variable, win_fallback = _WINDOWS[kind]
        win_home = PureWindowsPath(home).joinpath(*win_fallback)
        return _from_env(environ, win_variable, PureWindowsPath, win_home) / APP
    posix_home = PurePosixPath(home)
    if platform == "darwin":
        return posix_home / "Library" / "Application Support" / APP
    variable, fallback = _POSIX[kind]
    return _from_env(environ, variable, PurePosixPath, posix_home.joinpath(*fallback)) / APP


def _from_env(
    environ: Mapping[str, str],
    variable: str,
    flavour: type[PurePosixPath] | type[PureWindowsPath],
    fallback: PurePath,
) -> PurePath:
    value = environ.get(variable, "")
    if value and flavour(value).is_absolute():
        return flavour(value)
    return fallback


def user_folder(kind: Kind, environ: Mapping[str, str] | None = None) -> Path:
    """:func:`app_folder` on the running system (``environ`` defaults to the process's)."""
    return Path(
        app_folder(
            kind,
            platform=sys.platform,
            environ=os.environ if environ is None else environ,
            home=Path.home(),
        )
    )
