"""Versions kept before a rewrite: real files under .session/versions/, never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from writers_factory.store.manuscript.versions import VersionError, list_versions, save_version


def test_versions_mirror_the_project_and_list_newest_first(tmp_path: Path) -> None:
    first = save_version(tmp_path, Path("manuscript/chapter-01.md"), "one")
    second = save_version(tmp_path, "manuscript/chapter-01.md", "two")
    third = save_version(tmp_path, tmp_path / "manuscript" / "chapter-01.md", "three")
    folder = tmp_path / ".session" / "versions" / "manuscript" / "chapter-01.md"
    assert {first.parent, second.parent, third.parent} == {folder}
    assert len({first, second, third}) == 3  # same microsecond or not, none replaced
    versions = list_versions(tmp_path, "manuscript/chapter-01.md")
    assert [v.stored_at.read_text(encoding="utf-8") for v in versions] == ["three", "two", "one"]
    assert all(v.stored_at.suffix == ".md" for v in versions)
    assert list(folder.glob("*.wf-tmp")) == []
    assert list_versions(tmp_path, "manuscript/other.md") == []


@pytest.mark.parametrize("bad", ["../outside.md", ".session/current.json", ""])
def test_paths_outside_the_project_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(VersionError):
        save_version(tmp_path, bad, "text")
    assert not (tmp_path / ".session" / "versions").exists()


def test_absolute_path_elsewhere_is_refused_by_name(tmp_path: Path) -> None:
    elsewhere = tmp_path.parent / "elsewhere.md"
    with pytest.raises(VersionError, match=r"elsewhere\.md leads outside the project"):
        save_version(tmp_path / "novel", elsewhere, "text")
