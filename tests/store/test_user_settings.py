"""User settings on real files: layered under a project's preferences (project, else user,
else default), the schema 1 -> 2 step that makes old projects open to them, and a bad user
settings file named and set aside, never overwritten."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from writers_factory.store import Preferences
from writers_factory.store.base.events import ProblemKind
from writers_factory.store.preferences.author_setting import settings_path, user_author
from writers_factory.store.preferences.editing import PreferenceError
from writers_factory.store.preferences.user import UserSettings


def write_settings(data: object) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def test_settings_live_in_the_config_folder(private_config_home: Path) -> None:
    path = settings_path()
    assert path.name == "settings.json" and path.parent.name == "writers-factory"
    assert path.is_relative_to(private_config_home)  # never the developer's own


def test_project_over_user_over_default(tmp_path: Path) -> None:
    write_settings(
        {
            "schema_version": 1,
            "theme": "nord",
            "author": "Ann Writer",
            "models": {"writing": "test:user-writing", "enhancing": "test:user-enhancing"},
            "budget": {"daily_limit": "5.00", "hard_stop": True},
            "backups": {"folder": "/srv/books"},
        },
    )
    root = tmp_path / ".session"
    prefs = Preferences(root)
    assert prefs.problems == []
    data = prefs.data
    assert data.theme == "nord" and prefs.source("theme") == "user"
    assert data.budget.daily_limit == Decimal("5.00") and data.budget.hard_stop
    assert data.backups.folder == "/srv/books" and prefs.source("backups.folder") == "user"
    assert prefs.source("auto_save_interval") == "default"
    assert user_author() == "Ann Writer"

    # the project overrides one value, one budget field and one stage: the rest still follows
    assert prefs.set_theme(None)  # explicitly "no theme" is a choice, not "not set"
    assert prefs.set("budget.hard_stop", False)
    assert prefs.set_model("writing", "test:project-writing")
    prefs.save_sync()
    again = Preferences(root)
    assert again.data.theme is None and again.source("theme") == "project"
    assert not again.data.budget.hard_stop and again.data.budget.daily_limit == Decimal("5.00")
    assert again.data.models == {
        "writing": "test:project-writing",
        "enhancing": "test:user-enhancing",
    }
    assert again.source("models.writing") == "project"
    assert again.source("models.enhancing") == "user"
    raw = json.loads((root / "preferences.json").read_text())
    assert raw == {
        "schema_version": 2,
        "theme": None,
        "budget": {"hard_stop": False},
        "models": {"writing": "test:project-writing"},
    }

    # back to following the writer
    assert again.unset("theme") and again.data.theme == "nord"
    assert not again.unset("theme")


def test_user_settings_refuse_what_preferences_refuse(tmp_path: Path) -> None:
    user = UserSettings()
    prefs = Preferences(tmp_path / ".session", user=user)
    for target in (user, prefs):
        with pytest.raises(PreferenceError, match=r"› budget\.warn_at: .*less than or equal"):
            target.set("budget.warn_at", 1.5)
        with pytest.raises(PreferenceError, match="no such preference"):
            target.set("colour", "red")
    with pytest.raises(PreferenceError, match=r"settings\.json › author"):
        user.set("author", "")
    assert user.set("author", "Ann") and user.save_sync()
    assert json.loads(user.path.read_text()) == {"schema_version": 1, "author": "Ann"}


def test_bad_user_settings_are_named_and_set_aside(tmp_path: Path) -> None:
    path = write_settings({})
    path.write_bytes(b'{"schema_version": 1, "theme": "nord",,, \x00')
    prefs = Preferences(tmp_path / ".session")
    [problem] = prefs.problems
    assert problem.path == path and problem.kind is ProblemKind.CORRUPT
    assert problem.set_aside is not None and problem.set_aside.parent == path.parent / "corrupt"
    assert b"nord" in problem.set_aside.read_bytes()  # kept whole, never overwritten
    assert prefs.data.theme is None and prefs.source("theme") == "default"


def test_a_bad_value_is_named_and_the_rest_used(tmp_path: Path) -> None:
    path = write_settings({"schema_version": 1, "theme": "nord", "budget": {"warn_at": 8}})
    original = path.read_bytes()
    prefs = Preferences(tmp_path / ".session")
    [problem] = prefs.problems
    assert problem.path == path and problem.field == "budget.warn_at"
    assert "less than or equal to 1" in problem.message
    assert prefs.data.theme == "nord" and prefs.data.budget.warn_at == 0.8
    assert path.read_bytes() == original  # untouched until the writer changes a setting
    user = UserSettings()
    user.set("author", "Ann")
    user.save_sync()
    assert user.backup_path is not None and user.backup_path.read_bytes() == original


def test_read_only_lookups_never_touch_a_bad_file() -> None:
    path = write_settings({})
    path.write_text("[1, 2")
    assert user_author() is None
    assert path.read_text() == "[1, 2"


def test_schema_1_defaults_open_to_user_settings(tmp_path: Path) -> None:
    """An old file held every default: those meant "nothing chosen", real choices stay."""
    write_settings({"schema_version": 1, "theme": "nord", "budget": {}})
    root = tmp_path / ".session"
    root.mkdir()
    old = {
        "schema_version": 1,
        "theme": None,
        "models": {"writing": "test:chosen"},
        "keybindings": {},
        "auto_save_interval": 30.0,
        "auto_save_enabled": False,
        "budget": {"daily_limit": None, "warn_at": 0.8, "hard_stop": True, "knob": "on"},
        "cost_confirmation_threshold": "0.10",
        "a_feature_from_the_future": {"enabled": False},
    }
    (root / "preferences.json").write_text(json.dumps(old))
    prefs = Preferences(root)
    assert [p.kind for p in prefs.problems] == [ProblemKind.MIGRATED]
    assert prefs.data.theme == "nord" and prefs.source("theme") == "user"
    assert prefs.data.models == {"writing": "test:chosen"}
    assert not prefs.data.auto_save_enabled and prefs.data.budget.hard_stop
    raw = json.loads((root / "preferences.json").read_text())
    assert raw == {
        "schema_version": 2,
        "models": {"writing": "test:chosen"},
        "auto_save_enabled": False,
        "budget": {"hard_stop": True, "knob": "on"},
        "a_feature_from_the_future": {"enabled": False},
    }
    [backup] = (root / "backups").iterdir()
    assert json.loads((backup / "preferences.json").read_text()) == old


def test_the_quick_costs_reader_layers_the_budget_too(tmp_path: Path) -> None:
    from writers_factory.store.costs.view import read_budget

    write_settings(
        {"schema_version": 1, "budget": {"daily_limit": "3", "hard_stop": True}},
    )
    root = tmp_path / ".session"
    prefs = Preferences(root)
    assert read_budget(root).daily_limit == Decimal(3) == prefs.data.budget.daily_limit
    prefs.set("budget.hard_stop", False)
    prefs.save_sync()
    quick = read_budget(root)
    assert quick.daily_limit == Decimal(3) and not quick.hard_stop
    assert quick.plain() == Preferences(root).data.budget.model_dump(mode="json")


def test_a_folder_where_the_settings_belong_is_set_aside(tmp_path: Path) -> None:
    path = settings_path()
    (path / "inside").mkdir(parents=True)
    prefs = Preferences(tmp_path / ".session")
    [problem] = prefs.problems
    assert problem.path == path and problem.set_aside is not None
    assert (problem.set_aside / "inside").is_dir()  # moved whole, nothing deleted
    assert prefs.user.set("theme", "nord") and prefs.user.save_sync()
    assert json.loads(path.read_text()) == {"schema_version": 1, "theme": "nord"}


def test_settings_from_a_newer_version_are_used_but_never_rewritten(tmp_path: Path) -> None:
    path = write_settings({"schema_version": 9, "theme": "nord", "new_thing": 1})
    original = path.read_bytes()
    prefs = Preferences(tmp_path / ".session")
    assert prefs.data.theme == "nord" and prefs.user.read_only
    assert [p.kind for p in prefs.problems] == [ProblemKind.NEWER_VERSION]
    with pytest.raises(PreferenceError, match=r"settings\.json: written by a newer"):
        prefs.user.set("theme", "ink")
    assert path.read_bytes() == original
