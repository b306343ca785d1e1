"""How every ``writers-factory`` command answers: JSON on stdout for ``--json``, rich text for
people, and an error as a message with exit code 2, never a traceback.

One place, so the commands cannot drift apart in how they speak (rich is imported only when
text is printed: a ``--json`` answer stays quick).
"""

from __future__ import annotations

import json
from typing import Any


def emit(payload: Any) -> None:
    """Print ``payload`` as indented JSON (dates and paths as strings, text unescaped)."""
    print(json.dumps(payload, indent=2, default=str, ensure_ascii=False))


def say(text: str) -> None:
    """Print rich markup for a person, without guessing highlights, wrapping softly."""
    from rich.console import Console

    Console(highlight=False, soft_wrap=True).print(text)


def error(message: str, as_json: bool) -> int:
    """Report ``message`` (as ``{"error": …}`` for ``--json``, else on stderr); returns 2."""
    if as_json:
        emit({"error": message})
    else:
        from rich.console import Console
        from rich.markup import escape

        Console(stderr=True, soft_wrap=True).print(
            f"[bold red]error:[/] {escape(message)}", highlight=False
        )
    return 2
