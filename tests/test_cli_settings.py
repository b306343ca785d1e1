"""``writers-factory settings``: user settings reach a new project, a project preference
overrides them, each value says where it comes from, bad values are refused by name."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.holding import held_open
from writers_factory.cli import main
from writers_factory.store.preferences.author_setting import settings_path


def wf(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command in its own process (it inherits the test's private config folder)."""
    return subprocess.run(
        [sys.executable, "-m", "writers_factory.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def shown(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["settings", "show", "--json", *args]) == 0
    payload: dict[str, object] = json.loads(capsys.readouterr().out)
    return payload


def by_key(payload: dict[str, object]) -> dict[str, dict[str, object]]:
    rows = payload["settings"]
    assert isinstance(rows, list)
    return {row["key"]: row for row in rows}


def test_user_settings_apply_to_a_new_project_and_the_project_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_path()
    settings.parent.mkdir(parents=True)
    settings.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "theme": "nord",
                "author": "Ann Writer",
                "models": {"writing": "test:user-model"},
                "budget": {"daily_limit": "2.50"},
                "keybindings": {"app.command_palette": "ctrl+k"},
            }
        )
    )
    book = tmp_path / "book"
    created = wf("new", str(book))
    assert created.returncode == 0, created.stderr

    rows = by_key(json.loads(wf("settings", "show", "--json", "--folder", str(book)).stdout))
    assert rows["theme"] == {
        "key": "theme",
        "value": "nord",
        "source": "user",
        "file": str(settings),
    }
    assert rows["budget.daily_limit"]["value"] == "2.50"
    assert rows["models.writing"]["source"] == "user"
    assert rows["keybindings.app.command_palette"]["value"] == "ctrl+k"
    assert rows["author"]["value"] == "Ann Writer"
    assert rows["auto_save_interval"] == {
        "key": "auto_save_interval",
        "value": 30.0,
        "source": "default",
        "file": None,
    }

    assert main(["settings", "set", "theme", "paper", "--project", "--folder", str(book)]) == 0
    assert (
        main(["settings", "set", "budget.daily_limit", "null", "--project", "--folder", str(book)])
        == 0
    )
    assert "saved in" in capsys.readouterr().out
    rows = by_key(shown(capsys, "--folder", str(book)))
    prefs_file = str(book / ".session" / "preferences.json")
    assert rows["theme"] == {
        "key": "theme",
        "value": "paper",
        "source": "project",
        "file": prefs_file,
    }
    assert rows["budget.daily_limit"]["value"] is None  # "no limit" here, chosen by the project
    assert rows["budget.daily_limit"]["source"] == "project"
    assert rows["models.writing"]["source"] == "user"

    # the user settings change: the project keeps its own theme, follows for the rest
    assert main(["settings", "set", "theme", "ink"]) == 0
    assert main(["settings", "set", "models.writing", "test:newer", "--user"]) == 0
    capsys.readouterr()
    rows = by_key(shown(capsys, "--folder", str(book)))
    assert rows["theme"]["value"] == "paper" and rows["models.writing"]["value"] == "test:newer"
    assert main(["settings", "unset", "theme", "--project", "--folder", str(book)]) == 0
    capsys.readouterr()
    assert by_key(shown(capsys, "--folder", str(book)))["theme"]["value"] == "ink"


def test_bad_values_and_names_are_refused_with_the_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_path()
    assert main(["settings", "set", "budget.warn_at", "8"]) == 2
    err = capsys.readouterr().err
    assert str(settings) in err and "budget.warn_at" in err and "less than or equal to 1" in err
    assert main(["settings", "set", "colour", "red", "--user"]) == 2
    assert "no such preference" in capsys.readouterr().err
    assert main(["settings", "set", "theme", "paper", "--project", "--folder", str(tmp_path)]) == 2
    assert "not a Writers Factory project" in capsys.readouterr().err
    assert main(["settings", "set", "theme"]) == 2
    assert not settings.exists()  # nothing refused was written


def test_a_corrupt_settings_file_is_named_in_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_path()
    settings.parent.mkdir(parents=True)
    settings.write_text('{"schema_version": 1, "theme": 7, "budget": {"warn_at": "lots"}}')
    payload = shown(capsys, "--folder", str(tmp_path))
    problems = payload["problems"]
    assert isinstance(problems, list) and len(problems) == 2
    assert all(str(settings) in p for p in problems)
    assert any("› theme:" in p for p in problems) and any("budget.warn_at" in p for p in problems)
    assert by_key(payload)["theme"]["source"] == "default"
    assert main(["settings", "show", "--folder", str(tmp_path)]) == 0
    assert "warning:" in capsys.readouterr().out


def test_stats_read_the_daily_target_layered(tmp_path: Path) -> None:
    from writers_factory.cli_stats import read_daily_target
    from writers_factory.store.base.paths import SessionPaths

    paths = SessionPaths(tmp_path / ".session")
    paths.root.mkdir()
    assert read_daily_target(paths) is None
    settings = settings_path()
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"schema_version": 1, "daily_word_target": 800}))
    assert read_daily_target(paths) == 800
    paths.preferences.write_text(json.dumps({"schema_version": 2, "daily_word_target": None}))
    assert read_daily_target(paths) is None  # the project chose no target
    paths.preferences.write_text(json.dumps({"schema_version": 2, "daily_word_target": 300}))
    assert read_daily_target(paths) == 300


def test_a_project_open_in_the_app_is_not_changed_behind_its_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from writers_factory.project import create_project

    project = create_project(tmp_path / "novel", "Novel")
    with held_open(project):
        folder = ["--project", "--folder", str(project)]
        assert main(["settings", "set", "theme", "textual-light", *folder]) == 2
        assert "is open in Writers Factory" in capsys.readouterr().err
        # it would set the edit aside as "changed outside" at its next save: nothing written
        written = project / ".session" / "preferences.json"
        assert not written.exists() or "theme" not in json.loads(written.read_text())
