"""The side panel listing what the current stage offers (its entries in the AI catalogue)."""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from writers_factory.ai.catalogue import CATALOGUE, Catalogue
from writers_factory.core.stages import Stage
from writers_factory.tui.widgets.messages import OperationRequested


class StagePanel(OptionList):
    """One option per catalogue entry of the current stage; choosing one asks to run it."""

    def __init__(
        self, stage: Stage, *, catalogue: Catalogue = CATALOGUE, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.catalogue = catalogue
        self.stage = stage
        self.show(stage)

    def show(self, stage: Stage) -> None:
        """Switch the listed entries to ``stage``'s."""
        self.stage = stage
        self.border_title = f"{stage.title}"
        self.clear_options()
        self.add_options(
            Option(entry.label, id=entry.id) for entry in self.catalogue.for_stage(stage.id)
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(OperationRequested(self.stage.id, event.option.id))
