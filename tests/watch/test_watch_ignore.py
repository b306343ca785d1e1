"""Swap, backup, lock and temp files, and .session/, never count as the writer's changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from writers_factory.store.base.durable import temp_path_for
from writers_factory.watch.ignore import is_ignored

ROOT = Path("/project")


@pytest.mark.parametrize(
    "name",
    [
        ".chapter.md.swp",
        ".chapter.md.swo",
        ".chapter.md.swx",
        "chapter.md~",
        ".#chapter.md",
        "#chapter.md#",
        "4913",
        "chapter.md.tmp",
        "CHAPTER.TMP",
        ".DS_Store",
        "download.part",
        "~$chapter.docx",
        ".~lock.chapter.odt#",
        ".goutputstream-AB12CD",
    ],
)
def test_editor_and_system_litter_is_ignored(name: str) -> None:
    assert is_ignored(ROOT / "manuscript" / name, ROOT)


@pytest.mark.parametrize(
    "name", ["chapter.md", "notes.txt", "swap.md", "temp.md", "#1 hit.md", "a~b.md", "4913.md"]
)
def test_ordinary_names_are_reported(name: str) -> None:
    assert not is_ignored(ROOT / "manuscript" / name, ROOT)


def test_our_own_temp_files_are_ignored() -> None:
    assert is_ignored(temp_path_for(ROOT / "manuscript" / "chapter.md"), ROOT)


def test_anything_under_session_or_version_control_is_ignored() -> None:
    assert is_ignored(ROOT / ".session" / "current.json", ROOT)
    assert is_ignored(ROOT / "manuscript" / ".session" / "x.json", ROOT)
    assert is_ignored(ROOT / "manuscript" / ".git" / "objects" / "ab", ROOT)
    assert not is_ignored(ROOT / "manuscript" / "session" / "x.md", ROOT)
