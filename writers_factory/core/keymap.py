"""The workspace's remappable key bindings, as plain data: ids and default keys.

``preferences.json`` maps binding ids to keys (``"app.quit": "ctrl+x"``). The interface owns
the bindings (``tui/app.py``); this copy lets ``verify`` and the store check a keymap without
importing the interface, and a test keeps the two equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from writers_factory.core.stages import STAGES

QUIT = "app.quit"

DEFAULT_KEYS: dict[str, str] = {
    **{stage.binding_id: stage.key for stage in STAGES},
    "focus.toggle": "ctrl+o",
    "file.new": "ctrl+n",
    "file.rename": "ctrl+r",
    "file.delete": "f8",
    "file.close": "alt+w",
    "file.next": "ctrl+pagedown",
    "file.previous": "ctrl+pageup",
    "ai.models": "f6",
    "ai.bible": "f7",
    "ai.analysis": "f9",
    "ai.cancel": "ctrl+b",
    "statistics": "f10",
    "board": "alt+b",
    "targets": "alt+t",
    "settings": "f12",
    "history": "alt+h",
    "edit.goto_line": "ctrl+g",
    "spelling.suggest": "alt+s",
    "view.focus": "f11",
    "view.focus_leave": "escape",
    "ai.close": "escape",
    "file.save": "ctrl+s",
    "edit.find": "ctrl+f",
    "search.project": "alt+f",
    QUIT: "ctrl+q",
}
"""The workspace's own bindings (``WritersFactoryApp.BINDINGS``): id -> default keys."""

MODAL_KEYS: dict[str, str] = {"modal.cancel": "escape"}
"""Bindings of the dialogs, remappable too, but never in the workspace's way."""

TREE_KEYS: dict[str, str] = {"tree.move_up": "alt+up", "tree.move_down": "alt+down"}
"""The project tree's own bindings (``ProjectTree.BINDINGS``): move a chapter or part."""

BINDING_IDS: frozenset[str] = frozenset(DEFAULT_KEYS) | frozenset(MODAL_KEYS) | frozenset(TREE_KEYS)
"""Every id a keymap may name (``WritersFactoryApp.binding_ids()``)."""


def keys_of(spec: str) -> list[str]:
    """The keys of a binding written as ``"ctrl+q, f12"``, normalised."""
    return [key.strip().lower() for key in spec.split(",") if key.strip()]


@dataclass(frozen=True)
class KeymapProblem:
    binding_id: str
    message: str


def check_keymap(keymap: Mapping[str, str]) -> list[KeymapProblem]:
    """What is wrong with a keymap: unknown ids, and a Quit left without a usable key."""
    problems = [
        KeymapProblem(binding_id, f"no such binding (known: {', '.join(sorted(BINDING_IDS))})")
        for binding_id in sorted(set(keymap) - BINDING_IDS)
    ]
    keys = {
        binding_id: keys_of(keymap.get(binding_id, default))
        for binding_id, default in DEFAULT_KEYS.items()
    }
    quit_keys = keys[QUIT]
    if not quit_keys:
        problems.append(
            KeymapProblem(QUIT, "leaves Quit without a key: the workspace could not be left")
        )
        return problems
    others = {
        key: binding_id for binding_id, bound in keys.items() if binding_id != QUIT for key in bound
    }
    if all(key in others for key in quit_keys):
        taken = ", ".join(f"{key} is {others[key]}" for key in quit_keys)
        problems.append(KeymapProblem(QUIT, f"leaves Quit without a key of its own ({taken})"))
    return problems
