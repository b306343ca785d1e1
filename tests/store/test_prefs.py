"""Preferences on real files: defaults, typed setters, round trip, and hand edits that are
partly invalid (reported, rest used, never rewritten until a change, backed up first)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from writers_factory.store import Preferences
from writers_factory.store.base.events import Callbacks, ProblemKind, StoreProblem
from writers_factory.store.preferences.models import PreferencesData
from writers_factory.store.preferences.preferences import PreferenceError


def test_defaults_without_a_file_and_nothing_written(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    prefs = Preferences(root)
    data = prefs.data
    assert data.auto_save_interval == 30.0
    assert data.cost_confirmation_threshold == Decimal("0.10")
    assert data.budget.warn_at == 0.8 and not data.budget.hard_stop
    assert data.budget.warnings_enabled and data.budget.limits() == {}
    assert data.models == {} and data.theme is None and not data.notebooklm.enabled
    assert prefs.problems == [] and not prefs.has_changes()
    assert prefs.save_sync() is False and not (root / "preferences.json").exists()


async def test_typed_setters_round_trip_as_readable_json(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    prefs = Preferences(root)
    assert prefs.set_theme("solarized-dark")
    assert prefs.set_model("writing", "anthropic:claude-sonnet-4-5")
    assert prefs.set_keybinding("app.command_palette", "ctrl+k")
    assert prefs.set_auto_save_interval(12.5)
    assert prefs.set_daily_word_target(1_500)
    assert prefs.set_budget_limit("monthly", Decimal("40.00"))
    assert prefs.set_cost_confirmation_threshold(Decimal("0.25"))
    assert prefs.set_price_override("openai:gpt-4.1", Decimal("2"), Decimal("8"))
    assert prefs.set_notebooklm(enabled=True, notebook_url="https://example.org/nb/1")
    assert prefs.set("budget.hard_stop", True)
    assert not prefs.set_theme("solarized-dark")  # no change, nothing to save
    assert await prefs.save() is True
    assert await prefs.save() is False

    text = (root / "preferences.json").read_text()
    raw = json.loads(text)
    assert text.startswith("{\n  ")
    assert raw["budget"]["monthly_limit"] == "40.00"  # money as exact strings
    assert raw["price_overrides"]["openai:gpt-4.1"] == {
        "input_per_mtok": "2",
        "output_per_mtok": "8",
    }
    again = Preferences(root)
    assert again.data == prefs.data and again.problems == []
    assert again.data.keybindings == {"app.command_palette": "ctrl+k"}
    assert again.data.models == {"writing": "anthropic:claude-sonnet-4-5"}

    assert again.remove_price_override("openai:gpt-4.1")
    assert again.set_model("writing", None)
    assert again.data.price_overrides == {} and again.data.models == {}


def test_bad_values_from_code_are_refused_with_the_field_named(tmp_path: Path) -> None:
    prefs = Preferences(tmp_path / ".session")
    with pytest.raises(PreferenceError, match=r"preferences\.json › budget\.warn_at"):
        prefs.set("budget.warn_at", 1.5)
    with pytest.raises(PreferenceError, match="auto_save_interval"):
        prefs.set_auto_save_interval(0.2)
    with pytest.raises(PreferenceError, match="models"):
        prefs.set("models.publishing", "openai:gpt-4o")  # not a stage
    with pytest.raises(PreferenceError, match="no such preference"):
        prefs.set("colour", "red")
    with pytest.raises(PreferenceError, match="no such preference"):
        prefs.set("budget.yearly_limit", 5)
    with pytest.raises(PreferenceError, match="cost_confirmation_threshold"):
        prefs.set_cost_confirmation_threshold(Decimal("-1"))
    assert prefs.data == PreferencesData() and not prefs.has_changes()


HAND_EDITED = {
    "schema_version": 2,
    "theme": "gruvbox",
    "models": {"writing": "openai:gpt-4o", "writting": "anthropic:claude-sonnet-4-5"},
    "keybindings": {"save": "ctrl+s", "quit": 5},
    "auto_save_interval": 0.5,
    "budget": {"daily_limit": "20", "warn_at": 8, "a_newer_budget_knob": "on"},
    "price_overrides": {
        "my-lab:tuned": {"input_per_mtok": "0.40", "output_per_mtok": "0.80"},
        "my-lab:broken": {"input_per_mtok": "cheap", "output_per_mtok": -1},
    },
    "a_feature_from_the_future": {"enabled": True},
}


def write_hand_edit(tmp_path: Path) -> tuple[Path, bytes]:
    root = tmp_path / ".session"
    root.mkdir()
    data = json.dumps(HAND_EDITED, indent=4).encode()
    (root / "preferences.json").write_bytes(data)
    return root, data


async def test_invalid_hand_edits_are_reported_and_the_rest_is_used(tmp_path: Path) -> None:
    root, original = write_hand_edit(tmp_path)
    seen: list[StoreProblem] = []
    callbacks = Callbacks(on_error=[seen.append])
    prefs = Preferences(root, callbacks=callbacks)

    invalid = {p.field: p for p in prefs.problems if p.kind is ProblemKind.INVALID_FIELD}
    assert set(invalid) >= {
        "models.writting",
        "keybindings.quit",
        "auto_save_interval",
        "budget.warn_at",
        "price_overrides.my-lab:broken",
    }
    assert all(p.path == root / "preferences.json" for p in invalid.values())
    assert "less than or equal to 1" in invalid["budget.warn_at"].message
    assert "greater than or equal to 1" in invalid["auto_save_interval"].message
    assert invalid["auto_save_interval"].message.endswith("the default is used instead")
    broken = invalid["price_overrides.my-lab:broken"].message
    assert broken.startswith("input_per_mtok: ") and broken.endswith("this entry was ignored")
    assert len([p for p in prefs.problems if p.kind is ProblemKind.INVALID_FIELD]) == 5
    assert len(seen) == len(prefs.problems)  # listeners heard each one

    data = prefs.data
    assert data.theme == "gruvbox"
    assert data.models == {"writing": "openai:gpt-4o"}
    assert data.keybindings == {"save": "ctrl+s"}
    assert data.auto_save_interval == 30.0 and data.budget.warn_at == 0.8  # defaults
    assert data.budget.daily_limit == Decimal(20)
    assert set(data.price_overrides) == {"my-lab:tuned"}

    # loading and saving without a change leaves the hand edit exactly as written
    assert await prefs.save() is False
    assert (root / "preferences.json").read_bytes() == original
    assert not (root / "backups").exists()


async def test_first_change_backs_up_the_hand_edit_then_rewrites(tmp_path: Path) -> None:
    root, original = write_hand_edit(tmp_path)
    prefs = Preferences(root)
    prefs.set_theme("paper")
    assert await prefs.save() is True
    assert prefs.backup_path is not None and prefs.backup_path.read_bytes() == original
    assert prefs.backup_path.parent == root / "backups"

    raw = json.loads((root / "preferences.json").read_text())
    assert raw["theme"] == "paper" and "warn_at" not in raw["budget"]  # the default applies
    assert raw["a_feature_from_the_future"] == {"enabled": True}  # unknown keys survive
    assert raw["budget"]["a_newer_budget_knob"] == "on"
    assert Preferences(root).problems == []

    prefs.set_theme("ink")
    prefs.save_sync()
    assert len(list((root / "backups").iterdir())) == 1  # only before the first rewrite


def test_unknown_keys_survive_a_rewrite_of_a_valid_file(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    root.mkdir()
    (root / "preferences.json").write_text(
        json.dumps(
            {
                "schema_version": 2,
                "sidebar": {"width": 30},
                "notebooklm": {"enabled": False, "sync": "hourly"},
            }
        )
    )
    prefs = Preferences(root)
    assert prefs.problems == []
    prefs.set_notebooklm(enabled=True)
    prefs.save_sync()
    raw = json.loads((root / "preferences.json").read_text())
    assert raw["sidebar"] == {"width": 30}
    assert raw["notebooklm"] == {"enabled": True, "notebook_url": None, "sync": "hourly"}
    assert not (root / "backups").exists()  # nothing invalid: no backup needed


def test_newer_file_is_read_only(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    root.mkdir()
    (root / "preferences.json").write_text(json.dumps({"schema_version": 7, "theme": "x"}))
    prefs = Preferences(root)
    assert prefs.read_only and prefs.data.theme == "x"
    assert any(p.kind is ProblemKind.NEWER_VERSION for p in prefs.problems)
    with pytest.raises(PreferenceError, match="read-only"):
        prefs.set_theme("y")


def test_unparseable_file_is_set_aside_and_defaults_used(tmp_path: Path) -> None:
    root = tmp_path / ".session"
    root.mkdir()
    (root / "preferences.json").write_text('{"theme": "dark",')
    prefs = Preferences(root)
    [problem] = prefs.problems
    assert problem.kind is ProblemKind.CORRUPT and problem.set_aside is not None
    assert problem.set_aside.read_text() == '{"theme": "dark",'
    assert prefs.data == PreferencesData()
