"""The one base class of the project's own errors.

Callers that must not let any Writers Factory failure escape (the CLI, the TUI's start-up)
catch ``WritersFactoryError``; each subclass also keeps the builtin base it refines
(``OSError``, ``ValueError`` …), so code that catches those keeps working.
"""

from __future__ import annotations


class WritersFactoryError(Exception):
    """Raised by Writers Factory itself; the message names the file and field involved."""
