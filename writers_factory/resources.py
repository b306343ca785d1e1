"""Where the shipped data (``themes/``, ``project_template/``, the token encoding) is.

It lives inside the package, in ``writers_factory/data/``, and is found through
:mod:`importlib.resources`: the same lookup for a source checkout, an editable install, a
wheel in a virtual environment, ``pip install --user`` or pipx, and never a folder of the
same name belonging to another program (an earlier version also looked under
``<prefix>/share/``, where any package may put a ``themes/`` folder).

Callers get real paths (folders are copied, files opened, by ordinary file functions). A
package imported from a zip archive has none; its data is then extracted once to a private
temporary folder, removed when the process ends.

The data package installed as files (every way above) is its own folder, so that case asks
no more of :mod:`importlib.resources` than the folder: its readers import ``zipfile``, for
the archive case, and the app asks for the token encoding's path when it is imported.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

DATA_PACKAGE = "writers_factory.data"
_extracted: Path | None = None


def shipped(name: str) -> Path:
    """The shipped file or folder ``name`` (e.g. ``"themes"``) as a path on disk."""
    folder = _data_folder()
    if folder is not None:
        return folder / name
    from importlib import resources

    resource = resources.files(DATA_PACKAGE).joinpath(name)
    if isinstance(resource, Path):
        return resource
    return _extract(resource, name)


def _data_folder() -> Path | None:
    """The data package's folder, when it is installed as files (not in an archive)."""
    where = getattr(import_module(DATA_PACKAGE), "__file__", None)
    if where is None:
        return None
    folder = Path(where).parent
    return folder if folder.is_dir() else None


def _extract(resource: Traversable, name: str) -> Path:
    import atexit
    import shutil
    import tempfile

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
