"""The cycle collector while the workspace starts, and after.

Importing the workspace and starting it build a few hundred thousand objects that live as
long as the app (modules, classes, Textual's widgets and styles, the store's models). With
the collector's usual thresholds, every 700 new objects set off a young collection and every
few of those an older one; the full collections walk everything built so far, and together
they took a quarter of the time to the first keystroke (ready to type: 150 ms and more of
collections, one full pass alone 60-140 ms, landing on the first paint).

So the TUI package holds the collector back from its import until the reopened chapter is
painted: the youngest generation's threshold is raised (``hold``; cycles are still collected,
a hundred times less often), and then (``settle``) the usual thresholds come back and
everything built so far is frozen: moved out of the generations, so the full collections of
the writing session walk only what was made since (a full pass over start-up's objects stalled
typing for 200 ms). What frozen garbage there is stays until the app closes: settled only when
start-up was over, the loading after the first paint (costs, spelling, the watcher) and its
repaints left about 1 MB more of it; collected as usual, it is freed. Start-up settles again
when it is over, freezing what the loading kept, and once more when the work it leaves
running has ended (the session's first snapshot, the daily backup, the tree's word counts:
some 15,000 objects that each full collection of the session walked again, 10 ms a pass).
``thaw`` gives everything back to the collector when the app closes.

Counts, not times, are what the tests check: the thresholds held and restored, the frozen
objects there while the app runs and gone after it (``tests/tui/test_gc_policy.py``).
"""

from __future__ import annotations

import gc

STARTUP_THRESHOLD = 200_000
"""The youngest generation's threshold while the workspace starts (usually 700): more new
objects than starting on a novel of 365 chapters leaves alive (about 150,000), so no collection
runs before it is over; a bound all the same, for a start that never ends (a question left
open)."""

_held: tuple[int, int, int] | None = None
"""The thresholds to restore, while held."""


def hold() -> None:
    """Raise the youngest generation's threshold until ``settle``; idempotent (the package
    holds it when imported, each app again when made, for the apps after the first)."""
    global _held
    if _held is not None:
        return
    thresholds = gc.get_threshold()
    _held = (thresholds[0], thresholds[1], thresholds[2])
    gc.set_threshold(max(STARTUP_THRESHOLD, _held[0]), _held[1], _held[2])


def held() -> bool:
    return _held is not None


def release() -> None:
    """The usual thresholds again (start-up over, or the app closing before it was)."""
    global _held
    if _held is None:
        return
    gc.set_threshold(*_held)
    _held = None


def settle() -> None:
    """The reopened chapter is painted (and again, start-up is over): the usual thresholds,
    and the objects made so far frozen out of the collections of the session."""
    release()
    gc.freeze()


def thaw() -> None:
    """The app closes: what start-up froze is the collector's again, so nothing outlives it."""
    release()
    gc.unfreeze()
