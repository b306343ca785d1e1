"""The append-only operation files ``.session/costs/ops-NNNNNN.json``.

Each chunk holds at most :data:`CHUNK_SIZE` operations and is rewritten whole, durably,
when an operation is appended, so logging costs one small write however many operations came
before. Only the last chunk (and any that still need writing) is kept in memory; each chunk
goes through :class:`JsonFile`, so a torn or corrupt chunk is set aside and its previous good
copy restored like any other file. What cannot be restored is named, with what it held.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from writers_factory.core.budget import dollars
from writers_factory.store.base.durable import is_temp_file
from writers_factory.store.base.events import Callbacks, ProblemKind, StoreProblem
from writers_factory.store.base.jsonfile import set_aside
from writers_factory.store.base.paths import SessionPaths
from writers_factory.store.costs.encoding import ChunkFile, record_line
from writers_factory.store.costs.models import (
    CHUNK_DIR,
    CHUNK_SIZE,
    ChunkInfo,
    OperationChunk,
    OperationRecord,
    chunk_name,
    chunk_number,
)

Feed = Callable[[OperationRecord], None]

OURS = frozenset({".lock"})
"""Entries of ``costs/`` that are not chunks but belong there."""


def info_of(number: int, operations: list[OperationRecord]) -> ChunkInfo:
    """The index entry for a chunk, computed from what it actually holds."""
    return ChunkInfo(
        file=chunk_name(number),
        count=len(operations),
        cost=sum((op.cost for op in operations), Decimal(0)),
        first=operations[0].timestamp if operations else None,
        last=operations[-1].timestamp if operations else None,
    )


class ChunkStore:
    """All chunk files of one ``.session/``: loads them once, appends to the last."""

    def __init__(
        self, paths: SessionPaths, *, callbacks: Callbacks, read_only: bool = False
    ) -> None:
        self.paths = paths
        self.callbacks = callbacks
        self.read_only = read_only
        self.infos: dict[int, ChunkInfo] = {}
        self._info_lines: dict[int, str] = {}
        self.problems: list[StoreProblem] = []
        self._pending: dict[int, ChunkFile] = {}
        self._last: tuple[int, ChunkFile] | None = None

    # ------------------------------------------------------------------ loading
    def numbers_on_disk(self) -> set[int]:
        """Numbers of the chunk files in ``costs/``; anything else there is reported.

        A chunk is a regular file named exactly as :func:`chunk_name` names it. Any other
        entry (``ops-².json``, ``ops-1.json``, a folder, a link, a stray note) is not read:
        it is named in a problem and, unless read-only, set aside in ``corrupt/`` whole, so it
        is reported once and never lost. Temp files of a write in flight, and the lock, are
        ours.
        """
        folder = self.paths.root / CHUNK_DIR
        numbers: set[int] = set()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return numbers
        except OSError as exc:
            self._odd(folder, f"the folder cannot be read ({exc.strerror or exc})", move=False)
            return numbers
        for entry in entries:
            if entry.name in OURS or is_temp_file(Path(entry.name)):
                continue
            number = chunk_number(entry.name)
            try:
                regular = entry.is_file(follow_symlinks=False)
            except OSError:
                regular = False
            if number is not None and regular:
                numbers.add(number)
                continue
            what = "not a file" if number is not None else "not an operation chunk name"
            self._odd(
                Path(entry.path),
                f"{what} (chunks are regular files named like ops-000001.json); not read, "
                "its content is not counted",
            )
        return numbers

    def _odd(self, path: Path, message: str, *, move: bool = True) -> None:
        aside: Path | None = None
        if move and not self.read_only:
            try:
                aside = set_aside(self.paths, path, "not-a-chunk")
            except OSError as exc:
                message += f" (could not set it aside: {exc.strerror or exc})"
        problem = StoreProblem(path, ProblemKind.CORRUPT, message, set_aside=aside)
        self.problems.append(problem)
        self.callbacks.error(problem)

    def _file(self, number: int) -> ChunkFile:
        return ChunkFile(
            self.paths,
            self.paths.root / chunk_name(number),
            OperationChunk,
            callbacks=self.callbacks,
            read_only=self.read_only,
        )

    def load(
        self,
        listed: Iterable[ChunkInfo],
        feed: Feed,
        *,
        migrated: list[OperationRecord] | None = None,
    ) -> None:
        """Read every chunk in order and feed its operations; migrated ones become chunks."""
        known: dict[int, ChunkInfo] = {}
        for info in listed:
            number = chunk_number(info.file)
            if number is not None:
                known[number] = info
        # after the chunks costs.json already lists, never over them
        fresh = self._chunks_from(migrated or [], first=1 + max(known, default=0))
        for number in sorted(set(known) | self.numbers_on_disk() | set(fresh)):
            if number in fresh:
                chunk = fresh[number]
            else:
                chunk = self._file(number)
                chunk.load_sync()
                self.problems.extend(chunk.problems)
                if chunk.read_only:
                    self.read_only = True
            operations = chunk.value.operations
            for record in operations:
                feed(record)
            self._set_info(number, info_of(number, operations))
            if number in known:
                self._report_loss(chunk.path, known[number], self.infos[number])
            if chunk.dirty:
                self._pending[number] = chunk
            self._last = (number, chunk)

    def _chunks_from(self, records: list[OperationRecord], first: int) -> dict[int, ChunkFile]:
        """Chunk files (numbered from ``first``) for operations moved out of an old file.

        A file left at one of these numbers by an upgrade that was interrupted holds the
        same operations, so writing over it is safe.
        """
        chunks: dict[int, ChunkFile] = {}
        for start in range(0, len(records), CHUNK_SIZE):
            number = start // CHUNK_SIZE + first
            chunk = self._file(number)
            chunk.value = OperationChunk(operations=records[start : start + CHUNK_SIZE])
            chunk.mark_dirty()
            chunks[number] = chunk
        return chunks

    def _report_loss(self, path: Path, listed: ChunkInfo, found: ChunkInfo) -> None:
        missing = listed.count - found.count
        if missing <= 0:
            return
        cost = max(listed.cost - found.cost, Decimal(0))
        span = ""
        if listed.first is not None and listed.last is not None:
            span = (
                f" logged between {listed.first:%Y-%m-%d %H:%M} and "
                f"{listed.last:%Y-%m-%d %H:%M} UTC"
            )
        problem = StoreProblem(
            path,
            ProblemKind.CORRUPT,
            f"costs.json lists {listed.count} operations in this chunk but only "
            f"{found.count} could be read",
            lost=f"{missing} operation(s) costing {dollars(cost)}{span}; "
            "the totals no longer include them",
        )
        self.problems.append(problem)
        self.callbacks.error(problem)

    # ------------------------------------------------------------------ appending
    def append(self, record: OperationRecord) -> int:
        """Add ``record`` to the last chunk (a new one when full); returns the chunk number."""
        if self._last is None:
            number, chunk = 1 + max(self.infos, default=0), None
        else:
            number, chunk = self._last
            if len(chunk.value.operations) >= CHUNK_SIZE or chunk.read_only:
                number, chunk = number + 1, None
        if chunk is None:
            chunk = self._file(number)
            self._last = (number, chunk)
        chunk.append(record)
        self._pending[number] = chunk
        old = self.infos.get(number)
        self._set_info(
            number,
            ChunkInfo(
                file=chunk_name(number),
                count=(old.count if old else 0) + 1,
                cost=(old.cost if old else Decimal(0)) + record.cost,
                first=old.first if old and old.first else record.timestamp,
                last=record.timestamp,
            ),
        )
        return number

    def _set_info(self, number: int, info: ChunkInfo) -> None:
        self.infos[number] = info
        self._info_lines[number] = record_line(info)

    # ------------------------------------------------------------------ saving
    @property
    def dirty(self) -> bool:
        return bool(self._pending)

    async def save(self) -> None:
        """Write every chunk that changed; a failure leaves it pending and raises."""
        for number, chunk in sorted(self._pending.items()):
            await chunk.save()
            if not chunk.dirty or chunk.read_only:
                self._pending.pop(number, None)

    def save_sync(self) -> None:
        for number, chunk in sorted(self._pending.items()):
            chunk.save_sync()
            if not chunk.dirty or chunk.read_only:
                self._pending.pop(number, None)

    def listing(self) -> list[ChunkInfo]:
        return [self.infos[n] for n in sorted(self.infos)]

    def listing_lines(self) -> list[str]:
        """The index entries as encoded JSON lines (each encoded once, when it changed)."""
        return [self._info_lines[n] for n in sorted(self._info_lines)]
