"""Counting in the helper process: the same numbers, and the app's process never builds the
encoding (whose build holds the interpreter lock, and so the event loop, for a fifth of a
second or more)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from writers_factory.ai import token_process, tokens
from writers_factory.project import create_project
from writers_factory.tui.app import WritersFactoryApp

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


async def test_the_app_counts_tokens_without_building_the_encoding_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = create_project(tmp_path / "novel", "Novel", sample=True)
    monkeypatch.setattr(tokens, "_encoding", None)  # as in a fresh app process
    monkeypatch.setattr(tokens, "_failure", None)
    app = WritersFactoryApp(project, user_themes=tmp_path / "themes")
    try:
        async with app.run_test():
            await asyncio.wait_for(app.ready.wait(), 90)
            estimate = await asyncio.to_thread(tokens.estimate_tokens, TEXT, "openai:gpt-4o")
            assert tokens._encoding is None  # counted elsewhere: nothing built here
            await app.action_quit()
        assert estimate.exact and estimate.method == "tiktoken o200k_base"
        assert estimate.count == len(tokens.build_encoding().encode_ordinary(TEXT))
        # the app is gone: counts are made in process again (command line, tests)
        tokens.estimate_tokens("after")
        assert tokens._encoding is not None
    finally:
        token_process.shutdown()
