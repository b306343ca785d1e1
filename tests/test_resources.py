"""Shipped data is the package's own, found through importlib.resources wherever installed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import writers_factory
from writers_factory import resources
from writers_factory.ai.tokens import ENCODING_FILE
from writers_factory.project import TEMPLATE_DIR
from writers_factory.tui.themes import BUNDLED_THEMES_DIR

PACKAGE_DATA = Path(writers_factory.__file__).parent / "data"


def test_themes_template_and_encoding_are_inside_the_package() -> None:
    assert BUNDLED_THEMES_DIR == PACKAGE_DATA / "themes"
    assert sorted(p.name for p in BUNDLED_THEMES_DIR.glob("*.toml")) == [
        "forest.toml",
        "midnight-ink.toml",
        "parchment.toml",
    ]
    assert TEMPLATE_DIR == PACKAGE_DATA / "project_template"
    assert (TEMPLATE_DIR / ".gitignore").is_file()
    assert (TEMPLATE_DIR / "output" / "reports" / ".gitkeep").is_file()
    assert ENCODING_FILE == PACKAGE_DATA / "o200k_base.tiktoken" and ENCODING_FILE.is_file()


def test_data_in_a_zip_archive_is_extracted_to_a_real_folder(tmp_path: Path) -> None:
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data/themes/one.toml", 'name = "one"\n')
        zf.writestr("data/project_template/.gitignore", ".session/\n")
        zf.writestr("data/project_template/manuscript/chapter-01.md", "# One\n")
    root = zipfile.Path(archive, "data/")
    template = resources._extract(root / "project_template", "project_template-test")
    assert isinstance(template, Path) and template.is_dir()
    assert (template / ".gitignore").read_text() == ".session/\n"
    assert (template / "manuscript" / "chapter-01.md").read_text() == "# One\n"
