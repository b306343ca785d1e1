"""UTC hour buckets: how words are kept so any local calendar can be derived later."""

from __future__ import annotations

from datetime import UTC, datetime

HOUR_FORMAT = "%Y-%m-%dT%H"


def hour_key(moment: datetime) -> str:
    """The UTC hour bucket a moment falls in."""
    return as_utc(moment).strftime(HOUR_FORMAT)


def parse_hour_key(key: str) -> datetime:
    return datetime.strptime(key, HOUR_FORMAT).replace(tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC (that is how this file writes them)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
