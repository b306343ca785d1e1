"""The targets dialog: progress towards each target, and the fields to set them.

It only collects an answer: the controller counts the words (in a thread) before it opens
and writes the preferences after it closes. A mistyped field is named beside itself and the
dialog stays open with everything typed kept; empty means "no target".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, ProgressBar, Static

from writers_factory.core.targets import (
    TargetProgress,
    TargetSettings,
    parse_deadline,
    parse_target,
)
from writers_factory.tui.screens.form_dialog import FormDialog


@dataclass(frozen=True)
class TargetsView:
    """Everything the dialog shows: the current targets, the progress, the open chapter."""

    values: TargetSettings
    progress: list[TargetProgress]
    today: date
    chapter: str | None = None
    """The open chapter (project-relative) whose target the chapter field sets."""


_FIELDS: list[tuple[str, str]] = [
    ("daily", "Words a day"),
    ("session", "Words this session"),
    ("chapter", "Words for this chapter"),
    ("manuscript", "Words for the manuscript"),
    ("deadline", "Manuscript deadline (YYYY-MM-DD)"),
]


def _shown(value: int | date | None) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


class TargetsScreen(FormDialog[TargetSettings]):
    """Push with the view; dismisses with the new :class:`TargetSettings` or ``None``."""

    DEFAULT_CSS = """
    TargetsScreen .wf-dialog { width: 72; }
    TargetsScreen .target-row { height: auto; }
    TargetsScreen .target-row Label { width: 34; padding: 1 1 0 0; }
    TargetsScreen .target-row Input { width: 1fr; }
    TargetsScreen .target-error { color: $error; padding: 0 0 0 34; height: auto; }
    TargetsScreen .target-error.-empty { display: none; }
    TargetsScreen #targets-progress { height: auto; margin-bottom: 1; }
    TargetsScreen .target-line { height: auto; }
    TargetsScreen ProgressBar { margin-bottom: 1; }
    """

    def __init__(self, view: TargetsView) -> None:
        super().__init__(classes="wf-modal")
        self.view = view

    def compose(self) -> ComposeResult:
        values = self.view.values
        with Vertical(classes="wf-dialog"):
            yield Label("Writing targets", classes="wf-dialog-title")
            with Vertical(id="targets-progress"):
                if not self.view.progress:
                    yield Static("No targets set yet.", classes="target-line")
                for item in self.view.progress:
                    yield Static(item.text(), classes="target-line", markup=False)
                    bar = ProgressBar(
                        total=1.0, show_eta=False, show_percentage=False, id=f"bar-{item.kind}"
                    )
                    bar.progress = item.fraction
                    yield bar
            for name, label in _FIELDS:
                if name == "chapter" and self.view.chapter is None:
                    continue
                text = label
                if name == "chapter" and self.view.chapter is not None:
                    text = f"Words for {self.view.chapter.rsplit('/', 1)[-1]}"
                with Horizontal(classes="target-row"):
                    yield Label(text)
                    yield Input(
                        _shown(getattr(values, name)),
                        id=f"target-{name}",
                        placeholder="none" if name != "deadline" else "none (YYYY-MM-DD)",
                    )
                yield Label("", id=f"target-{name}-error", classes="target-error -empty")
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button("Save", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#target-daily", Input).focus()

    def _field(self, name: str) -> str | None:
        found = self.query(f"#target-{name}").results(Input)
        field = next(found, None)
        return None if field is None else field.value

    def _error(self, name: str, message: str) -> None:
        label = self.query_one(f"#target-{name}-error", Label)
        label.update(message)
        label.set_class(not message, "-empty")

    def read(self) -> TargetSettings | None:
        """The values typed, or ``None`` after naming each field that is wrong."""
        parsed: dict[str, int | date | None] = {}
        ok = True
        for name, label in _FIELDS:
            text = self._field(name)
            if text is None:  # no chapter open: the chapter's target stays as it was
                parsed[name] = getattr(self.view.values, name)
                continue
            try:
                if name == "deadline":
                    parsed[name] = parse_deadline(text, self.view.today)
                else:
                    parsed[name] = parse_target(text, what=label)
                self._error(name, "")
            except ValueError as exc:
                self._error(name, str(exc))
                ok = False
        if ok and parsed["deadline"] is not None and parsed["manuscript"] is None:
            self._error("deadline", "Deadline: set the manuscript's words too")
            ok = False
        if not ok:
            return None
        return TargetSettings.model_validate(parsed)

    def _submit(self) -> None:
        values = self.read()
        if values is not None:
            self.dismiss(values)
