"""``manuscript/order.toml``: the writer's order of chapters and parts, read and written.

The file lives in ``manuscript/`` beside the chapters, so snapshots and backups keep it with
the book, and it is plain TOML a writer can edit by hand: one line per chapter or part, in
reading order. It is written only when the writer reorders (a project without it reads in
natural order). The logic of ordering is ``core/order.py``; here is the disk side.

Nothing in the file is trusted: a line that leads outside ``manuscript/`` (``..``, an
absolute path, a link pointing elsewhere) is refused and reported, a line naming a file that
no longer exists is ignored and reported, and a file that does not parse or validate is
reported and — before the writer's next reorder replaces it — set aside in
``.session/corrupt/``, never silently overwritten.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import ClassVar

from pydantic import Field, ValidationError

from writers_factory.core.order import arrange, clean_entry, listing, move
from writers_factory.core.sync_conflicts import is_conflict_copy
from writers_factory.store.base.durable import is_temp_file, write_atomic
from writers_factory.store.base.jsonfile import describe_validation, set_aside
from writers_factory.store.base.model_base import StoreModel
from writers_factory.store.base.paths import OutsideProjectError, SessionPaths, inside_project
from writers_factory.store.manuscript.buffers import is_copy

ORDER_FILE = "order.toml"
"""The order file's name, inside ``manuscript/``."""
CHAPTER_SUFFIXES = (".md", ".txt")
"""What counts as a chapter file."""
MAX_ORDER_BYTES = 4 * 1024 * 1024
"""A larger order file is refused unread (a book lists a few hundred lines)."""

HEADER = """\
# The reading order of this manuscript, kept by Writers Factory.
# One chapter file, or one part folder (ending in /), a line, relative to manuscript/.
# Move lines to reorder the book. A file not listed comes after the listed ones of its
# folder, in natural order (chapter-2 before chapter-10); a line naming nothing is ignored.
"""


class ManuscriptOrder(StoreModel):
    """The shape of ``manuscript/order.toml``."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "manuscript order"

    order: list[str] = Field(default_factory=list)


@dataclass
class Manuscript:
    """The manuscript as read: chapters in reading order and what the order file said wrong."""

    folder: Path
    chapters: list[Path]
    problems: list[str] = field(default_factory=list)

    @property
    def relative(self) -> list[str]:
        """The chapters relative to ``manuscript/``, POSIX."""
        return [p.relative_to(self.folder).as_posix() for p in self.chapters]


def order_path(folder: Path) -> Path:
    """The order file of the manuscript folder ``folder``."""
    return Path(folder) / ORDER_FILE


class Beside:
    """The names beside a file, asked one at a time (a folder is not listed for it)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (self.folder / name).is_file()


def is_chapter(path: Path, folder: Path) -> bool:
    """A chapter: a ``.md``/``.txt`` file under ``folder``, not hidden, not our temp file, not
    a "my copy" saved beside a chapter, not a syncing tool's conflict copy of one (the same
    words again, or the other machine's: either way the book would count them twice)."""
    return (
        path.suffix.lower() in CHAPTER_SUFFIXES
        and path.is_file()
        and not is_temp_file(path)
        and not is_copy(path)
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and not is_conflict_copy(path.name, Beside(path.parent))
    )


def _scan(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if is_chapter(p, folder)]


def _where(index: int) -> str:
    return f"manuscript/{ORDER_FILE} › order[{index}]"


def _decode(data: bytes, shown: str) -> tuple[ManuscriptOrder | None, str | None]:
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return None, f"{shown}: not UTF-8 text (byte {exc.start}); the natural order is used"
    except tomllib.TOMLDecodeError as exc:
        return None, f"{shown}: not valid TOML ({exc}); the natural order is used"
    try:
        model = ManuscriptOrder.model_validate(raw)
    except ValidationError as exc:
        where, reason = describe_validation(exc)[0]
        return None, f"{shown} › {where}: {reason}; the natural order is used"
    if model.schema_version > ManuscriptOrder.SCHEMA_VERSION:
        return None, (
            f"{shown}: schema_version {model.schema_version} is newer than this Writers "
            "Factory reads; the natural order is used"
        )
    return model, None


@dataclass
class OrderFile:
    """The order file as read: its safe lines, and what was wrong."""

    entries: list[str]
    problems: list[str]
    exists: bool
    corrupt: bool


def read_order(folder: Path) -> OrderFile:
    """Read ``folder/order.toml``: the lines that stay inside the manuscript, and problems.

    Synchronous disk reads: call it from a thread.
    """
    folder = Path(folder)
    path = order_path(folder)
    shown = f"manuscript/{ORDER_FILE}"
    try:
        if path.is_symlink() or not path.is_file():
            if path.exists() or path.is_symlink():
                return OrderFile([], [f"{shown}: not a plain file; not read"], True, False)
            return OrderFile([], [], False, False)
        if path.stat().st_size > MAX_ORDER_BYTES:
            return OrderFile([], [f"{shown}: larger than 4 MB; not read"], True, True)
        data = path.read_bytes()
    except OSError as exc:
        return OrderFile([], [f"{shown}: could not be read ({exc.strerror or exc})"], True, False)
    model, problem = _decode(data, shown)
    if model is None:
        return OrderFile([], [problem or shown], True, True)
    entries: list[str] = []
    problems: list[str] = []
    for index, entry in enumerate(model.order):
        refused = _refusal(folder, entry, index)
        if refused is not None:
            problems.append(refused)
        else:
            entries.append(entry)
    return OrderFile(entries, problems, True, False)


