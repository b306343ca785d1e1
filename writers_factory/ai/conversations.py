"""Conversations with the assistant, saved in ``.session/conversations/`` as they happen.

Each conversation is one human-readable JSON file, ``<id>.json``, rewritten whole through
``write_atomic`` every time a turn is added: a crash loses at most the turn being written,
never the conversation. Ids start with a UTC timestamp so a plain sort of file names is
creation order.

A file that does not parse or validate is moved to ``.session/corrupt/`` with a timestamp
and reported (file, field, reason) — never deleted, never silently skipped. A file written
by a newer Writers Factory is reported and left exactly where it is. A file that is a link
leading out of ``conversations/`` is reported and never read.
"""

from __future__ import annotations

import asyncio
import builtins
import re
import secrets
import threading
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal, NoReturn

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, ValidationError

from writers_factory.core.errors import WritersFactoryError
from writers_factory.core.stages import StageId
from writers_factory.store.base.durable import write_atomic
from writers_factory.store.base.events import ProblemKind, StoreProblem
from writers_factory.store.base.jsonfile import describe_validation, set_aside
from writers_factory.store.base.model_base import StoreDatetime, StoreModel
from writers_factory.store.base.paths import OutsideProjectError, SessionPaths, inside_project
from writers_factory.store.base.serialisers import DecodeError, dumps, loads

Role = Literal["user", "assistant", "system"]
_ID_RE = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{6}$")

Money = Annotated[Decimal, Field(ge=0), PlainSerializer(str, return_type=str, when_used="json")]
"""Dollars as an exact decimal, written as a string ("0.0123") so no float rounding creeps in."""


