"""The package as a writer installs it: an sdist, a wheel built from it, a clean environment.

``python -m build`` makes the sdist and then the wheel *from the sdist*, so a file missing
from the sdist is missing from the wheel too. The wheel goes into a new virtual environment
(its dependencies pinned by ``requirements-dev.lock``, the versions CI tests), and the
installed command, run from outside the source tree, creates a project from the shipped
template, opens its session and verifies it. Slow (a build and an install), but part of
``make test``: it is the only test that sees the package the way a writer gets it.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements-dev.lock"
TEMPLATE_FILES = [
    "GUIDE.md",
    ".gitignore",
    "manuscript/chapter-01.md",
    "planning/outline.md",
    "reference/characters.md",
    "output/reports/.gitkeep",
]
pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=out)
    return out


def test_the_sdist_and_the_wheel_carry_the_shipped_data_inside_the_package(dist: Path) -> None:
    [sdist] = dist.glob("writers_factory-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"LICENSE", "pyproject.toml", "README.md"} <= names
    assert all(f"writers_factory/data/project_template/{f}" in names for f in TEMPLATE_FILES)

    [wheel] = dist.glob("writers_factory-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        files = set(zf.namelist())
        metadata = next(n for n in files if n.endswith(".dist-info/METADATA"))
        meta = zf.read(metadata).decode()
    for f in TEMPLATE_FILES:
        assert f"writers_factory/data/project_template/{f}" in files
    assert {f"writers_factory/data/themes/{t}.toml" for t in ("forest", "parchment")} <= files
    assert "writers_factory/data/o200k_base.tiktoken" in files
    assert "writers_factory/data/prompts/describe.txt" in files  # the shipped prompt templates
    assert "writers_factory/py.typed" in files
    assert not [f for f in files if ".data/" in f]  # nothing installed outside the package
    assert "License-Expression: MIT" in meta and "Author: Writers Factory developers" in meta
    assert "Requires-Dist: textual<9,>=8.0" in meta
    assert "Classifier: Environment :: Console" in meta
    assert "Project-URL" not in meta  # no public address yet: none made up (pyproject.toml)


def test_the_wheel_installs_into_a_clean_environment_and_works(dist: Path, tmp_path: Path) -> None:
    [wheel] = dist.glob("writers_factory-*.whl")
    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    command = env / "bin" / "writers-factory"
    run(python, "-m", "pip", "install", "--quiet", "-c", LOCK, wheel, cwd=tmp_path)

    version = run(command, "--version", cwd=tmp_path).stdout.strip()
    assert version == "writers-factory 0.1.0"
    run(command, "new", "novel", "--title", "Installed", cwd=tmp_path)
    project = tmp_path / "novel"
    for f in TEMPLATE_FILES:
        assert (project / f).is_file(), f
    run(command, "new", "sampled", "--sample", cwd=tmp_path)  # the sample ships too
    assert "lighthouse" in (tmp_path / "sampled/manuscript/chapter-01.md").read_text()
    # the installed package, not the source tree, answered (the command ran outside it)
    where = run(
        python,
        "-c",
        "from writers_factory.resources import shipped; print(shipped('themes'))",
        cwd=tmp_path,
    ).stdout.strip()
    assert Path(where).is_relative_to(env) and not Path(where).is_relative_to(ROOT)
    opened = "from pathlib import Path; from writers_factory.store import Session; "
    opened += "Session(Path('novel')).close_sync()"
    run(python, "-c", opened, cwd=tmp_path)
    verified = run(command, "session", "verify", "--project", "novel", cwd=tmp_path)
    assert "every file parses and validates" in verified.stdout
