"""Settings shared by every test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_data_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The user's data folder (where backups go by default) is a fresh temporary one: no test
    ever writes into the real one, and the processes tests start inherit it."""
    home = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def private_config_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The user's config folder (user settings, themes) is a fresh temporary one: no test
    reads the developer's own settings, and the processes tests start inherit it. (macOS
    keeps it under the home folder, Windows under ``APPDATA``: those point here too.)"""
    home = tmp_path_factory.mktemp("config-home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("APPDATA", str(home))
    if sys.platform == "darwin":
        monkeypatch.setenv("HOME", str(home))
    return home
