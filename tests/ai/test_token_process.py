"""Counting in the helper process: the same numbers, and the app's process never builds the
encoding (whose build holds the interpreter lock, and so the event loop, for a fifth of a
second or more)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from writers_factory.ai import token_process, tokens

TEXT = "It is a truth universally acknowledged, that a single man in possession of a good fortune"


def test_the_helper_counts_as_the_encoding_does_and_starts_once() -> None:
    here = tokens.build_encoding()
    token_process.shutdown()  # one an earlier app of this process left running
    before = token_process.started
    try:
        counts = [token_process.count_tokens(TEXT * n) for n in (1, 2, 30)]
    finally:
        token_process.shutdown()
    assert counts == [len(here.encode_ordinary(TEXT * n)) for n in (1, 2, 30)]
    assert token_process.started - before == 1


APP_COUNTS = """
import asyncio, sys
from pathlib import Path
import psutil
from writers_factory.ai import token_process, tokens
from writers_factory.project import create_project
from writers_factory.tui.app import WritersFactoryApp

TEXT = sys.argv[2]

async def main() -> None:
    root = Path(sys.argv[1])
    project = create_project(root / "novel", "Novel", sample=True)
    app = WritersFactoryApp(project, user_themes=root / "themes")
    me = psutil.Process()
    async with app.run_test():
        await asyncio.wait_for(app.ready.wait(), 90)
        print("children at ready", len(me.children(recursive=True)))
        estimate = await asyncio.to_thread(tokens.estimate_tokens, TEXT, "openai:gpt-4o")
        print("children after a count", len(me.children(recursive=True)) >= 2)
        print("built here", tokens._encoding is not None)
        await app.action_quit()
    print("estimate", estimate.exact, estimate.method, estimate.count)
    print("helpers", token_process.started)
    tokens.estimate_tokens("after")  # the app is gone: counted in process again
    print("built after", tokens._encoding is not None)
    token_process.shutdown()

asyncio.run(main())
"""


def test_the_app_starts_no_process_before_counting_nor_builds_the_encoding(
    tmp_path: Path,
) -> None:
    """In a fresh process (this one may have its helper already): starting the app starts
    no other process (a second interpreter starting then took processor time from the first
    paint); the first count starts the helper, the app's process never builds the encoding."""
    run = subprocess.run(
        [sys.executable, "-c", APP_COUNTS, str(tmp_path), TEXT],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    expected = len(tokens.build_encoding().encode_ordinary(TEXT))
    assert run.stdout.splitlines() == [
        "children at ready 0",
        "children after a count True",
        "built here False",
        f"estimate True tiktoken o200k_base {expected}",
        "helpers 1",
        "built after True",
    ]
