"""Cost files laid out one record per line, encoded once per record.

Indented JSON is encoded by the standard library's pure-Python path, so re-encoding 256
operations and a few hundred chunk entries at every log would make logging slower as the
history grows. Here each record is encoded once (compactly, by the fast C encoder) into one
line, and a file is the cached lines joined under an indented head: still plain JSON that
reads well (one operation per line, easy to search), and the work per log stays constant.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from writers_factory.store.base.jsonfile import JsonFile
from writers_factory.store.base.serialisers import Format
from writers_factory.store.costs.models import CostSummary, OperationChunk, OperationRecord
from writers_factory.store.costs.summary import file_stamp


def record_line(record: BaseModel) -> str:
    """One record as a single line of JSON."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False)


class Raw:
    """A value already encoded (on one line): written as it is."""

    def __init__(self, text: str) -> None:
        self.text = text


def _indented(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")


def layout(head: dict[str, Any], key: str, lines: list[str]) -> bytes:
    """``head``'s keys indented as usual, then ``key`` holding ``lines``, one per line."""
    parts = [
        f"  {json.dumps(name, ensure_ascii=False)}: {_indented(value)}"
        for name, value in head.items()
        if name != key
    ]
    body = "[\n    " + ",\n    ".join(lines) + "\n  ]" if lines else "[]"
    parts.append(f"  {json.dumps(key)}: {body}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")


LINES = "__lines__"
"""The snapshot key under which a :class:`Lines` travels to the writing thread."""


class Lines:
    """What a file's snapshot carries: the head and the cached record lines."""

    def __init__(self, head: dict[str, Any], key: str, lines: list[str]) -> None:
        self.head = head
        self.key = key
        self.lines = lines

    def snapshot(self) -> dict[str, Any]:
        return {LINES: self}

    @staticmethod
    def encode(plain: dict[str, Any]) -> tuple[bytes, Format] | None:
        """Bytes for a snapshot made by :meth:`snapshot`; ``None`` for any other snapshot."""
        lines = plain.get(LINES)
        if not isinstance(lines, Lines):
            return None
        return layout(lines.head, lines.key, lines.lines), Format.JSON


class ChunkFile(JsonFile[OperationChunk]):
    """A chunk whose operations are encoded once each, as they are appended.

    ``stamp`` is the file's stamp as it was when these operations were read or written, so
    a chunk changed by someone else since is recognised.
    """

    _lines: list[str] | None = None
    stamp: str | None = None

    @property
    def ops(self) -> list[OperationRecord]:
        return self.value.operations

    def load_sync(self) -> OperationChunk:
        # The stamp must describe the bytes read: a file replaced while it was being read
        # (by a process writing without us holding the lock, e.g. we only view) is read again.
        for _ in range(3):
            before = file_stamp(self.path)
            value = super().load_sync()
            self.stamp = file_stamp(self.path)
            if self.stamp == before or self.stamp is None or self.problems:
                break  # read as it is, or set aside by this very load
        self._lines = None
        return value

    def save_sync(self, *, force: bool = False, plain: dict[str, Any] | None = None) -> bool:
        written = super().save_sync(force=force, plain=plain)
        if written or self.stamp is None:
            self.stamp = file_stamp(self.path)
        return written

    def lines(self) -> list[str]:
        operations = self.value.operations
        if self._lines is None or len(self._lines) != len(operations):
            self._lines = [record_line(op) for op in operations]
        return self._lines

    def append(self, record: OperationRecord) -> None:
        lines = self.lines()
        self.value.operations.append(record)
        lines.append(record_line(record))
        self.mark_dirty()

    def rollback(self, length: int) -> None:
        """Forget operations appended after the first ``length``: their write failed."""
        del self.value.operations[length:]
        if self._lines is not None:
            del self._lines[length:]
        self._dirty = False

    def snapshot(self) -> dict[str, Any]:
        head = self.value.model_dump(mode="json", exclude={"operations"})
        return Lines(head, "operations", list(self.lines())).snapshot()

    def encode(self, plain: dict[str, Any]) -> tuple[bytes, Format]:
        return Lines.encode(plain) or super().encode(plain)


class SummaryFile(JsonFile[CostSummary]):
    """``costs.json``, whose chunk entries come from the chunk store's cache, each encoded
    once, and whose folded entry (``sealed``) is encoded once each time it changes."""

    chunk_lines: Callable[[], list[str]] | None = None
    sealed_line: Callable[[], str | None] | None = None

    def snapshot(self) -> dict[str, Any]:
        if self.chunk_lines is None:
            return super().snapshot()
        head: dict[str, Any] = self.value.model_dump(mode="json", exclude={"chunks", "sealed"})
        sealed = None if self.sealed_line is None else self.sealed_line()
        if sealed is not None:
            head["sealed"] = Raw(sealed)
        return Lines(head, "chunks", self.chunk_lines()).snapshot()

    def encode(self, plain: dict[str, Any]) -> tuple[bytes, Format]:
        return Lines.encode(plain) or super().encode(plain)
