"""The workspace the controllers share: the project's store objects, built once at start-up.

A plain object, not a widget: controllers receive it in their constructors and read the
session, preferences, cost tracker, history and open documents from it, so none of them
needs the app. The app fills it while starting (the store objects load in threads) and never
replaces it.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from writers_factory.store.manuscript.documents import Documents
from writers_factory.store.metrics.recorder import MetricsRecorder

if TYPE_CHECKING:
    from writers_factory.store.costs.tracker import CostTracker
    from writers_factory.store.history.history import SessionHistory
    from writers_factory.store.preferences.preferences import Preferences
    from writers_factory.store.session.session import Session


class Workspace:
    """One project opened in the app: its folder and what was loaded from ``.session/``."""

    def __init__(
        self,
        project: Path,
        *,
        session: Session | None = None,
        preferences: Preferences | None = None,
        author: str | None = None,
    ) -> None:
        self.project = Path(project).absolute()
        self.author = author
        """The co-author of this window (``--author``); ``None``: the single-writer layout."""
        self._session = session
        self._preferences = preferences
        self.costs: CostTracker | None = None
        """The one cost tracker of this app (``costs.json`` has a single writer)."""
        self.history: SessionHistory | None = None
        """This session's history file, once the writing activity has opened it."""
        self.restored = asyncio.Event()
        """Set when the writer can type: the last session's files are open again, the focus
        placed and held keys let through (costs, history and the watcher may still load)."""
        self.ready = asyncio.Event()
        """Set when start-up is over: the store objects are loaded, the start-up questions are
        answered and the last session's files are open again."""
        self.documents = Documents()
        """The open files (the editor's tabs show them); saving and recovery work on these."""
        self.metrics = MetricsRecorder(self.project / ".session")
        """Saves, journal writes, recoveries, snapshots and watcher events, counted in memory
        as they happen; written after auto-saves and at close (:meth:`flush_metrics`)."""

    def flush_metrics(self) -> None:
        """Blocking (a thread): add what was counted to ``metrics.json``; a read-only window
        (another instance owns the project) writes nothing."""
        if self.read_only or not self.loaded or not self.metrics.pending():
            return
        with contextlib.suppress(OSError):  # kept in memory for the next flush
            self.metrics.flush_sync()

    @property
    def loaded(self) -> bool:
        return self._session is not None

    @property
    def session(self) -> Session:
        assert self._session is not None, "the session is loaded at start-up"
        return self._session

    @session.setter
    def session(self, session: Session) -> None:
        self._session = session

    @property
    def preferences(self) -> Preferences:
        assert self._preferences is not None, "preferences are loaded at start-up"
        return self._preferences

    @preferences.setter
    def preferences(self, preferences: Preferences) -> None:
        self._preferences = preferences

    @property
    def has_preferences(self) -> bool:
        return self._preferences is not None

    @property
    def read_only(self) -> bool:
        """Another live instance owns the project (or a file is from a newer version)."""
        return self._session is not None and self._session.read_only
