"""Where the shipped folders (``project_template/``, ``themes/``) are on this machine.

They live at the top of the source tree, beside the package. A development checkout (and
the editable install ``make`` does) finds them there; an installed wheel carries them as
data files under ``<prefix>/share/writers-factory/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent
_SHARE = Path(sys.prefix) / "share" / "writers-factory"


def shipped(name: str) -> Path:
    """The shipped folder ``name``, preferring the source tree."""
    for candidate in (_SOURCE_ROOT / name, _SHARE / name):
        if candidate.is_dir():
            return candidate
    return _SOURCE_ROOT / name
