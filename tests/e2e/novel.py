"""Projects for the end-to-end tests, and what the app left in them on disk.

Projects are made the way a writer makes one (``writers-factory new``); the session and
preferences are set up in a separate Python process, so the test process never holds the
project's lock. Everything else here only reads: the recovery journal, the kept versions,
``current.json`` and the lock — the on-disk facts the end-to-end tests judge.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.e2e.terminal import BIN
from writers_factory.demo.corpus import default_folders
from writers_factory.store.base.durable import is_temp_file
from writers_factory.store.base.serialisers import DecodeError, loads

CHAPTER = "manuscript/chapter-01.md"
TAB = Path(CHAPTER).name


def make_project(
    tmp_path: Path,
    *,
    auto_save: float = 600,
    chapter: str | None = None,
    cursor_at_end: bool = True,
) -> Path:
    """A new project with the chapter open (cursor at its end or start) and auto-save set.

    ``chapter`` replaces the template's chapter text; ``auto_save`` is the interval in
    seconds (600: far away, so only the journal can carry typing across a kill).
    """
    project = tmp_path / "novel"
    subprocess.run(
        [str(BIN), "new", str(project), "--title", "The Lighthouse", "--sample"], check=True
    )
    if chapter is not None:
        (project / CHAPTER).write_bytes(chapter.encode("utf-8"))
    lines = len((project / CHAPTER).read_text(encoding="utf-8").splitlines())
    setup = (
        "import sys\n"
        "from writers_factory.store.session.session import Session\n"
        "from writers_factory.store.preferences.preferences import Preferences\n"
        "p = Preferences(sys.argv[1] + '/.session')\n"
        "p.set_auto_save_interval(float(sys.argv[2])); p.save_sync()\n"
        "s = Session(sys.argv[1])\n"
        f"s.open_file({CHAPTER!r}, int(sys.argv[3]), 0)\n"
        "s.close_sync()\n"
    )
    line = str(lines if cursor_at_end else 0)
    subprocess.run([sys.executable, "-c", setup, str(project), str(auto_save), line], check=True)
    return project


def corpus_file(name: str) -> Path:
    """A novel from the shared corpus (``../shared/corpus/`` beside the repository).

    Looked for beside this checkout, beside the main checkout when it is a git worktree,
    and beside the repository it was cloned from when that is a local folder (a check
    clone in /tmp); missing, the test fails and says where it looked.
    """
    candidates = [folder / name for folder in default_folders()]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise AssertionError(f"the corpus file {name} is missing; looked in: {looked}")


def lock_pid(project: Path) -> int | None:
    try:
        return int(json.loads((project / ".session" / "lock.json").read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return None


def current_session(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / ".session" / "current.json").read_text())
    return data


def journal_files(project: Path) -> list[Path]:
    """Every entry in ``.session/journal/`` (files in flight — temp files — excepted)."""
    folder = project / ".session" / "journal"
    if not folder.is_dir():
        return []
    return sorted(f for f in folder.iterdir() if f.is_file() and not is_temp_file(f))


def journal_texts(project: Path) -> list[str]:
    """The unsaved text each journal entry holds (the whole file if it has no text field)."""
    texts = []
    for file in journal_files(project):
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            continue  # removed while we looked
        try:
            raw, _ = loads(data)
        except DecodeError:
            raw = None
        if isinstance(raw, dict) and isinstance(raw.get("text"), str):
            texts.append(raw["text"])
        else:
            texts.append(data.decode("utf-8", errors="replace"))
    return texts


def describe_journal(project: Path) -> str:
    texts = journal_texts(project)
    if not texts:
        return "the journal is empty"
    shown = "; ".join(f"{len(t):,} character(s), ending {t[-60:]!r}" for t in texts)
    return f"the journal holds {len(texts)} entr{'y' if len(texts) == 1 else 'ies'}: {shown}"


def version_files(project: Path) -> list[Path]:
    """Every file kept under ``.session/versions/``, whatever the layout inside."""
    folder = project / ".session" / "versions"
    if not folder.is_dir():
        return []
    return sorted(f for f in folder.rglob("*") if f.is_file() and not is_temp_file(f))


def describe_versions(project: Path) -> str:
    kept = version_files(project)
    if not kept:
        return ".session/versions/ holds nothing"
    names = ", ".join(str(v.relative_to(project)) for v in kept)
    return f".session/versions/ holds {len(kept)} file(s): {names}"
