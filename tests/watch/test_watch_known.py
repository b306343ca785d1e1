"""KnownContent: the record that tells the app's own writes apart, by content only."""

from __future__ import annotations

import threading
from pathlib import Path

from writers_factory.watch import KnownContent


def test_matches_only_the_exact_bytes_remembered(tmp_path: Path) -> None:
    known = KnownContent()
    path = tmp_path / "chapter.md"
    known.remember(path, b"It was a dark night.")
    assert known.matches(path, b"It was a dark night.")
    assert not known.matches(path, b"It was a dark night!")  # same size, other bytes
    assert not known.matches(path, b"It was a dark night.\n")
    assert not known.matches(tmp_path / "other.md", b"It was a dark night.")
    assert known.size_of(path) == len(b"It was a dark night.")


def test_the_same_file_named_two_ways_is_one_record(tmp_path: Path) -> None:
    known = KnownContent()
    known.remember(tmp_path / "manuscript" / ".." / "manuscript" / "a.md", b"x")
    assert known.matches(tmp_path / "manuscript" / "a.md", b"x")


def test_forget_and_move(tmp_path: Path) -> None:
    known = KnownContent()
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    known.remember(a, b"text")
    known.move(a, b)
    assert not known.matches(a, b"text")
    assert known.matches(b, b"text")
    known.forget(b)
    assert not known.matches(b, b"text")
    assert known.size_of(b) is None
    assert len(known) == 0


def test_a_later_remember_replaces_the_earlier(tmp_path: Path) -> None:
    known = KnownContent()
    path = tmp_path / "a.md"
    known.remember(path, b"one")
    known.remember(path, b"two")
    assert not known.matches(path, b"one")
    assert known.matches(path, b"two")


def test_many_threads_remembering_checking_and_forgetting_at_once(tmp_path: Path) -> None:
    known = KnownContent()
    errors: list[str] = []

    def worker(n: int) -> None:
        for i in range(500):
            path = tmp_path / f"{n}-{i % 7}.md"
            data = f"{n}:{i}".encode()
            known.remember(path, data)
            if not known.matches(path, data):
                errors.append(f"{path} lost its record")
            known.forget(tmp_path / f"{n}-gone-{i}.md")
            known.remember(tmp_path / f"{n}-gone-{i}.md", data)
            known.forget(tmp_path / f"{n}-gone-{i}.md")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(known) == 8 * 7
    assert known.matches(tmp_path / "3-2.md", b"3:499")
