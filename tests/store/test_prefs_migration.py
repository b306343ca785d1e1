"""preferences.json v0 (flat keys, "45s" durations, float dollars) is upgraded, backed up
first, and written back in the current layout; unconvertible values are reported."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from writers_factory.store import Preferences
from writers_factory.store.base.events import ProblemKind
from writers_factory.store.preferences.migrations import seconds_of

FIXTURE = Path(__file__).parent / "fixtures" / "preferences_v0.json"


def test_v0_fixture_upgrades_with_a_whole_session_backup(tmp_path: Path) -> None:
    root = tmp_path / "novel" / ".session"
    root.mkdir(parents=True)
    shutil.copy(FIXTURE, root / "preferences.json")
    (root / "current.json").write_text('{"schema_version": 1}')

    prefs = Preferences(root)
    [migrated] = [p for p in prefs.problems if p.kind is ProblemKind.MIGRATED]
    assert "schema 0 to 2" in migrated.message
    [backup] = (root / "backups").iterdir()
    assert (backup / "preferences.json").read_bytes() == FIXTURE.read_bytes()
    assert (backup / "current.json").exists()  # the whole .session/, not one file

    data = prefs.data
    assert data.models == {
        "writing": "anthropic:claude-sonnet-4-5",
        "enhancing": "google-gla:gemini-2.5-flash",
        "analyzing": "anthropic:claude-sonnet-4-5",
    }
    assert data.notebooklm.enabled
    assert (
        data.notebooklm.notebook_url == "https://notebooklm.google.com/notebook/7c1e-the-lighthouse"
    )
    assert data.keybindings == {"save": "ctrl+s", "command_palette": "ctrl+p"}
    assert data.theme == "solarized-dark"
    assert data.auto_save_interval == 45.0
    assert data.cost_confirmation_threshold == Decimal("0.25")

    raw = json.loads((root / "preferences.json").read_text())
    assert raw["schema_version"] == 2 and "model_preferences" not in raw
    assert raw["auto_save_interval"] == 45.0
    again = Preferences(root)
    assert again.problems == [] and again.data == data
    assert len(list((root / "backups").iterdir())) == 1


def test_v0_value_that_cannot_be_converted_is_reported(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    root.mkdir()
    (root / "preferences.json").write_text(
        json.dumps({"auto_save_interval": "every so often", "theme": "dark"})
    )
    prefs = Preferences(root)
    [bad] = [p for p in prefs.problems if p.kind is ProblemKind.INVALID_FIELD]
    assert bad.field == "auto_save_interval"
    assert prefs.data.auto_save_interval == 30.0 and prefs.data.theme == "dark"
    # the upgrade is written at once (so it does not run at every start), but only after
    # the file itself was backed up: the writer's own text is kept
    assert prefs.backup_path is not None
    assert "every so often" in prefs.backup_path.read_text()
    assert json.loads((root / "preferences.json").read_text())["schema_version"] == 2


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30s", 30.0),
        ("2m", 120.0),
        ("1.5 minutes", 90.0),
        ("45", 45.0),
        (" 10 sec ", 10.0),
        (20, 20),
        ("soon", "soon"),
        (True, True),
    ],
)
def test_seconds_of_v0_durations(text: object, seconds: object) -> None:
    assert seconds_of(text) == seconds
