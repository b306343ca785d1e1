"""Why a snapshot was taken: the moments the writer may want to come back to."""

from __future__ import annotations

from enum import StrEnum


class Trigger(StrEnum):
    """The reason recorded with each snapshot (shown in the timeline)."""

    AUTOSAVE = "autosave"
    SESSION_START = "session-start"
    SESSION_CLOSE = "session-close"
    AI_REWRITE = "before-ai-rewrite"
    RECOVERY = "before-recovery"
    EXTERNAL = "before-external-change"
    RESTORE = "before-restore"
    ROLLBACK = "before-rollback"
    MANUAL = "manual"
    MIGRATED = "migrated-version"
    REPLACE = "before-replace"
    SYNC_MERGE = "before-sync-merge"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS: dict[Trigger, str] = {
    Trigger.AUTOSAVE: "Auto-save",
    Trigger.SESSION_START: "Session start",
    Trigger.SESSION_CLOSE: "Session close",
    Trigger.AI_REWRITE: "Before AI rewrite",
    Trigger.RECOVERY: "Before recovery",
    Trigger.EXTERNAL: "Before outside change",
    Trigger.RESTORE: "Before restore",
    Trigger.ROLLBACK: "Before rollback",
    Trigger.MANUAL: "By hand",
    Trigger.MIGRATED: "Earlier version",
    Trigger.REPLACE: "Before replace across project",
    Trigger.SYNC_MERGE: "Before merging a conflict copy",
}

COALESCING: frozenset[Trigger] = frozenset({Trigger.AUTOSAVE})
"""Triggers whose waiting requests merge into one: only the newest state matters."""
