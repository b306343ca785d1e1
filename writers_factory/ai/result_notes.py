"""An AI reading (a critique, a score) kept in the chapter as a note the reader never sees.

The note is a Markdown comment: it stays beside the text it speaks of, survives every save
and export as the writer's own text, and renders as nothing. A result holding ``-->`` would
close the comment early and spill into the prose, so that sequence is defused.
"""

from __future__ import annotations

NOTE_OPEN = "<!-- "
NOTE_CLOSE = "-->"


def note_block(title: str, text: str) -> str:
    """``text`` as a Markdown comment headed by ``title``, on lines of its own."""
    body = text.strip().replace("-->", "-- >").replace("--!>", "-- !>")
    return f"\n{NOTE_OPEN}{title}:\n\n{body}\n{NOTE_CLOSE}\n"
