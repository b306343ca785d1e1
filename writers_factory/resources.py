"""Where the shipped data (``themes/``, ``project_template/``, the token encoding) is.

It lives inside the package, in ``writers_factory/data/``, and is found through
:mod:`importlib.resources`: the same lookup for a source checkout, an editable install, a
wheel in a virtual environment, ``pip install --user`` or pipx, and never a folder of the
same name belonging to another program (an earlier version also looked under
``<prefix>/share/``, where any package may put a ``themes/`` folder).

Callers get real paths (folders are copied, files opened, by ordinary file functions). A
package imported from a zip archive has none; its data is then extracted once to a private
temporary folder, removed when the process ends.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

DATA_PACKAGE = "writers_factory.data"
_extracted: Path | None = None


def shipped(name: str) -> Path:
    """The shipped file or folder ``name`` (e.g. ``"themes"``) as a path on disk."""
    resource = resources.files(DATA_PACKAGE).joinpath(name)
    if isinstance(resource, Path):
        return resource
    return _extract(resource, name)


def _extract(resource: Traversable, name: str) -> Path:
    global _extracted
    if _extracted is None:
        _extracted = Path(tempfile.mkdtemp(prefix="writers-factory-data-"))
        atexit.register(shutil.rmtree, _extracted, True)
    target = _extracted / name
    if not target.exists():
        _copy(resource, target)
    return target


def _copy(resource: Traversable, target: Path) -> None:
    if resource.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for child in resource.iterdir():
            _copy(child, target / child.name)
    elif resource.is_file():
        target.write_bytes(resource.read_bytes())
