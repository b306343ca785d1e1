"""A lazily made attribute that two threads reading it first at once still make only once.

The app makes most controllers when first used (``functools.cached_property``). Two of them
are also first reached from a save's thread — the save's remember hook goes to the watcher,
which is made with the writing statistics — while the loop may be making them for start-up.
``cached_property`` holds no lock on Python 3.12 and later: both threads would make one, the
last to finish would stay, and the other (perhaps the one started, or the one that
remembered the bytes just written) would be lost. Here the making holds a lock; reading one
already made takes none.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class made_once(Generic[T]):  # a decorator, named like one
    """Like ``cached_property``, but made under a lock (one per attribute)."""

    def __init__(self, make: Callable[[Any], T]) -> None:
        self._make = make
        self._lock = threading.RLock()
        self._name = make.__name__
        self.__doc__ = make.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> made_once[T]: ...

    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type[Any] | None = None) -> Any:
        if instance is None:
            return self
        made = instance.__dict__
        try:
            return made[self._name]
        except KeyError:
            pass
        with self._lock:
            if self._name not in made:
                made[self._name] = self._make(instance)
            return made[self._name]
