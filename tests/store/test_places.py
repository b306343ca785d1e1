"""Each platform's folders, computed here for every platform (the platform is passed in)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from writers_factory.store.backups.location import backup_folder
from writers_factory.store.base.places import app_folder, user_folder
from writers_factory.tui.themes import user_themes_dir

LINUX_HOME = PurePosixPath("/home/ann")
MAC_HOME = PurePosixPath("/Users/ann")
WIN_HOME = PureWindowsPath(r"C:\Users\ann")


@pytest.mark.parametrize(
    ("kind", "environ", "expected"),
    [
        ("data", {}, "/home/ann/.local/share/writers-factory"),
        ("data", {"XDG_DATA_HOME": "/srv/data"}, "/srv/data/writers-factory"),
        ("data", {"XDG_DATA_HOME": "relative/data"}, "/home/ann/.local/share/writers-factory"),
        ("data", {"XDG_DATA_HOME": ""}, "/home/ann/.local/share/writers-factory"),
        ("config", {}, "/home/ann/.config/writers-factory"),
        ("config", {"XDG_CONFIG_HOME": "/cfg"}, "/cfg/writers-factory"),
    ],
)
def test_linux_follows_xdg(kind: str, environ: dict[str, str], expected: str) -> None:
    folder = app_folder(kind, platform="linux", environ=environ, home=LINUX_HOME)  # type: ignore[arg-type]
    assert folder == PurePosixPath(expected)


@pytest.mark.parametrize("kind", ["data", "config"])
def test_macos_uses_application_support_whatever_xdg_says(kind: str) -> None:
    environ = {"XDG_DATA_HOME": "/x", "XDG_CONFIG_HOME": "/y"}
    folder = app_folder(kind, platform="darwin", environ=environ, home=MAC_HOME)  # type: ignore[arg-type]
    assert folder == PurePosixPath("/Users/ann/Library/Application Support/writers-factory")


@pytest.mark.parametrize(
    ("kind", "environ", "expected"),
    [
        (
            "data",
            {"LOCALAPPDATA": r"D:\Profiles\ann\Local"},
            r"D:\Profiles\ann\Local\writers-factory",
        ),
        ("data", {}, r"C:\Users\ann\AppData\Local\writers-factory"),
        ("data", {"LOCALAPPDATA": "Local"}, r"C:\Users\ann\AppData\Local\writers-factory"),
        ("config", {"APPDATA": r"E:\Roam"}, r"E:\Roam\writers-factory"),
        ("config", {}, r"C:\Users\ann\AppData\Roaming\writers-factory"),
    ],
)
def test_windows_uses_the_local_and_roaming_profiles(
    kind: str, environ: dict[str, str], expected: str
) -> None:
    folder = app_folder(kind, platform="win32", environ=environ, home=WIN_HOME)  # type: ignore[arg-type]
    assert isinstance(folder, PureWindowsPath)
    assert folder == PureWindowsPath(expected)


def test_the_running_system_uses_the_same_rule(tmp_path: Path) -> None:
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    assert user_themes_dir(environ) == user_folder("config", environ) / "themes"
    assert user_themes_dir(environ) == tmp_path / "cfg" / "writers-factory" / "themes"


def test_default_backups_live_in_the_data_folder(tmp_path: Path, private_data_home: Path) -> None:
    folder = backup_folder(tmp_path / "novel")
    assert folder.parent == user_folder("data") / "backups"
    assert folder.name.startswith("novel-")
