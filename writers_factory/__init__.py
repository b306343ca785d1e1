"""Writers Factory: a terminal workspace for novelists that never loses your work.

Validation-library plugins are switched off by default (``PYDANTIC_DISABLE_PLUGINS``).
Writers Factory uses none, yet the first model validator a process builds looked for them:
it scanned the entry points of every installed distribution, several milliseconds of each
start spent before the session could open, and again in every command and helper process.

It is set here because every way in (the ``writers-factory`` command, the app imported by
itself, ``python -m``) imports this package before any of its modules, so before any of our
models builds a validator: the library reads the variable at each build but keeps what its
first scan found, so only a value set before that first build counts. ``setdefault`` keeps
a value the writer set themselves (an empty one loads every plugin again), and the helper
processes started from here inherit the same default. With plugins off, the library's loader
module is not imported either (``validation_plugins.py``).
"""

import os

from writers_factory.validation_plugins import stand_in_for_the_loader

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
stand_in_for_the_loader()
