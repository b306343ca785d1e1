"""The two files a backup is made of, besides the archive's own members.

``manifest.json`` inside the archive lists every file with its size and SHA-256, so each
file is checked on its own and a damaged one is named. ``<id>.json`` beside the archive
records the archive's own SHA-256: a flipped byte anywhere in the archive (a header, a date,
the directory at its end) is caught, not only one inside a file's content, and listing the
backups needs no archive opened.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from writers_factory.store.base.model_base import StoreDatetime, StoreModel

SHA256_HEX = r"^[0-9a-f]{64}$"


class ManifestEntry(StoreModel):
    """One file of the project, by its path relative to the project (forward slashes)."""

    path: str = Field(min_length=1, max_length=4096)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=SHA256_HEX)


class BackupManifest(StoreModel):
    """``manifest.json`` at the root of a backup archive."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "backup manifest"

    backup_id: str = Field(min_length=1, max_length=200)
    created_at: StoreDatetime
    trigger: str = Field(max_length=40)
    project_name: str = ""
    left_out: list[str] = Field(default_factory=list)
    """What was deliberately not copied (caches, the snapshot repository), for the reader."""
    files: list[ManifestEntry] = Field(default_factory=list)

    def item_count(self) -> int:
        return len(self.files)

    @property
    def total_bytes(self) -> int:
        return sum(entry.size for entry in self.files)


class BackupRecord(StoreModel):
    """``<id>.json`` beside ``<id>.zip``: what the archive is, checked before it is trusted."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "backup record"

    backup_id: str = Field(min_length=1, max_length=200)
    created_at: StoreDatetime
    trigger: str = Field(max_length=40)
    project_name: str = ""
    project_path: str = ""
    archive_sha256: str = Field(pattern=SHA256_HEX)
    archive_size: int = Field(ge=0)
    file_count: int = Field(ge=0)
    total_bytes: int = Field(ge=0)
    content_sha256: str = Field(pattern=SHA256_HEX)
    """One hash over every file's path and hash: equal when nothing changed since, so an
    automatic backup of an unchanged project is skipped."""
