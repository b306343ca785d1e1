"""The shape of ``.session/preferences.json``.

Every section allows unknown keys so a preference added by a newer Writers Factory survives
a rewrite by this one. Money is ``Decimal`` and is written as a string, so a budget of
"$0.10" stays exactly ten cents through any number of saves.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from writers_factory.core.stages import StageId
from writers_factory.store.base.model_base import StoreModel
from writers_factory.store.preferences import migrations as _migrations  # noqa: F401 - registers

Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
"""Dollars: never negative, never NaN or infinite."""

DEFAULT_AUTO_SAVE_SECONDS = 30.0
DEFAULT_COST_CONFIRMATION = Decimal("0.10")
DEFAULT_WARN_AT = 0.8


class Section(BaseModel):
    """A nested block of preferences; unknown keys are kept, assignments are validated."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)


class NotebookLMConfig(Section):
    enabled: bool = False
    notebook_url: str | None = None
    notebook_name: str | None = None


class BudgetPrefs(Section):
    """Spending limits in dollars; ``None`` means no limit of that kind."""

    daily_limit: Money | None = None
    weekly_limit: Money | None = None
    monthly_limit: Money | None = None
    warn_at: float = Field(default=DEFAULT_WARN_AT, gt=0, le=1, allow_inf_nan=False)
    hard_stop: bool = False
    warnings_enabled: bool = True

    def limits(self) -> dict[str, Decimal]:
        """The limits that are set, by period name ("daily", "weekly", "monthly")."""
        pairs = (
            ("daily", self.daily_limit),
            ("weekly", self.weekly_limit),
            ("monthly", self.monthly_limit),
        )
        return {name: value for name, value in pairs if value is not None}


def _unset(value: object) -> bool:
    """An optional rate left unset is left out of the file, which then reads as before."""
    return value is None


class PriceOverrideModel(Section):
    """A writer-supplied price in dollars per million tokens (wins over genai-prices)."""

    input_per_mtok: Money
    output_per_mtok: Money
    cache_read_per_mtok: Money | None = Field(default=None, exclude_if=_unset)
    """Tokens read from the provider's cache; ``None``: charged as input."""
    cache_write_per_mtok: Money | None = Field(default=None, exclude_if=_unset)
    """Tokens written to the provider's cache; ``None``: charged as input."""


class BackupPrefs(Section):
    """Whole-project backups: where, how often automatically, how long they are kept.

    ``folder`` ``None`` is the default under the user's data folder (see
    ``store/backups/location.py``). Thinning keeps everything from today, one a day for
    ``daily_days``, one a week for ``weekly_weeks``, then one a month (for ``monthly_months``,
    or forever when ``None``). ``clean_after_days``: what ``session clean`` treats as old.
    """

    folder: str | None = None
    automatic: bool = True
    daily_days: int = Field(default=30, ge=0, le=3660)
    weekly_weeks: int = Field(default=52, ge=0, le=520)
    monthly_months: int | None = Field(default=None, ge=0)
    clean_after_days: int = Field(default=30, ge=1, le=36600)


DEFAULT_FOCUS_WIDTH = 72


class EditorPrefs(Section):
    """The writing comfort of the editor.

    ``spelling_language`` is a code of a shipped word list (``en``, ``de``, ``fr``…); a
    language without one turns spell check off with a message, never a crash.
    ``focus_width``: the column of focus mode, in characters; ``typewriter``: focus mode
    keeps the cursor's line in the middle of the screen. ``smart_quotes``: typed quotes
    become curly and two hyphens an em-dash.
    """

    spell_check: bool = True
    spelling_language: str = Field(default="en", min_length=1, max_length=35)
    smart_quotes: bool = False
    focus_width: int = Field(default=DEFAULT_FOCUS_WIDTH, ge=20, le=400)
    typewriter: bool = False


DEFAULT_BIBLE_CONTEXT_TOKENS = 4000
DEFAULT_SUMMARY_TOKENS = 2000


