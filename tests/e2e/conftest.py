"""The end-to-end tests' terminal: a private tmux server per test, closed afterwards."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is required for the end-to-end tests (apt-get install tmux)")
    term = Terminal(config_home=tmp_path / "config")
    try:
        yield term
    finally:
        term.close()
