"""What Writers Factory ships besides code: themes, the new-project template, the encoding.

Kept inside the package and read through :mod:`importlib.resources`
(``writers_factory.resources``), so a wheel installed anywhere (``pip install --user``,
pipx, a virtual environment) finds exactly its own copies, never another program's.
"""
