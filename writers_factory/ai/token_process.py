"""Token counts from a helper process, so building the encoding never freezes the app.

Building the ``o200k_base`` encoding hands 200,000 ranks to tiktoken's compiled core, which
holds the interpreter lock for the whole build: a fifth of a second on an idle machine, a
second on a busy one. On a worker thread it still stops the event loop for that long, and
the build cannot be split. So the app counts in a helper process: spawned (never forked: the
app runs threads) at the first count, it builds the encoding once and answers every later
count; the app's own process never builds it, and only the text and the count cross over.

Whoever waits for a count waits in a thread (``estimate_tokens`` is always called through
``asyncio.to_thread``), never on the loop. Should the helper be impossible (no process may be
started, it died), :func:`count_tokens` says so with ``None`` and the caller counts in
process as before: a stall, never a wrong number.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Executor

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_executor: Executor | None = None
_broken = False
_tracker_started = threading.Event()
_tracker_tried = threading.Event()
OnLoop = Callable[[Callable[[], object]], object]
"""Has a function run soon on the app's event loop (thread-safe; ``RuntimeError``: the loop
runs no more)."""
LOOP_WAIT = 10.0
"""Seconds the first count waits for the loop to start the tracker before counting in
process instead (a safety net for a closing app, not a measure of anything)."""
_on_loop: OnLoop | None = None
started = 0
"""Helper processes started so far (tests check that one serves every count)."""


def _quiet() -> None:
    """In the helper, first: it shares the app's terminal, which nothing but the app may
    write to (a stray warning would land in the middle of the screen)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _count_here(text: str) -> int | None:
    """In the helper process: the count, or ``None`` when the encoding is unavailable."""
    from writers_factory.ai.tokens import get_encoding

    encoding = get_encoding()
    return None if encoding is None else len(encoding.encode_ordinary(text))


def prepare(on_loop: OnLoop | None = None) -> None:
    """Say how the helper's first start reaches the app's event loop (``None``: it does not).

    Nothing is started here: a second interpreter starting while the app starts up took
    processor time from the first paint (on two cores, a tenth of a second of it). The
    helper, and multiprocessing's resource tracker it needs, start at the first count.
    """
    global _on_loop
    _on_loop = on_loop


def _fileno(stream: object) -> int | None:
    try:
        number = stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    return number if isinstance(number, int) and number >= 0 else None


def _start_tracker() -> None:
    """Start multiprocessing's resource tracker (every helper relies on it).

    It is handed the file descriptor of ``sys.stderr``; while the app runs, ``sys.stderr``
    captures prints and has none (starting it then fails), so for the moment of the start
    it is the process's own error stream again. On the loop's thread: the app restores its
    streams on that thread when it closes, never in the middle of this.
    """
    from multiprocessing import resource_tracker

    captured = sys.stderr
    if _fileno(captured) is None and _fileno(sys.__stderr__) is not None:
        sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured


def _ensure_tracker() -> bool:
    """In the counting thread: the resource tracker runs (started on the app's loop, if an
    app runs); ``False`` when it cannot be started now (this count is made in process)."""
    if _tracker_started.is_set():
        return True
    on_loop = _on_loop
    if on_loop is None:
        return _start_tracker_safely()
    _tracker_tried.clear()
    try:
        on_loop(_start_tracker_safely)
    except RuntimeError:  # the app's loop runs no more: nothing captures the streams
        return _start_tracker_safely()
    # a loop that never comes back to it (the app closing) must not hold this thread
    return _tracker_tried.wait(LOOP_WAIT) and _tracker_started.is_set()


def _start_tracker_safely() -> bool:
    """Start the tracker; a failure is final (every later count is made in process)."""
    global _broken
    try:
        _start_tracker()
    except (OSError, ValueError, RuntimeError) as exc:
        logger.warning("no token counting helper (%s); counting in process", exc)
        _broken = True
    else:
        _tracker_started.set()
    finally:
        _tracker_tried.set()
    return _tracker_started.is_set()


def _helper() -> Executor | None:
    global _executor, started, _broken
    with _lock:
        if _executor is None and not _broken:
            if not _ensure_tracker():
                return None
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                _executor = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_quiet,
                )
            except (OSError, ValueError) as exc:
                logger.warning("no token counting helper (%s); counting in process", exc)
                _broken = True
                return None
            started += 1
        return _executor


def count_tokens(text: str) -> int | None:
    """The o200k_base token count of ``text`` from the helper; ``None``: count elsewhere.

    Blocks until the helper answers (the first time: until it has started and built the
    encoding), so call it from a thread.
    """
    global _broken, _executor
    executor = _helper()
    if executor is None:
        return None
    try:
        return executor.submit(_count_here, text).result()
    except Exception as exc:  # a dead or unstartable helper: the caller counts in process
        logger.warning("token counting helper failed (%s); counting in process", exc)
        with _lock:
            _broken = True
            executor, _executor = _executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        return None


def shutdown() -> None:
    """Stop the helper (it is started again by the next count)."""
    global _executor
    with _lock:
        executor, _executor = _executor, None
    if executor is not None:
        executor.shutdown(wait=False, cancel_futures=True)
