"""The shapes of ``.session/costs.json`` and its operation chunks ``costs/ops-NNNNNN.json``.

Operations are the truth; ``costs.json`` is a human-readable summary and index that can
always be rebuilt from them. Costs are ``Decimal`` written as strings, so what the writer
reads in the file is exactly what was charged, with no float rounding.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from writers_factory.store.base.model_base import StoreModel
from writers_factory.store.costs import migrations as _migrations  # noqa: F401 - registers

CHUNK_SIZE = 256
"""At most this many operations per chunk file: appending rewrites one small file."""

CHUNK_DIR = "costs"
CHUNK_PREFIX = "ops-"
MAX_DIGITS = 12
"""Chunk numbers beyond this many digits are not ours (a trillion chunks is not a history)."""

Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Tokens = Annotated[int, Field(ge=0)]


def chunk_name(number: int) -> str:
    """``costs/ops-000001.json`` for chunk 1 (relative to ``.session/``)."""
    return f"{CHUNK_DIR}/{CHUNK_PREFIX}{number:06d}.json"


def chunk_number(name: str) -> int | None:
    """The number in a chunk file name, or ``None`` for anything that is not exactly one.

    Only the names :func:`chunk_name` writes count: ASCII digits, at least six of them, no
    extra leading zeros. ``ops-².json`` (a Unicode digit), ``ops-1.json`` or a number of
    thousands of digits are not chunk names, and never reach ``int()``.
    """
    stem = name.rsplit("/", 1)[-1]
    if not (stem.startswith(CHUNK_PREFIX) and stem.endswith(".json")):
        return None
    digits = stem[len(CHUNK_PREFIX) : -len(".json")]
    if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= MAX_DIGITS):
        return None
    number = int(digits)
    if number < 1 or f"{number:06d}" != digits:
        return None
    return number


def new_session_id(now: datetime) -> str:
    """Sortable and readable: ``20261121T110500-3fa9c1`` (UTC start plus a random tail)."""
    import secrets

    return f"{now.astimezone(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


class OperationRecord(BaseModel):
    """One AI call as it was charged; never changed after it is written."""

    model_config = ConfigDict(extra="allow", frozen=True)

    timestamp: AwareDatetime
    operation: str
    model: str
    input_tokens: Tokens
    output_tokens: Tokens
    cost: Money
    session_id: str | None = None

    @field_validator("timestamp")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        # One zone on disk keeps chunk files chronological by plain string comparison.
        return value.astimezone(UTC)


class OperationChunk(StoreModel):
    """One chunk file: a run of consecutive operations, oldest first."""

    KIND: ClassVar[str] = "cost-operations"

    operations: list[OperationRecord] = Field(default_factory=list)

    def item_count(self) -> int:
        return len(self.operations)


class ChunkInfo(BaseModel):
    """The index entry for one chunk, so a person can see what each file holds."""

    model_config = ConfigDict(extra="allow")

    file: str
    count: Tokens = 0
    cost: Money = Decimal(0)
    first: AwareDatetime | None = None
    last: AwareDatetime | None = None


class SessionCosts(BaseModel):
    """Spending of the current session (since the last ``reset_session``)."""

    model_config = ConfigDict(extra="allow")

    id: str
    started: AwareDatetime
    total: Money = Decimal(0)
    operations: Tokens = 0
    by_model: dict[str, Money] = Field(default_factory=dict)


def _new_session() -> SessionCosts:
    now = datetime.now(UTC)
    return SessionCosts(id=new_session_id(now), started=now)


class CostSummary(StoreModel):
    """``costs.json``: totals for people to read and the index of chunk files."""

    KIND: ClassVar[str] = "costs"

    session: SessionCosts = Field(default_factory=_new_session)
    total: Money = Decimal(0)
    operations_count: Tokens = 0
    by_model: dict[str, Money] = Field(default_factory=dict)
    chunks: list[ChunkInfo] = Field(default_factory=list)

    def item_count(self) -> int:
        return self.operations_count
