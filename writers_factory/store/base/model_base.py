"""The base of every model written to ``.session/``, and the shared field types.

``extra="allow"`` is deliberate: fields written by a newer Writers Factory survive a rewrite
by this one instead of being silently dropped.

``defer_build=True`` (here and on the nested records' bases): a model's validator is built
when the model is first used, not when its module is imported — importing the app built
every model of the store (about a fifth of its import time), most of them unused until
much later or never in a session.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict

EARLIEST_YEAR = 1900
LATEST_YEAR = 9998
"""Dates outside these years are no moment Writers Factory records; refusing them keeps every
later conversion to local time (``astimezone``) from overflowing."""


def aware(value: datetime) -> datetime:
    """A stored moment with a time zone: a naive one (a hand edit, another tool) is taken as UTC.

    Every file of ours is written in UTC with an explicit offset, so UTC is the only reading
    of a naive timestamp that agrees with what we write; an aware one is kept as it is.
    Mixing naive and aware moments raises ``TypeError`` at the first comparison, so no naive
    moment may leave a loader.
    """
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"year {value.year} is not a date Writers Factory records")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=UTC)
    return value


StoreDatetime = Annotated[datetime, AfterValidator(aware)]
"""A ``datetime`` field read from disk: always time-zone aware (see :func:`aware`).

Use it for every timestamp in a ``.session/`` model (``lock.json``, ``current.json``, the
journal, costs …) instead of a bare ``datetime``."""


class StoreModel(BaseModel):
    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "file"

    schema_version: int = 1

    def item_count(self) -> int:
        """How many records the file holds, for save/load metadata."""
        return 1
