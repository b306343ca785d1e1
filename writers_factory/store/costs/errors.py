"""Errors of the cost store. Each is also an ``OSError``: callers that guard cost logging
against a disk that refuses a write (``except OSError``) treat these the same way."""

from __future__ import annotations

import errno
from pathlib import Path

from writers_factory.core.errors import WritersFactoryError


class CostStoreError(WritersFactoryError, OSError):
    """An operation could not be recorded; the message names the file and the reason."""

    def __init__(self, code: int, message: str, path: Path) -> None:
        super().__init__(code, message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message


class CostsReadOnlyError(CostStoreError):
    """The cost files are read-only (e.g. written by a newer version): nothing was recorded."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            errno.EROFS,
            f"This operation's cost was not recorded: {path} {reason}. "
            "Spending cannot be tracked until that is resolved.",
            path,
        )


class CostsBusyError(CostStoreError):
    """Another process held the cost files' lock for too long: nothing was recorded yet."""

    def __init__(self, path: Path, waited: float) -> None:
        super().__init__(
            errno.EAGAIN,
            f"This operation's cost was not recorded yet: another Writers Factory process has "
            f"held {path} for {waited:.0f} s. It is kept in memory and written with the next "
            "save.",
            path,
        )
