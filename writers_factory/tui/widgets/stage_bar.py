"""The row of five stages at the top; the current one stands out, each is clickable."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from writers_factory.core.stages import DEFAULT_STAGE, STAGES


class StageBar(Static):
    """Shows every stage and its key, so the writer sees where they are and can go.

    Keys come from the app's active bindings, so a keymap from preferences shows here too.
    """

    stage: reactive[str] = reactive(DEFAULT_STAGE)

    def _keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for key, active in self.app.active_bindings.items():
            action = active.binding.action
            if action.startswith("stage(") and action not in keys:
                keys[action] = self.app.get_key_display(active.binding) or key
        return keys

    def render(self) -> Content:
        keys = self._keys()
        parts: list[Content] = []
        for stage in STAGES:
            style = "reverse bold" if stage.id == self.stage else ""
            key = keys.get(f"stage('{stage.id}')", "")
            label = Content.from_markup(
                f"[@click=app.stage('{stage.id}')] $key $title [/]",
                key=key,
                title=stage.title,
            )
            parts.append(label.stylize(style) if style else label)
        return Content("").join(parts)
