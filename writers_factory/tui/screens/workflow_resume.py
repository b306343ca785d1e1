"""Offered at start-up when multi-step AI workflows were interrupted (a crash, a cancel).

Finished steps were paid for and their output is on disk, so the writer can continue from
the last finished step without paying for them again — or abandon the workflow, which only
marks it (its record stays in ``.session/workflows/``), or decide later. The screen only
collects the choice: the workflow runner acts on it. "Later" has the focus, so a stray
Enter spends nothing and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from writers_factory.ai.runner import dollars
from writers_factory.ai.workflows import WorkflowRecord

Action = Literal["resume", "abandon"]

STATUS_WORDS = {
    "running": "interrupted",
    "failed": "failed",
    "stopped": "stopped by the spending limit",
    "cancelled": "cancelled",
}


@dataclass(frozen=True)
class WorkflowChoice:
    """What the writer chose for one workflow."""

    workflow_id: str
    action: Action


def cost_so_far(record: WorkflowRecord) -> Decimal:
    """What the finished steps cost (their logged price)."""
    return sum((s.cost or Decimal(0) for s in record.steps if s.status == "finished"), Decimal(0))


def describe(record: WorkflowRecord) -> str:
    """ "Enhance chapter · manuscript/chapter-01.md · 1/3 steps done · $0.0012 so far"."""
    where = record.inputs.get("path")
    parts = [record.title]
    if isinstance(where, str) and where:
        parts.append(where)
    parts.append(f"{record.finished_steps}/{len(record.steps)} steps done")
    parts.append(f"{dollars(cost_so_far(record))} so far")
    status = STATUS_WORDS.get(record.status)
    if status:
        parts.append(status)
    return " · ".join(parts)


class WorkflowResumeScreen(ModalScreen[WorkflowChoice | None]):
    """Lists unfinished workflows; dismisses with a choice, or ``None`` for "Later"."""

    DEFAULT_CSS = """
    WorkflowResumeScreen > .wf-dialog { width: 90; max-height: 80%; }
    WorkflowResumeScreen #workflow-list { height: auto; max-height: 16; }
    WorkflowResumeScreen .workflow-row { height: auto; margin-bottom: 1; }
    WorkflowResumeScreen .workflow-row Label { width: 1fr; }
    WorkflowResumeScreen .workflow-row Button { margin-left: 1; min-width: 10; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Later", id="modal.cancel"),
    ]
    AUTO_FOCUS = "#later"

    def __init__(self, records: list[WorkflowRecord]) -> None:
        super().__init__(classes="wf-modal")
        self.records = list(records)

    def compose(self) -> ComposeResult:
        with Vertical(classes="wf-dialog"):
            yield Label("Unfinished AI workflows", classes="wf-dialog-title")
            yield Label(
                "Resume continues from the last finished step; finished steps are not sent "
                "or paid for again. Abandon keeps the record but stops offering it."
            )
            with VerticalScroll(id="workflow-list"):
                for index, record in enumerate(self.records):
                    with Horizontal(classes="workflow-row"):
                        yield Label(describe(record), id=f"workflow-{index}", markup=False)
                        yield Button("Resume", variant="primary", id=f"resume-{index}")
                        yield Button("Abandon", id=f"abandon-{index}")
            with Horizontal(classes="wf-dialog-buttons"):
                yield Button("Later", id="later")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = event.button.id or ""
        action, _, index = name.partition("-")
        if action in ("resume", "abandon") and index.isdigit():
            record = self.records[int(index)]
            self.dismiss(WorkflowChoice(record.id, "resume" if action == "resume" else "abandon"))
        else:
            self.dismiss(None)

    def action_later(self) -> None:
        self.dismiss(None)
