"""Beside the editor in Writing: what the open chapter must do, from its outline card, and
how far it has come.

The card comes from ``planning/outline.md`` (``core/outline.py``); the words are the open
chapter's. The app reads and counts in a thread (``read_chapter_card``) and hands the result
to :meth:`OutlineCard.show`. Shown only on the Writing stage and on a terminal wide enough
to leave the editor its room.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from writers_factory.core.outline import Card, card_for_chapter, parse_outline
from writers_factory.core.wordcount import count_words

OUTLINE = Path("planning") / "outline.md"
MIN_WIDTH = 110
"""Below this terminal width the card is not shown (the editor keeps the room)."""


@dataclass(frozen=True)
class ChapterCard:
    chapter: str
    card: Card | None
    words: int
    target: int | None
    """The chapter's word target, once targets exist (``None``: none set)."""
    problem: str | None = None
    path: Path | None = None
    """The chapter, project-relative (the words counted while typing are matched by it)."""


def read_chapter_card(
    project: Path, chapter: Path, text: str, chapters: list[Path], target: int | None
) -> ChapterCard:
    """Blocking (run it in a thread): the outline card of ``chapter`` and its words."""
    problem = None
    outline = parse_outline("")
    try:
        outline = parse_outline((project / OUTLINE).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        problem = f"No {OUTLINE.as_posix()} yet: its ## headings become the chapters' cards."
    except (OSError, UnicodeDecodeError) as exc:
        problem = f"{OUTLINE.as_posix()} could not be read: {exc}"
    position = chapters.index(chapter) if chapter in chapters else None
    card = card_for_chapter(outline, chapter.name, position)
    return ChapterCard(chapter.name, card, count_words(text), target, problem, chapter)


class OutlineCard(VerticalScroll):
    """The card and the progress; empty until a chapter is open."""

    DEFAULT_CSS = """
    OutlineCard {
        width: 30; height: 1fr; display: none; padding: 0 1;
        border-left: vkey $panel-lighten-1;
    }
    OutlineCard.-on { display: block; }
    OutlineCard > #outline-card-text { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Outline card"
        self.shown: ChapterCard | None = None
        self._lines = -1
        """Lines the card's text took when last shown (a layout only when this changes)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="outline-card-text", markup=False)

    def words_counted(self, path: Path, words: int, target: int | None) -> None:
        """The open chapter was counted again (the writer typed) or its target was set: the
        progress follows."""
        found = self.shown
        if found is None or found.path != path:
            return
        if (found.words, found.target) != (words, target):
            self.show(replace(found, words=words, target=target))

    def show(self, found: ChapterCard | None) -> None:
        text = next(self.query("#outline-card-text").results(Static), None)
        if text is None:
            # the workspace is being taken down (the app quits): a card read in a thread
            # that ends now has nowhere to show, and raising here made the quit a crash
            return
        self.shown = found
        out = Text()
        if found is None:
            out.append("Open a chapter to see its outline card.", style="dim")
        else:
            out.append(found.chapter + "\n", style="bold")
            if found.card is None:
                out.append("No outline card for this chapter.\n", style="dim")
            else:
                out.append(found.card.title + "\n", style="bold underline")
                out.append((found.card.summary or "(nothing written on the card)") + "\n")
            out.append("\n")
            if found.target:
                share = min(1.0, found.words / found.target)
                cells = round(share * 20)
                out.append(f"{found.words:,} / {found.target:,} words\n")
                out.append("█" * cells + "░" * (20 - cells) + f" {share:.0%}\n")
            else:
                out.append(f"{found.words:,} words · no chapter target set\n")
            if found.problem:
                out.append("\n" + found.problem + "\n", style="dim")
        # a full layout only when the card grows or shrinks: the words change as the writer
        # types, and a layout per count would lay the whole screen out again each time
        width = max(1, text.content_size.width)
        lines = len(out.wrap(self.app.console, width))
        text.update(out, layout=lines != self._lines)
        self._lines = lines
