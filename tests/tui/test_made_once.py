"""``made_once``: a lazily made controller read first by two threads at once is made once."""

from __future__ import annotations

import threading

from writers_factory.tui.made_once import made_once


class Owner:
    def __init__(self) -> None:
        self.makes = 0
        self.second_read_started = threading.Event()
        self.made_twice = threading.Event()
        self.other: threading.Thread | None = None
        self.seen: list[object] = []

    @made_once
    def controller(self) -> object:
        """Made while another thread reads it (as a save's thread and the loop may)."""
        self.makes += 1
        if self.makes > 1:
            self.made_twice.set()
            return object()
        self.other = threading.Thread(target=self._read)
        self.other.start()
        assert self.second_read_started.wait(10)
        # the other thread is reading now; unlocked, it would make a second one meanwhile
        self.made_twice.wait(0.2)
        return object()

    def _read(self) -> None:
        self.second_read_started.set()
        self.seen.append(self.controller)


def test_two_threads_reading_first_make_one_and_see_the_same() -> None:
    owner = Owner()
    first = owner.controller
    assert owner.other is not None
    owner.other.join(10)
    assert owner.makes == 1
    assert not owner.made_twice.is_set()
    assert owner.seen == [first]
    assert owner.controller is first
    assert Owner.controller.__doc__ is not None and "another thread" in Owner.controller.__doc__
