"""The shape of ``current.json``: where the writer is, so a restart resumes exactly there."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from writers_factory.core.stages import StageId
from writers_factory.store.base import migrations
from writers_factory.store.base.model_base import StoreDatetime, StoreModel

RECENT_QUERIES = 10
FILE_CHANGES_KEPT = 200


def _now() -> datetime:
    return datetime.now(UTC)


class Part(BaseModel):
    """Nested records keep unknown fields too, so a newer version's additions survive."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)


class StageView(Part):
    """Where the writer was on one stage's screen: which view (tab), the selected row (a
    chapter's project-relative path, or a card's key), the scroll offset and the sort order.
    Written by the stage screens (``tui/screens/stages/``), read back at restart."""

    view: str = ""
    selection: str | None = None
    scroll: int = Field(default=0, ge=0)
    sort: str = ""
    descending: bool = False


class CurrentState(Part):
    stage: StageId = "creation"
    screen: str = "workspace"
    breadcrumb: list[str] = Field(default_factory=lambda: ["Home"])
    focus_mode: bool = False
    """The editor was alone on screen (focus mode): a restart shows it so again."""
    views: dict[str, StageView] = Field(default_factory=dict)
    """Each stage screen's own state, by stage id (additive: older files have none)."""


class OpenFile(Part):
    path: str  # project-relative, POSIX separators
    cursor_line: int = Field(default=0, ge=0)
    cursor_col: int = Field(default=0, ge=0)


class RecentQuery(Part):
    query: str
    timestamp: StoreDatetime = Field(default_factory=_now)
    source: str = "local"


class FileChangeRecord(Part):
    path: str
    kind: Literal["created", "modified", "deleted", "moved"]
    at: StoreDatetime = Field(default_factory=_now)
    dest: str | None = None


class SessionData(StoreModel):
    KIND = "current"

    session_id: str = ""
    project_name: str = ""
    created_at: StoreDatetime = Field(default_factory=_now)
    started_at: StoreDatetime = Field(default_factory=_now)
    last_activity: StoreDatetime = Field(default_factory=_now)
    clean_shutdown: bool = False
    current_state: CurrentState = Field(default_factory=CurrentState)
    open_files: list[OpenFile] = Field(default_factory=list)
    active_file: str | None = None
    model_preferences: dict[str, str] = Field(default_factory=dict)
    recent_queries: list[RecentQuery] = Field(default_factory=list)
    file_changes: list[FileChangeRecord] = Field(default_factory=list)

    def item_count(self) -> int:
        return len(self.open_files)


@migrations.register("current", 0)
def _current_v0_to_v1(raw: dict[str, Any]) -> dict[str, Any]:
    """v0 kept stage/screen at the top level and open files as "path:line:col" strings."""
    out = {k: v for k, v in raw.items() if k not in {"stage", "screen", "breadcrumb", "models"}}
    out["current_state"] = {
        "stage": str(raw.get("stage", "creation")).lower(),
        "screen": raw.get("screen", "workspace"),
        "breadcrumb": raw.get("breadcrumb", ["Home"]),
    }
    files = []
    for item in raw.get("open_files", []):
        if isinstance(item, str):
            path, _, rest = item.partition(":")
            line, _, col = rest.partition(":")
            files.append(
                {
                    "path": path,
                    "cursor_line": int(line) if line.isdigit() else 0,
                    "cursor_col": int(col) if col.isdigit() else 0,
                }
            )
        else:
            files.append(item)
    out["open_files"] = files
    if "models" in raw:
        out["model_preferences"] = raw["models"]
    return out
