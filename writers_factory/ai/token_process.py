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
import threading
from concurrent.futures import Executor

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_executor: Executor | None = None
_broken = False
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


def prepare() -> None:
    """Before the app takes over the terminal: start the process helpers rely on.

    Starting a helper needs multiprocessing's resource tracker, which is handed the file
    descriptor of ``sys.stderr``; once Textual runs, ``sys.stderr`` captures prints and has
    none, and starting it then fails. Started now, it serves every later helper.
    """
    global _broken
    from multiprocessing import resource_tracker

    try:
        resource_tracker.ensure_running()
    except (OSError, ValueError) as exc:
        logger.warning("no token counting helper (%s); counting in process", exc)
        _broken = True


def _helper() -> Executor | None:
    global _executor, started, _broken
    with _lock:
        if _executor is None and not _broken:
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
