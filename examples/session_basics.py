"""Open a project's session, change where the writer is, save, and read it back.

Run: ``python examples/session_basics.py PROJECT`` (a folder made by ``writers-factory new``).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from writers_factory.store import Session


async def main(project: Path) -> None:
    session = Session(project)  # reads .session/ (or creates it) and takes the project lock
    session.set_stage("writing")
    session.set_breadcrumb(["Home", "Writing", "chapter-01.md"])
    session.open_file("manuscript/chapter-01.md", cursor_line=3, cursor_col=12)
    session.set_model_preference("writing", "anthropic:claude-sonnet-4-5")
    session.add_recent_query("Where does the keeper live?", source="bible")
    print("unsaved changes:", session.has_changes())
    await session.save()  # one durable write of .session/current.json, in a thread
    print("unsaved changes after save:", session.has_changes())
    await session.close()  # clean shutdown: the next start is not "interrupted"

    again = Session(project)
    print("stage:", again.current_stage)
    print("open:", [(f.path, f.cursor_line, f.cursor_col) for f in again.data.open_files])
    print("model for writing:", again.data.model_preferences["writing"])
    print("interrupted:", again.was_interrupted())
    await again.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
