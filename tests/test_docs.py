"""The guide's generated key tables cover every key the app declares."""

from __future__ import annotations

import importlib.util
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

from textual.screen import Screen

import writers_factory.tui.screens as screens
from writers_factory.core.keymap import DEFAULT_KEYS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", DOCS / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_workspace_table_lists_every_binding_with_its_default_key() -> None:
    table = hooks().workspace_table()
    for binding_id, key in DEFAULT_KEYS.items():
        assert f"| `{key}` |" in table
        assert f"| `{binding_id}` |" in table
    assert "Command palette" in table


def test_every_screen_with_keys_has_its_table() -> None:
    listed = {class_name for _, class_name, _ in hooks().SCREENS}
    with_keys = set()
    # every module, stage screens in sub-packages too
    for info in pkgutil.walk_packages(screens.__path__, prefix=f"{screens.__name__}."):
        module = importlib.import_module(info.name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            ours = issubclass(value, Screen) and value.__module__ == module.__name__
            # a copy of the class's namespace, methods only: asking other attributes may build
            # them (a deferred model), which changes the namespace while it is read
            methods = [m for m in list(vars(value).values()) if inspect.isfunction(m)]
            base_only = any(getattr(m, "__isabstractmethod__", False) for m in methods)
            if ours and not base_only and value.__dict__.get("BINDINGS"):
                with_keys.add(name)
    assert with_keys - listed == set()


def test_the_marker_is_replaced_in_a_page() -> None:
    page = hooks().on_page_markdown("# Keys\n\n<!-- keys:screens -->\n")
    assert "<!-- keys" not in page
    assert "### Crash recovery (at start)" in page


def test_roles_in_docstrings_become_inline_code() -> None:
    spec = importlib.util.spec_from_file_location("griffe_roles", DOCS / "griffe_roles.py")
    assert spec is not None and spec.loader is not None
    roles = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(roles)
    text = "See :class:`~writers_factory.store.Session` and :func:`a.b.c` (``x``)."
    assert roles.plain(text) == "See `Session` and `a.b.c` (``x``)."


def test_screenshots_name_no_web_font() -> None:
    spec = importlib.util.spec_from_file_location("screenshots", DOCS / "screenshots.py")
    assert spec is not None and spec.loader is not None
    shots = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shots)
    exported = (
        "<svg>\n    <!-- Generated with a renderer https://example.invalid -->\n    <style>\n"
        '    @font-face {\n        font-family: "Mono";\n        src: local("Mono"),\n'
        '                url("https://example.invalid/mono.woff2") format("woff2");\n    }\n'
        "    .matrix { font-family: Mono, monospace; }\n    .title { font-family: arial; }\n"
    )
    svg = shots.offline_svg(exported)
    assert "http" not in svg
    assert "@font-face" not in svg
    assert "font-family: ui-monospace, monospace;" in svg
    assert "font-family: sans-serif;" in svg
    for image in (DOCS / "images").glob("*.svg"):
        assert "https://" not in image.read_text(encoding="utf-8"), image.name
