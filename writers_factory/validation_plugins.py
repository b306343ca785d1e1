"""The validation library's plugin loader, as it behaves when plugins are switched off.

``writers_factory/__init__.py`` switches the plugins off by default. With them off the
library's loader finds none and scans nothing, but its module imports ``importlib.metadata``
at the top, and with it the e-mail, CSV and calendar packages: 16–33 ms and 1.3 MB on this
kind of machine, paid by the first model built — while the app is imported, before the
chapter is shown — and by every command and helper process.

So, while the setting says "off", a stand-in answers in the loader's place with what the
loader itself answers then: no plugins. Once the setting allows plugins (the writer's own
value, read at each model build as the loader reads it), the stand-in gives way to the
library's loader for good.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any

LOADER = "pydantic.plugin._loader"
SETTING = "PYDANTIC_DISABLE_PLUGINS"
ALL_OFF = ("__all__", "1", "true")
"""The values for which the library's loader returns no plugins without looking."""


def plugins_off() -> bool:
    return os.environ.get(SETTING) in ALL_OFF


def get_plugins() -> Any:
    """The loader's one entry point (``get_plugins``), called at each validator build."""
    if plugins_off():
        return ()
    if sys.modules.get(LOADER) is _stand_in:
        del sys.modules[LOADER]  # the library's own loader from now on
    return importlib.import_module(LOADER).get_plugins()


_stand_in = types.ModuleType(LOADER, __doc__)
_stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]


def stand_in_for_the_loader() -> None:
    """Put the stand-in where the library looks for its loader, unless plugins are on or the
    loader has already been imported (a model was built before this package was)."""
    if plugins_off() and LOADER not in sys.modules:
        sys.modules[LOADER] = _stand_in
