"""Shipped data is the package's own, found through importlib.resources wherever installed."""

from __future__ import annotations

import subprocess
import sys
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


def test_a_package_imported_from_an_archive_finds_its_data_extracted(tmp_path: Path) -> None:
    """The package folder is the data's (a file lookup, no resource readers) only when the
    package is files on disk: imported from an archive, its data is extracted as before."""
    archive = tmp_path / "package.zip"
    package = Path(writers_factory.__file__).parent
    with zipfile.ZipFile(archive, "w") as zf:
        for path in [*package.rglob("*.py"), *(package / "data" / "themes").iterdir()]:
            zf.write(path, path.relative_to(package.parent).as_posix())
    probe = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import writers_factory\n"
        "from writers_factory.resources import shipped\n"
        "themes = shipped('themes')\n"
        "print(writers_factory.__file__.startswith(sys.argv[1]), themes.is_dir(),\n"
        "      themes.is_relative_to(sys.argv[1]), sorted(p.name for p in themes.glob('*.toml')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(archive)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=tmp_path,
    ).stdout.strip()
    assert out == "True True False ['forest.toml', 'midnight-ink.toml', 'parchment.toml']"
