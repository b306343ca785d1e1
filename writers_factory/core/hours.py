"""UTC hour buckets: how words are kept so any local calendar can be derived later."""

from __future__ import annotations

from datetime import UTC, datetime

HOUR_FORMAT = "%Y-%m-%dT%H"


def hour_key(moment: datetime) -> str:
    """The UTC hour bucket a moment falls in."""
    return as_utc(moment).strftime(HOUR_FORMAT)


def parse_hour_key(key: str) -> datetime:
    """The hour a key (``YYYY-MM-DDTHH``, as :func:`hour_key` writes it) names, in UTC.

    Not ``strptime``: its first call imports and sets up the locale's calendar, a few
    milliseconds of the first history read at start-up, and it also takes one-digit fields
    that :func:`hour_key` never writes."""
    digits = key[:4] + key[5:7] + key[8:10] + key[11:]
    if (
        len(key) != 13
        or key[4] + key[7] + key[10] != "--T"
        or not (digits.isascii() and digits.isdecimal())
    ):
        raise ValueError(f"{key!r} is not YYYY-MM-DDTHH")
    return datetime(int(key[:4]), int(key[5:7]), int(key[8:10]), int(key[11:]), tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC (that is how this file writes them)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
