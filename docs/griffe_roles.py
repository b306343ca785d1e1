"""Docstrings here name other code with reStructuredText roles (``:class:`~a.b.C```), which
the reference pages would show as written. This extension turns each into inline code
(`C`, or the full path without the ``~``) when the reference is built; the code is unchanged.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:class|func|meth|data|mod|attr|exc|obj):`(~?)([^`]+)`")


def plain(text: str) -> str:
    """``:class:`~a.b.C``` -> `` `C` ``; ``:func:`a.b``` -> `` `a.b` ``."""

    def replace(match: re.Match[str]) -> str:
        short, target = match.group(1), match.group(2)
        return f"`{target.rsplit('.', 1)[-1] if short else target}`"

    return ROLE.sub(replace, text)


class RolesExtension(griffe.Extension):
    """Rewrites every loaded docstring once, as the reference pages are built."""

    def on_object(self, *, obj: griffe.Object, **_: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain(obj.docstring.value)
