"""One line of ``.session/audit.jsonl``: a transition of the project's state."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import AliasChoices, ConfigDict, Field

from writers_factory.store.base.model_base import StoreDatetime, StoreModel

AuditKind = Literal[
    "stage",
    "model",
    "save-failed",
    "recovery",
    "lock-takeover",
    "migration",
    "import",
    "restore",
    "rollback",
    "backup",
]


class AuditRecord(StoreModel):
    """What changed (``kind``), ``from`` → ``to``, why (``trigger``), by whom, when, and
    whether it worked (``ok``; ``error`` says why not)."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "audit record"

    at: StoreDatetime
    kind: AuditKind
    from_: str | None = Field(
        default=None,
        validation_alias=AliasChoices("from", "from_"),
        serialization_alias="from",
        max_length=4096,
    )
    to: str | None = Field(default=None, max_length=4096)
    trigger: str = Field(default="", max_length=200)
    actor: str = Field(default="", max_length=200)
    ok: bool = True
    error: str | None = Field(default=None, max_length=4096)

    model_config = ConfigDict(extra="allow", validate_assignment=True, populate_by_name=True)
