"""``Session.last_save_time``: a moment that reads as a datetime and subtracts from seconds.

The specification's status bar computes ``time.time() - session.last_save_time`` (seconds
since the epoch minus the save); the recovery question and the project's own code format it
and compare it as a timezone-aware ``datetime``. Both are the same fact, the moment the state
reached the disk, so the value is one thing that supports both: a :class:`SaveTime` *is* a
``datetime`` (UTC, every method and comparison unchanged, ``datetime - SaveTime`` still a
``timedelta``), and ``number - SaveTime`` is the seconds between them (a ``float``), as it
would be for an epoch timestamp; ``float(save_time)`` is that timestamp.

Nothing else is added: a ``SaveTime`` never compares equal to a number, and adding a number
to it is still an error, so a mix-up elsewhere fails loudly instead of quietly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, overload


class SaveTime(datetime):
    """A timezone-aware moment of a save; ``time.time() - moment`` gives seconds since it."""

    @classmethod
    def of(cls, moment: datetime) -> SaveTime:
        """The same moment (same fields and zone) as a :class:`SaveTime`."""
        if isinstance(moment, cls):
            return moment
        return cls(
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
            moment.microsecond,
            tzinfo=moment.tzinfo,
            fold=moment.fold,
        )

    def __float__(self) -> float:
        return self.timestamp()

    @overload  # type: ignore[override]
    def __rsub__(self, other: float) -> float: ...

    @overload
    def __rsub__(self, other: datetime) -> timedelta: ...

    def __rsub__(self, other: Any) -> Any:
        if isinstance(other, int | float) and not isinstance(other, bool):
            return float(other) - self.timestamp()
        if isinstance(other, datetime):
            # ``datetime - SaveTime`` arrives here first (a subclass's reflected method wins):
            # datetime's own subtraction answers it, a timedelta as ever
            return datetime.__sub__(other, self)
        return NotImplemented
