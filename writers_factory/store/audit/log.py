"""``.session/audit.jsonl``: an append-only trail of the project's transitions.

Appending is the point — a record, once written, is never rewritten — so this is the one
file not replaced through the temp-file path: each line is written with ``O_APPEND`` (never
through a link) and fsynced before the call returns, and the folder is fsynced when the file
is created. A crash can at worst tear the last line; the reader reports such a line by
number and reads on. Past ``ROTATE_BYTES`` the file is renamed ``audit-<stamp>.jsonl``
(rename, then folder fsync) and a new one begun; the old ones are read too, never deleted.
Callers on an event loop hand :meth:`AuditLog.append` to a thread.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from writers_factory.store.audit.models import AuditKind, AuditRecord
from writers_factory.store.base.durable import fsync_dir, make_private_dir, refuse_symlinks
from writers_factory.store.base.paths import stamp

FILE_NAME = "audit.jsonl"
ROTATE_BYTES = 1024 * 1024
MAX_LINE = 64 * 1024
_lock = threading.Lock()


def default_actor() -> str:
    with contextlib.suppress(Exception):
        return getpass.getuser()
    return ""


@dataclass(frozen=True)
class BadLine:
    file: Path
    line: int
    reason: str

    def describe(self) -> str:
        return f"{self.file.name} line {self.line}: {self.reason}"


class AuditLog:
    """The audit trail of the ``.session`` folder ``root``."""

    def __init__(self, root: Path, *, rotate_bytes: int = ROTATE_BYTES) -> None:
        self.root = Path(root)
        self.path = self.root / FILE_NAME
        self.rotate_bytes = rotate_bytes

    def record(
        self,
        kind: AuditKind,
        *,
        from_: str | None = None,
        to: str | None = None,
        trigger: str = "",
        actor: str | None = None,
        error: str | None = None,
        at: datetime | None = None,
    ) -> AuditRecord:
        """Append one record (``ok`` unless ``error``) and return it; blocking I/O."""
        entry = AuditRecord(
            at=at or datetime.now(UTC),
            kind=kind,
            from_=from_,
            to=to,
            trigger=trigger,
            actor=default_actor() if actor is None else actor,
            ok=error is None,
            error=error,
        )
        self.append(entry)
        return entry

    def append(self, entry: AuditRecord) -> None:
        line = entry.model_dump_json(by_alias=True).encode() + b"\n"
        with _lock:
            make_private_dir(self.root)
            refuse_symlinks(self.path)
            self._rotate_if_large()
            created = not self.path.exists()
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(self.path, flags, 0o600)
            try:
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            if created:
                fsync_dir(self.root)

    def _rotate_if_large(self) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size >= self.rotate_bytes:
            os.replace(self.path, self.root / f"audit-{stamp()}.jsonl")
            fsync_dir(self.root)

    def files(self) -> list[Path]:
        """The rotated files, oldest first, then the current one."""
        rotated = sorted(p for p in self.root.glob("audit-*.jsonl") if not p.is_symlink())
        return [*rotated, *([self.path] if self.path.is_file() else [])]

    def read(self, since: datetime | None = None) -> tuple[list[AuditRecord], list[BadLine]]:
        """Every record (at or after ``since``), oldest first, and the lines that did not read."""
        records: list[AuditRecord] = []
        bad: list[BadLine] = []
        for file in self.files():
            if file.is_symlink():
                continue
            with open(file, "rb") as handle:
                for number, raw in enumerate(handle, start=1):
                    if not raw.strip():
                        continue
                    if len(raw) > MAX_LINE:
                        bad.append(BadLine(file, number, "too long to be a record"))
                        continue
                    try:
                        entry = AuditRecord.model_validate_json(raw)
                    except ValidationError as exc:
                        first = exc.errors()[0]
                        where = ".".join(str(p) for p in first["loc"]) or "line"
                        bad.append(BadLine(file, number, f"{where}: {first['msg']}"))
                        continue
                    if since is None or entry.at >= since:
                        records.append(entry)
        records.sort(key=lambda r: r.at)
        return records, bad


def record_audit(
    project: Path,
    kind: AuditKind,
    *,
    from_: str | None = None,
    to: str | None = None,
    trigger: str = "",
    error: str | None = None,
) -> AuditRecord | None:
    """Append one record to ``project``'s trail when it has a ``.session/`` folder (blocking:
    a thread). A trail that cannot be written never stops what is being recorded: ``None``."""
    root = Path(project) / ".session"
    if not root.is_dir() or root.is_symlink():
        return None
    try:
        return AuditLog(root).record(kind, from_=from_, to=to, trigger=trigger, error=error)
    except OSError:
        return None
