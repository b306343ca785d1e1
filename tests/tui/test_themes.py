"""Themes: shipped files, the writer's own files, bad files reported, choice saved."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandPalette

from tests.tui.conftest import SIZE, palette_offers, ready_screen, started, wait_until
from writers_factory.store.preferences.preferences import Preferences
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.themes import (
    BUNDLED_THEMES_DIR,
    ThemeFileError,
    load_theme_dir,
    load_theme_file,
    user_themes_dir,
)

GOOD = """
name = "harbour-fog"
dark = false
primary = "#336699"
background = "#EEF2F5"
luminosity_spread = 0.2
[variables]
"footer-key-foreground" = "#336699"
"""


def test_shipped_themes_all_load() -> None:
    themes, errors = load_theme_dir(BUNDLED_THEMES_DIR)
    assert errors == []
    names = {theme.name for theme in themes}
    assert {"writers-parchment", "writers-midnight-ink", "writers-forest"} <= names
    parchment = next(t for t in themes if t.name == "writers-parchment")
    assert parchment.dark is False and parchment.background == "#F4ECD8"


def test_good_file_becomes_a_theme(tmp_path: Path) -> None:
    path = tmp_path / "fog.toml"
    path.write_text(GOOD)
    theme = load_theme_file(path)
    assert (theme.name, theme.primary, theme.dark, theme.luminosity_spread) == (
        "harbour-fog",
        "#336699",
        False,
        0.2,
    )
    assert theme.variables == {"footer-key-foreground": "#336699"}


def test_json_theme_files_work_too(tmp_path: Path) -> None:
    path = tmp_path / "sea.json"
    path.write_text(json.dumps({"name": "sea", "primary": "teal", "dark": True}))
    assert load_theme_file(path).name == "sea"


@pytest.mark.parametrize(
    ("content", "field", "reason"),
    [
        ('name = "x"\nprimary = "#12345z"', "primary", "is not a colour"),
        ('name = "x"\nprimary = 12', "primary", "must be a colour string"),
        ('primary = "#123456"', "name", "is required"),
        ('name = "x"', "primary", "is required"),
        ('name = "x"\nprimary = "red"\ndark = "yes"', "dark", "true or false"),
        ('name = "x"\nprimary = "red"\nsparkle = "red"', "sparkle", "not a theme field"),
        ('name = "x"\nprimary = "red"\ntext_alpha = "high"', "text_alpha", "must be a number"),
        ('name = "x"\nprimary = "red"\nvariables = 3', "variables", "table of text values"),
    ],
)
def test_bad_field_is_named(tmp_path: Path, content: str, field: str, reason: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(ThemeFileError) as caught:
        load_theme_file(path)
    assert caught.value.field == field
    assert caught.value.path == path
    assert str(path) in str(caught.value) and f"field '{field}'" in str(caught.value)
    assert reason in str(caught.value)


def test_unparsable_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('name = "x\n')
    with pytest.raises(ThemeFileError, match=r"broken\.toml: is not valid TOML"):
        load_theme_file(path)


def test_a_bad_file_does_not_hide_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "a-bad.toml").write_text('name = "x"\nprimary = "nope"')
    (tmp_path / "b-good.toml").write_text(GOOD)
    (tmp_path / "notes.txt").write_text("not a theme")
    themes, errors = load_theme_dir(tmp_path)
    assert [t.name for t in themes] == ["harbour-fog"]
    assert [e.path.name for e in errors] == ["a-bad.toml"]
    assert load_theme_dir(tmp_path / "missing") == ([], [])


def test_user_themes_dir_follows_xdg() -> None:
    assert user_themes_dir({"XDG_CONFIG_HOME": "/cfg"}) == Path("/cfg/writers-factory/themes")
    assert user_themes_dir({}) == Path.home() / ".config" / "writers-factory" / "themes"


async def test_app_registers_shipped_and_user_themes_and_reports_bad_ones(
    make_app: Callable[[], WritersFactoryApp], user_themes: Path
) -> None:
    user_themes.mkdir(parents=True)
    (user_themes / "fog.toml").write_text(GOOD)
    (user_themes / "oops.toml").write_text('name = "oops"\nprimary = "#GGGGGG"')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert "writers-parchment" in app.available_themes
        assert "harbour-fog" in app.available_themes
        assert "oops" not in app.available_themes
        messages = [n.message for n in app._notifications]
        assert any(
            str(user_themes / "oops.toml") in m and "field 'primary'" in m for m in messages
        ), messages


async def test_theme_chosen_in_palette_is_saved_and_restored(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("ctrl+p")
        palette = await ready_screen(pilot, CommandPalette, focused="CommandInput")
        await pilot.press(*"theme")
        await palette_offers(pilot, "Theme")
        await pilot.press("enter")  # the built-in "Theme" command lists themes in a new palette
        await wait_until(pilot, lambda: first.screen is not palette)
        await ready_screen(pilot, CommandPalette, focused="CommandInput")
        await pilot.press(*"writers-forest")
        await palette_offers(pilot, "writers-forest")
        await pilot.press("enter")
        await wait_until(pilot, lambda: first.theme == "writers-forest")
        prefs_file = project / ".session" / "preferences.json"
        await wait_until(
            pilot,
            lambda: (
                prefs_file.exists()
                and json.loads(prefs_file.read_text()).get("theme") == "writers-forest"
            ),
        )
        await pilot.press("ctrl+q")

    assert Preferences(project / ".session").data.theme == "writers-forest"
    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert second.theme == "writers-forest"


async def test_unknown_theme_in_preferences_is_reported(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    prefs = Preferences(project / ".session")
    prefs.set_theme("no-such-theme")
    prefs.save_sync()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.theme == "textual-dark"
        assert any("no theme called 'no-such-theme'" in n.message for n in app._notifications)


async def test_bad_preference_field_is_reported_by_file_and_field(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    session_dir = project / ".session"
    session_dir.mkdir(exist_ok=True)
    (session_dir / "preferences.json").write_text(
        json.dumps({"schema_version": 1, "theme": "writers-parchment", "auto_save_interval": -3})
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        messages = [n.message for n in app._notifications]
        assert any("preferences.json" in m and "auto_save_interval" in m for m in messages), (
            messages
        )
        assert app.theme == "writers-parchment", "the valid fields still apply"
