"""The JSON file of one preferences layer (a project's or the writer's user settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from writers_factory.store.base.events import ProblemKind
from writers_factory.store.base.jsonfile import JsonFile
from writers_factory.store.base.model_base import StoreModel
from writers_factory.store.preferences.salvage import salvage

M = TypeVar("M", bound=StoreModel)


class SparseFile(JsonFile[M]):
    """Writes only the values its layer sets, so a value left out stays open to the layer
    below; keeps the valid rest of a partly invalid hand edit (see ``salvage.py``)."""

    def snapshot(self) -> dict[str, Any]:
        plain = self.value.model_dump(mode="json", exclude_unset=True)
        plain.pop("schema_version", None)
        return {"schema_version": self.model.SCHEMA_VERSION, **plain}

    def salvage(self, path: Path, raw: dict[str, Any], error: ValidationError) -> M | None:
        def report(field: str, reason: str) -> None:
            self._problem(ProblemKind.INVALID_FIELD, reason, field=field)

        return salvage(self.model, raw, error, report)
