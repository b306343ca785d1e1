"""What can stop a compile, said so the writer can act on it."""

from __future__ import annotations

from writers_factory.core.errors import WritersFactoryError


class CompileError(WritersFactoryError):
    """A compile could not be made; the message names the file or what is missing."""
