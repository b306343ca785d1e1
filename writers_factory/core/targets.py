"""Writing targets and how far the writer is towards each: pure, no clock, no files.

A target is a number of words: the manuscript's (optionally by a deadline, which turns it
into "words per day needed from today"), a chapter's, a session's, and the day's. Progress
is one small model, :class:`TargetProgress`, that every view renders the same way (the
targets dialog, the status bar, the stage screens), so "met ✓" can only appear where a
target exists: there is no progress without one.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

TargetKind = Literal["manuscript", "chapter", "session", "daily"]


class TargetProgress(BaseModel):
    """Words against one target; ``per_day_needed`` only for a target with a deadline."""

    # validators built when first used: these models are imported with the app, used
    # after start-up
    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: TargetKind
    label: str
    words: int
    target: int
    deadline: date | None = None
    days_left: int | None = None
    """Days from today to the deadline, both included (0 once it has passed)."""
    per_day_needed: int | None = None
    """Words a day, from today on, that meet the target by the deadline."""

    @property
    def met(self) -> bool:
        return self.words >= self.target

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.words)

    @property
    def fraction(self) -> float:
        """0.0 to 1.0 (a bar's fill); never past full, never below empty."""
        return min(1.0, max(0, self.words) / self.target)

    @property
    def percent(self) -> int:
        """Whole percent, past 100 when exceeded (what the writer did, not the bar)."""
        return max(0, self.words) * 100 // self.target

    def text(self) -> str:
        """``Manuscript 42,000/80,000 words · 52% · 950 a day to 2027-03-01`` (``✓`` once met)."""
        line = f"{self.label} {self.words:,}/{self.target:,} words · {self.percent}%"
        if self.met:
            return line + " ✓"
        if self.deadline is not None:
            if self.days_left:
                line += f" · {self.per_day_needed:,} a day to {self.deadline.isoformat()}"
            else:
                line += f" · deadline {self.deadline.isoformat()} passed"
        return line


def progress(
    kind: TargetKind,
    words: int,
    target: int | None,
    *,
    label: str | None = None,
    deadline: date | None = None,
    today: date | None = None,
) -> TargetProgress | None:
    """Progress towards ``target``; ``None`` when no target is set (nothing to show or meet).

    With a ``deadline`` (and ``today``) it says how many words a day are needed from today,
    today included: 1,000 words left with the deadline tomorrow is 500 a day.
    """
    if not target or target <= 0:
        return None
    days_left = per_day = None
    if deadline is not None and today is not None:
        days_left = max(0, (deadline - today).days + 1)
        remaining = max(0, target - words)
        per_day = math.ceil(remaining / days_left) if days_left else remaining
    return TargetProgress(
        kind=kind,
        label=label or kind.capitalize(),
        words=words,
        target=target,
        deadline=deadline,
        days_left=days_left,
        per_day_needed=per_day,
    )


def parse_target(text: str, *, what: str) -> int | None:
    """A target typed by the writer: empty means none; otherwise a whole number of words.

    Raises ``ValueError`` with a sentence for the writer (shown beside the field).
    """
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise ValueError(f"{what}: type a whole number of words, such as 80000 (or leave empty)")
    value = int(cleaned)
    if value <= 0:
        raise ValueError(f"{what}: a target is at least 1 word (leave empty for none)")
    if value > 10_000_000:
        raise ValueError(f"{what}: {value:,} words is more than any book; check the number")
    return value


def parse_deadline(text: str, today: date) -> date | None:
    """A deadline typed as YYYY-MM-DD; empty means none. It may not lie in the past."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        value = date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError("Deadline: type a date as YYYY-MM-DD, such as 2027-03-01") from None
    if value < today:
        raise ValueError(f"Deadline: {value.isoformat()} has passed; choose today or later")
    return value


class TargetSettings(BaseModel):
    """The writer's targets (from preferences); ``None`` = no target of that kind."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    daily: int | None = None
    session: int | None = None
    chapter: int | None = None
    """The open chapter's target."""
    manuscript: int | None = None
    deadline: date | None = None


class WordsSoFar(BaseModel):
    """Words to measure against the targets: today's and this session's are net typed
    words (``core.statistics``), the chapter's and the manuscript's are counts of the text."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    today: int = 0
    session: int = 0
    chapter: int | None = None
    manuscript: int | None = None


def target_progress(
    words: WordsSoFar,
    targets: TargetSettings,
    today: date,
    *,
    chapter_label: str = "Chapter",
) -> list[TargetProgress]:
    """Progress towards every target that is set, in a fixed order (day, session, chapter,
    manuscript); a target whose words are not known (no chapter open) is left out."""
    found = [
        progress("daily", words.today, targets.daily, label="Today"),
        progress("session", words.session, targets.session, label="Session"),
        None
        if words.chapter is None
        else progress("chapter", words.chapter, targets.chapter, label=chapter_label),
        None
        if words.manuscript is None
        else progress(
            "manuscript",
            words.manuscript,
            targets.manuscript,
            label="Manuscript",
            deadline=targets.deadline,
            today=today,
        ),
    ]
    return [item for item in found if item is not None]
