"""Paths that follow a rename or a delete: files, folders, names that only look alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from writers_factory.core.renames import followed


def test_a_file_a_folder_and_a_delete() -> None:
    paths = ["reference/ada.md", "reference/people/bo.md", "reference/people-extra.md"]
    assert followed(paths, "reference/ada.md", "reference/ada-lovelace.md") == [
        "reference/ada-lovelace.md",
        "reference/people/bo.md",
        "reference/people-extra.md",
    ]
    assert followed(paths, "reference/people", "reference/cast") == [
        "reference/ada.md",
        "reference/cast/bo.md",
        "reference/people-extra.md",  # only looks like it is under the folder
    ]
    assert followed(paths, "reference/people", None) == [
        "reference/ada.md",
        "reference/people-extra.md",
    ]


def test_a_rename_onto_a_listed_name_lists_it_once() -> None:
    assert followed(["a.md", "b.md"], "a.md", "b.md") == ["b.md"]


names = st.lists(st.sampled_from(["a", "b", "a/b", "a/c", "ab", "b/a"]), unique=True)


@given(names, st.sampled_from(["a", "b", "a/b", "ab"]))
def test_paths_elsewhere_are_untouched_and_order_is_kept(paths: list[str], old: str) -> None:
    out = followed(paths, old, "z")
    untouched = [p for p in paths if p != old and not p.startswith(old + "/")]
    assert [p for p in out if not p.startswith("z")] == untouched
    assert len(out) == len(set(out))
