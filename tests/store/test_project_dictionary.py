"""dictionary.txt: read, appended through the durable path, refused when it is not text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from writers_factory.store.manuscript.dictionary import DictionaryError, ProjectDictionary


def test_words_are_appended_once_and_the_writers_lines_kept(tmp_path: Path) -> None:
    dictionary = ProjectDictionary(tmp_path)
    assert dictionary.words() == []
    (tmp_path / "dictionary.txt").write_text("# people\nMarisol", encoding="utf-8")
    assert dictionary.add("Tomas") is True
    assert dictionary.add("tomas") is False
    assert (tmp_path / "dictionary.txt").read_text(encoding="utf-8") == "# people\nMarisol\nTomas\n"
    assert dictionary.words() == ["Marisol", "Tomas"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".wf-tmp")]


def test_a_file_that_is_not_text_is_named_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "dictionary.txt"
    path.write_bytes(b"Marisol\n\xff\xfe")
    dictionary = ProjectDictionary(tmp_path)
    with pytest.raises(DictionaryError, match=r"dictionary\.txt: not UTF-8"):
        dictionary.words()
    with pytest.raises(DictionaryError):
        dictionary.add("Tomas")
    assert path.read_bytes() == b"Marisol\n\xff\xfe"


def test_a_link_leading_outside_the_project_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "book"
    project.mkdir()
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("secret\n", encoding="utf-8")
    os.symlink(outside, project / "dictionary.txt")
    with pytest.raises(DictionaryError, match="outside"):
        ProjectDictionary(project).add("Tomas")
    assert outside.read_text(encoding="utf-8") == "secret\n"
