"""The base of every model written to ``.session/``.

``extra="allow"`` is deliberate: fields written by a newer Writers Factory survive a rewrite
by this one instead of being silently dropped.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class StoreModel(BaseModel):
    model_config = ConfigDict(extra="allow", validate_assignment=True)

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "file"

    schema_version: int = 1

    def item_count(self) -> int:
        """How many records the file holds, for save/load metadata."""
        return 1
