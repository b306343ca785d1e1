"""A backup archive: a zip of the project's files under ``project/`` and ``manifest.json``.

A zip because any file manager opens one: a writer with no Writers Factory at hand can still
get a chapter back. Reading trusts nothing in it: every member name goes through
:func:`~writers_factory.store.backups.names.safe_relative`, a member that is a link or a
folder or is not in the manifest is refused, sizes are bounded by the manifest before
anything is decompressed, and every file's SHA-256 is compared with the manifest's. The
verified bytes are what a restore writes, so nothing can change between check and use.
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from writers_factory.store.backups.collect import is_volatile
from writers_factory.store.backups.models import BackupManifest, BackupRecord, ManifestEntry
from writers_factory.store.backups.names import UnsafeMemberError, safe_relative
from writers_factory.store.base.digests import sha256_hex

MANIFEST = "manifest.json"
PREFIX = "project/"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
ARCHIVE = "(archive)"
"""The name a problem with the archive as a whole is reported under."""


def content_hash(entries: list[ManifestEntry]) -> str:
    """One hash over every path and file hash, session times left out (``is_volatile``):
    equal when nothing the writer did changed since."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.path):
        if is_volatile(entry.path):
            continue
        digest.update(f"{entry.path}\x00{entry.sha256}\n".encode())
    return digest.hexdigest()


def _zip_time(path: Path) -> tuple[int, int, int, int, int, int]:
    moment = datetime.fromtimestamp(max(path.stat().st_mtime, 315532800))  # zip starts in 1980
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def build(
    files: list[tuple[str, Path]],
    *,
    backup_id: str,
    created_at: datetime,
    trigger: str,
    project_name: str,
    left_out: list[str],
) -> tuple[bytes, BackupManifest]:
    """The archive's bytes and its manifest; each file is read once and hashed as read."""
    buffer = io.BytesIO()
    entries: list[ManifestEntry] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rel, path in files:
            try:
                data = path.read_bytes()
                when = _zip_time(path)
            except FileNotFoundError:  # deleted while we walked: not part of this backup
                continue
            info = zipfile.ZipInfo(PREFIX + rel, date_time=when)
            info.external_attr = (stat.S_IFREG | 0o600) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
            entries.append(ManifestEntry(path=rel, size=len(data), sha256=sha256_hex(data)))
        manifest = BackupManifest(
            backup_id=backup_id,
            created_at=created_at,
            trigger=trigger,
            project_name=project_name,
            left_out=left_out,
            files=entries,
        )
        archive.writestr(MANIFEST, manifest.model_dump_json(indent=1))
    return buffer.getvalue(), manifest


@dataclass(frozen=True)
class FileProblem:
    path: str
    message: str

    def describe(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Verified:
    """What checking an archive found; ``contents`` holds the verified bytes by path."""

    archive: Path
    manifest: BackupManifest | None = None
    problems: list[FileProblem] = field(default_factory=list)
    contents: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problems

    @property
    def files_checked(self) -> int:
        return len(self.manifest.files) if self.manifest else 0


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """At most ``limit`` bytes of a member (one more reveals a lie about its size)."""
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"holds more than the {limit} bytes recorded")
    return data


# What reading a member of a damaged archive raises: a flipped bit in a header can also name
# a compression method that does not exist (NotImplementedError) or mark the member
# encrypted (RuntimeError), and either must be a reported problem, never a traceback.
DAMAGED: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,
    OSError,
    NotImplementedError,
    RuntimeError,
)


def _manifest_of(archive: zipfile.ZipFile, found: Verified) -> BackupManifest | None:
    from writers_factory.store.base.serialisers import DecodeError, loads

    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        found.problems.append(FileProblem(MANIFEST, "missing: this is no backup of ours"))
        return None
    try:
        raw = _read_member(archive, info, MAX_MANIFEST_BYTES)
        value, _ = loads(raw)
        return BackupManifest.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        found.problems.append(FileProblem(MANIFEST, f"{where}: {first['msg']}"))
    except DecodeError as exc:
        found.problems.append(FileProblem(MANIFEST, f"damaged ({exc})"))
    except DAMAGED as exc:
        found.problems.append(FileProblem(MANIFEST, f"damaged ({exc})"))
    return None


def _check_members(
    archive: zipfile.ZipFile, manifest: BackupManifest, found: Verified
) -> dict[str, zipfile.ZipInfo]:
    """The member of each manifest entry; anything else in the archive is a problem."""
    listed: dict[str, ManifestEntry] = {}
    for entry in manifest.files:
        try:
            safe_relative(entry.path)
        except UnsafeMemberError as exc:
            found.problems.append(FileProblem(entry.path, f"refused: {exc}"))
            continue
        if entry.path in listed:
            found.problems.append(FileProblem(entry.path, "listed twice in the manifest"))
        listed[entry.path] = entry
    members: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        if info.filename == MANIFEST:
            continue
        name = info.filename.removeprefix(PREFIX)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if not info.filename.startswith(PREFIX) or name not in listed:
            found.problems.append(FileProblem(info.filename, "in the archive, not in the manifest"))
        elif info.is_dir() or kind not in (0, stat.S_IFREG):
            found.problems.append(FileProblem(name, "not a plain file (a link?): refused"))
        elif name in members:
            found.problems.append(FileProblem(name, "twice in the archive"))
        else:
            members[name] = info
    return members


def verify(path: Path, record: BackupRecord | None = None) -> Verified:
    """Check every byte of the archive at ``path``; problems are reported file by file."""
    found = Verified(archive=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        found.problems.append(FileProblem(ARCHIVE, f"cannot be read ({exc.strerror or exc})"))
        return found
    if record is not None and (
        len(data) != record.archive_size or sha256_hex(data) != record.archive_sha256
    ):
        found.problems.append(
            FileProblem(ARCHIVE, "its checksum differs from the one recorded: damaged or changed")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        found.problems.append(FileProblem(ARCHIVE, f"not a readable zip archive ({exc})"))
        return found
    with archive:
        manifest = _manifest_of(archive, found)
        if manifest is None:
            return found
        found.manifest = manifest
        members = _check_members(archive, manifest, found)
        for entry in manifest.files:
            info = members.get(entry.path)
            if info is None:
                if not any(p.path == entry.path for p in found.problems):
                    found.problems.append(FileProblem(entry.path, "missing from the archive"))
                continue
            try:
                content = _read_member(archive, info, entry.size)
            except DAMAGED as exc:
                found.problems.append(FileProblem(entry.path, f"damaged in the archive ({exc})"))
                continue
            if len(content) != entry.size or sha256_hex(content) != entry.sha256:
                found.problems.append(FileProblem(entry.path, "checksum differs: damaged"))
                continue
            found.contents[entry.path] = content
    return found
