"""The durable ``.session/`` store. Imports no Textual, ever.

Public names are imported lazily so ``import writers_factory.store`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from writers_factory.store.costs.tracker import CostTracker
    from writers_factory.store.history.history import SessionHistory
    from writers_factory.store.preferences.preferences import Preferences
    from writers_factory.store.session.autosave import AutoSave, auto_save_worker
    from writers_factory.store.session.session import Session

__all__ = [
    "AutoSave",
    "CostTracker",
    "Preferences",
    "Session",
    "SessionHistory",
    "auto_save_worker",
]

_WHERE = {
    "Session": "writers_factory.store.session.session",
    "CostTracker": "writers_factory.store.costs.tracker",
    "Preferences": "writers_factory.store.preferences.preferences",
    "SessionHistory": "writers_factory.store.history.history",
    "AutoSave": "writers_factory.store.session.autosave",
    "auto_save_worker": "writers_factory.store.session.autosave",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
