"""Probes for what a writer feels: the longest stall of the event loop, and screen layouts.

Neither imports Writers Factory, so a bench can point them at a bare Textual app (the
baseline) and at the workspace alike.

* :class:`LoopGapProbe` wakes up every ``interval`` seconds on the running loop and records
  how late each wake-up was. While the loop runs a long callback (or another thread holds the
  GIL) no wake-up happens, so the longest gap is the longest time a key could have waited.
* :class:`LayoutCounter` counts the full layouts of a Textual screen through the screen's own
  layout-refresh signal (published after every layout, no patching).

Usage::

    async with LoopGapProbe() as probe:
        ...  # type, save, load something
    print(probe.longest, probe.gaps)
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from types import TracebackType
from typing import Any


class LoopGapProbe:
    """Records the longest interval between two wake-ups of a repeating loop callback."""

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.longest = 0.0
        """Seconds: the longest time between two consecutive wake-ups (minus nothing)."""
        self.wakeups = 0
        self.gaps: list[float] = []
        """Every interval longer than ``threshold`` seconds, in order."""
        self.threshold = 0.016
        self._task: asyncio.Task[None] | None = None
        self._last = 0.0

    def start(self) -> None:
        """Start on the running loop (call from a coroutine or a callback on the loop)."""
        self._last = time.perf_counter()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="loop-gap-probe")

    async def stop(self) -> float:
        """Stop; returns the longest gap in seconds (the last interval counts too)."""
        self._note(time.perf_counter())
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        return self.longest

    def _note(self, now: float) -> None:
        gap = now - self._last
        self._last = now
        self.wakeups += 1
        if gap > self.longest:
            self.longest = gap
        if gap > self.threshold:
            self.gaps.append(gap)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self._note(time.perf_counter())

    def reset(self) -> None:
        """Forget what was seen so far (after a warm-up), keep running."""
        self.longest, self.wakeups, self.gaps = 0.0, 0, []
        self._last = time.perf_counter()

    async def __aenter__(self) -> LoopGapProbe:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


class LayoutCounter:
    """Counts full layouts of one Textual screen (``screen_layout_refresh_signal``)."""

    def __init__(self, screen: Any) -> None:
        self.count = 0
        self.screen = screen
        screen.screen_layout_refresh_signal.subscribe(screen, self._on_layout, immediate=True)

    def _on_layout(self, _screen: Any) -> None:
        self.count += 1

    def reset(self) -> int:
        """Return the count so far and start again from zero."""
        count, self.count = self.count, 0
        return count
