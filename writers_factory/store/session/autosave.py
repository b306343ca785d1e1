"""Timed saves of a :class:`Session` for programs other than the app (the specification's
``auto_save_worker``); the app has its own coordinator, which also saves documents.

The interval and the switch may change while the worker runs and take effect at once: the
wait in progress is cut short and a new full interval starts. A save that fails is logged
and tried again at the next interval; the state stays in memory, marked unsaved.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from writers_factory.store.preferences.models import DEFAULT_AUTO_SAVE_SECONDS

if TYPE_CHECKING:
    from writers_factory.store.session.session import Session

log = logging.getLogger(__name__)


def _checked(seconds: float) -> float:
    if not (math.isfinite(seconds) and seconds >= 1):
        raise ValueError(f"the auto-save interval must be at least 1 second ({seconds})")
    return float(seconds)


class AutoSave:
    """The switch and interval one worker follows (see the module docstring)."""

    def __init__(self, interval: float = DEFAULT_AUTO_SAVE_SECONDS, *, enabled: bool = True):
        self._interval = _checked(interval)
        self._enabled = enabled
        self._changed = asyncio.Event()
        self.saves = 0
        """How many times the worker wrote (tests and status lines wait on it)."""

    @property
    def interval(self) -> float:
        return self._interval

    @property
    def enabled(self) -> bool:
        return self._enabled

    def enable(self, interval: float | None = None) -> None:
        """Switch on (with a new interval if given), from the next full interval."""
        if interval is not None:
            self._interval = _checked(interval)
        self._enabled = True
        self._changed.set()

    def disable(self) -> None:
        """No timed saves until :meth:`enable` (the session still saves when asked)."""
        self._enabled = False
        self._changed.set()

    def set_interval(self, seconds: float) -> None:
        self._interval = _checked(seconds)
        self._changed.set()

    async def run(self, session: Session, on_saved: Callable[[], None] | None = None) -> None:
        """Save ``session`` every interval while it has changes; runs until cancelled."""
        while True:
            self._changed.clear()
            timeout = self._interval if self._enabled else None
            try:
                await asyncio.wait_for(self._changed.wait(), timeout)
                continue  # switched or re-timed: a new full interval from now
            except TimeoutError:
                pass
            if not session.has_changes():
                continue
            try:
                wrote = await session.save()
            except OSError as exc:
                log.warning("auto-save of %s failed (tried again later): %s", session.paths, exc)
                continue
            if wrote:
                self.saves += 1
                if on_saved is not None:
                    on_saved()


async def auto_save_worker(
    session: Session,
    control: AutoSave | None = None,
    on_saved: Callable[[], None] | None = None,
) -> None:
    """Save ``session`` on a timer until cancelled: ``asyncio.create_task(auto_save_worker(s))``.

    Without ``control``, the interval and the switch are read from the project's
    ``preferences.json`` (``auto_save_interval``, ``auto_save_enabled``; 30 s, on, when
    absent); pass an :class:`AutoSave` to change them while it runs.
    """
    if control is None:
        from writers_factory.store.preferences.preferences import Preferences

        prefs = await asyncio.to_thread(Preferences, session.paths.root, read_only=True)
        control = AutoSave(prefs.data.auto_save_interval, enabled=prefs.data.auto_save_enabled)
    await control.run(session, on_saved)
