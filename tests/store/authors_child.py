"""One writer's run, as its own process: what the workspace does for a co-author.

``python authors_child.py PROJECT AUTHOR WORDS TOKENS [--kill-after-moving N]``: moves the
single writer's files to the author when due (as the app does before opening the session),
opens the author's session, writes a chapter of its own, records words in the history, a
cost operation, a journal entry and a preference, and closes cleanly. ``AUTHOR`` ``-`` means
none (the single-writer layout). With ``--kill-after-moving N`` the process SIGKILLs itself
once the move has moved N names: a real ``kill -9`` half-way through the move.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from writers_factory.store import CostTracker, Preferences, Session, SessionHistory
from writers_factory.store.authors.migrate import migrate_to_author
from writers_factory.store.base.durable import write_text_atomic
from writers_factory.store.manuscript.journal import Journal

MODEL = "anthropic:claude-sonnet-4-5"


async def write(project: Path, author: str | None, words: int, tokens: int) -> None:
    session = Session(project, author=author)
    assert not session.read_only, [p.describe() for p in session.lock_problems]
    root = session.paths.root
    chapter = f"manuscript/{author or 'solo'}.md"
    write_text_atomic(project / chapter, "word " * words)
    session.open_file(chapter, 0, 0)
    history = SessionHistory(root)
    history.begin(session.session_id, session.data.started_at)
    history.record_file_modified(chapter)
    history.record_words(words, 0)
    tracker = CostTracker(root)
    await tracker.log_operation("continue", MODEL, tokens, tokens // 10)
    Journal(project, author).write(project / chapter, "unsaved " + (author or "solo"), None)
    prefs = Preferences(root)
    prefs.set_daily_word_target(words)
    await prefs.save()
    await session.save()
    await history.save()
    await session.close()
    history.end(session.data.last_activity)
    await history.save()


def main(argv: list[str]) -> None:
    project, author = Path(argv[0]), (None if argv[1] == "-" else argv[1])
    words, tokens = int(argv[2]), int(argv[3])
    if author is not None:
        kill_after = int(argv[5]) if len(argv) > 5 and argv[4] == "--kill-after-moving" else 0
        moved: list[str] = []

        def landed(name: str) -> None:
            moved.append(name)
            if len(moved) == kill_after:
                os.kill(os.getpid(), signal.SIGKILL)

        migrate_to_author(project, author, on_moved=landed)
    asyncio.run(write(project, author, words, tokens))


if __name__ == "__main__":
    main(sys.argv[1:])
