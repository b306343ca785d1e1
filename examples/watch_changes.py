"""Changes made outside the app, reported on the asyncio loop; the app's own writes are not.

Before writing a file the app records its bytes in ``KnownContent``; the watcher compares
each change's content with it, so only another program's edits are reported.

Run: ``python examples/watch_changes.py PROJECT``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from writers_factory.store.base.durable import write_text_atomic
from writers_factory.watch import FileChange, KnownContent, ProjectWatcher


async def main(project: Path) -> None:
    known = KnownContent()
    batches: asyncio.Queue[list[FileChange]] = asyncio.Queue()
    watcher = ProjectWatcher(project, known, batches.put_nowait, debounce=0.1)
    await watcher.start()
    try:
        ours = project / "manuscript" / "chapter-01.md"
        text = ours.read_text(encoding="utf-8") + "A line the app saved.\n"
        known.remember(ours, text.encode("utf-8"))  # before writing: "this one is mine"
        await asyncio.to_thread(write_text_atomic, ours, text)

        theirs = project / "planning" / "outline.md"
        await asyncio.to_thread(theirs.write_text, "# Outline\n\nRewritten elsewhere.\n")

        batch = await asyncio.wait_for(batches.get(), timeout=30)
        for change in batch:
            print(change.kind.value, change.path.relative_to(project).as_posix())
    finally:
        await watcher.stop()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
