"""The process the kill tests kill: it writes through the public store API, forever.

Every write it makes is acknowledged only after the store call returned, as one line in its
own ack file, written and fsynced before the next write starts: what the ack file holds is
exactly what the store promised to keep. The tests SIGKILL it at random moments and then
check the ``.session`` files against those lines.

Run as a script, it is a *zygote*: it imports the store once, then forks one child per
``spawn`` request read from stdin, so a round costs a fork, not a Python start (hundreds
of rounds stay quick). The test kills the child itself (``kill -9``) and asks the zygote to
``reap`` it, which answers with how it died. Protocol, one JSON object per line:

* ``{"spawn": workload, "project": ..., "ack": ..., "args": [...]}`` → ``{"pid": n}``
* ``{"reap": pid}`` → ``{"pid": n, "signal": s}`` (``s`` is 0 when it exited by itself)

Workloads (``WORKLOADS``): ``session`` saves ``current.json``; ``history`` records a session
in ``history.json``; ``everything`` does in turn a session save, a cost operation, a
journal entry and a manuscript save (the crash loop). A workload that raises writes its
traceback to ``<ack>.err`` and exits, so a test waiting for acks fails with the reason.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import traceback
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from writers_factory.store import CostTracker, Session, SessionHistory
from writers_factory.store.manuscript.buffers import FileBuffer
from writers_factory.store.manuscript.journal import Journal

CHAPTER = "manuscript/chapter-01.md"
"""Saved through ``FileBuffer.save`` by the ``everything`` workload."""
DRAFT = "manuscript/chapter-02.md"
"""Journaled (never saved) by the ``everything`` workload."""
FREE_MODEL = "ollama:llama3.2"


class Acks:
    """The child's own ack file: one line per acknowledged write, fsynced before the next."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def say(self, line: str) -> None:
        os.write(self.fd, (line + "\n").encode())
        os.fsync(self.fd)


async def session_loop(project: Path, acks: Acks, args: list[str]) -> None:
    session = Session(project)
    i = 0
    while True:
        i += 1
        session.set_breadcrumb(["Home", "Writing", f"step-{i}"])
        session.open_file(f"manuscript/chapter-{i % 7}.md", i, i % 80)
        await session.save()
        acks.say(f"{i}")


async def history_loop(project: Path, acks: Acks, args: list[str]) -> None:
    history = SessionHistory(project / ".session")
    history.begin(args[0], datetime.now(UTC))
    i = 0
    while True:
        i += 1
        history.record_words(10, 1)
        history.record_file_modified(f"manuscript/chapter-{i % 5}.md")
        if i % 3 == 0:
            history.record_operation("scene_generation", Decimal("0.01"))
        await history.save()
        acks.say(f"{i}")


def chapter_text(tag: str, i: int) -> str:
    return f"# Chapter one\n\n{tag}: the lamp burned through save {i}.\n" + "Waves. " * (i % 50)


def draft_text(tag: str, i: int) -> str:
    return f"# Chapter two\n\n{tag}: typed, not yet saved, revision {i}.\n"


async def everything_loop(project: Path, acks: Acks, args: list[str]) -> None:
    """One of each write the app makes, in turn; ``args[0]`` tags this run's writes."""
    tag = args[0]
    session = Session(project)
    tracker = CostTracker(project / ".session")
    journal = Journal(project)
    buffer, _ = FileBuffer.load(project / CHAPTER)
    i = 0
    while True:
        i += 1
        session.set_breadcrumb(["Home", tag, f"step-{i}"])
        await session.save()
        acks.say(f"session {i}")
        name = f"{tag}-op-{i}"
        await tracker.log_operation(name, FREE_MODEL, i, 1)
        acks.say(f"cost {name}")
        await asyncio.to_thread(
            journal.write, Path(DRAFT), draft_text(tag, i), None, document=tag, revision=i
        )
        acks.say(f"journal {i}")
        await asyncio.to_thread(buffer.save, chapter_text(tag, i))
        acks.say(f"save {i}")


WORKLOADS: dict[str, Callable[[Path, Acks, list[str]], Coroutine[Any, Any, None]]] = {
    "session": session_loop,
    "history": history_loop,
    "everything": everything_loop,
}


def run(workload: str, project: Path, ack: Path, args: list[str]) -> None:
    """In the forked child: run the workload until killed."""
    try:
        asyncio.run(WORKLOADS[workload](project, Acks(ack), args))
    except BaseException:
        Path(f"{ack}.err").write_text(traceback.format_exc())
        os._exit(1)
    os._exit(0)


def zygote() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if "spawn" in request:
            pid = os.fork()
            if pid == 0:
                sys.stdin.close()
                run(
                    request["spawn"],
                    Path(request["project"]),
                    Path(request["ack"]),
                    list(request.get("args", [])),
                )
            answer = {"pid": pid}
        else:
            pid, status = os.waitpid(int(request["reap"]), 0)
            answer = {"pid": pid, "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    zygote()
