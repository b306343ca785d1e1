"""The append-only operation files ``.session/costs/ops-NNNNNN.json``.

Each chunk holds at most :data:`CHUNK_SIZE` operations and is rewritten whole, durably,
when operations are appended, so logging costs one small write however many operations came
before. What the store keeps of each chunk is its summary entry (:class:`ChunkStats`), believed
only while the file's stamp is unchanged; a chunk whose stamp differs is read again. Chunks are
read through :class:`JsonFile`, so a torn or corrupt chunk is set aside and its previous good
copy restored like any other file. What cannot be restored is named, with what it held.

Only the last chunk is kept in memory (it is the one appended to); others are read when
asked for (``recent``, an idempotency key, a part-hour of a time zone) and a few are cached.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from writers_factory.core.budget import dollars
from writers_factory.core.sync_conflicts import is_conflict_copy
from writers_factory.store.base.durable import TEMP_MARK
from writers_factory.store.base.events import Callbacks, ProblemKind, StoreProblem
from writers_factory.store.base.jsonfile import set_aside
from writers_factory.store.base.paths import SessionPaths, utcnow
from writers_factory.store.costs.encoding import ChunkFile
from writers_factory.store.costs.models import CHUNK_SIZE, OperationChunk, OperationRecord
from writers_factory.store.costs.summary import (
    CHUNK_DIR,
    LOCK_NAME,
    ChunkStats,
    Sealed,
    chunk_name,
    chunk_number,
    file_stamp,
    hours_start,
    stats_of,
)

OURS = frozenset({LOCK_NAME})
"""Entries of ``costs/`` that are not chunks but belong there."""

CACHED_CHUNKS = 8
"""How many chunks other than the last are kept in memory once read."""

Change = Callable[[int, ChunkStats | None, ChunkStats | None], None]
"""Told ``(number, old entry, new entry)`` whenever a chunk's entry changes."""
SealedChange = Callable[[Sealed | None, Sealed | None], None]
"""Told ``(old, new)`` whenever the folded entry changes."""


