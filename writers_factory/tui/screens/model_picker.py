"""Choose the model each stage uses; the controller saves the choice at once.

Models are typed as ``provider:model`` (any model pydantic-ai and the price list know), with
the providers' example models listed and the configured ones marked, so the writer sees
which will work without a key. A model no price is known for is refused here, naming the
stage, because its cost could not be estimated before a call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from writers_factory.ai.providers import PROVIDERS, configured_providers
from writers_factory.core.stages import STAGES
from writers_factory.tui.screens.form_dialog import FormDialog

PriceCheck = Callable[[str], str | None]
"""Returns why a model cannot be used (no price known), or ``None`` when it can."""


def examples_text(env: Mapping[str, str] | None = None) -> str:
    """One line per provider with its example models; configured providers are marked."""
    configured = {info.name for info in configured_providers(env)}
    lines = []
    for spec in PROVIDERS:
        mark = "✓ configured" if spec.name in configured else f"needs {spec.env_vars[0]}"
        lines.append(f"{spec.label} ({mark}): {', '.join(spec.example_models)}")
    return "\n".join(lines)


class ModelPickerScreen(FormDialog[dict[str, str]]):
    """Dismisses with the stages whose model changed (stage id -> model), or ``None``."""

    DEFAULT_CSS = """
    ModelPickerScreen .model-row { height: auto; }
    ModelPickerScreen .model-row Label { width: 12; padding: 0 1 0 0; }
    ModelPickerScreen .model-row Input { width: 1fr; }
    ModelPickerScreen #model-examples { color: $text-muted; margin-top: 1; }
    ModelPickerScreen #model-examples, ModelPickerScreen #model-error { width: 100%; }
    ModelPickerScreen .wf-dialog-buttons { margin-top: 0; }
    """
    """The examples and the error wrap inside the dialog (sized to their text, they were cut
    at its edge: a refusal's reason could not be read). Inputs and buttons are one line high
    and the dialog takes the terminal's width, so the whole picker fits in 80×24 (at 36 rows
    it ran off the bottom of any terminal under 36 rows, examples and buttons with it); a
    smaller terminal scrolls it. The dialog's own size is in ``app.tcss`` (the app's rules
    outrank a screen's defaults)."""
    SUBMIT_ID = "save"

    def __init__(self, current: Mapping[str, str], price_check: PriceCheck) -> None:
        super().__init__(classes="wf-modal")
        self.current = dict(current)
        self.price_check = price_check

    def compose(self) -> ComposeResult:
        with Vertical(classes="wf-dialog"):
            yield Label("Model per stage", classes="wf-dialog-title")
            for stage in STAGES:
                with Horizontal(classes="model-row"):
                    yield Label(stage.title)
                    yield Input(
                        self.current.get(stage.id, ""), id=f"model-{stage.id}", compact=True
                    )
            yield Label(examples_text(), id="model-examples", markup=False)
            yield Label("", id="model-error", classes="wf-dialog-error", markup=False)
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#model-{STAGES[0].id}", Input).focus()

    def chosen(self) -> dict[str, str]:
        return {s.id: self.query_one(f"#model-{s.id}", Input).value.strip() for s in STAGES}

    def _submit(self) -> None:
        changes: dict[str, str] = {}
        for stage in STAGES:
            model = self.chosen()[stage.id]
            if not model:
                self._error(
                    f"{stage.title}: please name a model, e.g. {PROVIDERS[0].example_models[0]}"
                )
                return
            problem = self.price_check(model)
            if problem:
                self._error(f"{stage.title}: {problem}")
                return
            if model != self.current.get(stage.id):
                changes[stage.id] = model
        self.dismiss(changes)

    def _error(self, message: str) -> None:
        self.query_one("#model-error", Label).update(message)
