"""The one shutdown path: ctrl+q, SIGTERM and SIGHUP end the app through the same steps, once.

1. let pending edits settle — timers stopped, journal writes and saves in flight landed;
2. save the documents (in threads) and discard their journal entries;
3. stop the watcher (what it saw is recorded first);
4. close the history entry;
5. close the session — ``current.json`` written once, ``clean_shutdown`` true, lock gone;
6. back the project up (``after_close``, in a thread; skipped when nothing changed);
7. exit.

A clean quit therefore leaves ``.session/journal/`` empty. When a file cannot be saved
(conflict, disk error) its text stays in the journal and the writer is told; a second ctrl+q
quits anyway. A signal cannot ask, so it goes on. Quitting from a start-up question leaves
everything untouched.

The steps run while the event loop still runs, so disk work stays in threads. Only an app
that closes without this path (an error, a harness closing it) gets :meth:`finish_sync`, the
synchronous fallback run from ``on_unmount`` — Textual cancels workers on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from writers_factory.tui.controllers.ports import UI

SIGNALS: tuple[int, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""SIGHUP does not exist on Windows (nor signal handlers on its event loop: installing
them is skipped there, and closing the console window ends the process as a crash would,
which the journal covers)."""


class ExitSaving(Protocol):
    """What shutting down needs of the save coordinator (``saving.py``)."""

    async def settle(self, timeout: float = 5.0) -> None: ...

    def stop(self) -> None: ...

    def resume(self) -> None: ...

    async def save_for_exit(self) -> list[str]: ...

    def save_for_exit_sync(self) -> list[str]: ...

    def report_exit_problems(self, problems: list[str]) -> None: ...


class Shutdown:
    """Runs the shutdown sequence exactly once, whoever asks for it."""

    def __init__(
        self,
        ui: UI,
        *,
        saving: Callable[[], ExitSaving | None],
        stop_watching: Callable[[], Awaitable[None]],
        stop_watching_soon: Callable[[], None],
        close_history: Callable[[], None],
        close_session: Callable[[], None],
        close_snapshot: Callable[[], Awaitable[object]] | None = None,
        after_close: Callable[[], Awaitable[None]] | None = None,
        settle_timeout: float = 5.0,
        signal_timeout: float = 2.0,
    ) -> None:
        self.ui = ui
        self._saving = saving
        self._stop_watching = stop_watching
        self._stop_watching_soon = stop_watching_soon
        self._close_history = close_history
        self._close_session = close_session
        """Synchronous and safe to call twice (the app's, which knows a session still
        opening); the sequence runs it in a thread."""
        self._close_snapshot = close_snapshot
        self._after_close = after_close
        self.settle_timeout = settle_timeout
        self.signal_timeout = signal_timeout
        self.leave_untouched = False
        """The writer quit from a start-up question: write nothing, close nothing."""
        self.done = False
        self._running = False
        self._warned = False
        self._signals: list[int] = []

    # -- who asks ----------------------------------------------------------------------------

    async def quit(self) -> None:
        """ctrl+q: the sequence; when something could not be saved, the first press only
        tells the writer (their text is in the journal) and a second press quits anyway."""
        await self._run(0, interactive=True)

    def install_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._on_signal, sig)
                self._signals.append(sig)

    def remove_signals(self) -> None:
        with contextlib.suppress(RuntimeError):
            loop = asyncio.get_running_loop()
            for sig in self._signals:
                with contextlib.suppress(Exception):
                    loop.remove_signal_handler(sig)
        self._signals.clear()

    def _on_signal(self, sig: int) -> None:
        """SIGTERM/SIGHUP: no one can answer a question now — the same sequence, briefly
        (the sender may follow with SIGKILL; the journal is at most a second old anyway)."""
        self.ui.call_later(self._run, 128 + sig, False)

    # -- the sequence ------------------------------------------------------------------------

    async def _run(self, code: int, interactive: bool) -> None:
        if self.done or self._running:
            return
        self._running = True
        try:
            if not self.leave_untouched and not await self._save(interactive):
                return
            self.remove_signals()
            if not self.leave_untouched:
                await self._stop_watching()  # delivers what it saw, recorded before closing
                self._close_history()  # after the documents: their last words are counted
                if self._close_snapshot is not None:  # the book as it is left
                    await self._close_snapshot()
                await asyncio.to_thread(self._close_session)
                if self._after_close is not None:
                    await self._after_close()
            # done only now: should a step above fail, the app closes on the error and
            # ``finish_sync`` does what is left (each step is safe to repeat)
            self.done = True
            self.ui.exit(code)
        finally:
            self._running = False

    async def _save(self, interactive: bool) -> bool:
        """Settle and save; False when the writer should hear of a failure first."""
        saving = self._saving()
        if saving is None:
            return True
        await saving.settle(self.settle_timeout if interactive else self.signal_timeout)
        problems = await saving.save_for_exit()
        if problems and interactive and not self._warned:
            self._warned = True
            saving.report_exit_problems(problems)
            saving.resume()
            return False
        return True

    def finish_sync(self) -> None:
        """The app is closing without the sequence (unmount): the same steps, synchronously.

        Safe to call after the sequence ran (it does nothing then) and twice.
        """
        if self.done:
            return
        self.done = True
        self.remove_signals()
        if self.leave_untouched:
            return
        saving = self._saving()
        if saving is not None:
            saving.stop()
            saving.save_for_exit_sync()
        self._stop_watching_soon()
        self._close_history()
        self._close_session()
