"""The store's plain list of binding ids is the interface's, key for key."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from writers_factory.core.keymap import BINDING_IDS, DEFAULT_KEYS, MODAL_KEYS, check_keymap
from writers_factory.tui.app import WritersFactoryApp


def test_binding_ids_are_the_apps(tmp_path: Path) -> None:
    assert WritersFactoryApp(tmp_path).binding_ids() == set(BINDING_IDS)


def test_default_keys_are_the_apps() -> None:
    app_keys = {b.id: b.key for b in WritersFactoryApp.BINDINGS if isinstance(b, Binding)}
    assert app_keys == DEFAULT_KEYS


def test_modal_cancel_is_escape_in_every_dialog() -> None:
    from writers_factory.tui.screens import cost_confirm, file_modals, model_picker

    for module in (cost_confirm, file_modals, model_picker):
        for screen in vars(module).values():
            for binding in getattr(screen, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.id in MODAL_KEYS:
                    assert binding.key == MODAL_KEYS[binding.id]


def test_the_shipped_defaults_are_sound() -> None:
    assert check_keymap({}) == []
