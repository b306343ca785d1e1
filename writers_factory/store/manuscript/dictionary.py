"""The project dictionary: ``dictionary.txt`` at the project's root, one word a line.

The writer's own file (character names, places, invented words), plain text so it can be
edited anywhere and travels with the project. Words added from the editor are appended
through the durable path; whatever else the writer wrote in it is kept as it was. A file
that cannot be read (not UTF-8, too large, a link leading outside the project) is reported
by name and never overwritten.
"""

from __future__ import annotations

from pathlib import Path

from writers_factory.core.errors import WritersFactoryError
from writers_factory.core.spelling import parse_dictionary, with_word
from writers_factory.store.base.durable import write_text_atomic
from writers_factory.store.base.paths import inside_project

FILE_NAME = "dictionary.txt"
MAX_BYTES = 4_000_000
"""A dictionary larger than this is not a list of names: refused rather than read."""


class DictionaryError(WritersFactoryError, OSError):
    """The project dictionary could not be read or written; the message names the file."""


class ProjectDictionary:
    """Blocking reads and writes of one project's dictionary (call them from a thread)."""

    def __init__(self, project: Path) -> None:
        self.project = Path(project)
        self.path = self.project / FILE_NAME

    def _target(self) -> Path:
        try:
            return inside_project(self.project, FILE_NAME, where=FILE_NAME)
        except PermissionError as exc:
            raise DictionaryError(str(exc)) from exc

    def _read_text(self, target: Path) -> str:
        if not target.exists():
            return ""
        if not target.is_file():
            raise DictionaryError(f"{self.path}: not a file; the project dictionary is not used")
        data = target.read_bytes()
        if len(data) > MAX_BYTES:
            raise DictionaryError(
                f"{self.path}: larger than {MAX_BYTES // 1_000_000} MB; not read as a dictionary"
            )
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DictionaryError(
                f"{self.path}: not UTF-8 text (byte {exc.start}); the project dictionary is "
                "not used and left as it is"
            ) from exc

    def stamp(self) -> tuple[int, int] | None:
        """What changes when the file does (modification time and size); None: no file."""
        try:
            found = self.path.stat()
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size

    def words(self) -> list[str]:
        """The words in the file (none when there is no file yet)."""
        return parse_dictionary(self._read_text(self._target()))

    def add(self, word: str) -> bool:
        """Append ``word`` unless it is there already; True when the file changed."""
        target = self._target()
        text = self._read_text(target)
        new = with_word(text, word)
        if new == text:
            return False
        write_text_atomic(target, new)
        return True