class Turn(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Role
    text: str
    timestamp: StoreDatetime
    input_tokens: int | None = Field(default=None, ge=0)
    output_tokens: int | None = Field(default=None, ge=0)
    cost: Money | None = None


class Conversation(StoreModel):
    """One conversation; ``extra="allow"`` keeps fields a newer version added."""

    SCHEMA_VERSION = 1
    KIND = "conversation"

    id: str = Field(pattern=_ID_RE.pattern)
    title: str
    created_at: StoreDatetime
    updated_at: StoreDatetime
    stage: StageId
    model: str
    turns: list[Turn] = Field(default_factory=list)

    def item_count(self) -> int:
        return len(self.turns)


class ConversationSummary(BaseModel):
    """A line in the list of conversations; enough to choose one without opening it."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    stage: StageId
    model: str
    turns: int
    last_text: str
    """The start of the latest turn (at most 80 characters), for a preview."""


class ConversationError(WritersFactoryError, ValueError):
    """A conversation could not be opened; ``problem`` says which file and why."""

    def __init__(self, problem: StoreProblem) -> None:
        super().__init__(problem.describe())
        self.problem = problem


def new_id(now: datetime | None = None) -> str:
    """Timestamp to the microsecond plus 24 random bits: sortable and collision-free."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(3)}"


class ConversationStore:
    """The conversations of one project's ``.session/`` folder."""

    def __init__(self, session_dir: Path) -> None:
        self.paths = SessionPaths(Path(session_dir))
        self.folder = self.paths.conversations
        self.problems: list[StoreProblem] = []
        """Files set aside or skipped, one entry each, for the TUI or CLI to show."""
        self._lock = threading.Lock()
        self._seq = 0
        self._written: dict[str, int] = {}

    def path_of(self, conversation_id: str) -> Path:
        if not _ID_RE.match(conversation_id):
            raise ValueError(f"{conversation_id!r} is not a conversation id")
        return self.folder / f"{conversation_id}.json"

    # --- writing --------------------------------------------------------------------------

    def _snapshot(self, conv: Conversation) -> tuple[int, bytes]:
        with self._lock:
            self._seq += 1
            seq = self._seq
        return seq, dumps(conv.model_dump(mode="json"))

    def _write(self, conv_id: str, seq: int, data: bytes) -> None:
        """Write a snapshot unless a newer one of the same conversation already landed.

        Async callers snapshot on the event loop and write in threads, which may finish out
        of order; the sequence number keeps an older snapshot from overwriting a newer one.
        """
        with self._lock:
            if self._written.get(conv_id, 0) > seq:
                return
            write_atomic(self.path_of(conv_id), data)
            self._written[conv_id] = seq

    def save(self, conv: Conversation) -> None:
        """Rewrite the conversation's file now (synchronous)."""
        self._write(conv.id, *self._snapshot(conv))

    async def save_async(self, conv: Conversation) -> None:
        seq, data = self._snapshot(conv)
        await asyncio.to_thread(self._write, conv.id, seq, data)

    def _make(self, title: str, stage: StageId, model: str) -> Conversation:
        now = datetime.now(UTC)
        conv_id = new_id(now)
        while self.path_of(conv_id).exists():
            conv_id = new_id(now)
        return Conversation(
            id=conv_id, title=title, created_at=now, updated_at=now, stage=stage, model=model
        )

    def new(self, title: str, stage: StageId, model: str) -> Conversation:
        """Start a conversation; its file exists as soon as this returns."""
        conv = self._make(title, stage, model)
        self.save(conv)
        return conv

    async def new_async(self, title: str, stage: StageId, model: str) -> Conversation:
        conv = self._make(title, stage, model)
        await self.save_async(conv)
        return conv

    @staticmethod
    def _append(
        conv: Conversation,
        role: Role,
        text: str,
        input_tokens: int | None,
        output_tokens: int | None,
        cost: Decimal | str | None,
    ) -> Turn:
        turn = Turn(
            role=role,
            text=text,
            timestamp=datetime.now(UTC),
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost=None if cost is None else Decimal(cost),
        )
        conv.turns.append(turn)
        conv.updated_at = turn.timestamp
        return turn

    def add_turn(
        self,
        conv: Conversation,
        role: Role,
        text: str,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        cost: Decimal | str | None = None,
    ) -> Turn:
        """Append a turn and rewrite the file before returning.

        If the write fails the turn stays in ``conv`` and the error is raised: the next
        successful save (or a retry of :meth:`save`) writes it, so it is not lost.
        """
        turn = self._append(conv, role, text, input_tokens, output_tokens, cost)
        self.save(conv)
        return turn

    async def add_turn_async(
        self,
        conv: Conversation,
        role: Role,
        text: str,
        *,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        cost: Decimal | str | None = None,
    ) -> Turn:
        """:meth:`add_turn` with the disk write in a thread (never on the event loop)."""
        turn = self._append(conv, role, text, input_tokens, output_tokens, cost)
        await self.save_async(conv)
        return turn

    # --- reading --------------------------------------------------------------------------

    def _problem(
        self,
        path: Path,
        kind: ProblemKind,
        message: str,
        field: str | None = None,
        set_aside: Path | None = None,
    ) -> NoReturn:
        problem = StoreProblem(
            path=path, kind=kind, message=message, field=field, set_aside=set_aside
        )
        self.problems.append(problem)
        raise ConversationError(problem)

    def _set_aside(self, path: Path, message: str, field: str | None = None) -> NoReturn:
        try:
            dest: Path | None = set_aside(self.paths, path, "corrupt")
        except OSError as exc:
            dest = None
            message += f" (could not be moved aside: {exc.strerror or exc})"
        self._problem(path, ProblemKind.CORRUPT, message, field=field, set_aside=dest)

    def _load(self, path: Path) -> Conversation:
        try:
            inside_project(self.folder, path, within="the conversations folder")
        except OutsideProjectError as exc:
            self._problem(path, ProblemKind.OUTSIDE, f"{exc.reason} — not opened")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise
        except OSError as exc:
            self._problem(path, ProblemKind.CORRUPT, f"cannot be read: {exc.strerror or exc}")
        try:
            raw, _ = loads(data)
        except DecodeError as exc:
            self._set_aside(path, str(exc))
        if not isinstance(raw, dict):
            self._set_aside(path, f"expected a JSON object, found {type(raw).__name__}")
        version = raw.get("schema_version")
        if isinstance(version, int) and version > Conversation.SCHEMA_VERSION:
            self._problem(
                path,
                ProblemKind.NEWER_VERSION,
                f"written by a newer Writers Factory (schema {version}); left untouched",
            )
        try:
            conv = Conversation.model_validate(raw)
        except ValidationError as exc:
            field, reason = describe_validation(exc)[0]
            self._set_aside(path, f"does not match the conversation shape: {reason}", field)
        if conv.id != path.stem:
            self._set_aside(path, f"holds conversation {conv.id!r} under another name", "id")
        return conv

    def open(self, conversation_id: str) -> Conversation:
        """Load one conversation; raises :class:`ConversationError` naming a broken file."""
        return self._load(self.path_of(conversation_id))

    async def open_async(self, conversation_id: str) -> Conversation:
        return await asyncio.to_thread(self.open, conversation_id)

    def list(self) -> list[ConversationSummary]:
        """Every readable conversation, most recently active first; problems are recorded."""
        summaries: list[ConversationSummary] = []
        if not self.folder.is_dir():
            return summaries
        for path in sorted(self.folder.glob("*.json")):
            if path.name.startswith(".") or not _ID_RE.match(path.stem):
                continue
            try:
                conv = self._load(path)
            except (ConversationError, FileNotFoundError):
                continue
            last = conv.turns[-1].text if conv.turns else ""
            summaries.append(
                ConversationSummary(
                    id=conv.id,
                    title=conv.title,
                    created_at=conv.created_at,
                    updated_at=conv.updated_at,
                    stage=conv.stage,
                    model=conv.model,
                    turns=len(conv.turns),
                    last_text=" ".join(last.split())[:80],
                )
            )
        summaries.sort(key=lambda s: (s.updated_at, s.id), reverse=True)
        return summaries

    async def list_async(self) -> builtins.list[ConversationSummary]:
        return await asyncio.to_thread(self.list)