def _refusal(folder: Path, entry: str, index: int) -> str | None:
    """Why ``entry`` is refused (it leads outside ``manuscript/``), or ``None``."""
    cleaned = clean_entry(entry)
    pure = PurePosixPath(cleaned)
    if not cleaned or pure.is_absolute() or ".." in pure.parts or "\\" in cleaned:
        return f"{_where(index)}: {entry!r} leads outside the manuscript — ignored"
    if "\x00" in cleaned:
        return f"{_where(index)}: {entry!r} is not a path — ignored"
    project = folder.parent
    try:
        real = inside_project(project, Path(folder.name) / cleaned, where=_where(index))
    except OutsideProjectError as exc:
        return f"{exc} — ignored"
    real_folder = folder.resolve()
    if real != real_folder and real_folder not in real.parents:
        return f"{_where(index)}: {entry!r} leads outside the manuscript — ignored"
    return None


def read_manuscript(folder: Path) -> Manuscript:
    """The chapters under ``folder`` in reading order, with the order file's problems.

    Synchronous disk reads: call it from a thread.
    """
    folder = Path(folder)
    order = read_order(folder)
    arranged = arrange(_scan(folder), order.entries)
    problems = list(order.problems)
    problems += [
        f"manuscript/{ORDER_FILE}: {entry!r} names no chapter or part (ignored)"
        for entry in arranged.missing
    ]
    return Manuscript(folder, [folder / p for p in arranged.chapters], problems)


def chapter_files(folder: Path) -> list[Path]:
    """Chapter files in reading order (the writer's ``order.toml``, else natural order);
    hidden files/folders, our temp files and the copies we save beside a chapter ("name (my
    copy …).md": the same words again) are skipped. Here, not in the analysis package: the
    chapter card and the book's word count list the chapters at start-up, and importing the
    analysis (its models and scoring) for a listing cost memory before the writer needed it.
    """
    return read_manuscript(folder).chapters


def render(order: list[str]) -> str:
    """The TOML text of an order file listing ``order``."""
    lines = [HEADER, f"schema_version = {ManuscriptOrder.SCHEMA_VERSION}", "order = ["]
    lines += [f"    {_quote(entry)}," for entry in order]
    lines.append("]")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    """A TOML basic string (every control character escaped)."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


Remember = Callable[[Path, bytes], None]
"""Told the bytes about to be written where (the app's watcher then knows its own write)."""


def write_order(folder: Path, chapters: list[str], *, remember: Remember | None = None) -> Path:
    """Write the order file for ``chapters`` (reading order, relative to ``folder``), durably.

    A corrupt order file is set aside in ``.session/corrupt/`` first, never overwritten.
    Synchronous: call it from a thread.
    """
    folder = Path(folder)
    path = order_path(folder)
    current = read_order(folder)
    if current.corrupt and path.is_file() and not path.is_symlink():
        set_aside(SessionPaths.for_project(folder.parent), path, "unreadable")
    if path.is_symlink():
        raise OutsideProjectError(
            f"manuscript/{ORDER_FILE}", str(os.readlink(path)), "is a link; not written through"
        )
    return _write_lines(path, listing(chapters), remember)


def _write_lines(path: Path, lines: list[str], remember: Remember | None) -> Path:
    data = render(lines).encode("utf-8")
    if remember is not None:
        remember(path, data)
    write_atomic(path, data)
    return path


def follow(folder: Path, old: str, new: str | None, *, remember: Remember | None = None) -> bool:
    """The order file follows the app's rename (``new``) or delete (``None``) of the chapter
    or part ``old`` (relative to ``folder``): a renamed chapter keeps its place, a deleted
    one leaves no stale line. True when the file changed. Synchronous: call from a thread.
    """
    folder = Path(folder)
    current = read_order(folder)
    if not current.exists or current.corrupt or current.problems:
        return False  # absent: nothing to follow; damaged: left for the writer to see
    lines: list[str] = []
    changed = False
    for entry in current.entries:
        cleaned = clean_entry(entry)
        if cleaned == old or cleaned.startswith(old + "/"):
            changed = True
            if new is not None:
                lines.append(new + entry.strip()[len(old) :])
        else:
            lines.append(entry)
    if changed:
        _write_lines(order_path(folder), lines, remember)
    return changed


def move_in_order(
    folder: Path, target: Path, step: int, *, remember: Remember | None = None
) -> list[str] | None:
    """Move ``target`` (a chapter file or a part folder under ``folder``) ``step`` places
    among its siblings and write the new order; the new reading order, or ``None`` when it
    cannot move (already first or last, or not part of the book).

    Synchronous: call it from a thread.
    """
    folder = Path(folder)
    book = read_manuscript(folder)
    try:
        relative = Path(target).relative_to(folder).as_posix()
    except ValueError:
        return None
    moved = move(book.relative, relative, step)
    if moved is None:
        return None
    write_order(folder, moved, remember=remember)
    return moved
