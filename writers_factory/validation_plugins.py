"""The validation library's plugin loader, as it behaves when plugins are switched off.

``writers_factory/__init__.py`` switches the plugins off by default. With them off the
library's loader finds none and scans nothing, but its module imports ``importlib.metadata``
at the top, and with it the e-mail, CSV and calendar packages: 16–33 ms and 1.3 MB on this
kind of machine, paid by the first model built — while the app starts, before the chapter
is shown — and by every command and helper process that builds one.

So, while the setting says "off", importing the loader's module gives a stand-in that
answers with what the loader itself answers then: no plugins. Once the setting allows
plugins (the writer's own value, read at each model build as the loader reads it), the
stand-in gives way to the library's loader for good. The stand-in is made only when the
library asks for its loader: a process that never builds a model has none of it.

No ``typing`` here: this runs as the package is imported, before the TUI package holds the
cycle collector back (``tui/gc_policy.py``), and importing ``typing`` then set off two
collections.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from importlib.machinery import ModuleSpec
from types import ModuleType

LOADER = "pydantic.plugin._loader"
SETTING = "PYDANTIC_DISABLE_PLUGINS"
ALL_OFF = ("__all__", "1", "true")
"""The values for which the library's loader returns no plugins without looking."""


def plugins_off() -> bool:
    return os.environ.get(SETTING) in ALL_OFF


def get_plugins() -> object:
    """The loader's one entry point (``get_plugins``), called at each validator build."""
    if plugins_off():
        return ()
    spec = getattr(sys.modules.get(LOADER), "__spec__", None)
    if spec is not None and isinstance(spec.loader, StandIn):
        del sys.modules[LOADER]  # the library's own loader from now on
    return import_module(LOADER).get_plugins()


class StandIn:
    """Finds and makes the stand-in loader module while plugins are off; otherwise finds
    nothing, and the library's own module is imported as usual."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name != LOADER or not plugins_off():
            return None
        # a loader by protocol (``create_module``, ``exec_module``): the abstract class
        # would import the resource readers, which this module keeps out of start-up
        return ModuleSpec(name, self, origin=__name__)  # type: ignore[arg-type]

    def create_module(self, spec: ModuleSpec) -> None:
        return None  # a plain module

    def exec_module(self, module: ModuleType) -> None:
        module.__doc__ = __doc__
        module.get_plugins = get_plugins  # type: ignore[attr-defined]


def stand_in_for_the_loader() -> None:
    """Serve the stand-in when the library imports its loader (idempotent). A loader already
    imported (a model built before this package was imported) is left as it is."""
    if not any(isinstance(finder, StandIn) for finder in sys.meta_path):
        sys.meta_path.insert(0, StandIn())
