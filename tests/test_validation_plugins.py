"""The validation library's plugin loader is stood in for while plugins are off.

Each probe runs in a fresh interpreter: this one has imported everything already.
"""

from __future__ import annotations

import os
import subprocess
import sys

BUILD = """
import sys
import writers_factory  # the stand-in goes in here, before any model is built
from pydantic import BaseModel

class Chapter(BaseModel):
    title: str

print(Chapter.model_validate({"title": "One"}).title,
      type(Chapter.__pydantic_validator__).__name__,
      [m for m in ("importlib.metadata", "email") if m in sys.modules])
"""


def run(code: str, **env: str) -> str:
    # this process has the package's default set: a child would inherit it unasked
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**environ, **env},
    ).stdout.strip()


def test_with_plugins_off_a_model_builds_without_the_metadata_reader() -> None:
    """The loader's module imported the package metadata reader (and the e-mail parsing it
    brings) at the first model built, though with plugins off it looks for none."""
    assert run(BUILD) == "One SchemaValidator []"


def test_the_writers_own_setting_brings_the_librarys_loader_back() -> None:
    """Plugins on (an empty value, the writer's): the library's own loader looks for them."""
    assert run(BUILD, PYDANTIC_DISABLE_PLUGINS="") == (
        "One SchemaValidator ['importlib.metadata', 'email']"
    )


def test_plugins_switched_on_later_are_looked_for_by_the_librarys_loader() -> None:
    """The library reads the setting at each model built; so does the stand-in, which gives
    way to the library's loader once the setting allows plugins."""
    code = (
        "import os, sys\n"
        "import writers_factory\n"
        "from pydantic import BaseModel\n"
        "from writers_factory.validation_plugins import LOADER\n"
        "class One(BaseModel):\n"
        "    n: int\n"
        "One(n=1)\n"
        "before = getattr(sys.modules[LOADER], '__file__', None)\n"
        "os.environ['PYDANTIC_DISABLE_PLUGINS'] = ''\n"
        "class Two(BaseModel):\n"
        "    n: int\n"
        "Two(n=2)\n"
        "after = sys.modules[LOADER].__file__\n"
        "print(before, after.endswith('_loader.py'), 'importlib.metadata' in sys.modules)\n"
    )
    assert run(code) == "None True True"


def test_a_process_that_builds_no_model_has_no_stand_in() -> None:
    """Nothing of the library's name is in a process that never imports it (a command
    that reads a summary): the stand-in is made when the library asks for its loader."""
    code = (
        "import sys, writers_factory\n"
        "print([m for m in sys.modules if m.split('.')[0] == 'pydantic'])\n"
        "import pydantic.plugin._loader as loader\n"
        "print(loader.get_plugins(), 'importlib.metadata' in sys.modules)\n"
    )
    assert run(code) == "[]\n() False"


def test_a_loader_already_imported_is_left_alone() -> None:
    """A model built before this package was imported: the library's loader is in use."""
    code = (
        "import sys\n"
        "from pydantic import BaseModel\n"
        "class Early(BaseModel):\n"
        "    n: int\n"
        "Early(n=1)\n"
        "import writers_factory\n"
        "from writers_factory.validation_plugins import LOADER\n"
        "print(sys.modules[LOADER].__file__.endswith('_loader.py'))\n"
    )
    assert run(code, PYDANTIC_DISABLE_PLUGINS="__all__") == "True"
