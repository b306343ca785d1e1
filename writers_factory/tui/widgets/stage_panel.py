"""The side panel listing what the current stage offers."""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from writers_factory.tui.screens.stages import Stage
from writers_factory.tui.widgets.messages import OperationRequested


class StagePanel(OptionList):
    """One option per operation of the current stage; choosing one asks the app to run it."""

    def __init__(self, stage: Stage, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stage = stage
        self.show(stage)

    def show(self, stage: Stage) -> None:
        """Switch the listed operations to ``stage``'s."""
        self.stage = stage
        self.border_title = f"{stage.title}"
        self.clear_options()
        self.add_options(Option(op.title, id=op.id) for op in stage.operations)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(OperationRequested(self.stage.id, event.option.id))