class StoryBiblePrefs(Section):
    """Which story-bible notes (``reference/``) are sent with a prompt.

    Notes whose name or aliases the text sent mentions are added, most mentioned first,
    until ``context_tokens`` is spent; ``pinned`` notes always go first (within the budget),
    ``excluded`` ones never. Both hold project-relative paths (``reference/ada.md``).
    ``preview_before_sending`` shows the prompt preview before every call, not only when
    the cost asks for confirmation. ``summary_tokens`` bounds the story so far sent as the
    kept summaries of earlier chapters (continue, generate a scene); 0 sends none.
    """

    context_tokens: int = Field(default=DEFAULT_BIBLE_CONTEXT_TOKENS, ge=0, le=200_000)
    summary_tokens: int = Field(default=DEFAULT_SUMMARY_TOKENS, ge=0, le=200_000)
    pinned: list[str] = Field(default_factory=list)
    excluded: list[str] = Field(default_factory=list)
    preview_before_sending: bool = False


class BookPrefs(Section):
    """The book as a compiled document presents it (``writers-factory compile``): its title
    and author on the title page; ``surname`` in the manuscript header (default: the last
    word of ``author``). ``None``: the title from the project folder's name, no author."""

    title: str | None = Field(default=None, max_length=500)
    author: str | None = Field(default=None, max_length=500)
    surname: str | None = Field(default=None, max_length=200)


Words = Annotated[int, Field(ge=1, le=10_000_000)]
"""A word target: at least one word."""


class TargetPrefs(Section):
    """Word targets beyond the day's (``daily_word_target``); ``None`` means no target.

    ``chapters`` maps a manuscript file (project-relative, forward slashes) to its target.
    Added in schema 1 with defaults: files without it validate as before, so no migration.
    """

    manuscript_words: Words | None = None
    deadline: date | None = None
    session_words: Words | None = None
    chapters: dict[str, Words] = Field(default_factory=dict)


class PreferenceFields(StoreModel):
    """The values a project's preferences and the writer's user settings both hold.

    One set of fields, so both files validate alike and a bad value reads the same in
    either. Which values a file sets is ``model_fields_set`` (recursively): an absent value
    is taken from the layer below (see ``layers.py``).
    """

    models: dict[StageId, str] = Field(default_factory=dict)
    notebooklm: NotebookLMConfig = Field(default_factory=NotebookLMConfig)
    keybindings: dict[str, str] = Field(default_factory=dict)
    theme: str | None = None
    auto_save_interval: float = Field(default=DEFAULT_AUTO_SAVE_SECONDS, ge=1, allow_inf_nan=False)
    auto_save_enabled: bool = True
    daily_word_target: int | None = Field(default=None, ge=1)
    budget: BudgetPrefs = Field(default_factory=BudgetPrefs)
    cost_confirmation_threshold: Money = DEFAULT_COST_CONFIRMATION
    price_overrides: dict[str, PriceOverrideModel] = Field(default_factory=dict)
    backups: BackupPrefs = Field(default_factory=BackupPrefs)
    editor: EditorPrefs = Field(default_factory=EditorPrefs)
    story_bible: StoryBiblePrefs = Field(default_factory=StoryBiblePrefs)
    book: BookPrefs = Field(default_factory=BookPrefs)
    targets: TargetPrefs = Field(default_factory=TargetPrefs)


class PreferencesData(PreferenceFields):
    """Everything in ``preferences.json``: what this project sets.

    Schema 2: a value the file leaves out comes from the writer's user settings, then the
    built-in default (schema 1 files held every default; see ``migrations.py``).
    """

    SCHEMA_VERSION: ClassVar[int] = 2
    KIND: ClassVar[str] = "preferences"


class UserSettingsData(PreferenceFields):
    """The writer's own ``settings.json`` in the platform's config folder: the same values as
    a project's preferences (same validation, same messages), used by every project that
    does not set them itself, and who the writer is (``author``, for shared projects)."""

    SCHEMA_VERSION: ClassVar[int] = 1
    KIND: ClassVar[str] = "user-settings"

    author: str | None = Field(default=None, min_length=1, max_length=200)
