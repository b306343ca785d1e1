"""Conflict copies recognised by name (core/sync_conflicts.py): every naming pattern, and
the names a writer gives chapters that must never be taken for one."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from writers_factory.core.sync_conflicts import is_conflict_copy, recognise

# (copy name, names beside it, expected original or None, pattern)
CASES: list[tuple[str, tuple[str, ...], str | None, str | None]] = [
    # a marker in words, in brackets, with a host and a date
    ("ch-01 (Some Host's conflicted copy 2026-11-30).md", (), "ch-01.md", "conflicted-copy"),
    ("ch-01 (Some Host's conflicted copy 2026-11-30 (1)).md", (), "ch-01.md", "conflicted-copy"),
    ("ch-01 (Some Host's conflicted copy 2026-11-30) (1).md", (), "ch-01.md", "conflicted-copy"),
    ("ch-01 (conflicted copy 2026-11-30 101112).md", (), "ch-01.md", "conflicted-copy"),
    (
        "ops-000001 (laptop's conflicted copy 2026-11-30).json",
        (),
        "ops-000001.json",
        "conflicted-copy",
    ),
    ("notes (conflicted copy)", (), "notes", "conflicted-copy"),
    # date, time and device id after a dot
    ("ch-01.sync-conflict-20261130-101112-ABCDEF7.md", (), "ch-01.md", "sync-conflict"),
    ("history.sync-conflict-20261130-101112-Z9Z9Z9Z.json", (), "history.json", "sync-conflict"),
    # date and time after an underscore
    ("ch-01_conflict-20261130-101112.md", (), "ch-01.md", "underscore-conflict"),
    # a machine's name appended: only with the original beside it
    ("ch-01-DESKTOP-AB12CD3.md", ("ch-01.md",), "ch-01.md", "host-suffix"),
    ("ch-01-DESKTOP-AB12CD3-1.md", ("ch-01.md",), "ch-01.md", "host-suffix"),
    ("chapter-01-LAPTOP-7Q2.md", ("chapter-01.md", "chapter.md"), "chapter-01.md", "host-suffix"),
    ("chapter-01-FINAL.md", ("chapter-01.md",), None, None),
    ("chapter-01-V2.md", ("chapter-01.md",), None, None),
    ("ch-01-DESKTOP-AB12CD3.md", (), None, None),
    # a numbered duplicate: only with the original beside it
    ("ch-01 (1).md", ("ch-01.md",), "ch-01.md", "numbered"),
    ("ch-01 (2).md", ("ch-01.md", "ch-01 (1).md"), "ch-01.md", "numbered"),
    ("ch-01 (1).md", (), None, None),
    # chapters, however they are named, are not copies
    ("chapter-two.md", ("chapter.md",), None, None),
    ("chapter-2.md", ("chapter.md",), None, None),
    ("part-IV.md", ("part.md",), None, None),
    ("chapter-XII.md", ("chapter.md",), None, None),
    ("the conflict.md", (), None, None),
    ("copy of a letter.md", (), None, None),
    ("ch-01 (my copy 2026-11-30).md", ("ch-01.md",), None, None),
    (".sync-conflict-20261130-101112-ABCDEF7.md", (), None, None),
    ("ch-01.sync-conflict-2026-ABCDEF7.md", (), None, None),
]


@pytest.mark.parametrize(("name", "beside", "original", "pattern"), CASES)
def test_each_naming_pattern(
    name: str, beside: tuple[str, ...], original: str | None, pattern: str | None
) -> None:
    found = recognise(name, set(beside))
    if original is None:
        assert found is None
        assert not is_conflict_copy(name, set(beside))
    else:
        assert found is not None
        assert (found.original, found.pattern) == (original, pattern)
        assert found.weak == (pattern in ("host-suffix", "numbered"))


STEMS = st.text(
    alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters=" -_'"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and not s.startswith("."))
EXTS = st.sampled_from([".md", ".txt", ".json", ""])
DATES = st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(lambda d: d.strftime("%Y%m%d"))
TIMES = st.integers(0, 235959).map(lambda n: f"{n:06d}")


def _copies(stem: str, ext: str, date: str, time: str) -> list[str]:
    dashed = f"{date[:4]}-{date[4:6]}-{date[6:]}"
    return [
        f"{stem} (Host's conflicted copy {dashed}){ext}",
        f"{stem} (conflicted copy {dashed} {time}){ext}",
        f"{stem}.sync-conflict-{date}-{time}-ABC1234{ext}",
        f"{stem}_conflict-{date}-{time}{ext}",
    ]


@given(STEMS, EXTS, DATES, TIMES)
def test_every_strong_pattern_names_its_original(stem: str, ext: str, date: str, time: str) -> None:
    for copy in _copies(stem, ext, date, time):
        found = recognise(copy)
        assert found is not None, copy
        assert found.original == stem + ext


@given(STEMS, EXTS, st.integers(1, 99))
def test_a_numbered_duplicate_needs_its_original(stem: str, ext: str, number: int) -> None:
    name = f"{stem} ({number}){ext}"
    found = recognise(name, {stem + ext})
    assert found is not None and found.original == stem + ext
    if recognise(name) is not None:  # only when the stem itself carries a marker
        assert recognise(name, set()) == recognise(name)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20), EXTS)
def test_lower_case_names_beside_their_stem_are_chapters(suffix: str, ext: str) -> None:
    """``chapter-<anything lower case>`` beside ``chapter`` is a chapter, never a copy."""
    assert recognise(f"chapter-{suffix}{ext}", {f"chapter{ext}"}) is None