class ChunkStore:
    """All chunk files of one ``.session/``: their entries, the last chunk, and appending."""

    def __init__(
        self,
        paths: SessionPaths,
        *,
        callbacks: Callbacks,
        read_only: bool = False,
        on_change: Change | None = None,
        mutex: threading.RLock | None = None,
    ) -> None:
        self.paths = paths
        self._root = str(paths.root)
        self.mutex = mutex or threading.RLock()
        """Held while an entry changes: the figures are read from another thread."""
        self.callbacks = callbacks
        self.read_only = read_only
        self.on_change = on_change
        self.infos: dict[int, ChunkStats] = {}
        self._lines: dict[int, str | None] = {}
        self.sealed: Sealed | None = None
        """Old chunks folded into one entry (never the last chunk)."""
        self._sealed_line: str | None = None
        self.on_sealed: SealedChange | None = None
        self.changed = False
        """An entry differs from what ``costs.json`` says (cleared when it is written)."""
        self.problems: list[StoreProblem] = []
        self.newer: list[Path] = []
        """Chunks written by a newer version: read, never written (the store is read-only)."""
        self._tail: tuple[int, ChunkFile] | None = None
        self._repairs: dict[int, ChunkFile] = {}
        """Chunks to write back: upgraded, restored from ``prev/``, or migrated."""
        self._unusable: set[int] = set()
        """Numbers that cannot be read: never written over, never appended to."""
        self._cache: OrderedDict[int, tuple[str, list[OperationRecord]]] = OrderedDict()
        self._attempts: list[tuple[int, int, list[OperationRecord]]] = []
        """Appends whose write raised: (chunk, position, records), checked at the next sync."""
        self.reads = 0
        """How many chunk files were read and validated (for tests: opening reads few)."""
        self.hours_from = hours_start(utcnow())
        """Entries keep hourly costs of operations from this moment on (set by the tracker)."""

    def path(self, number: int) -> Path:
        return self.paths.root / chunk_name(number)

    def _stamp(self, number: int) -> str | None:
        """The stamp of chunk ``number`` (a plain string path: this runs for every chunk)."""
        return file_stamp(os.path.join(self._root, chunk_name(number)))

    # ------------------------------------------------------------------ entries
    def _set(self, number: int, stats: ChunkStats | None, *, adopted: bool = False) -> None:
        """Change one chunk's entry; ``adopted``: taken as it is from ``costs.json``."""
        with self.mutex:
            old = self.infos.get(number)
            if stats is None:
                self.infos.pop(number, None)
                self._lines.pop(number, None)
            else:
                self.infos[number] = stats
                self._lines[number] = None  # encoded when next written
            if not adopted:
                self.changed = True
            if self.on_change is not None and (old is not None or stats is not None):
                self.on_change(number, old, stats)

    def listing_lines(self) -> list[str]:
        """The entries as encoded JSON lines (each encoded once, when it changed)."""
        lines: list[str] = []
        for number in sorted(self._lines):
            line = self._lines[number]
            if line is None:
                line = json.dumps(self.infos[number].to_json(), ensure_ascii=False)
                self._lines[number] = line
            lines.append(line)
        return lines

    def sealed_line(self) -> str | None:
        """The folded entry as one encoded JSON line (encoded once each time it changes)."""
        if self.sealed is None:
            return None
        if self._sealed_line is None:
            self._sealed_line = json.dumps(self.sealed.to_json(), ensure_ascii=False)
        return self._sealed_line

    def _set_sealed(self, sealed: Sealed | None, *, adopted: bool = False) -> None:
        with self.mutex:
            old, self.sealed, self._sealed_line = self.sealed, sealed, None
            if not adopted:
                self.changed = True
            if self.on_sealed is not None and (old is not None or sealed is not None):
                self.on_sealed(old, sealed)

    def numbers(self) -> list[int]:
        """Every chunk with operations that count, folded or not, in order."""
        with self.mutex:
            folded = set() if self.sealed is None else set(self.sealed.chunks)
            return sorted(folded | set(self.infos))

    def fold(self) -> None:
        """Fold every entry that only sums matter for now (not the last chunk; no hours)."""
        with self.mutex:
            last = max(self.infos, default=None)
            ready = [
                number
                for number, entry in sorted(self.infos.items())
                if number != last
                and number not in self._repairs
                and entry.stamp is not None
                and entry.count
                and not entry.hours
                and entry.last is not None
                and entry.last < self.hours_from
            ]
            if not ready:
                return
            sealed = self.sealed.copy() if self.sealed is not None else Sealed()
            for number in ready:
                sealed.fold(number, self.infos[number])
            for number in ready:
                self._set(number, None)
            self._set_sealed(sealed)

    def _unseal(self) -> None:
        """A folded chunk changed (or needs its hours again): read them all again, once."""
        sealed = self.sealed
        if sealed is None:
            return
        self._set_sealed(None)
        for number in sorted(sealed.chunks):
            self._reload(number, sealed.listed(number))

    def _sealed_holds(self, sealed: Sealed) -> bool:
        """Whether every folded chunk is still the very file its stamp describes."""
        return all(self._stamp(number) == row[0] for number, row in sealed.chunks.items())

    @property
    def dirty(self) -> bool:
        return bool(self._repairs)

    # ------------------------------------------------------------------ the folder
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
        names = {entry.name for entry in entries}
        for entry in entries:
            if entry.name in OURS or entry.name.endswith(TEMP_MARK):
                continue
            number = chunk_number(entry.name)
            if number is None and is_conflict_copy(entry.name, names):
                continue
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

    def _numbers_after(self, known: set[int]) -> set[int]:
        """Chunks started by another process since ``costs.json`` was written."""
        found: set[int] = set()
        number = max(known, default=0) + 1
        while self._stamp(number) is not None:
            found.add(number)
            number += 1
        return found

    def _odd(self, path: Path, message: str, *, move: bool = True) -> None:
        aside: Path | None = None
        if move and not self.read_only:
            try:
                aside = set_aside(self.paths, path, "not-a-chunk")
            except OSError as exc:
                message += f" (could not set it aside: {exc.strerror or exc})"
        self._report(StoreProblem(path, ProblemKind.CORRUPT, message, set_aside=aside))

    def _report(self, problem: StoreProblem) -> None:
        self.problems.append(problem)
        self.callbacks.error(problem)

    # ------------------------------------------------------------------ syncing
    def sync(
        self,
        listed: dict[int, ChunkStats],
        *,
        full: bool,
        scan: bool = False,
        sealed: Sealed | None = None,
        migrated: list[OperationRecord] | None = None,
    ) -> list[OperationRecord]:
        """Make the entries describe the chunks on disk; returns appends found to have landed.

        Each entry in ``listed`` is believed while its chunk's stamp matches, and the chunk
        is read otherwise. ``full``: ``listed`` is all of ``costs.json`` (at open, or after
        another process rewrote it), and chunks it does not list are dropped; otherwise it
        holds only the entries to check again (the last chunk, before a write). Chunks after
        the known ones are always looked for (another process's appends); ``scan`` lists the
        folder instead (at open). With ``full``, ``sealed`` is the folded entry ``costs.json``
        holds: believed while every folded chunk's stamp matches, else its chunks are read
        again. ``migrated`` operations (from an old ``costs.json``) become new chunks after
        the listed ones.
        """
        hours_from = self.hours_from
        known = set(listed) | set(self.infos)
        if full:
            for candidate in (sealed, self.sealed):
                known |= set() if candidate is None else set(candidate.chunks)
            if sealed is self.sealed:
                pass  # nothing new
            elif sealed is not None and self._sealed_holds(sealed):
                self._set_sealed(sealed, adopted=True)
                for number in sealed.chunks:
                    if number in self.infos:
                        self._set(number, None, adopted=True)
            else:
                # not believed: its chunks are read again below, and a lost one is named
                for candidate in (sealed, self.sealed):
                    if candidate is not None:
                        listed = {n: candidate.listed(n) for n in candidate.chunks} | listed
                if self.sealed is not None:
                    self._set_sealed(None)
        top = max(known | ({*self.sealed.chunks} if self.sealed else set()), default=0)
        fresh = self._chunks_from(migrated or [], 1 + top)
        if scan:
            on_disk = self.numbers_on_disk()
        elif full:
            on_disk = {n for n in known if self._stamp(n) is not None}
            on_disk |= self._numbers_after(known)
        else:
            on_disk = self._numbers_after(known)
        numbers = sorted(set(listed) | on_disk | set(fresh) | set(self._repairs))
        folded = set() if self.sealed is None else set(self.sealed.chunks)
        loaded: dict[int, ChunkFile] = {}
        for number in numbers:
            if number in folded:
                continue
            if number in fresh:
                self._repairs[number] = fresh[number]
                self._set(number, stats_of(chunk_name(number), fresh[number].ops, hours_from))
                continue
            if number in self._repairs:
                continue  # ours, not yet written back: what we hold is newer than the disk
            if number in self._unusable and not scan:
                continue  # reported when it was found; looked at again at the next start
            stamp = self._stamp(number)
            entry, current = listed.get(number), self.infos.get(number)
            if stamp is not None and current is not None and current.stamp == stamp:
                continue  # this very file is known already
            if stamp is not None and entry is not None and entry.stamp == stamp:
                trimmed = entry.trimmed(hours_from)
                self._set(number, trimmed or entry, adopted=trimmed is None)
                continue
            chunk = self._reload(number, entry or current)
            if chunk is not None:
                loaded[number] = chunk
        if full:
            for number in set(self.infos) - set(numbers):
                self._set(number, None)
            if self.sealed is not None and not folded <= set(numbers):
                self._unseal()  # a folded chunk is gone: read the others again, name the loss
        last = max(self.infos, default=None)
        if last in self._repairs:
            self._tail = (last, self._repairs[last])
        elif last in loaded:
            self._tail = (last, loaded[last])
        elif self._tail is not None and (
            self._tail[0] != last or self._tail[1].stamp != file_stamp(self._tail[1].path)
        ):
            self._tail = None  # read again when needed
        return self._landed()

    def _reload(self, number: int, listed: ChunkStats | None) -> ChunkFile | None:
        """Read one chunk, compute its entry, and name what was lost against ``listed``."""
        path = self.path(number)
        chunk = self._file(number)
        self.reads += 1
        try:
            chunk.load_sync()
        except OSError as exc:
            self._unusable.add(number)
            self._set(number, None)
            lost = None
            if listed is not None and listed.count:
                lost = f"{listed.count} operation(s) costing {dollars(listed.cost)}"
            self._report(
                StoreProblem(
                    path,
                    ProblemKind.CORRUPT,
                    f"cannot be read ({exc.strerror or exc}); its operations are not counted "
                    "and new ones go to a new chunk",
                    lost=lost,
                )
            )
            return None
        self.problems.extend(chunk.problems)
        if chunk.read_only and path not in self.newer:
            self.newer.append(path)
            self.read_only = True
        operations = chunk.ops
        stats = stats_of(chunk_name(number), operations, self.hours_from)
        if listed is not None:
            self._report_loss(path, listed, stats)
        if chunk.dirty and not chunk.read_only:
            self._repairs[number] = chunk
        else:
            stats.stamp = chunk.stamp
        if not operations and chunk.stamp is None and number not in self._repairs:
            self._set(number, None)  # gone, and nothing to restore: no longer listed
            return None
        self._set(number, stats)
        if stats.stamp is not None:
            self._remember(number, stats.stamp, operations)
        return chunk

    def _file(self, number: int) -> ChunkFile:
        return ChunkFile(
            self.paths,
            self.path(number),
            OperationChunk,
            callbacks=self.callbacks,
            read_only=self.read_only,
        )

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

    def _report_loss(self, path: Path, listed: ChunkStats, found: ChunkStats) -> None:
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
        self._report(
            StoreProblem(
                path,
                ProblemKind.CORRUPT,
                f"costs.json lists {listed.count} operations in this chunk but only "
                f"{found.count} could be read",
                lost=f"{missing} operation(s) costing {dollars(cost)}{span}; "
                "the totals no longer include them",
            )
        )

    def _landed(self) -> list[OperationRecord]:
        """Records of failed appends that are on disk after all (the write landed)."""
        landed: list[OperationRecord] = []
        for number, at, batch in self._attempts:
            if number not in self.infos:
                continue
            with contextlib.suppress(OSError):
                if self.records(number)[at : at + len(batch)] == batch:
                    landed.extend(batch)
        self._attempts.clear()
        return landed

    # ------------------------------------------------------------------ reading
    def records(self, number: int) -> list[OperationRecord]:
        """The operations of one chunk, read (and checked against its entry) when needed."""
        tail = self._tail
        if tail is not None and tail[0] == number:
            return list(tail[1].ops)
        if number in self._repairs:
            return list(self._repairs[number].ops)
        sealed = self.sealed
        if sealed is not None and number in sealed.chunks:
            stamp = self._stamp(number)
            if stamp is not None and stamp == sealed.chunks[number][0]:
                return self._read_quietly(number, stamp)
            self._unseal()  # changed since it was folded: never believed over the operations
            return self.records(number)
        info = self.infos.get(number)
        stamp = self._stamp(number)
        cached = self._cache.get(number)
        if info is not None and stamp is not None and info.stamp == stamp:
            if cached is not None and cached[0] == stamp:
                self._cache.move_to_end(number)
                return list(cached[1])
            chunk = ChunkFile(
                self.paths, self.path(number), OperationChunk, callbacks=Callbacks(), read_only=True
            )
            self.reads += 1
            chunk.load_sync()
            operations = chunk.ops
            found = stats_of(info.file, operations, self.hours_from)
            if found.same_operations(info) and chunk.stamp == stamp:
                self._remember(number, stamp, operations)
                return list(operations)
        # changed since its entry was made: never believe an entry over the operations
        reloaded = self._reload(number, info)
        return [] if reloaded is None else list(reloaded.ops)

    def _read_quietly(self, number: int, stamp: str) -> list[OperationRecord]:
        """A folded chunk's operations, read without repairing anything (its stamp matched)."""
        cached = self._cache.get(number)
        if cached is not None and cached[0] == stamp:
            self._cache.move_to_end(number)
            return list(cached[1])
        chunk = ChunkFile(
            self.paths, self.path(number), OperationChunk, callbacks=Callbacks(), read_only=True
        )
        self.reads += 1
        chunk.load_sync()
        if chunk.stamp != stamp or chunk.problems:
            self._unseal()
            return self.records(number)
        self._remember(number, stamp, chunk.ops)
        return list(chunk.ops)

    def _remember(self, number: int, stamp: str, operations: list[OperationRecord]) -> None:
        self._cache[number] = (stamp, operations)
        self._cache.move_to_end(number)
        while len(self._cache) > CACHED_CHUNKS:
            self._cache.popitem(last=False)

    def retime(self, hours_from: datetime) -> None:
        """Keep hourly costs of operations from ``hours_from`` on (earlier or later)."""
        earlier: dict[int, list[OperationRecord]] = {}
        old, sealed = self.hours_from, self.sealed
        if (
            sealed is not None
            and hours_from < old
            and any(sealed.span(number)[1] >= hours_from for number in sealed.chunks)
        ):
            self.hours_from = hours_from
            self._unseal()  # folded chunks need their hours again (read with the new start)
            self.hours_from = old
        if hours_from < old:  # read what the entries did not keep, first
            for number, entry in sorted(self.infos.items()):
                if entry.last is not None and entry.last >= hours_from:
                    earlier[number] = self.records(number)
        self.hours_from = hours_from
        for number in sorted(self.infos):
            info = self.infos.get(number)
            if info is None:
                continue
            if number in earlier:
                stats = stats_of(info.file, earlier[number], hours_from)
                stats.stamp = info.stamp
                self._set(number, stats)
            else:
                trimmed = info.trimmed(hours_from)
                if trimmed is not None:
                    self._set(number, trimmed)

    # ------------------------------------------------------------------ writing
    def _writable_tail(self) -> tuple[int, ChunkFile]:
        last = max(self.infos, default=None)
        if self._tail is None and last is not None and last not in self._unusable:
            chunk = self._reload(last, self.infos.get(last))
            if chunk is not None:
                self._tail = (last, chunk)
            last = max(self.infos, default=None)
        tail = self._tail
        if (
            tail is not None
            and tail[0] == last
            and len(tail[1].ops) < CHUNK_SIZE
            and not tail[1].read_only
        ):
            return tail
        folded = set() if self.sealed is None else set(self.sealed.chunks)
        number = 1 + max({*self.infos, *self._unusable, *self._repairs, *folded}, default=0)
        return number, self._file(number)

    def write(self, pending: list[OperationRecord]) -> None:
        """Write repairs, then append ``pending`` (removing each record once it is on disk).

        Raises the ``OSError`` of a write that failed; what was not written stays in
        ``pending``, and the chunk in memory still mirrors the file on disk.
        """
        for number, chunk in sorted(self._repairs.items()):
            chunk.save_sync(force=True)
            del self._repairs[number]
            stats = stats_of(chunk_name(number), chunk.ops, self.hours_from)
            stats.stamp = chunk.stamp
            self._set(number, stats)
            if number == max(self.infos):
                self._tail = (number, chunk)
        while pending:
            number, chunk = self._writable_tail()
            at = len(chunk.ops)
            batch = pending[: CHUNK_SIZE - at]
            for record in batch:
                chunk.append(record)
            try:
                chunk.save_sync(force=True)
            except OSError:
                chunk.rollback(at)
                self._attempts.append((number, at, batch))
                raise
            del pending[: len(batch)]
            old = self.infos.get(number)
            stats = old.copy() if old is not None else ChunkStats(file=chunk_name(number))
            for record in batch:
                stats.add(record, self.hours_from)
            stats.stamp = chunk.stamp
            self._set(number, stats)
            self._tail = (number, chunk)
