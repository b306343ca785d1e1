"""The TrueType font a PDF is set in: PDF's built-in fonts know only Latin-1, so a book with
curly quotes, dashes or any other script needs a Unicode font with its italic and bold faces.

None is shipped (a font family is megabytes); the usual free families are looked for where
systems install them, and when none is found the message names what is missing and how to
get it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

FAMILIES: tuple[tuple[str, tuple[str, str, str, str]], ...] = (
    (
        "DejaVu Serif",
        (
            "DejaVuSerif.ttf",
            "DejaVuSerif-Italic.ttf",
            "DejaVuSerif-Bold.ttf",
            "DejaVuSerif-BoldItalic.ttf",
        ),
    ),
    (
        "Liberation Serif",
        (
            "LiberationSerif-Regular.ttf",
            "LiberationSerif-Italic.ttf",
            "LiberationSerif-Bold.ttf",
            "LiberationSerif-BoldItalic.ttf",
        ),
    ),
    (
        "Noto Serif",
        (
            "NotoSerif-Regular.ttf",
            "NotoSerif-Italic.ttf",
            "NotoSerif-Bold.ttf",
            "NotoSerif-BoldItalic.ttf",
        ),
    ),
    (
        "FreeSerif",
        ("FreeSerif.ttf", "FreeSerifItalic.ttf", "FreeSerifBold.ttf", "FreeSerifBoldItalic.ttf"),
    ),
)
"""Free serif families with the four faces a book needs, in order of preference:
(name, (regular, italic, bold, bold italic) file names)."""

FONT_DIRS_ENV = "WRITERS_FACTORY_FONT_DIRS"
"""Folders (separated by ``os.pathsep``) searched before the system's."""


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: Path
    italic: Path
    bold: Path
    bold_italic: Path


def font_dirs() -> list[Path]:
    """Where fonts are looked for: the environment's folders, then the usual system ones."""
    extra = [Path(p) for p in os.environ.get(FONT_DIRS_ENV, "").split(os.pathsep) if p]
    home = Path.home()
    return [
        *extra,
        home / ".local/share/fonts",
        home / ".fonts",
        home / "Library/Fonts",
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
    ]


def _index(folders: list[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for root, _dirs, files in os.walk(folder):
            for name in files:
                if name.lower().endswith(".ttf"):
                    found.setdefault(name, Path(root) / name)
    return found


def find_family(folders: list[Path] | None = None) -> FontFamily | None:
    """The first family of :data:`FAMILIES` with all four faces installed, or ``None``."""
    found = _index(font_dirs() if folders is None else folders)
    for name, files in FAMILIES:
        if all(file in found for file in files):
            return FontFamily(name, *(found[file] for file in files))
    return None


def missing_font_message(folders: list[Path] | None = None) -> str:
    """What to do when no family is installed: names the fonts and where they were sought."""
    looked = ", ".join(str(p) for p in (font_dirs() if folders is None else folders))
    names = ", ".join(name for name, _ in FAMILIES)
    return (
        "a PDF needs a Unicode TrueType font with regular, italic, bold and bold italic faces; "
        f"none of {names} was found (looked in {looked}). Install one (for example the "
        f"DejaVu fonts package), or put its .ttf files in a folder named in {FONT_DIRS_ENV}, "
        "then compile again; DOCX and EPUB need no font"
    )
