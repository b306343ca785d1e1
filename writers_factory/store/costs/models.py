"""The shapes of ``.session/costs.json`` and its operation chunks ``costs/ops-NNNNNN.json``.

Operations are the truth; ``costs.json`` is a human-readable summary and index that can
always be rebuilt from them (its chunk entries are described in ``summary.py``). Costs are
``Decimal`` written as strings, so what the writer reads in the file is exactly what was
charged, with no float rounding.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    field_validator,
    model_validator,
)

from writers_factory.store.base.model_base import StoreModel
from writers_factory.store.costs import migrations as _migrations  # noqa: F401 - registers
from writers_factory.store.costs.summary import CHUNK_DIR as CHUNK_DIR
from writers_factory.store.costs.summary import CHUNK_PREFIX as CHUNK_PREFIX
from writers_factory.store.costs.summary import ChunkStats, Sealed
from writers_factory.store.costs.summary import chunk_name as chunk_name
from writers_factory.store.costs.summary import chunk_number as chunk_number

CHUNK_SIZE = 256
"""At most this many operations per chunk file: appending rewrites one small file."""

Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Tokens = Annotated[int, Field(ge=0)]


def new_session_id(now: datetime) -> str:
    """Sortable and readable: ``20261121T110500-3fa9c1`` (UTC start plus a random tail)."""
    import secrets

    return f"{now.astimezone(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def _nothing(value: int) -> bool:
    """Cache counts of zero are left out of the file: records without a cache read as before."""
    return value == 0


def new_operation_id() -> str:
    """A fresh operation's id: random, so two calls alike in every figure stay two."""
    import uuid

    return uuid.uuid4().hex


def derived_operation_id(
    timestamp: datetime,
    operation: str,
    model: str,
    input_tokens: int,
    output_tokens: int,
    cost: Decimal,
    session_id: str | None,
    key: object,
) -> str:
    """The id of an operation written before operations had one: a hash of what it holds.

    The same operation read in two projects (one exported into the other) gets the same
    id, so a merge recognises it. Only these fields count, named one by one: a field added
    later (with its default) never changes the id of an operation already on disk.
    """
    import hashlib

    parts = (
        timestamp.astimezone(UTC).isoformat(),
        operation,
        model,
        str(input_tokens),
        str(output_tokens),
        str(cost),
        session_id or "",
        key if isinstance(key, str) else "",
    )
    return "d-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:30]


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
    cache_read_tokens: Tokens = Field(default=0, exclude_if=_nothing)
    """Of ``input_tokens``, those read from the provider's cache (billed at their own rate)."""
    cache_write_tokens: Tokens = Field(default=0, exclude_if=_nothing)
    """Of ``input_tokens``, those written to the provider's cache (billed at their own rate)."""

    id: str = Field(default="", max_length=100)
    """Stable across copies of the project, so merging two histories never counts an
    operation twice. Empty on disk (written before ids existed): derived from the content
    when read (:func:`derived_operation_id`); nothing is rewritten for it."""

    @field_validator("timestamp")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        # One zone on disk keeps chunk files chronological by plain string comparison.
        return value.astimezone(UTC)

    @model_validator(mode="after")
    def _with_id(self) -> OperationRecord:
        if not self.id:
            extra = self.__pydantic_extra__ or {}
            derived = derived_operation_id(
                self.timestamp,
                self.operation,
                self.model,
                self.input_tokens,
                self.output_tokens,
                self.cost,
                self.session_id,
                extra.get("key"),
            )
            object.__setattr__(self, "id", derived)  # frozen: set once, while being made
        return self


class OperationChunk(StoreModel):
    """One chunk file: a run of consecutive operations, oldest first."""

    KIND: ClassVar[str] = "cost-operations"

    operations: list[OperationRecord] = Field(default_factory=list)

    def item_count(self) -> int:
        return len(self.operations)


def _entry(raw: Any) -> ChunkStats | None:
    """A chunk entry of ``costs.json``; one that cannot be believed is kept as what it lists
    (file, count, cost, times; no stamp, so the chunk is read again), or dropped."""
    return raw if isinstance(raw, ChunkStats) else ChunkStats.listed(raw)


def _entry_json(entry: ChunkStats | None) -> dict[str, Any] | None:
    return None if entry is None else entry.to_json()


def _sealed(raw: Any) -> Sealed | None:
    """The folded entry of old chunks; one that cannot be believed is dropped (those chunks
    are then read again, once)."""
    return raw if isinstance(raw, Sealed) else Sealed.read(raw)


def _sealed_json(entry: Sealed | None) -> dict[str, Any] | None:
    return None if entry is None else entry.to_json()


SealedEntry = Annotated[
    Sealed | None, PlainValidator(_sealed), PlainSerializer(_sealed_json, return_type=Any)
]

ChunkEntry = Annotated[
    ChunkStats | None, PlainValidator(_entry), PlainSerializer(_entry_json, return_type=Any)
]
"""What ``costs.json`` says of one chunk (see :mod:`writers_factory.store.costs.summary`)."""


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
    hours_from: AwareDatetime | None = None
    """The chunk entries keep hourly costs of operations from this moment on."""
    sealed: SealedEntry = None
    """Old chunks' entries, folded into one (see ``summary.Sealed``)."""
    chunks: list[ChunkEntry] = Field(default_factory=list)

    def item_count(self) -> int:
        return self.operations_count
